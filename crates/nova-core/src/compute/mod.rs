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

use crate::MicroVersion;

/// A compute client for one negotiated microversion of one major API version.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ComputeClient: Send + Sync + std::fmt::Debug {
    /// The microversion every request of this client carries.
    fn microversion(&self) -> MicroVersion;
    /// Servers and their actions.
    fn servers(&self) -> Arc<dyn ServerApi>;
    /// Flavors.
    fn flavors(&self) -> Arc<dyn FlavorApi>;
    /// Keypairs.
    fn keypairs(&self) -> Arc<dyn KeypairApi>;
    /// Absolute limits.
    fn limits(&self) -> Arc<dyn LimitsApi>;
    /// Availability zones.
    fn availability_zones(&self) -> Arc<dyn AvailabilityZoneApi>;
    /// Server groups.
    fn server_groups(&self) -> Arc<dyn ServerGroupApi>;
    /// Quota sets and another project's limits.
    fn quotas(&self) -> Arc<dyn QuotaApi>;
    /// Quota classes.
    fn quota_classes(&self) -> Arc<dyn QuotaClassApi>;
    /// Flavor management (create, delete, extra specs, access).
    fn flavor_admin(&self) -> Arc<dyn FlavorAdminApi>;
    /// Keypairs of another user (2.10+, admin).
    fn user_keypairs(&self) -> Arc<dyn UserKeypairApi>;
    /// Live migrations of one server (`/servers/{id}/migrations`).
    fn server_migrations(&self) -> Arc<dyn ServerMigrationApi>;
    /// Migrations of every server (`/os-migrations`, admin).
    fn migrations(&self) -> Arc<dyn MigrationApi>;
    /// Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).
    fn server_interfaces(&self) -> Arc<dyn ServerInterfaceApi>;
    /// Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).
    fn server_volumes(&self) -> Arc<dyn ServerVolumeApi>;
    /// Remote consoles (2.6+), the older console actions and console auth tokens.
    fn consoles(&self) -> Arc<dyn ConsoleApi>;
    /// Instance actions and their events (`/servers/{id}/os-instance-actions`).
    fn instance_actions(&self) -> Arc<dyn InstanceActionApi>;
    /// Server diagnostics and NUMA topology (2.78+).
    fn server_diagnostics(&self) -> Arc<dyn ServerDiagnosticsApi>;
    /// Hypervisors (`/os-hypervisors`, admin).
    fn hypervisors(&self) -> Arc<dyn HypervisorApi>;
    /// Compute services (`/os-services`, admin).
    fn services(&self) -> Arc<dyn ServiceApi>;
    /// Host aggregates (`/os-aggregates`, admin).
    fn aggregates(&self) -> Arc<dyn AggregateApi>;
    /// Simple tenant usage (`/os-simple-tenant-usage`).
    fn usage(&self) -> Arc<dyn UsageApi>;
    /// The instance usage audit log (`/os-instance_usage_audit_log`, admin).
    fn usage_audit_logs(&self) -> Arc<dyn InstanceUsageAuditLogApi>;
}
