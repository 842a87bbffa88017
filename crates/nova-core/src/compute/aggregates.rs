//! Host aggregates (`/os-aggregates`, admin).

use async_trait::async_trait;

/// Host aggregates (`/os-aggregates`, admin).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AggregateApi: Send + Sync + std::fmt::Debug {}
