//! Compute services (`/os-services`, admin).

use async_trait::async_trait;

/// Compute services (`/os-services`, admin).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServiceApi: Send + Sync + std::fmt::Debug {}
