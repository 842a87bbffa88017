//! Simple tenant usage (`/os-simple-tenant-usage`).

use async_trait::async_trait;

/// Simple tenant usage (`/os-simple-tenant-usage`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait UsageApi: Send + Sync + std::fmt::Debug {}
