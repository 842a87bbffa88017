//! Server diagnostics and NUMA topology (2.78+).

use async_trait::async_trait;

/// Server diagnostics and NUMA topology (2.78+).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerDiagnosticsApi: Send + Sync + std::fmt::Debug {}
