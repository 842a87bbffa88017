//! Compute resource types (servers, flavors, keypairs, ...), shaped like Nova's v2.1 JSON.
//!
//! Response types keep unknown fields in `extra`, map unknown enum values to `Unknown(..)`
//! and read an unexpected `null` as "absent", so a newer Nova never breaks a client.
//! Request types are plain data with chained setters; each reports the version-gated fields
//! it sets through `field_gates()`.

mod aggregate;
mod attachments;
mod availability_zone;
mod console;
mod create_server;
mod diagnostics;
mod evacuate;
mod field_gate;
mod flavor;
mod flavor_admin;
mod hypervisor;
mod instance_action;
mod keypair;
mod limits;
mod link;
mod migration;
mod page;
mod quota;
mod server;
mod server_action;
mod server_de;
mod server_group;
mod server_move;
mod server_query;
mod service;
mod string_enum;
mod update_server;
mod usage;
mod usage_audit;

#[allow(unused_imports)]
pub use aggregate::*;
pub use attachments::{
    AttachInterface, AttachVolume, FixedIp, InterfaceAttachment, UpdateVolumeAttachment,
    VolumeAttachment,
};
pub use availability_zone::{AvailabilityZone, ZoneService, ZoneState};
#[allow(unused_imports)]
pub use console::*;
pub use create_server::{
    BdmDestinationType, BdmSourceType, BlockDeviceMapping, BlockDeviceMappingV2, CreateServer,
    NetworkSpec, Networks, PersonalityFile, SchedulerHints,
};
#[allow(unused_imports)]
pub use diagnostics::*;
pub use evacuate::{EvacuateResult, EvacuateServer};
pub use field_gate::{FieldGate, OperationGate};
pub use flavor::{Flavor, FlavorQuery, FlavorSummary, FlavorVisibility};
pub use flavor_admin::{CreateFlavor, ExtraSpecs, FLAVOR_DESCRIPTION, FlavorAccess};
#[allow(unused_imports)]
pub use hypervisor::*;
#[allow(unused_imports)]
pub use instance_action::*;
pub use keypair::{CreateKeypair, Keypair, KeypairQuery, KeypairType};
pub use limits::{AbsoluteLimits, Limits, LimitsQuery};
pub use link::{Link, next_link};
#[allow(unused_imports)]
pub use migration::*;
pub use page::Page;
pub use quota::{QuotaClassSet, QuotaDetail, QuotaSet, QuotaSetDetail, UpdateQuotaSet};
pub use server::{
    AttachedVolume, CreatedServer, DiskConfig, EmbeddedFlavor, Fault, ImageRef, PowerState,
    SecurityGroupRef, Server, ServerFlavor, ServerImage, ServerStatus, TaskState, VmState,
};
pub use server_action::{CreateBackup, FLOATING_IP_ACTIONS, ServerSecurityGroup};
pub use server_action::{CreateImage, RebootType, ServerAction};
pub use server_action::{NetworkAddress, ResetStateTarget};
pub use server_group::{
    CreateServerGroup, SERVER_GROUP_POLICY, ServerGroup, ServerGroupPolicy, ServerGroupQuery,
};
#[allow(unused_imports)]
pub use server_move::*;
pub use server_query::{ServerQuery, SortDir};
#[allow(unused_imports)]
pub use service::*;
pub use update_server::{RebuildServer, UpdateServer};
#[allow(unused_imports)]
pub use usage::*;
pub use usage_audit::{AuditHostLog, AuditTaskState, InstanceUsageAuditLog, parse_audit_before};

#[cfg(test)]
mod sample_tests;
