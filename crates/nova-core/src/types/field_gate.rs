//! Which microversions accept a request field.

/// A request field that only some microversions accept.
///
/// `any_of` lists version requirements in [`crate::VersionReq`] syntax; the field is accepted
/// when any of them matches. The last entry is the current range, used in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldGate {
    /// The field as Nova names it, e.g. `"description"` or `"block_device_mapping_v2[].tag"`.
    pub field: &'static str,
    /// Version requirements, any of which admits the field.
    pub any_of: &'static [&'static str],
}

impl FieldGate {
    /// A field accepted by the microversions matching `req`.
    pub const fn new(field: &'static str, any_of: &'static [&'static str]) -> Self {
        Self { field, any_of }
    }
}

/// Every gate string used by the request types, for tests that parse them all.
pub const ALL_GATE_REQUIREMENTS: &[&str] = &[
    PERSONALITY,
    SINCE_2_19,
    SINCE_2_37,
    SINCE_2_42,
    ONLY_2_32,
    NET_TAG_OLD,
    SINCE_2_52,
    SINCE_2_54,
    SINCE_2_57,
    SINCE_2_63,
    SINCE_2_67,
    SINCE_2_73,
    SINCE_2_74,
    SINCE_2_77,
    SINCE_2_90,
    SINCE_2_91,
    SINCE_2_104,
    SINCE_2_2,
    SINCE_2_10,
    SINCE_2_17,
    SINCE_2_26,
    SINCE_2_66,
    SINCE_2_33,
    SINCE_2_53,
    BELOW_2_14,
    FORCE_EVACUATE,
    SINCE_2_40,
    // server moves and migrations
    SINCE_2_22,
    SINCE_2_23,
    SINCE_2_24,
    SINCE_2_25,
    BEFORE_2_25,
    FORCE_2_30_TO_2_67,
    SINCE_2_56,
    SINCE_2_59,
    SINCE_2_80,
    SINCE_2_49,
    SINCE_2_79,
    SINCE_2_85,
    SINCE_2_58,
];

pub(crate) const PERSONALITY: &str = "<2.57";
pub(crate) const SINCE_2_2: &str = ">=2.2";
pub(crate) const SINCE_2_10: &str = ">=2.10";
pub(crate) const SINCE_2_17: &str = ">=2.17";
pub(crate) const SINCE_2_19: &str = ">=2.19";
pub(crate) const SINCE_2_26: &str = ">=2.26";
pub(crate) const SINCE_2_66: &str = ">=2.66";
pub(crate) const ONLY_2_32: &str = ">=2.32, <2.33";
pub(crate) const NET_TAG_OLD: &str = ">=2.32, <2.37";
pub(crate) const SINCE_2_37: &str = ">=2.37";
pub(crate) const SINCE_2_42: &str = ">=2.42";
pub(crate) const SINCE_2_52: &str = ">=2.52";
pub(crate) const SINCE_2_54: &str = ">=2.54";
pub(crate) const SINCE_2_57: &str = ">=2.57";
pub(crate) const SINCE_2_63: &str = ">=2.63";
pub(crate) const SINCE_2_67: &str = ">=2.67";
pub(crate) const SINCE_2_73: &str = ">=2.73";
pub(crate) const SINCE_2_74: &str = ">=2.74";
pub(crate) const SINCE_2_77: &str = ">=2.77";
pub(crate) const SINCE_2_90: &str = ">=2.90";
pub(crate) const SINCE_2_91: &str = ">=2.91";
pub(crate) const SINCE_2_104: &str = ">=2.104";

// Hosts (hypervisors, services, evacuate).
pub(crate) const SINCE_2_33: &str = ">=2.33";
pub(crate) const SINCE_2_53: &str = ">=2.53";
pub(crate) const BELOW_2_14: &str = "<2.14";
pub(crate) const FORCE_EVACUATE: &str = ">=2.29, <2.68";
/// Usage paging (`limit`, `marker`) starts at 2.40.
pub(crate) const SINCE_2_40: &str = ">=2.40";
// server moves and migrations
pub(crate) const SINCE_2_22: &str = ">=2.22";
pub(crate) const SINCE_2_23: &str = ">=2.23";
pub(crate) const SINCE_2_24: &str = ">=2.24";
pub(crate) const SINCE_2_25: &str = ">=2.25";
pub(crate) const BEFORE_2_25: &str = "<2.25";
pub(crate) const FORCE_2_30_TO_2_67: &str = ">=2.30, <2.68";
pub(crate) const SINCE_2_56: &str = ">=2.56";
pub(crate) const SINCE_2_59: &str = ">=2.59";
pub(crate) const SINCE_2_80: &str = ">=2.80";
pub(crate) const SINCE_2_49: &str = ">=2.49";
pub(crate) const SINCE_2_79: &str = ">=2.79";
pub(crate) const SINCE_2_85: &str = ">=2.85";
pub(crate) const SINCE_2_58: &str = ">=2.58";
