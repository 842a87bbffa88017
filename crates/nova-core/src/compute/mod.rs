//! The compute traits that every major-version client implements.
//!
//! Each trait is object-safe (`Arc<dyn ServerApi>`), so callers and tests can swap the HTTP
//! implementation (nova-v2) for a fake or for the mockall mocks (`MockServerApi`, ...; with
//! the `mocks` feature).

mod aggregates;
mod availability_zones;
mod consoles;
mod flavor_admin;
mod flavors;
mod hypervisors;
mod instance_actions;
mod keypairs;
mod limits;
mod migrations;
mod quotas;
mod server_diagnostics;
mod server_groups;
mod server_interfaces;
mod server_migrations;
mod server_volumes;
mod servers;
mod services;
mod usage;
mod usage_audit;
mod user_keypairs;

use std::sync::Arc;

use futures::stream::BoxStream;

pub use aggregates::AggregateApi;
pub use availability_zones::AvailabilityZoneApi;
pub use consoles::ConsoleApi;
pub use flavor_admin::FlavorAdminApi;
pub use flavors::FlavorApi;
pub use hypervisors::HypervisorApi;
pub use instance_actions::InstanceActionApi;
pub use keypairs::KeypairApi;
pub use limits::LimitsApi;
pub use migrations::MigrationApi;
pub use quotas::{QuotaApi, QuotaClassApi};
pub use server_diagnostics::ServerDiagnosticsApi;
pub use server_groups::ServerGroupApi;
pub use server_interfaces::ServerInterfaceApi;
pub use server_migrations::ServerMigrationApi;
pub use server_volumes::ServerVolumeApi;
pub use servers::{ServerApi, ServerStream};
pub use services::ServiceApi;
pub use usage::UsageApi;
pub use usage_audit::InstanceUsageAuditLogApi;
pub use user_keypairs::UserKeypairApi;

#[cfg(any(test, feature = "mocks"))]
pub use aggregates::MockAggregateApi;
#[cfg(any(test, feature = "mocks"))]
pub use availability_zones::MockAvailabilityZoneApi;
#[cfg(any(test, feature = "mocks"))]
pub use consoles::MockConsoleApi;
#[cfg(any(test, feature = "mocks"))]
pub use flavor_admin::MockFlavorAdminApi;
#[cfg(any(test, feature = "mocks"))]
pub use flavors::MockFlavorApi;
#[cfg(any(test, feature = "mocks"))]
pub use hypervisors::MockHypervisorApi;
#[cfg(any(test, feature = "mocks"))]
pub use instance_actions::MockInstanceActionApi;
#[cfg(any(test, feature = "mocks"))]
pub use keypairs::MockKeypairApi;
#[cfg(any(test, feature = "mocks"))]
pub use limits::MockLimitsApi;
#[cfg(any(test, feature = "mocks"))]
pub use migrations::MockMigrationApi;
#[cfg(any(test, feature = "mocks"))]
pub use quotas::{MockQuotaApi, MockQuotaClassApi};
#[cfg(any(test, feature = "mocks"))]
pub use server_diagnostics::MockServerDiagnosticsApi;
#[cfg(any(test, feature = "mocks"))]
pub use server_groups::MockServerGroupApi;
#[cfg(any(test, feature = "mocks"))]
pub use server_interfaces::MockServerInterfaceApi;
#[cfg(any(test, feature = "mocks"))]
pub use server_migrations::MockServerMigrationApi;
#[cfg(any(test, feature = "mocks"))]
pub use server_volumes::MockServerVolumeApi;
#[cfg(any(test, feature = "mocks"))]
pub use servers::MockServerApi;
#[cfg(any(test, feature = "mocks"))]
pub use services::MockServiceApi;
#[cfg(any(test, feature = "mocks"))]
pub use usage::MockUsageApi;
#[cfg(any(test, feature = "mocks"))]
pub use usage_audit::MockInstanceUsageAuditLogApi;
#[cfg(any(test, feature = "mocks"))]
pub use user_keypairs::MockUserKeypairApi;

use crate::{Error, MicroVersion, Result};

/// What every defaulted trait method answers: [`Error::NotSupported`] for `operation`.
pub(crate) fn not_supported<T>(operation: &'static str) -> Result<T> {
    Err(Error::NotSupported { operation })
}

/// [`not_supported`] as a one-item stream, for the `list_all` defaults.
pub(crate) fn not_supported_stream<T: Send + 'static>(
    operation: &'static str,
) -> BoxStream<'static, Result<T>> {
    Box::pin(futures::stream::once(
        async move { not_supported(operation) },
    ))
}

/// An area this client does not implement: every operation of every compute trait answers
/// [`Error::NotSupported`]. What the [`ComputeClient`] accessors return by default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unsupported;

impl AggregateApi for Unsupported {}
impl AvailabilityZoneApi for Unsupported {}
impl ConsoleApi for Unsupported {}
impl FlavorAdminApi for Unsupported {}
impl FlavorApi for Unsupported {}
impl HypervisorApi for Unsupported {}
impl InstanceActionApi for Unsupported {}
impl KeypairApi for Unsupported {}
impl LimitsApi for Unsupported {}
impl MigrationApi for Unsupported {}
impl QuotaApi for Unsupported {}
impl QuotaClassApi for Unsupported {}
impl ServerDiagnosticsApi for Unsupported {}
impl ServerGroupApi for Unsupported {}
impl ServerInterfaceApi for Unsupported {}
impl ServerMigrationApi for Unsupported {}
impl ServerVolumeApi for Unsupported {}
impl ServerApi for Unsupported {}
impl ServiceApi for Unsupported {}
impl UsageApi for Unsupported {}
impl InstanceUsageAuditLogApi for Unsupported {}
impl UserKeypairApi for Unsupported {}

/// A compute client for one negotiated microversion of one major API version.
///
/// Only [`microversion`](Self::microversion) is required: every accessor defaults to
/// [`Unsupported`], whose every operation answers [`Error::NotSupported`], so a new area
/// (and, in each area trait, a new operation) is an additive change and a mock or fake
/// implements only what it uses.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ComputeClient: Send + Sync + std::fmt::Debug {
    /// The microversion every request of this client carries.
    fn microversion(&self) -> MicroVersion;
    /// Servers and their actions.
    fn servers(&self) -> Arc<dyn ServerApi> {
        Arc::new(Unsupported)
    }
    /// Flavors.
    fn flavors(&self) -> Arc<dyn FlavorApi> {
        Arc::new(Unsupported)
    }
    /// Keypairs.
    fn keypairs(&self) -> Arc<dyn KeypairApi> {
        Arc::new(Unsupported)
    }
    /// Absolute limits.
    fn limits(&self) -> Arc<dyn LimitsApi> {
        Arc::new(Unsupported)
    }
    /// Availability zones.
    fn availability_zones(&self) -> Arc<dyn AvailabilityZoneApi> {
        Arc::new(Unsupported)
    }
    /// Server groups.
    fn server_groups(&self) -> Arc<dyn ServerGroupApi> {
        Arc::new(Unsupported)
    }
    /// Quota sets and another project's limits.
    fn quotas(&self) -> Arc<dyn QuotaApi> {
        Arc::new(Unsupported)
    }
    /// Quota classes.
    fn quota_classes(&self) -> Arc<dyn QuotaClassApi> {
        Arc::new(Unsupported)
    }
    /// Flavor management (create, delete, extra specs, access).
    fn flavor_admin(&self) -> Arc<dyn FlavorAdminApi> {
        Arc::new(Unsupported)
    }
    /// Keypairs of another user (2.10+, admin).
    fn user_keypairs(&self) -> Arc<dyn UserKeypairApi> {
        Arc::new(Unsupported)
    }
    /// Live migrations of one server (`/servers/{id}/migrations`).
    fn server_migrations(&self) -> Arc<dyn ServerMigrationApi> {
        Arc::new(Unsupported)
    }
    /// Migrations of every server (`/os-migrations`, admin).
    fn migrations(&self) -> Arc<dyn MigrationApi> {
        Arc::new(Unsupported)
    }
    /// Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).
    fn server_interfaces(&self) -> Arc<dyn ServerInterfaceApi> {
        Arc::new(Unsupported)
    }
    /// Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).
    fn server_volumes(&self) -> Arc<dyn ServerVolumeApi> {
        Arc::new(Unsupported)
    }
    /// Remote consoles (2.6+), the older console actions and console auth tokens.
    fn consoles(&self) -> Arc<dyn ConsoleApi> {
        Arc::new(Unsupported)
    }
    /// Instance actions and their events (`/servers/{id}/os-instance-actions`).
    fn instance_actions(&self) -> Arc<dyn InstanceActionApi> {
        Arc::new(Unsupported)
    }
    /// Server diagnostics and NUMA topology (2.78+).
    fn server_diagnostics(&self) -> Arc<dyn ServerDiagnosticsApi> {
        Arc::new(Unsupported)
    }
    /// Hypervisors (`/os-hypervisors`, admin).
    fn hypervisors(&self) -> Arc<dyn HypervisorApi> {
        Arc::new(Unsupported)
    }
    /// Compute services (`/os-services`, admin).
    fn services(&self) -> Arc<dyn ServiceApi> {
        Arc::new(Unsupported)
    }
    /// Host aggregates (`/os-aggregates`, admin).
    fn aggregates(&self) -> Arc<dyn AggregateApi> {
        Arc::new(Unsupported)
    }
    /// Simple tenant usage (`/os-simple-tenant-usage`).
    fn usage(&self) -> Arc<dyn UsageApi> {
        Arc::new(Unsupported)
    }
    /// The instance usage audit log (`/os-instance_usage_audit_log`, admin).
    fn usage_audit_logs(&self) -> Arc<dyn InstanceUsageAuditLogApi> {
        Arc::new(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;
    use crate::types::{CreateServer, ServerQuery};

    /// A client written before any area existed: only the required method.
    #[derive(Debug)]
    struct OnlyMicroversion;

    impl ComputeClient for OnlyMicroversion {
        fn microversion(&self) -> MicroVersion {
            MicroVersion::new(2, 1)
        }
    }

    #[tokio::test]
    async fn defaults_answer_not_supported_with_the_operation() {
        let client = OnlyMicroversion;
        let err = client
            .servers()
            .create_reservation(&CreateServer::new("a", "1"))
            .await
            .expect_err("default");
        assert!(
            matches!(
                err,
                Error::NotSupported {
                    operation: "servers.create_reservation"
                }
            ),
            "{err:?}"
        );
        assert!(!err.may_have_reached_server());
        let listed: Vec<_> = client
            .servers()
            .list_all(ServerQuery::default())
            .collect()
            .await;
        assert!(matches!(
            listed.as_slice(),
            [Err(Error::NotSupported {
                operation: "servers.list_all"
            })]
        ));
        let err = client.flavors().get("1").await.expect_err("default");
        assert!(matches!(
            err,
            Error::NotSupported {
                operation: "flavors.get"
            }
        ));
    }
}
