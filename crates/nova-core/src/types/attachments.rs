//! Sub-resources of a server: port interfaces and volume attachments.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default};

/// A port attached to a server (`GET /servers/{id}/os-interface`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InterfaceAttachment {
    /// The port id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub port_id: String,
    /// The network id.
    #[serde(default, deserialize_with = "lenient")]
    pub net_id: Option<String>,
    /// The MAC address.
    #[serde(default, deserialize_with = "lenient")]
    pub mac_addr: Option<String>,
    /// The port state.
    #[serde(default, deserialize_with = "lenient")]
    pub port_state: Option<String>,
    /// Fixed IPs on the port.
    #[serde(default, deserialize_with = "null_as_default")]
    pub fixed_ips: Vec<FixedIp>,
    /// Device tag (2.70+).
    #[serde(default, deserialize_with = "lenient")]
    pub tag: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One fixed IP of an interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FixedIp {
    /// The address.
    #[serde(default, deserialize_with = "null_as_default")]
    pub ip_address: String,
    /// The subnet.
    #[serde(default, deserialize_with = "lenient")]
    pub subnet_id: Option<String>,
}

/// A volume attached to a server (`GET /servers/{id}/os-volume_attachments`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VolumeAttachment {
    /// The attachment id (below 2.89; equals the volume id).
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    /// The volume id.
    #[serde(rename = "volumeId", default, deserialize_with = "null_as_default")]
    pub volume_id: String,
    /// The server id.
    #[serde(rename = "serverId", default, deserialize_with = "lenient")]
    pub server_id: Option<String>,
    /// The device name, e.g. `/dev/vdb`.
    #[serde(default, deserialize_with = "lenient")]
    pub device: Option<String>,
    /// Device tag (2.70+).
    #[serde(default, deserialize_with = "lenient")]
    pub tag: Option<String>,
    /// Delete with the server (2.79+).
    #[serde(default, deserialize_with = "lenient")]
    pub delete_on_termination: Option<bool>,
    /// Cinder attachment id (2.89+).
    #[serde(default, deserialize_with = "lenient")]
    pub attachment_id: Option<String>,
    /// Block device mapping uuid (2.89+).
    #[serde(default, deserialize_with = "lenient")]
    pub bdm_uuid: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
