//! Instance actions and their events (`/servers/{id}/os-instance-actions`).

use async_trait::async_trait;

/// Instance actions and their events (`/servers/{id}/os-instance-actions`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait InstanceActionApi: Send + Sync + std::fmt::Debug {}
