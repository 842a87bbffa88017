//! The server interfaces manager.

use async_trait::async_trait;
use nova_core::compute::ServerInterfaceApi;
use nova_core::types::{AttachInterface, InterfaceAttachment};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::gate::check_fields;
use crate::path::encode;

/// Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).
#[derive(Debug, Clone)]
pub struct ServerInterfaceManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct InterfacesBody {
    #[serde(rename = "interfaceAttachments", default)]
    interfaces: Vec<InterfaceAttachment>,
}

#[derive(Deserialize)]
struct InterfaceBody {
    #[serde(rename = "interfaceAttachment")]
    interface: InterfaceAttachment,
}

fn interfaces_path(server_id: &str) -> String {
    format!("servers/{}/os-interface", encode(server_id))
}

fn invalid(field: &str, reason: &str) -> Error {
    Error::InvalidInput {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

impl ServerInterfaceManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerInterfaceApi for ServerInterfaceManager {
    async fn list(&self, server_id: &str) -> Result<ApiResponse<Vec<InterfaceAttachment>>> {
        let resp = self
            .conn
            .get::<InterfacesBody>(&interfaces_path(server_id))
            .await?;
        Ok(resp.map(|b| b.interfaces))
    }

    async fn get(
        &self,
        server_id: &str,
        port_id: &str,
    ) -> Result<ApiResponse<InterfaceAttachment>> {
        let path = format!("{}/{}", interfaces_path(server_id), encode(port_id));
        let resp = self.conn.get::<InterfaceBody>(&path).await?;
        Ok(resp.map(|b| b.interface))
    }

    async fn attach(
        &self,
        server_id: &str,
        request: &AttachInterface,
    ) -> Result<ApiResponse<InterfaceAttachment>> {
        check_fields(&self.conn, &request.field_gates())?;
        if request.port_id.is_some() && request.net_id.is_some() {
            return Err(invalid("port_id", "give a port or a network, not both"));
        }
        if request.fixed_ip.is_some() && request.net_id.is_none() {
            return Err(invalid("fixed_ips", "a fixed IP needs a network (net_id)"));
        }
        let resp = self
            .conn
            .post::<Value, InterfaceBody>(&interfaces_path(server_id), &request.to_body())
            .await?;
        Ok(resp.map(|b| b.interface))
    }

    async fn detach(&self, server_id: &str, port_id: &str) -> Result<ApiResponse<()>> {
        let path = format!("{}/{}", interfaces_path(server_id), encode(port_id));
        let resp = self.conn.delete(&path).await?;
        Ok(resp.map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    #[tokio::test]
    async fn attach_sends_the_body_and_gates_send_nothing() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/os-interface",
            Reply::json(
                200,
                json!({"interfaceAttachment": {"port_id": "p1", "tag": "t"}}),
            ),
        );
        let manager = ServerInterfaceManager::new(fake.connection(2, 70));
        let request = AttachInterface::network("n1").fixed_ip("10.0.0.9").tag("t");
        let attached = manager
            .attach("s1", &request)
            .await
            .expect("attached")
            .value;
        assert_eq!(attached.port_id, "p1");
        let sent = fake.requests().pop().expect("sent");
        assert_eq!(sent.path, "servers/s1/os-interface");
        let body: Value = serde_json::from_slice(&sent.body.expect("body")).expect("json");
        assert_eq!(
            body,
            json!({"interfaceAttachment": {"net_id": "n1", "tag": "t",
                "fixed_ips": [{"ip_address": "10.0.0.9"}]}})
        );
        let old = ServerInterfaceManager::new(fake.connection(2, 48));
        let error = old.attach("s1", &request).await.expect_err("2.48");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let both = AttachInterface::port("p").fixed_ip("10.0.0.1");
        let error = manager
            .attach("s1", &both)
            .await
            .expect_err("ip without net");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1);
    }

    #[tokio::test]
    async fn show_and_detach_use_the_port_path() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "servers/s1/os-interface/p%2F1",
            Reply::json(200, json!({"interfaceAttachment": {"port_id": "p/1"}})),
        );
        fake.on(
            Method::DELETE,
            "servers/s1/os-interface/p1",
            Reply::json(202, Value::Null),
        );
        let manager = ServerInterfaceManager::new(fake.connection(2, 1));
        let shown = manager.get("s1", "p/1").await.expect("shown").value;
        assert_eq!(shown.port_id, "p/1");
        manager.detach("s1", "p1").await.expect("detached");
        let methods: Vec<Method> = fake.requests().into_iter().map(|r| r.method).collect();
        assert_eq!(methods, [Method::GET, Method::DELETE]);
    }
}
