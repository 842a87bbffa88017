//! Sub-resources of a server: port interfaces and volume attachments.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::{FieldGate, SINCE_2_49, SINCE_2_79, SINCE_2_85};
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

/// A request to attach a port or a new port on a network
/// (`POST /servers/{id}/os-interface`).
///
/// Give a port (`port`) or a network (`network`, optionally with a fixed IP), not both;
/// with neither Nova picks a network. `tag` needs 2.49.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachInterface {
    /// An existing port to attach.
    pub port_id: Option<String>,
    /// A network to create the port on.
    pub net_id: Option<String>,
    /// The fixed IP to request on `net_id` (Nova takes at most one).
    pub fixed_ip: Option<String>,
    /// Device tag (2.49+).
    pub tag: Option<String>,
}

impl AttachInterface {
    /// Attaches the existing port `port_id`.
    pub fn port(port_id: impl Into<String>) -> Self {
        Self {
            port_id: Some(port_id.into()),
            ..Self::default()
        }
    }

    /// Attaches a new port on network `net_id`.
    pub fn network(net_id: impl Into<String>) -> Self {
        Self {
            net_id: Some(net_id.into()),
            ..Self::default()
        }
    }

    /// Requests the fixed IP `ip` (with a network).
    pub fn fixed_ip(mut self, ip: impl Into<String>) -> Self {
        self.fixed_ip = Some(ip.into());
        self
    }

    /// Sets the device tag (2.49+).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.tag.is_some() {
            gates.push(FieldGate::new("tag", &[SINCE_2_49]));
        }
        gates
    }

    /// The `{"interfaceAttachment": {...}}` body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        if let Some(port) = &self.port_id {
            m.insert("port_id".into(), Value::from(port.clone()));
        }
        if let Some(net) = &self.net_id {
            m.insert("net_id".into(), Value::from(net.clone()));
        }
        if let Some(ip) = &self.fixed_ip {
            let mut fixed = Map::new();
            fixed.insert("ip_address".into(), Value::from(ip.clone()));
            m.insert("fixed_ips".into(), Value::Array(vec![Value::Object(fixed)]));
        }
        if let Some(tag) = &self.tag {
            m.insert("tag".into(), Value::from(tag.clone()));
        }
        let mut body = Map::new();
        body.insert("interfaceAttachment".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// A request to attach a volume (`POST /servers/{id}/os-volume_attachments`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachVolume {
    /// The volume to attach.
    pub volume_id: String,
    /// The device name to ask for (hypervisors may ignore it).
    pub device: Option<String>,
    /// Device tag (2.49+).
    pub tag: Option<String>,
    /// Delete the volume with the server (2.79+).
    pub delete_on_termination: Option<bool>,
}

impl AttachVolume {
    /// Attaches volume `volume_id`.
    pub fn new(volume_id: impl Into<String>) -> Self {
        Self {
            volume_id: volume_id.into(),
            ..Self::default()
        }
    }

    /// Asks for the device name `device`, e.g. `/dev/vdb`.
    pub fn device(mut self, device: impl Into<String>) -> Self {
        self.device = Some(device.into());
        self
    }

    /// Sets the device tag (2.49+).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// Deletes the volume when the server is deleted (2.79+).
    pub fn delete_on_termination(mut self, delete: bool) -> Self {
        self.delete_on_termination = Some(delete);
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.tag.is_some() {
            gates.push(FieldGate::new("tag", &[SINCE_2_49]));
        }
        if self.delete_on_termination.is_some() {
            gates.push(FieldGate::new("delete_on_termination", &[SINCE_2_79]));
        }
        gates
    }

    /// The `{"volumeAttachment": {...}}` body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        m.insert("volumeId".into(), Value::from(self.volume_id.clone()));
        if let Some(device) = &self.device {
            m.insert("device".into(), Value::from(device.clone()));
        }
        if let Some(tag) = &self.tag {
            m.insert("tag".into(), Value::from(tag.clone()));
        }
        if let Some(dot) = self.delete_on_termination {
            m.insert("delete_on_termination".into(), Value::from(dot));
        }
        let mut body = Map::new();
        body.insert("volumeAttachment".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// A request to update a volume attachment
/// (`PUT /servers/{id}/os-volume_attachments/{volume_id}`): swap to another volume
/// (admin or service by default policy), or from 2.85 change `delete_on_termination`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateVolumeAttachment {
    /// The volume the attachment should use (the same one to keep it, another to swap).
    pub volume_id: String,
    /// Delete the volume with the server (2.85+).
    pub delete_on_termination: Option<bool>,
}

impl UpdateVolumeAttachment {
    /// An update pointing the attachment at `volume_id`.
    pub fn new(volume_id: impl Into<String>) -> Self {
        Self {
            volume_id: volume_id.into(),
            delete_on_termination: None,
        }
    }

    /// Sets `delete_on_termination` (2.85+).
    pub fn delete_on_termination(mut self, delete: bool) -> Self {
        self.delete_on_termination = Some(delete);
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.delete_on_termination.is_some() {
            gates.push(FieldGate::new("delete_on_termination", &[SINCE_2_85]));
        }
        gates
    }

    /// The `{"volumeAttachment": {...}}` body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        m.insert("volumeId".into(), Value::from(self.volume_id.clone()));
        if let Some(dot) = self.delete_on_termination {
            m.insert("delete_on_termination".into(), Value::from(dot));
        }
        let mut body = Map::new();
        body.insert("volumeAttachment".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// Checks the interface and volume attachment samples (called from the console module's
/// check, which the sample test knows).
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &Value, minor: u32, file: &str) -> bool {
    let check_interface = |i: &InterfaceAttachment| {
        assert!(!i.port_id.is_empty() && i.extra.is_empty(), "{file}: {i:?}");
        assert!(
            i.fixed_ips.iter().all(|f| !f.ip_address.is_empty()),
            "{file}"
        );
        assert_eq!(i.tag.is_some(), minor >= 70, "{file}: tag");
    };
    let check_volume = |v: &VolumeAttachment| {
        assert!(
            !v.volume_id.is_empty() && v.extra.is_empty(),
            "{file}: {v:?}"
        );
        if file.contains("attach-volume-to-server") {
            assert!(v.id.is_some(), "{file}: the attach response keeps id");
        } else {
            assert_eq!(v.id.is_some(), minor < 89, "{file}: id");
        }
        assert_eq!(v.delete_on_termination.is_some(), minor >= 79, "{file}");
        if file.contains("detail") {
            assert_eq!(v.attachment_id.is_some(), minor >= 89, "{file}");
            assert_eq!(v.bdm_uuid.is_some(), minor >= 89, "{file}");
        }
    };
    match key {
        "interfaceAttachment" => {
            let i: InterfaceAttachment = serde_json::from_value(inner.clone()).expect(file);
            check_interface(&i);
        }
        "interfaceAttachments" => {
            let list: Vec<InterfaceAttachment> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            list.iter().for_each(check_interface);
        }
        "volumeAttachment" => {
            let v: VolumeAttachment = serde_json::from_value(inner.clone()).expect(file);
            check_volume(&v);
            if minor >= 70 {
                assert!(v.tag.is_some(), "{file}: tag");
            }
        }
        "volumeAttachments" => {
            let list: Vec<VolumeAttachment> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            list.iter().for_each(check_volume);
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Value {
        crate::types::sample_tests::reference_sample(path)
    }

    #[test]
    fn request_bodies_match_the_samples_and_report_gates() {
        let iface = AttachInterface::port("ce531f90-199f-48c0-816c-13e38010b442").tag("foo");
        assert_eq!(
            iface.to_body(),
            sample("os-attach-interfaces/v2.49/attach-interfaces-create-req.json")
        );
        let net = AttachInterface::network("3cb9bc59-5699-4588-a4b1-b87f96708bc6")
            .fixed_ip("192.168.1.3")
            .tag("public");
        assert_eq!(
            net.to_body(),
            sample("os-attach-interfaces/v2.70/attach-interfaces-create-net_id-req.json")
        );
        assert_eq!(net.field_gates()[0].field, "tag");
        let vol = AttachVolume::new("a07f71dc-8151-4e7d-a0cc-cd24a3f11113")
            .tag("foo")
            .delete_on_termination(true);
        assert_eq!(
            vol.to_body(),
            sample("os-volumes/v2.79/attach-volume-to-server-req.json")
        );
        let names: Vec<&str> = vol.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(names, ["tag", "delete_on_termination"]);
        let swap = UpdateVolumeAttachment::new("a26887c6-c47b-4654-abb5-dfadf7d3f805");
        assert_eq!(
            swap.to_body(),
            sample("os-volumes/v2.79/update-volume-req.json")
        );
        assert!(swap.field_gates().is_empty());
        assert_eq!(swap.delete_on_termination(false).field_gates().len(), 1);
    }
}
