//! Server diagnostics and NUMA topology (2.78+).

use async_trait::async_trait;

use crate::types::{ServerDiagnostics, ServerTopology};
use crate::{ApiResponse, Result};

/// Server diagnostics and NUMA topology (2.78+).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerDiagnosticsApi: Send + Sync + std::fmt::Debug {
    /// `GET /servers/{id}/diagnostics` (admin; all versions: free-form below 2.48, the
    /// standard shape from 2.48).
    async fn diagnostics(&self, server_id: &str) -> Result<ApiResponse<ServerDiagnostics>> {
        crate::compute::not_supported("server_diagnostics.diagnostics")
    }
    /// `GET /servers/{id}/topology` (2.78+; `cpu_pinning` and `host_node` for admins).
    async fn topology(&self, server_id: &str) -> Result<ApiResponse<ServerTopology>> {
        crate::compute::not_supported("server_diagnostics.topology")
    }
}
