//! Server actions (`POST /servers/{id}/action`) that answer with no useful body.

use super::field_gate::{self as gate, FieldGate};
use super::server::DiskConfig;
use super::string_enum::string_enum;

string_enum! {
    /// The kind of reboot.
    pub enum RebootType {
        /// Ask the guest OS to restart.
        Soft => "SOFT",
        /// Power-cycle the server.
        Hard => "HARD",
    }
}

/// An action on a server. Rebuild, create-image and rescue have their own calls because they
/// return data.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ServerAction {
    /// `reboot`.
    Reboot(RebootType),
    /// `os-start`.
    Start,
    /// `os-stop`.
    Stop,
    /// `pause`.
    Pause,
    /// `unpause`.
    Unpause,
    /// `suspend`.
    Suspend,
    /// `resume`.
    Resume,
    /// `lock`, with a reason from 2.73.
    Lock {
        /// `locked_reason` (2.73+).
        reason: Option<String>,
    },
    /// `unlock`.
    Unlock,
    /// `unrescue`.
    Unrescue,
    /// `resize`.
    Resize {
        /// `flavorRef` of the new flavor.
        flavor_ref: String,
        /// `OS-DCF:diskConfig`.
        disk_config: Option<DiskConfig>,
    },
    /// `confirmResize`.
    ConfirmResize,
    /// `revertResize`.
    RevertResize,
    /// `shelve`.
    Shelve,
    /// `shelveOffload`.
    ShelveOffload,
    /// `unshelve`.
    Unshelve {
        /// `availability_zone` (2.77+).
        availability_zone: Option<String>,
        /// `host` (2.91+).
        host: Option<String>,
    },
    /// `forceDelete` (only for soft-deleted servers).
    ForceDelete,
    /// `restore` (a soft-deleted server).
    Restore,
    /// `trigger_crash_dump` (2.17+).
    TriggerCrashDump,
    /// `os-resetState` (admin, every version): sets the server's vm_state and clears its
    /// task_state, without touching the hypervisor.
    ResetState(ResetStateTarget),
}

impl ServerAction {
    /// The action key Nova expects in the body (`{"<name>": ...}`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Reboot(_) => "reboot",
            Self::Start => "os-start",
            Self::Stop => "os-stop",
            Self::Pause => "pause",
            Self::Unpause => "unpause",
            Self::Suspend => "suspend",
            Self::Resume => "resume",
            Self::Lock { .. } => "lock",
            Self::Unlock => "unlock",
            Self::Unrescue => "unrescue",
            Self::Resize { .. } => "resize",
            Self::ConfirmResize => "confirmResize",
            Self::RevertResize => "revertResize",
            Self::Shelve => "shelve",
            Self::ShelveOffload => "shelveOffload",
            Self::Unshelve { .. } => "unshelve",
            Self::ForceDelete => "forceDelete",
            Self::Restore => "restore",
            Self::TriggerCrashDump => "trigger_crash_dump",
            Self::ResetState(_) => "os-resetState",
        }
    }

    /// The operation gate of the action itself, if it is not available at every version.
    pub fn operation_gate(&self) -> Option<crate::VersionReq> {
        match self {
            Self::TriggerCrashDump => Some(gate::SINCE_2_17),
            _ => None,
        }
    }

    /// The version-gated fields this action sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        match self {
            Self::Lock { reason: Some(_) } => {
                gates.push(FieldGate::new("locked_reason", &[gate::SINCE_2_73]));
            }
            Self::Unshelve {
                availability_zone,
                host,
            } => {
                if availability_zone.is_some() {
                    gates.push(FieldGate::new("availability_zone", &[gate::SINCE_2_77]));
                }
                if host.is_some() {
                    gates.push(FieldGate::new("host", &[gate::SINCE_2_91]));
                }
            }
            _ => {}
        }
        gates
    }
}

/// The vm_state `os-resetState` sets: Nova accepts only these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResetStateTarget {
    /// `error` (novaclient's default).
    #[default]
    Error,
    /// `active`.
    Active,
}

impl ResetStateTarget {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Active => "active",
        }
    }
}

impl ServerAction {
    /// The `{"os-resetState": {"state": ...}}` body, or `None` for another action.
    pub fn reset_state_body(&self) -> Option<serde_json::Value> {
        match self {
            Self::ResetState(state) => {
                Some(serde_json::json!({"os-resetState": {"state": state.as_str()}}))
            }
            _ => None,
        }
    }
}

/// The `createImage` action.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateImage {
    /// The snapshot image name.
    pub name: String,
    /// Image metadata.
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl CreateImage {
    /// A snapshot named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            metadata: Default::default(),
        }
    }
    /// Adds an image metadata item.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }
}

// --- Backups, passwords, security groups and floating IPs of a server ---

/// The `createBackup` action: a rotated snapshot (`backup_type` is free text, usually
/// `daily` or `weekly`; Nova keeps the newest `rotation` backups of that type).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateBackup {
    /// The backup image name.
    pub name: String,
    /// `backup_type`, e.g. `daily`.
    pub backup_type: String,
    /// How many backups of this type to keep (0 deletes them all).
    pub rotation: u32,
    /// Image metadata.
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl CreateBackup {
    /// A backup named `name` of `backup_type`, keeping `rotation` backups.
    pub fn new(name: impl Into<String>, backup_type: impl Into<String>, rotation: u32) -> Self {
        Self {
            name: name.into(),
            backup_type: backup_type.into(),
            rotation,
            metadata: Default::default(),
        }
    }

    /// Adds an image metadata item.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// The `{"createBackup": {...}}` body (`metadata` only when set).
    pub fn to_body(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), self.name.clone().into());
        m.insert("backup_type".into(), self.backup_type.clone().into());
        m.insert("rotation".into(), self.rotation.into());
        if !self.metadata.is_empty() {
            m.insert(
                "metadata".into(),
                serde_json::to_value(&self.metadata).unwrap_or_default(),
            );
        }
        serde_json::json!({ "createBackup": m })
    }
}

/// The `addFloatingIp` / `removeFloatingIp` actions exist up to 2.43 (removed with the
/// proxy APIs in 2.44).
pub const FLOATING_IP_ACTIONS: crate::VersionReq =
    crate::VersionReq::below(crate::MicroVersion::new(2, 44));

/// A security group as `GET /servers/{id}/os-security-groups` lists it.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ServerSecurityGroup {
    /// The group id (a UUID with Neutron; an integer from old nova-network clouds, kept
    /// as its decimal text).
    #[serde(default, deserialize_with = "id_text")]
    pub id: String,
    /// The group name.
    #[serde(default, deserialize_with = "super::string_enum::null_as_default")]
    pub name: String,
    /// The description.
    #[serde(default, deserialize_with = "super::string_enum::lenient")]
    pub description: Option<String>,
    /// The owning project.
    #[serde(default, deserialize_with = "super::string_enum::lenient")]
    pub tenant_id: Option<String>,
    /// The rules, as Nova shows them.
    #[serde(default, deserialize_with = "super::string_enum::null_as_default")]
    pub rules: Vec<serde_json::Value>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A string, or a number as its text; `null` or another shape is empty.
fn id_text<'de, D>(d: D) -> Result<String, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(match value {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

// --- Addresses of a server by network (`GET /servers/{id}/ips[/{network}]`) ---

/// One address as `GET /servers/{id}/ips` shows it (no MAC or type, unlike the server's
/// `addresses`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct NetworkAddress {
    /// The IP address.
    #[serde(default, deserialize_with = "super::string_enum::null_as_default")]
    pub addr: String,
    /// 4 or 6 (0 when absent).
    #[serde(default, deserialize_with = "super::string_enum::null_as_default")]
    pub version: u8,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Checks the reference samples of a server's password and security group listing: `true`
/// when `key` was one of them (and the sample passed).
#[cfg(test)]
pub(crate) fn check_admin_sample(key: &str, inner: &serde_json::Value, file: &str) -> bool {
    match key {
        "password" => {
            let text = inner
                .as_str()
                .unwrap_or_else(|| panic!("{file}: password text"));
            assert!(!text.is_empty(), "{file}: password");
            true
        }
        "security_groups" => {
            let groups: Vec<ServerSecurityGroup> =
                serde_json::from_value(inner.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!groups.is_empty(), "{file}: groups");
            for g in &groups {
                assert!(
                    !g.id.is_empty() && !g.name.is_empty(),
                    "{file}: id and name"
                );
                assert!(
                    g.extra.is_empty(),
                    "{file}: untyped group fields {:?}",
                    g.extra.keys().collect::<Vec<_>>()
                );
            }
            true
        }
        // server-ips: `{"addresses": {label: [...]}}` and `{label: [...]}`
        "addresses" if file.contains("server-ips") => {
            let nets: std::collections::BTreeMap<String, Vec<NetworkAddress>> =
                serde_json::from_value(inner.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!nets.is_empty(), "{file}: networks");
            nets.values().for_each(|list| check_addresses(list, file));
            true
        }
        // server-metadata: `{"metadata": {key: value}}` (string values only)
        "metadata" if file.contains("server-metadata") => {
            let items: std::collections::BTreeMap<String, String> =
                serde_json::from_value(inner.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!items.is_empty(), "{file}: items");
            true
        }
        _ if file.contains("server-ips-network") => {
            let list: Vec<NetworkAddress> =
                serde_json::from_value(inner.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            check_addresses(&list, file);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
fn check_addresses(list: &[NetworkAddress], file: &str) {
    assert!(!list.is_empty(), "{file}: addresses");
    for a in list {
        assert!(a.addr.parse::<std::net::IpAddr>().is_ok(), "{file}: addr");
        assert!(a.version == 4 || a.version == 6, "{file}: version");
        assert!(a.extra.is_empty(), "{file}: untyped {:?}", a.extra);
    }
}

#[cfg(test)]
mod admin_action_tests {
    use super::*;

    #[test]
    fn backup_body_matches_the_request_sample() {
        let body = CreateBackup::new("Backup 1", "daily", 1).to_body();
        assert_eq!(
            body,
            serde_json::json!({"createBackup": {"name": "Backup 1", "backup_type": "daily",
                "rotation": 1}})
        );
        let with_meta = CreateBackup::new("b", "weekly", 0)
            .metadata("k", "v")
            .to_body();
        assert_eq!(with_meta["createBackup"]["metadata"]["k"], "v");
        assert_eq!(with_meta["createBackup"]["rotation"], 0);
    }

    #[test]
    fn reset_state_body_is_novas_and_defaults_to_error() {
        let action = ServerAction::ResetState(ResetStateTarget::default());
        assert_eq!(action.name(), "os-resetState");
        assert_eq!(
            action.reset_state_body(),
            Some(serde_json::json!({"os-resetState": {"state": "error"}}))
        );
        let active = ServerAction::ResetState(ResetStateTarget::Active);
        assert_eq!(
            active.reset_state_body(),
            Some(serde_json::json!({"os-resetState": {"state": "active"}}))
        );
        assert!(active.operation_gate().is_none() && active.field_gates().is_empty());
        assert!(ServerAction::Stop.reset_state_body().is_none());
    }

    #[test]
    fn security_group_listing_is_tolerant() {
        let g: ServerSecurityGroup = serde_json::from_value(serde_json::json!({
            "id": 1, "name": "default", "description": null, "rules": null, "new": 1}))
        .expect("group");
        assert_eq!(g.id, "1");
        assert_eq!(g.name, "default");
        assert!(g.description.is_none() && g.rules.is_empty());
        assert_eq!(g.extra.len(), 1);
    }
}
