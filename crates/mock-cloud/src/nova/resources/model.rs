//! The records the mock keeps in memory: servers, flavors, images, keypairs.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::config::FlavorSeed;
use super::servers::state::{PowerState, TaskState, VmState};

/// A flavor as stored (and as copied into a server).
#[derive(Debug, Clone)]
pub struct Flavor {
    /// Flavor id.
    pub id: String,
    /// Flavor name.
    pub name: String,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// RAM in MiB.
    pub ram: u32,
    /// Root disk in GiB.
    pub disk: u32,
    /// Ephemeral disk in GiB.
    pub ephemeral: u32,
    /// Swap in MiB.
    pub swap: u32,
    /// Description (2.55+).
    pub description: Option<String>,
    /// Extra specs.
    pub extra_specs: BTreeMap<String, String>,
    /// `os-flavor-access:is_public` (private flavors are created through the admin API).
    pub is_public: bool,
}

impl From<&FlavorSeed> for Flavor {
    fn from(s: &FlavorSeed) -> Self {
        Self {
            id: s.id.clone(),
            name: s.name.clone(),
            vcpus: s.vcpus,
            ram: s.ram,
            disk: s.disk,
            ephemeral: s.ephemeral,
            swap: s.swap,
            description: s.description.clone(),
            extra_specs: s.extra_specs.clone(),
            is_public: true,
        }
    }
}

/// An image (the mock's stand-in for Glance).
#[derive(Debug, Clone)]
pub struct Image {
    /// Image UUID.
    pub id: String,
    /// Image name.
    pub name: String,
    /// Image properties (shown inside server views from 2.98).
    pub properties: BTreeMap<String, String>,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Server the image was snapshotted from (createImage).
    pub server_id: Option<String>,
    /// The project owning the image (a snapshot's or backup's; `None`: public seed).
    pub owner: Option<String>,
}

/// A keypair.
#[derive(Debug, Clone)]
pub struct Keypair {
    /// Keypair name (unique per user).
    pub name: String,
    /// Owner.
    pub user_id: String,
    /// `ssh` or `x509`.
    pub key_type: String,
    /// Public key text.
    pub public_key: String,
    /// Fingerprint (colon-separated hex).
    pub fingerprint: String,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Numeric id (shown in GET at some versions).
    pub id: u64,
}

/// A fault record on a server in ERROR.
#[derive(Debug, Clone)]
pub struct Fault {
    /// HTTP-like code (500 for boot failures).
    pub code: u16,
    /// Human message.
    pub message: String,
    /// When it happened.
    pub created: DateTime<Utc>,
    /// Traceback-ish details (shown to admins, or when code != 500).
    pub details: String,
}

/// One fixed IP of a server.
#[derive(Debug, Clone)]
pub struct Address {
    /// Network name (the key under `addresses`).
    pub network: String,
    /// Network id.
    pub network_id: String,
    /// Port id.
    pub port_id: String,
    /// IP address.
    pub addr: String,
    /// MAC address.
    pub mac: String,
    /// 4 or 6.
    pub version: u8,
    /// Device tag given at boot (2.32 / 2.42+).
    pub tag: Option<String>,
}

/// One attached volume.
#[derive(Debug, Clone)]
pub struct VolumeAttachment {
    /// Volume id.
    pub volume_id: String,
    /// Device name, e.g. `/dev/vda`.
    pub device: String,
    /// Whether the volume goes away with the server.
    pub delete_on_termination: bool,
    /// Device tag.
    pub tag: Option<String>,
    /// Attachment id (2.89+).
    pub attachment_id: String,
    /// Block device mapping uuid (2.89+).
    pub bdm_uuid: String,
}

/// What a server turns into when its pending transition resolves.
#[derive(Debug, Clone)]
pub enum Settle {
    /// Reach this vm_state with no task; power state follows the vm_state.
    To(VmState),
    /// Boot failed: ERROR with this fault message.
    Fail(String),
    /// The server disappears (delete finished).
    Remove,
    /// Go on with task `task` for `polls` more GETs, then settle as `then` (a move's steps).
    Next {
        /// The next task state.
        task: TaskState,
        /// GETs it stays visible.
        polls: u32,
        /// What follows it.
        then: Box<Settle>,
    },
    /// Land on compute host `host` (hypervisor `node`), then settle as `then` (a move's end).
    OnHost {
        /// The new compute host.
        host: Arc<str>,
        /// The new hypervisor hostname.
        node: Arc<str>,
        /// The state reached there.
        then: Box<Settle>,
    },
}

/// A transition that resolves after some more `GET /servers/{id}`.
#[derive(Debug, Clone)]
pub struct Pending {
    /// GETs that still see the transitional state.
    pub polls_left: u32,
    /// The end state.
    pub settle: Settle,
}

/// A server record.
#[derive(Debug, Clone)]
pub struct Server {
    /// UUID.
    pub id: String,
    /// Insertion sequence (default sort order, newest first).
    pub seq: u64,
    /// Name.
    pub name: String,
    /// Owning project.
    pub project_id: String,
    /// Owning user.
    pub user_id: String,
    /// Current flavor.
    pub flavor: Arc<Flavor>,
    /// Flavor before a resize, kept until confirm or revert.
    pub old_flavor: Option<Arc<Flavor>>,
    /// vm_state before a resize (active or stopped).
    pub pre_resize_state: VmState,
    /// Image id; `None` when booted from volume.
    pub image_id: Option<String>,
    /// For a volume-backed server: the image its root volume was made from.
    pub root_volume_image: Option<String>,
    /// vm_state.
    pub vm_state: VmState,
    /// task_state.
    pub task_state: Option<TaskState>,
    /// power_state.
    pub power_state: PowerState,
    /// 0-100.
    pub progress: u8,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// Tags (kept sorted, unique).
    pub tags: Vec<String>,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Last change.
    pub updated: DateTime<Utc>,
    /// When it first became active.
    pub launched_at: Option<DateTime<Utc>>,
    /// accessIPv4 ("" when unset).
    pub access_ipv4: String,
    /// accessIPv6 ("" when unset).
    pub access_ipv6: String,
    /// AUTO or MANUAL.
    pub disk_config: String,
    /// Availability zone.
    pub availability_zone: Arc<str>,
    /// Keypair name.
    pub key_name: Option<String>,
    /// "" or "True".
    pub config_drive: String,
    /// Security group names.
    pub security_groups: Vec<String>,
    /// Fixed IPs.
    pub addresses: Vec<Address>,
    /// Floating IPs added by `addFloatingIp` (below 2.44): (floating, fixed) addresses.
    pub floating_ips: Vec<(String, String)>,
    /// Attached volumes.
    pub volumes: Vec<VolumeAttachment>,
    /// base64 user data.
    pub user_data: Option<String>,
    /// Guest hostname.
    pub hostname: String,
    /// Compute host.
    pub host: Option<Arc<str>>,
    /// Hypervisor hostname.
    pub hypervisor_hostname: Option<Arc<str>>,
    /// Reservation id (`r-xxxxxxxx`).
    pub reservation_id: String,
    /// Index within a multi-create.
    pub launch_index: u32,
    /// Description (2.19+).
    pub description: Option<String>,
    /// Locked flag.
    pub locked: bool,
    /// Lock reason (2.73+).
    pub locked_reason: Option<String>,
    /// Trusted image certificates (2.63+).
    pub trusted_image_certificates: Option<Vec<String>>,
    /// Scheduler hints given at boot (shown 2.100+).
    pub scheduler_hints: serde_json::Map<String, Value>,
    /// Server group ids (shown 2.71+).
    pub server_groups: Vec<String>,
    /// AZ pinned at boot (shown 2.96+).
    pub pinned_availability_zone: Option<String>,
    /// Fault (ERROR only).
    pub fault: Option<Fault>,
    /// Transition in progress.
    pub pending: Option<Pending>,
    /// Whether DELETE was accepted (task_state deleting until gone).
    pub deleting: bool,
}

impl Server {
    /// The API status.
    pub fn status(&self) -> &'static str {
        super::servers::state::status_of(self.vm_state, self.task_state)
    }

    /// libvirt-style instance name (`instance-<seq as 8 hex digits>`).
    pub fn instance_name(&self) -> String {
        format!("instance-{:08x}", self.seq)
    }

    /// Start a transition that resolves after `polls` more GETs.
    pub fn begin(&mut self, task: TaskState, polls: u32, settle: Settle, now: DateTime<Utc>) {
        self.task_state = Some(task);
        self.pending = Some(Pending {
            polls_left: polls,
            settle,
        });
        self.updated = now;
    }

    /// Apply the pending transition if its GETs are used up; else count one GET.
    /// Returns `false` when the server must be removed.
    pub fn poll(&mut self, now: DateTime<Utc>) -> bool {
        let Some(p) = self.pending.as_mut() else {
            return true;
        };
        if p.polls_left > 0 {
            p.polls_left -= 1;
            if self.vm_state == VmState::Building {
                self.progress = self.progress.saturating_add(30).min(90);
            }
            return true;
        }
        let settle = p.settle.clone();
        self.pending = None;
        self.settle(settle, now)
    }

    /// Reach the end state of a transition at once. Returns `false` for removal.
    pub fn settle(&mut self, settle: Settle, now: DateTime<Utc>) -> bool {
        self.task_state = None;
        self.updated = now;
        match settle {
            Settle::To(vm) => {
                if self.vm_state == VmState::Building {
                    self.launched_at = Some(now);
                }
                self.vm_state = vm;
                self.power_state = vm.resting_power_state();
                self.progress = if vm == VmState::Active || vm == VmState::Resized {
                    100
                } else {
                    0
                };
                if vm != VmState::Error {
                    self.fault = None;
                }
                true
            }
            Settle::Fail(message) => {
                self.vm_state = VmState::Error;
                self.power_state = PowerState::NoState;
                self.progress = 0;
                self.fault = Some(Fault {
                    code: 500,
                    message,
                    created: now,
                    details: "Traceback (most recent call last):\n  File \"mock\", in _build_and_run_instance\nnova.exception.RescheduledException".into(),
                });
                true
            }
            Settle::Remove => false,
            Settle::Next { task, polls, then } => {
                self.begin(task, polls, *then, now);
                true
            }
            Settle::OnHost { host, node, then } => {
                self.host = Some(host);
                self.hypervisor_hostname = Some(node);
                self.settle(*then, now)
            }
        }
    }
}
