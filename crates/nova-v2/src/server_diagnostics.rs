//! The server diagnostics manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::ServerDiagnosticsApi;

/// Server diagnostics and NUMA topology (2.78+).
#[derive(Debug, Clone)]
pub struct ServerDiagnosticsManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl ServerDiagnosticsManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerDiagnosticsApi for ServerDiagnosticsManager {}
