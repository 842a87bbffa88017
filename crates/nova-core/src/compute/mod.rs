//! The compute traits that every major-version client implements.
//!
//! Each trait is object-safe (`Arc<dyn ServerApi>`), so callers and tests can swap the HTTP
//! implementation (nova-v2) for a fake or for the mockall mocks (`MockServerApi`, ...; with
//! the `mocks` feature).

mod availability_zones;
mod flavor_admin;
mod flavors;
mod keypairs;
mod limits;
mod quotas;
mod server_groups;
mod servers;
mod user_keypairs;

use std::sync::Arc;

pub use availability_zones::AvailabilityZoneApi;
pub use flavor_admin::FlavorAdminApi;
pub use flavors::FlavorApi;
pub use keypairs::KeypairApi;
pub use limits::LimitsApi;
pub use quotas::{QuotaApi, QuotaClassApi};
pub use server_groups::ServerGroupApi;
pub use servers::{ServerApi, ServerStream};
pub use user_keypairs::UserKeypairApi;

#[cfg(any(test, feature = "mocks"))]
pub use availability_zones::MockAvailabilityZoneApi;
#[cfg(any(test, feature = "mocks"))]
pub use flavor_admin::MockFlavorAdminApi;
#[cfg(any(test, feature = "mocks"))]
pub use flavors::MockFlavorApi;
#[cfg(any(test, feature = "mocks"))]
pub use keypairs::MockKeypairApi;
#[cfg(any(test, feature = "mocks"))]
pub use limits::MockLimitsApi;
#[cfg(any(test, feature = "mocks"))]
pub use quotas::{MockQuotaApi, MockQuotaClassApi};
#[cfg(any(test, feature = "mocks"))]
pub use server_groups::MockServerGroupApi;
#[cfg(any(test, feature = "mocks"))]
pub use servers::MockServerApi;
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
}
