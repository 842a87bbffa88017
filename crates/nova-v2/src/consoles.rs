//! The consoles manager.

use async_trait::async_trait;
use nova_core::compute::ConsoleApi;
use nova_core::types::{
    ConsoleConnectInfo, ConsoleProtocol, ConsoleType, OperationGate, RemoteConsole,
};
use nova_core::{ApiResponse, Connection, Error, MicroVersion, Result, VersionReq};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::gate::check_operation;
use crate::path::encode;

/// Remote consoles (2.6+), the older console actions and console auth tokens.
#[derive(Debug, Clone)]
pub struct ConsoleManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct RemoteConsoleBody {
    remote_console: RemoteConsole,
}

#[derive(Deserialize)]
struct LegacyConsoleBody {
    console: RemoteConsole,
}

#[derive(Deserialize)]
struct ConnectInfoBody {
    console: ConsoleConnectInfo,
}

/// The first microversion with `POST /servers/{id}/remote-consoles`.
const REMOTE_CONSOLES: MicroVersion = MicroVersion::new(2, 6);
/// MKS consoles start at 2.8.
const MKS_CONSOLE: OperationGate =
    OperationGate::new("mks console", VersionReq::at_least(MicroVersion::new(2, 8)));

fn legacy_action(protocol: &ConsoleProtocol) -> Option<&'static str> {
    match protocol {
        ConsoleProtocol::Vnc => Some("os-getVNCConsole"),
        ConsoleProtocol::Spice => Some("os-getSPICEConsole"),
        ConsoleProtocol::Rdp => Some("os-getRDPConsole"),
        ConsoleProtocol::Serial => Some("os-getSerialConsole"),
        _ => None,
    }
}

fn one_key(key: &str, inner: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_owned(), inner);
    Value::Object(m)
}

impl ConsoleManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    /// Fails before any I/O when `console_type` is not of `protocol` or newer than the
    /// connection's microversion.
    fn validate(&self, protocol: &ConsoleProtocol, console_type: &ConsoleType) -> Result<()> {
        if matches!(protocol, ConsoleProtocol::Unknown(_)) {
            return Err(Error::InvalidInput {
                field: "protocol".to_owned(),
                reason: format!("unknown console protocol '{protocol}'"),
            });
        }
        if let Some(own) = console_type.protocol()
            && own != *protocol
        {
            return Err(Error::InvalidInput {
                field: "type".to_owned(),
                reason: format!(
                    "console type '{console_type}' is not a {protocol} console (it is {own})"
                ),
            });
        }
        if *protocol == ConsoleProtocol::Mks {
            check_operation(&self.conn, &MKS_CONSOLE)?;
        }
        match console_type {
            ConsoleType::Webmks => self.conn.require_field(
                "type=webmks",
                &VersionReq::at_least(console_type.min_version()),
            ),
            ConsoleType::SpiceDirect => self.conn.require_field(
                "type=spice-direct",
                &VersionReq::at_least(console_type.min_version()),
            ),
            _ => Ok(()),
        }
    }

    async fn open(
        &self,
        server_id: &str,
        protocol: ConsoleProtocol,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        self.validate(&protocol, &console_type)?;
        let server = format!("servers/{}", encode(server_id));
        if self.conn.microversion() >= REMOTE_CONSOLES {
            let mut inner = Map::new();
            inner.insert("protocol".into(), Value::from(protocol.as_str()));
            inner.insert("type".into(), Value::from(console_type.as_str()));
            let body = one_key("remote_console", Value::Object(inner));
            let resp = self
                .conn
                .post::<Value, RemoteConsoleBody>(&format!("{server}/remote-consoles"), &body)
                .await?;
            return Ok(resp.map(|b| b.remote_console));
        }
        let Some(action) = legacy_action(&protocol) else {
            return Err(Error::InvalidInput {
                field: "protocol".to_owned(),
                reason: format!("{protocol} consoles need microversion 2.6 or later"),
            });
        };
        let mut inner = Map::new();
        inner.insert("type".into(), Value::from(console_type.as_str()));
        let body = one_key(action, Value::Object(inner));
        let resp = self
            .conn
            .post::<Value, LegacyConsoleBody>(&format!("{server}/action"), &body)
            .await?;
        Ok(resp.map(|b| {
            let mut console = b.console;
            console.protocol = Some(protocol);
            console
        }))
    }
}

#[async_trait]
impl ConsoleApi for ConsoleManager {
    async fn remote_console(
        &self,
        server_id: &str,
        protocol: ConsoleProtocol,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        self.open(server_id, protocol, console_type).await
    }

    async fn vnc_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        self.open(server_id, ConsoleProtocol::Vnc, console_type)
            .await
    }

    async fn spice_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        self.open(server_id, ConsoleProtocol::Spice, console_type)
            .await
    }

    async fn rdp_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        self.open(server_id, ConsoleProtocol::Rdp, console_type)
            .await
    }

    async fn serial_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        self.open(server_id, ConsoleProtocol::Serial, console_type)
            .await
    }

    async fn mks_console(&self, server_id: &str) -> Result<ApiResponse<RemoteConsole>> {
        self.open(server_id, ConsoleProtocol::Mks, ConsoleType::Webmks)
            .await
    }

    async fn connect_info(&self, token: &str) -> Result<ApiResponse<ConsoleConnectInfo>> {
        if token.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "token".to_owned(),
                reason: "a console token is required".to_owned(),
            });
        }
        let resp = self
            .conn
            .get::<ConnectInfoBody>(&format!("os-console-auth-tokens/{}", encode(token)))
            .await?;
        Ok(resp.map(|b| b.console))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    fn sent(fake: &FakeTransport) -> (String, Value) {
        let request = fake.requests().pop().expect("a request");
        let body = serde_json::from_slice(&request.body.expect("a body")).expect("json");
        (request.path, body)
    }

    #[tokio::test]
    async fn picks_the_action_below_2_6_and_remote_consoles_from_2_6() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(
                200,
                json!({"console": {"type": "novnc", "url": "http://x/?token=t1"}}),
            ),
        );
        fake.on(
            Method::POST,
            "servers/s1/remote-consoles",
            Reply::json(
                200,
                json!({"remote_console": {"protocol": "vnc", "type": "novnc",
                "url": "http://x/?token=t2"}}),
            ),
        );
        let old = ConsoleManager::new(fake.connection(2, 5));
        let console = old
            .vnc_console("s1", ConsoleType::Novnc)
            .await
            .expect("2.5")
            .value;
        assert_eq!(console.protocol, Some(ConsoleProtocol::Vnc));
        assert_eq!(console.token().as_deref(), Some("t1"));
        assert_eq!(
            sent(&fake),
            (
                "servers/s1/action".to_owned(),
                json!({"os-getVNCConsole": {"type": "novnc"}})
            )
        );
        let new = ConsoleManager::new(fake.connection(2, 6));
        new.vnc_console("s1", ConsoleType::Novnc)
            .await
            .expect("2.6");
        assert_eq!(
            sent(&fake),
            (
                "servers/s1/remote-consoles".to_owned(),
                json!({"remote_console": {"protocol": "vnc", "type": "novnc"}})
            )
        );
    }

    #[tokio::test]
    async fn wrong_or_too_new_types_send_nothing() {
        let fake = FakeTransport::new();
        let manager = ConsoleManager::new(fake.connection(2, 7));
        let error = manager.mks_console("s1").await.expect_err("2.7");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        let error = manager
            .vnc_console("s1", ConsoleType::SpiceHtml5)
            .await
            .expect_err("mismatch");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        let error = ConsoleManager::new(fake.connection(2, 98))
            .spice_console("s1", ConsoleType::SpiceDirect)
            .await
            .expect_err("2.98");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let error = manager.connect_info("").await.expect_err("empty");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert!(fake.requests().is_empty());
    }
}
