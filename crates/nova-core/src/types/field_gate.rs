//! Which microversions accept a request field, and the gates the request types use.

use crate::{MicroVersion, VersionReq};

/// A request field that only some microversions accept.
///
/// The field is accepted when any requirement of `any_of` matches. The last entry is the current
/// range, used in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldGate {
    /// The field as Nova names it, e.g. `"description"` or `"block_device_mapping_v2[].tag"`.
    pub field: &'static str,
    /// Version requirements, any of which admits the field.
    pub any_of: &'static [VersionReq],
}

impl FieldGate {
    /// A field accepted by the microversions matching any of `any_of`.
    pub const fn new(field: &'static str, any_of: &'static [VersionReq]) -> Self {
        Self { field, any_of }
    }

    /// Whether microversion `v` accepts the field.
    pub fn admits(&self, v: MicroVersion) -> bool {
        self.any_of.iter().any(|req| req.matches(v))
    }

    /// The requirement error messages quote: the last (current) entry of `any_of`.
    pub fn current(&self) -> VersionReq {
        self.any_of.last().copied().unwrap_or(VersionReq::ANY)
    }
}

/// An operation that only some microversions offer: its name, as errors quote it, and the
/// microversions it needs. Managers keep one `const` per gated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationGate {
    /// The operation, e.g. `"server tags"` or `"server_migrations.abort"`.
    pub operation: &'static str,
    /// The microversions that offer it.
    pub requires: VersionReq,
}

impl OperationGate {
    /// `operation` offered by the microversions matching `requires`.
    pub const fn new(operation: &'static str, requires: VersionReq) -> Self {
        Self {
            operation,
            requires,
        }
    }
}

/// Compute API 2.`minor`.
const fn v2(minor: u16) -> MicroVersion {
    MicroVersion::new(2, minor)
}

/// `>=2.minor`.
const fn since(minor: u16) -> VersionReq {
    VersionReq::at_least(v2(minor))
}

pub(crate) const PERSONALITY: VersionReq = VersionReq::below(v2(57));
pub(crate) const SINCE_2_10: VersionReq = since(10);
pub(crate) const SINCE_2_17: VersionReq = since(17);
pub(crate) const SINCE_2_19: VersionReq = since(19);
pub(crate) const SINCE_2_26: VersionReq = since(26);
pub(crate) const SINCE_2_66: VersionReq = since(66);
pub(crate) const ONLY_2_32: VersionReq = VersionReq::between(v2(32), v2(33));
pub(crate) const NET_TAG_OLD: VersionReq = VersionReq::between(v2(32), v2(37));
pub(crate) const SINCE_2_37: VersionReq = since(37);
pub(crate) const SINCE_2_42: VersionReq = since(42);
pub(crate) const SINCE_2_52: VersionReq = since(52);
pub(crate) const SINCE_2_54: VersionReq = since(54);
pub(crate) const SINCE_2_57: VersionReq = since(57);
pub(crate) const SINCE_2_63: VersionReq = since(63);
pub(crate) const SINCE_2_67: VersionReq = since(67);
pub(crate) const SINCE_2_73: VersionReq = since(73);
pub(crate) const SINCE_2_74: VersionReq = since(74);
pub(crate) const SINCE_2_77: VersionReq = since(77);
pub(crate) const SINCE_2_90: VersionReq = since(90);
pub(crate) const SINCE_2_91: VersionReq = since(91);
pub(crate) const SINCE_2_104: VersionReq = since(104);

// Hosts (hypervisors, services, evacuate).
pub(crate) const SINCE_2_33: VersionReq = since(33);
pub(crate) const SINCE_2_53: VersionReq = since(53);
pub(crate) const BELOW_2_14: VersionReq = VersionReq::below(v2(14));
pub(crate) const FORCE_EVACUATE: VersionReq = VersionReq::between(v2(29), v2(68));
/// Usage paging (`limit`, `marker`) starts at 2.40.
pub(crate) const SINCE_2_40: VersionReq = since(40);
// server moves and migrations
pub(crate) const SINCE_2_25: VersionReq = since(25);
pub(crate) const BEFORE_2_25: VersionReq = VersionReq::below(v2(25));
pub(crate) const FORCE_2_30_TO_2_67: VersionReq = VersionReq::between(v2(30), v2(68));
pub(crate) const SINCE_2_56: VersionReq = since(56);
pub(crate) const SINCE_2_59: VersionReq = since(59);
pub(crate) const SINCE_2_80: VersionReq = since(80);
pub(crate) const SINCE_2_49: VersionReq = since(49);
pub(crate) const SINCE_2_79: VersionReq = since(79);
pub(crate) const SINCE_2_85: VersionReq = since(85);
pub(crate) const SINCE_2_58: VersionReq = since(58);
