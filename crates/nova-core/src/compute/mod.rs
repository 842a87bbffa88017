//! The compute traits that every major-version client implements.
//!
//! (Skeleton: the nova-v2/types owner extends this with `servers()`, `flavors()`, ...)

use crate::MicroVersion;

/// A compute client for one negotiated microversion of one major API version.
pub trait ComputeClient: Send + Sync + std::fmt::Debug {
    /// The microversion every request of this client carries.
    fn microversion(&self) -> MicroVersion;
}
