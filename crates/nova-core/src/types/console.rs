//! Remote consoles and console auth tokens.
//!
//! Below 2.6 a console comes from a server action (`os-getVNCConsole`, ...) answering
//! `{"console": {type, url}}`; from 2.6 from `POST /servers/{id}/remote-consoles` answering
//! `{"remote_console": {protocol, type, url}}`. `mks`/`webmks` need 2.8, `spice-direct` 2.99.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default, string_enum};
use crate::MicroVersion;

string_enum! {
    /// A remote console protocol.
    pub enum ConsoleProtocol {
        /// VNC.
        Vnc => "vnc",
        /// SPICE.
        Spice => "spice",
        /// RDP (Hyper-V).
        Rdp => "rdp",
        /// Serial console over websocket.
        Serial => "serial",
        /// VMware MKS (2.8+).
        Mks => "mks",
    }
}

string_enum! {
    /// A remote console type (the proxy that serves it).
    pub enum ConsoleType {
        /// noVNC in the browser.
        Novnc => "novnc",
        /// The XenServer VNC proxy.
        Xvpvnc => "xvpvnc",
        /// SPICE in the browser.
        SpiceHtml5 => "spice-html5",
        /// Native SPICE clients through the proxy (2.99+).
        SpiceDirect => "spice-direct",
        /// RDP in the browser.
        RdpHtml5 => "rdp-html5",
        /// Serial console.
        Serial => "serial",
        /// VMware WebMKS (2.8+).
        Webmks => "webmks",
    }
}

impl ConsoleType {
    /// The protocol this type belongs to (`None` for an unknown type).
    pub fn protocol(&self) -> Option<ConsoleProtocol> {
        Some(match self {
            Self::Novnc | Self::Xvpvnc => ConsoleProtocol::Vnc,
            Self::SpiceHtml5 | Self::SpiceDirect => ConsoleProtocol::Spice,
            Self::RdpHtml5 => ConsoleProtocol::Rdp,
            Self::Serial => ConsoleProtocol::Serial,
            Self::Webmks => ConsoleProtocol::Mks,
            Self::Unknown(_) => return None,
        })
    }

    /// The first microversion that offers this type (2.1 for the original ones).
    pub fn min_version(&self) -> MicroVersion {
        match self {
            Self::Webmks => MicroVersion::new(2, 8),
            Self::SpiceDirect => MicroVersion::new(2, 99),
            _ => MicroVersion::new(2, 1),
        }
    }

    /// The legacy server action (below 2.6) that returns this type, if any.
    pub fn legacy_action(&self) -> Option<&'static str> {
        match self.protocol()? {
            ConsoleProtocol::Vnc => Some("os-getVNCConsole"),
            ConsoleProtocol::Spice if *self == Self::SpiceHtml5 => Some("os-getSPICEConsole"),
            ConsoleProtocol::Rdp => Some("os-getRDPConsole"),
            ConsoleProtocol::Serial => Some("os-getSerialConsole"),
            _ => None,
        }
    }
}

/// A console URL (`remote_console` from 2.6, `console` of the older actions).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RemoteConsole {
    /// The protocol (sent by Nova from 2.6; filled in from the request below).
    #[serde(default, deserialize_with = "lenient")]
    pub protocol: Option<ConsoleProtocol>,
    /// The console type.
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub console_type: Option<ConsoleType>,
    /// The URL to open (it carries the auth token).
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RemoteConsole {
    /// The auth token in the URL (`token=...`, also inside noVNC's encoded `path`).
    pub fn token(&self) -> Option<String> {
        let decoded = self
            .url
            .replace("%3F", "?")
            .replace("%3D", "=")
            .replace("%26", "&");
        let (_, rest) = decoded.split_once("token=")?;
        let token: String = rest
            .chars()
            .take_while(|c| *c != '&' && *c != '#')
            .collect();
        (!token.is_empty()).then_some(token)
    }
}

/// Connection details behind a console auth token (`GET /os-console-auth-tokens/{token}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConsoleConnectInfo {
    /// The server.
    #[serde(default, deserialize_with = "null_as_default")]
    pub instance_uuid: String,
    /// The hypervisor host serving the console.
    #[serde(default, deserialize_with = "lenient")]
    pub host: Option<String>,
    /// The port on `host`.
    #[serde(default, deserialize_with = "lenient")]
    pub port: Option<u32>,
    /// The TLS port (2.99+, SPICE direct).
    #[serde(default, deserialize_with = "lenient")]
    pub tls_port: Option<u32>,
    /// The path the proxy uses on the host.
    #[serde(default, deserialize_with = "lenient")]
    pub internal_access_path: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &Value, minor: u32, file: &str) -> bool {
    if super::attachments::check_sample(key, inner, minor, file) {
        return true;
    }
    match key {
        "console" if file.contains("os-console-auth-tokens") => {
            let info: ConsoleConnectInfo = serde_json::from_value(inner.clone()).expect(file);
            assert!(
                !info.instance_uuid.is_empty() && info.port.is_some(),
                "{file}"
            );
            assert!(info.extra.is_empty(), "{file}: {:?}", info.extra);
            assert_eq!(info.tls_port.is_some(), minor >= 99, "{file}");
        }
        "console" | "remote_console" => {
            let console: RemoteConsole = serde_json::from_value(inner.clone()).expect(file);
            assert!(console.extra.is_empty(), "{file}: {:?}", console.extra);
            assert!(
                console.token().is_some(),
                "{file}: token in {}",
                console.url
            );
            let kind = console.console_type.clone().expect("type");
            assert!(!matches!(kind, ConsoleType::Unknown(_)), "{file}");
            assert!(
                kind.min_version() <= MicroVersion::new(2, minor as u16),
                "{file}"
            );
            if key == "remote_console" {
                assert!(minor >= 6, "{file}");
                assert_eq!(console.protocol, kind.protocol(), "{file}");
            } else {
                assert!(minor < 6 && kind.legacy_action().is_some(), "{file}");
            }
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_found_in_every_url_shape() {
        let novnc = RemoteConsole {
            url: "http://h:6080/vnc_auto.html?path=%3Ftoken%3Dabc-1".into(),
            ..Default::default()
        };
        assert_eq!(novnc.token().as_deref(), Some("abc-1"));
        let serial = RemoteConsole {
            url: "ws://h:6083/?token=xyz".into(),
            ..Default::default()
        };
        assert_eq!(serial.token().as_deref(), Some("xyz"));
        assert_eq!(RemoteConsole::default().token(), None);
        assert_eq!(ConsoleType::Webmks.protocol(), Some(ConsoleProtocol::Mks));
        assert_eq!(ConsoleType::Webmks.legacy_action(), None);
        assert_eq!(
            ConsoleType::SpiceHtml5.legacy_action(),
            Some("os-getSPICEConsole")
        );
    }
}
