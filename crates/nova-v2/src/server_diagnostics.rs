//! The server diagnostics manager.

use async_trait::async_trait;
use nova_core::compute::ServerDiagnosticsApi;
use nova_core::types::{OperationGate, ServerDiagnostics, ServerTopology};
use nova_core::{ApiResponse, Connection, MicroVersion, Result, VersionReq};

use crate::gate::check_operation;
use crate::path::encode;

/// A server's NUMA topology starts at 2.78.
const TOPOLOGY: OperationGate = OperationGate::new(
    "server topology",
    VersionReq::at_least(MicroVersion::new(2, 78)),
);

/// Server diagnostics and NUMA topology (2.78+).
#[derive(Debug, Clone)]
pub struct ServerDiagnosticsManager {
    conn: Connection,
}

impl ServerDiagnosticsManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerDiagnosticsApi for ServerDiagnosticsManager {
    async fn diagnostics(&self, server_id: &str) -> Result<ApiResponse<ServerDiagnostics>> {
        self.conn
            .get::<ServerDiagnostics>(&format!("servers/{}/diagnostics", encode(server_id)))
            .await
    }

    async fn topology(&self, server_id: &str) -> Result<ApiResponse<ServerTopology>> {
        check_operation(&self.conn, &TOPOLOGY)?;
        self.conn
            .get::<ServerTopology>(&format!("servers/{}/topology", encode(server_id)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use nova_core::Error;
    use serde_json::json;

    #[tokio::test]
    async fn topology_needs_2_78_and_diagnostics_decode_both_shapes() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "servers/s1/diagnostics",
            Reply::json(200, json!({"cpu0_time": 5})),
        );
        fake.on(
            Method::GET,
            "servers/s1/topology",
            Reply::json(
                200,
                json!({"nodes": [{"memory_mb": 512, "vcpu_set": [0]}],
                "pagesize_kb": null}),
            ),
        );
        let old = ServerDiagnosticsManager::new(fake.connection(2, 77));
        let diag = old.diagnostics("s1").await.expect("diagnostics").value;
        assert_eq!(diag.extra.get("cpu0_time"), Some(&json!(5)));
        let error = old.topology("s1").await.expect_err("2.77");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert_eq!(fake.requests().len(), 1);
        let topology = ServerDiagnosticsManager::new(fake.connection(2, 78))
            .topology("s1")
            .await
            .expect("2.78")
            .value;
        assert_eq!(topology.nodes[0].memory_mb, Some(512));
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "servers/s1/topology"
        );
    }
}
