//! Hypervisors (`/os-hypervisors`, admin).

use async_trait::async_trait;

/// Hypervisors (`/os-hypervisors`, admin).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HypervisorApi: Send + Sync + std::fmt::Debug {}
