//! Live migrations of one server (`/servers/{id}/migrations`).

use async_trait::async_trait;

/// Live migrations of one server (`/servers/{id}/migrations`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerMigrationApi: Send + Sync + std::fmt::Debug {}
