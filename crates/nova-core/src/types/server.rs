//! The server resource as Nova returns it (show, list detail, update, rebuild responses).

use std::collections::BTreeMap;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::link::Link;
use super::string_enum::{lenient, null_as_default, string_enum};

string_enum! {
    /// The server `status`, derived by Nova from vm_state and task_state.
    #[derive(Default)]
    pub enum ServerStatus {
        /// Running.
        Active => "ACTIVE",
        /// Being built.
        Build => "BUILD",
        /// Deleted (seen only by admins listing deleted servers).
        Deleted => "DELETED",
        /// Failed; see the server `fault`.
        Error => "ERROR",
        /// Hard reboot in progress.
        HardReboot => "HARD_REBOOT",
        /// Live migration in progress.
        Migrating => "MIGRATING",
        /// Password being reset.
        Password => "PASSWORD",
        /// Paused.
        Paused => "PAUSED",
        /// Soft reboot in progress.
        Reboot => "REBOOT",
        /// Rebuild in progress.
        Rebuild => "REBUILD",
        /// In rescue mode.
        Rescue => "RESCUE",
        /// Resize or migration in progress.
        Resize => "RESIZE",
        /// Resize being reverted.
        RevertResize => "REVERT_RESIZE",
        /// Shelved.
        Shelved => "SHELVED",
        /// Shelved and offloaded from its host.
        ShelvedOffloaded => "SHELVED_OFFLOADED",
        /// Stopped.
        Shutoff => "SHUTOFF",
        /// Soft-deleted (until reclaimed).
        SoftDeleted => "SOFT_DELETED",
        /// Suspended.
        Suspended => "SUSPENDED",
        /// The wire value `UNKNOWN` (bad state, or a down cell from 2.69).
        #[default]
        UnknownState => "UNKNOWN",
        /// Resized, waiting for confirm or revert.
        VerifyResize => "VERIFY_RESIZE",
    }
}

string_enum! {
    /// `OS-EXT-STS:vm_state`.
    pub enum VmState {
        /// active
        Active => "active",
        /// building
        Building => "building",
        /// paused
        Paused => "paused",
        /// suspended
        Suspended => "suspended",
        /// stopped
        Stopped => "stopped",
        /// rescued
        Rescued => "rescued",
        /// resized
        Resized => "resized",
        /// soft-delete
        SoftDelete => "soft-delete",
        /// deleted
        Deleted => "deleted",
        /// error
        Error => "error",
        /// shelved
        Shelved => "shelved",
        /// shelved_offloaded
        ShelvedOffloaded => "shelved_offloaded",
    }
}

string_enum! {
    /// `OS-EXT-STS:task_state` (absent or null when the server is idle).
    pub enum TaskState {
        /// scheduling
        Scheduling => "scheduling",
        /// block_device_mapping
        BlockDeviceMapping => "block_device_mapping",
        /// networking
        Networking => "networking",
        /// spawning
        Spawning => "spawning",
        /// image_snapshot
        ImageSnapshot => "image_snapshot",
        /// image_snapshot_pending
        ImageSnapshotPending => "image_snapshot_pending",
        /// image_pending_upload
        ImagePendingUpload => "image_pending_upload",
        /// image_uploading
        ImageUploading => "image_uploading",
        /// image_backup
        ImageBackup => "image_backup",
        /// updating_password
        UpdatingPassword => "updating_password",
        /// resize_prep
        ResizePrep => "resize_prep",
        /// resize_migrating
        ResizeMigrating => "resize_migrating",
        /// resize_migrated
        ResizeMigrated => "resize_migrated",
        /// resize_finish
        ResizeFinish => "resize_finish",
        /// resize_reverting
        ResizeReverting => "resize_reverting",
        /// resize_confirming
        ResizeConfirming => "resize_confirming",
        /// rebooting
        Rebooting => "rebooting",
        /// reboot_pending
        RebootPending => "reboot_pending",
        /// reboot_started
        RebootStarted => "reboot_started",
        /// rebooting_hard
        RebootingHard => "rebooting_hard",
        /// reboot_pending_hard
        RebootPendingHard => "reboot_pending_hard",
        /// reboot_started_hard
        RebootStartedHard => "reboot_started_hard",
        /// pausing
        Pausing => "pausing",
        /// unpausing
        Unpausing => "unpausing",
        /// suspending
        Suspending => "suspending",
        /// resuming
        Resuming => "resuming",
        /// powering-off
        PoweringOff => "powering-off",
        /// powering-on
        PoweringOn => "powering-on",
        /// rescuing
        Rescuing => "rescuing",
        /// unrescuing
        Unrescuing => "unrescuing",
        /// rebuilding
        Rebuilding => "rebuilding",
        /// rebuild_block_device_mapping
        RebuildBlockDeviceMapping => "rebuild_block_device_mapping",
        /// rebuild_spawning
        RebuildSpawning => "rebuild_spawning",
        /// migrating
        Migrating => "migrating",
        /// deleting
        Deleting => "deleting",
        /// soft-deleting
        SoftDeleting => "soft-deleting",
        /// restoring
        Restoring => "restoring",
        /// shelving
        Shelving => "shelving",
        /// shelving_image_pending_upload
        ShelvingImagePendingUpload => "shelving_image_pending_upload",
        /// shelving_image_uploading
        ShelvingImageUploading => "shelving_image_uploading",
        /// shelving_offloading
        ShelvingOffloading => "shelving_offloading",
        /// unshelving
        Unshelving => "unshelving",
    }
}

string_enum! {
    /// `OS-DCF:diskConfig`.
    pub enum DiskConfig {
        /// The root partition is grown to the whole disk.
        Auto => "AUTO",
        /// The image's partition table is kept.
        Manual => "MANUAL",
    }
}

/// `OS-EXT-STS:power_state` (an integer on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PowerState {
    /// 0
    NoState,
    /// 1
    Running,
    /// 3
    Paused,
    /// 4
    Shutdown,
    /// 6
    Crashed,
    /// 7
    Suspended,
    /// Any other number.
    Unknown(i64),
}

impl PowerState {
    /// The wire number.
    pub fn code(self) -> i64 {
        match self {
            Self::NoState => 0,
            Self::Running => 1,
            Self::Paused => 3,
            Self::Shutdown => 4,
            Self::Crashed => 6,
            Self::Suspended => 7,
            Self::Unknown(n) => n,
        }
    }

    /// Maps a wire number.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::NoState,
            1 => Self::Running,
            3 => Self::Paused,
            4 => Self::Shutdown,
            6 => Self::Crashed,
            7 => Self::Suspended,
            n => Self::Unknown(n),
        }
    }
}

impl Serialize for PowerState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for PowerState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_code(i64::deserialize(d)?))
    }
}

/// The flavor of a server: a reference below 2.47, the embedded description from 2.47.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServerFlavor {
    /// Below 2.47: `{"id": ..., "links": [...]}`.
    Reference {
        /// The flavor id.
        id: String,
        /// Links to the flavor.
        #[serde(default, deserialize_with = "null_as_default")]
        links: Vec<Link>,
    },
    /// From 2.47: a copy of the flavor the server was built with.
    Embedded(EmbeddedFlavor),
}

impl ServerFlavor {
    /// The flavor id (only known below 2.47).
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Reference { id, .. } => Some(id),
            Self::Embedded(_) => None,
        }
    }

    /// The flavor name (only known from 2.47, as `original_name`).
    pub fn original_name(&self) -> Option<&str> {
        match self {
            Self::Reference { .. } => None,
            Self::Embedded(f) => f.original_name.as_deref(),
        }
    }
}

/// The flavor embedded in a server view from 2.47.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EmbeddedFlavor {
    /// The flavor name at boot time.
    #[serde(default, deserialize_with = "lenient")]
    pub original_name: Option<String>,
    /// Virtual CPUs.
    #[serde(default, deserialize_with = "lenient")]
    pub vcpus: Option<u64>,
    /// Memory in MiB.
    #[serde(default, deserialize_with = "lenient")]
    pub ram: Option<u64>,
    /// Root disk in GiB.
    #[serde(default, deserialize_with = "lenient")]
    pub disk: Option<u64>,
    /// Ephemeral disk in GiB.
    #[serde(default, deserialize_with = "lenient")]
    pub ephemeral: Option<u64>,
    /// Swap in MiB.
    #[serde(default, deserialize_with = "lenient")]
    pub swap: Option<u64>,
    /// Extra specs (only if policy allows).
    #[serde(default, deserialize_with = "lenient")]
    pub extra_specs: Option<BTreeMap<String, String>>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The image of a server: an object, or `""` for a server booted from a volume.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerImage {
    /// Booted from this image.
    Image(ImageRef),
    /// Booted from a volume (Nova sends `""`).
    BootedFromVolume,
}

impl ServerImage {
    /// The image id, when booted from an image.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Image(i) => Some(&i.id),
            Self::BootedFromVolume => None,
        }
    }
}

/// A server's image: id, links and (from 2.98) the image properties.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImageRef {
    /// The image id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// Links to the image.
    #[serde(default, deserialize_with = "null_as_default")]
    pub links: Vec<Link>,
    /// Image properties (2.98+).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub properties: Option<Map<String, Value>>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Serialize for ServerImage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Image(i) => i.serialize(s),
            Self::BootedFromVolume => s.serialize_str(""),
        }
    }
}

impl<'de> Deserialize<'de> for ServerImage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Object(map) => serde_json::from_value(Value::Object(map))
                .map(Self::Image)
                .map_err(serde::de::Error::custom),
            _ => Ok(Self::BootedFromVolume),
        }
    }
}

/// One address of a server on one network (decoded in `server_de.rs`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Address {
    /// The IP address.
    pub addr: String,
    /// 4 or 6.
    pub version: Option<u8>,
    /// `OS-EXT-IPS:type`: `fixed` or `floating`.
    #[serde(rename = "OS-EXT-IPS:type")]
    pub ip_type: Option<String>,
    /// `OS-EXT-IPS-MAC:mac_addr`.
    #[serde(rename = "OS-EXT-IPS-MAC:mac_addr")]
    pub mac_addr: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `fault` of a server in ERROR (or DELETED) state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fault {
    /// The HTTP-like code of the fault.
    #[serde(default, deserialize_with = "lenient")]
    pub code: Option<i64>,
    /// The fault message, e.g. "No valid host was found. ...".
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
    /// When the fault was recorded (ISO 8601).
    #[serde(default, deserialize_with = "lenient")]
    pub created: Option<String>,
    /// A traceback (admins, or code != 500).
    #[serde(default, deserialize_with = "lenient")]
    pub details: Option<String>,
}

/// A volume in `os-extended-volumes:volumes_attached`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AttachedVolume {
    /// The volume id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// Whether it is deleted with the server (2.3+).
    #[serde(default, deserialize_with = "lenient")]
    pub delete_on_termination: Option<bool>,
}

/// A security group named in a server view.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecurityGroupRef {
    /// The group name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// A server as returned by show, list detail, update and rebuild, at any microversion.
///
/// Fields that exist only from some microversion, or only for some policies, are `Option`.
/// A down-cell record (2.69+, see [`Server::is_partial`]) carries only `id`, `status`
/// (`UNKNOWN`), `created`, `tenant_id`, `links` and for show a few more keys; the other fields
/// are then empty. Unknown fields are kept in `extra`; an unexpected `null` (or, for an
/// `Option` field, a value of the wrong type) becomes the default instead of failing the
/// record. Decoding is hand-written, in one streaming pass (see `server_de.rs`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Server {
    /// The server UUID.
    pub id: String,
    /// The server name (empty for a down-cell record).
    pub name: String,
    /// The status.
    pub status: ServerStatus,
    /// The owning project.
    pub tenant_id: Option<String>,
    /// The owning user.
    pub user_id: Option<String>,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// An opaque id of the host (unique per project).
    #[serde(rename = "hostId")]
    pub host_id: Option<String>,
    /// The image, or booted from volume.
    pub image: Option<ServerImage>,
    /// The flavor (reference below 2.47, embedded from 2.47).
    pub flavor: Option<ServerFlavor>,
    /// Creation time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created: Option<String>,
    /// Last update time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub updated: Option<String>,
    /// Addresses by network name.
    pub addresses: BTreeMap<String, Vec<Address>>,
    /// `accessIPv4`.
    #[serde(rename = "accessIPv4")]
    pub access_ipv4: Option<String>,
    /// `accessIPv6`.
    #[serde(rename = "accessIPv6")]
    pub access_ipv6: Option<String>,
    /// `self` and `bookmark` links.
    pub links: Vec<Link>,
    /// `OS-DCF:diskConfig`.
    #[serde(rename = "OS-DCF:diskConfig")]
    pub disk_config: Option<DiskConfig>,
    /// Build/resize progress in percent (only in some states).
    pub progress: Option<u32>,
    /// `OS-EXT-AZ:availability_zone`.
    #[serde(rename = "OS-EXT-AZ:availability_zone")]
    pub availability_zone: Option<String>,
    /// `config_drive` (`"True"` or `""`).
    pub config_drive: Option<String>,
    /// The keypair name.
    pub key_name: Option<String>,
    /// `OS-EXT-SRV-ATTR:host` (admin).
    #[serde(rename = "OS-EXT-SRV-ATTR:host")]
    pub host: Option<String>,
    /// `OS-EXT-SRV-ATTR:hypervisor_hostname` (admin).
    #[serde(rename = "OS-EXT-SRV-ATTR:hypervisor_hostname")]
    pub hypervisor_hostname: Option<String>,
    /// `OS-EXT-SRV-ATTR:instance_name` (admin).
    #[serde(rename = "OS-EXT-SRV-ATTR:instance_name")]
    pub instance_name: Option<String>,
    /// `OS-EXT-SRV-ATTR:reservation_id` (2.3+).
    #[serde(rename = "OS-EXT-SRV-ATTR:reservation_id")]
    pub reservation_id: Option<String>,
    /// `OS-EXT-SRV-ATTR:launch_index` (2.3+).
    #[serde(rename = "OS-EXT-SRV-ATTR:launch_index")]
    pub launch_index: Option<i64>,
    /// `OS-EXT-SRV-ATTR:kernel_id` (2.3+).
    #[serde(rename = "OS-EXT-SRV-ATTR:kernel_id")]
    pub kernel_id: Option<String>,
    /// `OS-EXT-SRV-ATTR:ramdisk_id` (2.3+).
    #[serde(rename = "OS-EXT-SRV-ATTR:ramdisk_id")]
    pub ramdisk_id: Option<String>,
    /// `OS-EXT-SRV-ATTR:hostname` (2.3+; all users from 2.90).
    #[serde(rename = "OS-EXT-SRV-ATTR:hostname")]
    pub hostname: Option<String>,
    /// `OS-EXT-SRV-ATTR:root_device_name` (2.3+).
    #[serde(rename = "OS-EXT-SRV-ATTR:root_device_name")]
    pub root_device_name: Option<String>,
    /// `OS-EXT-SRV-ATTR:user_data`, base64 (2.3+).
    #[serde(rename = "OS-EXT-SRV-ATTR:user_data")]
    pub user_data: Option<String>,
    /// `OS-EXT-STS:power_state`.
    #[serde(rename = "OS-EXT-STS:power_state")]
    pub power_state: Option<PowerState>,
    /// `OS-EXT-STS:task_state` (None when idle).
    #[serde(rename = "OS-EXT-STS:task_state")]
    pub task_state: Option<TaskState>,
    /// `OS-EXT-STS:vm_state`.
    #[serde(rename = "OS-EXT-STS:vm_state")]
    pub vm_state: Option<VmState>,
    /// `os-extended-volumes:volumes_attached`.
    #[serde(rename = "os-extended-volumes:volumes_attached")]
    pub volumes_attached: Vec<AttachedVolume>,
    /// `OS-SRV-USG:launched_at` (`YYYY-MM-DDTHH:MM:SS.ffffff`, no zone).
    #[serde(rename = "OS-SRV-USG:launched_at")]
    pub launched_at: Option<String>,
    /// `OS-SRV-USG:terminated_at`.
    #[serde(rename = "OS-SRV-USG:terminated_at")]
    pub terminated_at: Option<String>,
    /// Security groups.
    pub security_groups: Vec<SecurityGroupRef>,
    /// The fault, in ERROR/DELETED state.
    pub fault: Option<Fault>,
    /// Description (2.19+).
    pub description: Option<String>,
    /// Tags (2.26+ in views from 2.26).
    pub tags: Option<Vec<String>>,
    /// Locked (2.9+).
    pub locked: Option<bool>,
    /// Lock reason (2.73+).
    pub locked_reason: Option<String>,
    /// Host status (2.16+, admin by default).
    pub host_status: Option<String>,
    /// Trusted image certificate ids (2.63+).
    pub trusted_image_certificates: Option<Vec<String>>,
    /// Server group ids (2.71+).
    pub server_groups: Option<Vec<String>>,
    /// Pinned availability zone (2.96+).
    pub pinned_availability_zone: Option<String>,
    /// Scheduler hints given at boot (2.100+).
    pub scheduler_hints: Option<Map<String, Value>>,
    /// `user_data` as echoed by a rebuild response (2.57+, base64).
    #[serde(rename = "user_data")]
    pub rebuild_user_data: Option<String>,
    /// The admin password, only in a rebuild response (never printed).
    #[serde(rename = "adminPass", skip_serializing)]
    pub admin_pass: Option<SecretString>,
    /// Fields this client does not know, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Server {
    /// True for a partial record from an unreachable cell (2.69+): status `UNKNOWN` and no name.
    pub fn is_partial(&self) -> bool {
        self.status == ServerStatus::UnknownState && self.name.is_empty()
    }

    /// The fault message, if the server has a fault.
    pub fn fault_message(&self) -> Option<&str> {
        self.fault.as_ref().map(|f| f.message.as_str())
    }
}

/// The body of a 202 answer to `POST /servers`: not a full server view.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CreatedServer {
    /// The new server's UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// Links to the server.
    #[serde(default, deserialize_with = "null_as_default")]
    pub links: Vec<Link>,
    /// The generated or given admin password (never printed).
    #[serde(rename = "adminPass", default)]
    pub admin_pass: Option<SecretString>,
    /// `OS-DCF:diskConfig`.
    #[serde(rename = "OS-DCF:diskConfig", default, deserialize_with = "lenient")]
    pub disk_config: Option<DiskConfig>,
    /// Security groups.
    #[serde(default, deserialize_with = "null_as_default")]
    pub security_groups: Vec<SecurityGroupRef>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
