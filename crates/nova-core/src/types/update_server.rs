//! `PUT /servers/{id}` and the rebuild action.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use secrecy::SecretString;

use super::create_server::PersonalityFile;
use super::field_gate::{self as gate, FieldGate};
use super::server::DiskConfig;

/// A change to a server's name, description, access IPs and more. Unset fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateServer {
    /// `name`.
    pub name: Option<String>,
    /// `description` (2.19+); `Some(None)` clears it.
    pub description: Option<Option<String>>,
    /// `accessIPv4`.
    pub access_ipv4: Option<Ipv4Addr>,
    /// `accessIPv6`.
    pub access_ipv6: Option<Ipv6Addr>,
    /// `OS-DCF:diskConfig`.
    pub disk_config: Option<DiskConfig>,
    /// `hostname` (2.90+).
    pub hostname: Option<String>,
    /// `pinned_availability_zone` (2.104+); `Some(None)` unpins.
    pub pinned_availability_zone: Option<Option<String>>,
}

impl UpdateServer {
    /// An empty update.
    pub fn new() -> Self {
        Self::default()
    }
    /// Renames the server.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// Sets the description (2.19+).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(Some(d.into()));
        self
    }
    /// Clears the description (2.19+).
    pub fn clear_description(mut self) -> Self {
        self.description = Some(None);
        self
    }
    /// Sets `accessIPv4`.
    pub fn access_ipv4(mut self, ip: Ipv4Addr) -> Self {
        self.access_ipv4 = Some(ip);
        self
    }
    /// Sets `accessIPv6`.
    pub fn access_ipv6(mut self, ip: Ipv6Addr) -> Self {
        self.access_ipv6 = Some(ip);
        self
    }
    /// Sets `OS-DCF:diskConfig`.
    pub fn disk_config(mut self, c: DiskConfig) -> Self {
        self.disk_config = Some(c);
        self
    }
    /// Sets the hostname (2.90+).
    pub fn hostname(mut self, h: impl Into<String>) -> Self {
        self.hostname = Some(h.into());
        self
    }
    /// Pins (Some) or unpins (None) the availability zone (2.104+).
    pub fn pinned_availability_zone(mut self, zone: Option<String>) -> Self {
        self.pinned_availability_zone = Some(zone);
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.description.is_some() {
            gates.push(FieldGate::new("description", &[gate::SINCE_2_19]));
        }
        if self.hostname.is_some() {
            gates.push(FieldGate::new("hostname", &[gate::SINCE_2_90]));
        }
        if self.pinned_availability_zone.is_some() {
            gates.push(FieldGate::new(
                "pinned_availability_zone",
                &[gate::SINCE_2_104],
            ));
        }
        gates
    }
}

/// The `rebuild` action: reinstall a server from an image.
#[derive(Debug, Clone, Default)]
pub struct RebuildServer {
    /// `imageRef` (required).
    pub image_ref: String,
    /// `name`.
    pub name: Option<String>,
    /// `adminPass` (never printed).
    pub admin_pass: Option<SecretString>,
    /// `metadata` (replaces the server metadata).
    pub metadata: Option<BTreeMap<String, String>>,
    /// `personality` (below 2.57).
    pub personality: Vec<PersonalityFile>,
    /// `preserve_ephemeral`.
    pub preserve_ephemeral: Option<bool>,
    /// `accessIPv4`.
    pub access_ipv4: Option<Ipv4Addr>,
    /// `accessIPv6`.
    pub access_ipv6: Option<Ipv6Addr>,
    /// `OS-DCF:diskConfig`.
    pub disk_config: Option<DiskConfig>,
    /// `description` (2.19+); `Some(None)` clears it.
    pub description: Option<Option<String>>,
    /// `key_name` (2.54+); `Some(None)` removes the keypair.
    pub key_name: Option<Option<String>>,
    /// `user_data` raw bytes (2.57+); `Some(None)` removes it.
    pub user_data: Option<Option<Vec<u8>>>,
    /// `trusted_image_certificates` (2.63+); `Some(None)` resets them.
    pub trusted_image_certificates: Option<Option<Vec<String>>>,
    /// `hostname` (2.90+).
    pub hostname: Option<String>,
}

impl RebuildServer {
    /// Rebuild from `image_ref`.
    pub fn new(image_ref: impl Into<String>) -> Self {
        Self {
            image_ref: image_ref.into(),
            ..Self::default()
        }
    }
    /// New name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// New admin password.
    pub fn admin_pass(mut self, pass: impl Into<String>) -> Self {
        self.admin_pass = Some(SecretString::from(pass.into()));
        self
    }
    /// Adds a metadata item (the set replaces the server's metadata).
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata
            .get_or_insert_with(BTreeMap::new)
            .insert(key.into(), value.into());
        self
    }
    /// Adds a personality file (below 2.57).
    pub fn personality(mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        self.personality.push(PersonalityFile {
            path: path.into(),
            contents: contents.into(),
        });
        self
    }
    /// `preserve_ephemeral`.
    pub fn preserve_ephemeral(mut self, yes: bool) -> Self {
        self.preserve_ephemeral = Some(yes);
        self
    }
    /// `accessIPv4`.
    pub fn access_ipv4(mut self, ip: Ipv4Addr) -> Self {
        self.access_ipv4 = Some(ip);
        self
    }
    /// `accessIPv6`.
    pub fn access_ipv6(mut self, ip: Ipv6Addr) -> Self {
        self.access_ipv6 = Some(ip);
        self
    }
    /// `OS-DCF:diskConfig`.
    pub fn disk_config(mut self, c: DiskConfig) -> Self {
        self.disk_config = Some(c);
        self
    }
    /// `description` (2.19+).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(Some(d.into()));
        self
    }
    /// `key_name` (2.54+).
    pub fn key_name(mut self, name: impl Into<String>) -> Self {
        self.key_name = Some(Some(name.into()));
        self
    }
    /// Removes the keypair (2.54+).
    pub fn remove_key_name(mut self) -> Self {
        self.key_name = Some(None);
        self
    }
    /// `user_data` (2.57+).
    pub fn user_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.user_data = Some(Some(data.into()));
        self
    }
    /// Removes the user data (2.57+).
    pub fn remove_user_data(mut self) -> Self {
        self.user_data = Some(None);
        self
    }
    /// Sets the trusted image certificates (2.63+).
    pub fn trusted_image_certificates(mut self, ids: Vec<String>) -> Self {
        self.trusted_image_certificates = Some(Some(ids));
        self
    }
    /// `hostname` (2.90+).
    pub fn hostname(mut self, h: impl Into<String>) -> Self {
        self.hostname = Some(h.into());
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if !self.personality.is_empty() {
            gates.push(FieldGate::new("personality", &[gate::PERSONALITY]));
        }
        if self.description.is_some() {
            gates.push(FieldGate::new("description", &[gate::SINCE_2_19]));
        }
        if self.key_name.is_some() {
            gates.push(FieldGate::new("key_name", &[gate::SINCE_2_54]));
        }
        if self.user_data.is_some() {
            gates.push(FieldGate::new("user_data", &[gate::SINCE_2_57]));
        }
        if self.trusted_image_certificates.is_some() {
            gates.push(FieldGate::new(
                "trusted_image_certificates",
                &[gate::SINCE_2_63],
            ));
        }
        if self.hostname.is_some() {
            gates.push(FieldGate::new("hostname", &[gate::SINCE_2_90]));
        }
        gates
    }
}
