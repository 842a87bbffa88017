//! Migrations of every server (`/os-migrations`, admin).

use async_trait::async_trait;

/// Migrations of every server (`/os-migrations`, admin).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MigrationApi: Send + Sync + std::fmt::Debug {}
