//! The request to boot a server (`POST /servers`), with every parameter Horizon and
//! novaclient pass.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use secrecy::SecretString;
use serde_json::{Map, Value};

use super::field_gate::{self as gate, FieldGate};
use super::server::DiskConfig;
use super::string_enum::string_enum;

/// What to boot: `CreateServer::new(name, flavor)` plus chained setters.
///
/// Every field is plain typed data; which microversions accept which field is reported by
/// [`CreateServer::field_gates`] so a client can refuse before sending anything.
#[derive(Debug, Clone, Default)]
pub struct CreateServer {
    /// `name`.
    pub name: String,
    /// `flavorRef`: a flavor id or URL.
    pub flavor_ref: String,
    /// `imageRef`: an image id or URL (omit when booting from a volume).
    pub image_ref: Option<String>,
    /// `metadata`.
    pub metadata: BTreeMap<String, String>,
    /// `personality` files (below 2.57).
    pub personality: Vec<PersonalityFile>,
    /// `min_count`.
    pub min_count: Option<u32>,
    /// `max_count`.
    pub max_count: Option<u32>,
    /// `security_groups`, by name.
    pub security_groups: Vec<String>,
    /// `user_data`, raw bytes (base64-encoded when sent).
    pub user_data: Option<Vec<u8>>,
    /// `key_name`.
    pub key_name: Option<String>,
    /// `availability_zone`, also `zone:host` or `zone:host:node` (admin) or `zone::node`.
    pub availability_zone: Option<String>,
    /// `block_device_mapping` (the legacy format).
    pub block_device_mapping: Vec<BlockDeviceMapping>,
    /// `block_device_mapping_v2`.
    pub block_device_mapping_v2: Vec<BlockDeviceMappingV2>,
    /// `networks` (required by Nova from 2.37).
    pub networks: Option<Networks>,
    /// `os:scheduler_hints` (a top-level key beside `server`).
    pub scheduler_hints: Option<SchedulerHints>,
    /// `config_drive`.
    pub config_drive: Option<bool>,
    /// `OS-DCF:diskConfig`.
    pub disk_config: Option<DiskConfig>,
    /// `adminPass` (never printed).
    pub admin_pass: Option<SecretString>,
    /// `accessIPv4`.
    pub access_ipv4: Option<Ipv4Addr>,
    /// `accessIPv6`.
    pub access_ipv6: Option<Ipv6Addr>,
    /// `description` (2.19+).
    pub description: Option<String>,
    /// `tags` (2.52+).
    pub tags: Vec<String>,
    /// `trusted_image_certificates` (2.63+).
    pub trusted_image_certificates: Vec<String>,
    /// `host` (2.74+, admin).
    pub host: Option<String>,
    /// `hypervisor_hostname` (2.74+, admin).
    pub hypervisor_hostname: Option<String>,
    /// `hostname` (2.90+).
    pub hostname: Option<String>,
}

/// A file injected into the server (below 2.57).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonalityFile {
    /// Absolute path in the guest.
    pub path: String,
    /// Raw contents (base64-encoded when sent).
    pub contents: Vec<u8>,
}

/// A legacy block device mapping entry (`block_device_mapping`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockDeviceMapping {
    /// `device_name`, e.g. `vda`.
    pub device_name: String,
    /// `volume_id` (boot from this volume).
    pub volume_id: Option<String>,
    /// `snapshot_id` (create a volume from this snapshot).
    pub snapshot_id: Option<String>,
    /// `volume_size` in GiB.
    pub volume_size: Option<u64>,
    /// `delete_on_termination`.
    pub delete_on_termination: Option<bool>,
    /// `no_device`: suppress this device.
    pub no_device: bool,
}

string_enum! {
    /// `source_type` of a block device mapping.
    pub enum BdmSourceType {
        /// An existing volume.
        Volume => "volume",
        /// A volume snapshot.
        Snapshot => "snapshot",
        /// An image.
        Image => "image",
        /// A blank device.
        Blank => "blank",
    }
}

string_enum! {
    /// `destination_type` of a block device mapping.
    pub enum BdmDestinationType {
        /// A Cinder volume.
        Volume => "volume",
        /// Local (ephemeral) disk on the hypervisor.
        Local => "local",
    }
}

/// A `block_device_mapping_v2` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDeviceMappingV2 {
    /// `source_type`.
    pub source_type: BdmSourceType,
    /// `destination_type`.
    pub destination_type: Option<BdmDestinationType>,
    /// `uuid` of the source volume, snapshot or image.
    pub uuid: Option<String>,
    /// `boot_index` (0 is the boot device; -1 or None: not bootable).
    pub boot_index: Option<i32>,
    /// `volume_size` in GiB.
    pub volume_size: Option<u64>,
    /// `delete_on_termination`.
    pub delete_on_termination: Option<bool>,
    /// `device_name`.
    pub device_name: Option<String>,
    /// `device_type` (`disk`, `cdrom`, ...).
    pub device_type: Option<String>,
    /// `disk_bus` (`virtio`, `scsi`, ...).
    pub disk_bus: Option<String>,
    /// `guest_format` (`swap`, `ext4`, ...).
    pub guest_format: Option<String>,
    /// `no_device`.
    pub no_device: bool,
    /// `tag` (2.32, and 2.42+).
    pub tag: Option<String>,
    /// `volume_type` (2.67+).
    pub volume_type: Option<String>,
}

impl BlockDeviceMappingV2 {
    /// A mapping from `source_type`, everything else unset.
    pub fn new(source_type: BdmSourceType) -> Self {
        Self {
            source_type,
            destination_type: None,
            uuid: None,
            boot_index: None,
            volume_size: None,
            delete_on_termination: None,
            device_name: None,
            device_type: None,
            disk_bus: None,
            guest_format: None,
            no_device: false,
            tag: None,
            volume_type: None,
        }
    }

    /// Boot from a new volume created from `image_id` (what Horizon's "Create New Volume" does).
    pub fn boot_volume_from_image(image_id: impl Into<String>, size_gib: u64) -> Self {
        Self::new(BdmSourceType::Image)
            .uuid(image_id)
            .destination_type(BdmDestinationType::Volume)
            .volume_size(size_gib)
            .boot_index(0)
    }

    /// Boot from an existing volume.
    pub fn boot_from_volume(volume_id: impl Into<String>) -> Self {
        Self::new(BdmSourceType::Volume)
            .uuid(volume_id)
            .destination_type(BdmDestinationType::Volume)
            .boot_index(0)
    }

    /// Sets `uuid`.
    pub fn uuid(mut self, uuid: impl Into<String>) -> Self {
        self.uuid = Some(uuid.into());
        self
    }
    /// Sets `destination_type`.
    pub fn destination_type(mut self, d: BdmDestinationType) -> Self {
        self.destination_type = Some(d);
        self
    }
    /// Sets `boot_index`.
    pub fn boot_index(mut self, i: i32) -> Self {
        self.boot_index = Some(i);
        self
    }
    /// Sets `volume_size` (GiB).
    pub fn volume_size(mut self, gib: u64) -> Self {
        self.volume_size = Some(gib);
        self
    }
    /// Sets `delete_on_termination`.
    pub fn delete_on_termination(mut self, yes: bool) -> Self {
        self.delete_on_termination = Some(yes);
        self
    }
    /// Sets `device_name`.
    pub fn device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = Some(name.into());
        self
    }
    /// Sets `device_type`.
    pub fn device_type(mut self, t: impl Into<String>) -> Self {
        self.device_type = Some(t.into());
        self
    }
    /// Sets `disk_bus`.
    pub fn disk_bus(mut self, bus: impl Into<String>) -> Self {
        self.disk_bus = Some(bus.into());
        self
    }
    /// Sets `guest_format`.
    pub fn guest_format(mut self, f: impl Into<String>) -> Self {
        self.guest_format = Some(f.into());
        self
    }
    /// Sets `no_device`.
    pub fn no_device(mut self, yes: bool) -> Self {
        self.no_device = yes;
        self
    }
    /// Sets `tag` (2.32, 2.42+).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }
    /// Sets `volume_type` (2.67+).
    pub fn volume_type(mut self, t: impl Into<String>) -> Self {
        self.volume_type = Some(t.into());
        self
    }
}

/// The `networks` of a create request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Networks {
    /// `"auto"`: Nova allocates a network (2.37+).
    Auto,
    /// `"none"`: no network (2.37+).
    None,
    /// Explicit networks and ports.
    List(Vec<NetworkSpec>),
}

/// One entry of an explicit `networks` list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkSpec {
    /// `uuid`: a network id.
    pub uuid: Option<String>,
    /// `port`: a port id.
    pub port: Option<String>,
    /// `fixed_ip`: an IPv4 or IPv6 address on the network.
    pub fixed_ip: Option<IpAddr>,
    /// `tag` (2.32-2.36 and 2.42+).
    pub tag: Option<String>,
}

impl NetworkSpec {
    /// Attach to network `net_id`.
    pub fn network(net_id: impl Into<String>) -> Self {
        Self {
            uuid: Some(net_id.into()),
            ..Self::default()
        }
    }
    /// Attach port `port_id`.
    pub fn port(port_id: impl Into<String>) -> Self {
        Self {
            port: Some(port_id.into()),
            ..Self::default()
        }
    }
    /// Request this fixed IP.
    pub fn fixed_ip(mut self, ip: IpAddr) -> Self {
        self.fixed_ip = Some(ip);
        self
    }
    /// Sets the device `tag`.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }
}

/// Scheduler hints (`os:scheduler_hints`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchedulerHints {
    /// `group`: a server group id.
    pub group: Option<String>,
    /// `same_host`: server ids.
    pub same_host: Vec<String>,
    /// `different_host`: server ids.
    pub different_host: Vec<String>,
    /// `different_cell`: cell names.
    pub different_cell: Vec<String>,
    /// `query`: a JSON filter expression.
    pub query: Option<String>,
    /// `target_cell`.
    pub target_cell: Option<String>,
    /// `build_near_host_ip`.
    pub build_near_host_ip: Option<IpAddr>,
    /// `cidr`, e.g. `/24`.
    pub cidr: Option<String>,
    /// Other hints, sent as given.
    pub other: Map<String, Value>,
}

impl SchedulerHints {
    /// Place the server in server group `group_id`.
    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.group = Some(group_id.into());
        self
    }
    /// Place on the same host as `server_id`.
    pub fn same_host(mut self, server_id: impl Into<String>) -> Self {
        self.same_host.push(server_id.into());
        self
    }
    /// Place on a different host from `server_id`.
    pub fn different_host(mut self, server_id: impl Into<String>) -> Self {
        self.different_host.push(server_id.into());
        self
    }
    /// Adds another hint.
    pub fn other(mut self, key: impl Into<String>, value: Value) -> Self {
        self.other.insert(key.into(), value);
        self
    }
}

impl CreateServer {
    /// A server named `name` of flavor `flavor_ref` (id or URL); everything else unset.
    pub fn new(name: impl Into<String>, flavor_ref: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            flavor_ref: flavor_ref.into(),
            ..Self::default()
        }
    }

    /// `imageRef`.
    pub fn image(mut self, image_ref: impl Into<String>) -> Self {
        self.image_ref = Some(image_ref.into());
        self
    }
    /// Adds one `metadata` item.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }
    /// Adds a `personality` file (below 2.57).
    pub fn personality(mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        self.personality.push(PersonalityFile {
            path: path.into(),
            contents: contents.into(),
        });
        self
    }
    /// `min_count`.
    pub fn min_count(mut self, n: u32) -> Self {
        self.min_count = Some(n);
        self
    }
    /// `max_count`.
    pub fn max_count(mut self, n: u32) -> Self {
        self.max_count = Some(n);
        self
    }
    /// Adds a security group by name.
    pub fn security_group(mut self, name: impl Into<String>) -> Self {
        self.security_groups.push(name.into());
        self
    }
    /// `user_data` as raw bytes (we base64-encode them).
    pub fn user_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.user_data = Some(data.into());
        self
    }
    /// `key_name`.
    pub fn key_name(mut self, name: impl Into<String>) -> Self {
        self.key_name = Some(name.into());
        self
    }
    /// `availability_zone` (also `zone:host:node`).
    pub fn availability_zone(mut self, zone: impl Into<String>) -> Self {
        self.availability_zone = Some(zone.into());
        self
    }
    /// `availability_zone` as `zone:host` or `zone:host:node` (admin placement).
    pub fn availability_zone_on(
        mut self,
        zone: impl Into<String>,
        host: impl Into<String>,
        node: Option<String>,
    ) -> Self {
        let mut value = format!("{}:{}", zone.into(), host.into());
        if let Some(node) = node {
            value.push(':');
            value.push_str(&node);
        }
        self.availability_zone = Some(value);
        self
    }
    /// Adds a legacy `block_device_mapping` entry.
    pub fn block_device_mapping(mut self, bdm: BlockDeviceMapping) -> Self {
        self.block_device_mapping.push(bdm);
        self
    }
    /// Adds a `block_device_mapping_v2` entry.
    pub fn block_device_mapping_v2(mut self, bdm: BlockDeviceMappingV2) -> Self {
        self.block_device_mapping_v2.push(bdm);
        self
    }
    /// `networks`.
    pub fn networks(mut self, networks: Networks) -> Self {
        self.networks = Some(networks);
        self
    }
    /// Adds one explicit network entry (switching to [`Networks::List`]).
    pub fn network(mut self, spec: NetworkSpec) -> Self {
        match &mut self.networks {
            Some(Networks::List(list)) => list.push(spec),
            _ => self.networks = Some(Networks::List(vec![spec])),
        }
        self
    }
    /// `os:scheduler_hints`.
    pub fn scheduler_hints(mut self, hints: SchedulerHints) -> Self {
        self.scheduler_hints = Some(hints);
        self
    }
    /// `config_drive`.
    pub fn config_drive(mut self, yes: bool) -> Self {
        self.config_drive = Some(yes);
        self
    }
    /// `OS-DCF:diskConfig`.
    pub fn disk_config(mut self, c: DiskConfig) -> Self {
        self.disk_config = Some(c);
        self
    }
    /// `adminPass`.
    pub fn admin_pass(mut self, pass: impl Into<String>) -> Self {
        self.admin_pass = Some(SecretString::from(pass.into()));
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
    /// `description` (2.19+).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Adds a tag (2.52+).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }
    /// Adds a trusted image certificate id (2.63+).
    pub fn trusted_image_certificate(mut self, id: impl Into<String>) -> Self {
        self.trusted_image_certificates.push(id.into());
        self
    }
    /// `host` (2.74+).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }
    /// `hypervisor_hostname` (2.74+).
    pub fn hypervisor_hostname(mut self, node: impl Into<String>) -> Self {
        self.hypervisor_hostname = Some(node.into());
        self
    }
    /// `hostname` (2.90+).
    pub fn hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = Some(hostname.into());
        self
    }

    /// The version-gated fields this request sets, each with the versions that accept it.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if !self.personality.is_empty() {
            gates.push(FieldGate::new("personality", &[gate::PERSONALITY]));
        }
        if self.description.is_some() {
            gates.push(FieldGate::new("description", &[gate::SINCE_2_19]));
        }
        if matches!(self.networks, Some(Networks::Auto)) {
            gates.push(FieldGate::new("networks=auto", &[gate::SINCE_2_37]));
        }
        if matches!(self.networks, Some(Networks::None)) {
            gates.push(FieldGate::new("networks=none", &[gate::SINCE_2_37]));
        }
        if let Some(Networks::List(list)) = &self.networks
            && list.iter().any(|n| n.tag.is_some())
        {
            gates.push(FieldGate::new(
                "networks[].tag",
                &[gate::NET_TAG_OLD, gate::SINCE_2_42],
            ));
        }
        if self.block_device_mapping_v2.iter().any(|b| b.tag.is_some()) {
            gates.push(FieldGate::new(
                "block_device_mapping_v2[].tag",
                &[gate::ONLY_2_32, gate::SINCE_2_42],
            ));
        }
        if self
            .block_device_mapping_v2
            .iter()
            .any(|b| b.volume_type.is_some())
        {
            gates.push(FieldGate::new(
                "block_device_mapping_v2[].volume_type",
                &[gate::SINCE_2_67],
            ));
        }
        if !self.tags.is_empty() {
            gates.push(FieldGate::new("tags", &[gate::SINCE_2_52]));
        }
        if !self.trusted_image_certificates.is_empty() {
            gates.push(FieldGate::new(
                "trusted_image_certificates",
                &[gate::SINCE_2_63],
            ));
        }
        if self.host.is_some() {
            gates.push(FieldGate::new("host", &[gate::SINCE_2_74]));
        }
        if self.hypervisor_hostname.is_some() {
            gates.push(FieldGate::new("hypervisor_hostname", &[gate::SINCE_2_74]));
        }
        if self.hostname.is_some() {
            gates.push(FieldGate::new("hostname", &[gate::SINCE_2_90]));
        }
        gates
    }
}
