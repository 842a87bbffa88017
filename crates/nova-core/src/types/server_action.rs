//! Server actions (`POST /servers/{id}/action`) that answer with no useful body.

use secrecy::SecretString;

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

/// An action on a server. Rebuild and create-image have their own calls because they
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
    /// `rescue`.
    Rescue {
        /// `adminPass` for the rescue image (never printed).
        admin_pass: Option<SecretString>,
        /// `rescue_image_ref`.
        image_ref: Option<String>,
    },
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
            Self::Rescue { .. } => "rescue",
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
        }
    }

    /// The operation gate of the action itself, if it is not available at every version.
    pub fn operation_gate(&self) -> Option<&'static str> {
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
