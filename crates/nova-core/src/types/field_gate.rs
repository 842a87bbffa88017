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
pub(crate) const SINCE_2_49: &str = ">=2.49";
pub(crate) const SINCE_2_79: &str = ">=2.79";
pub(crate) const SINCE_2_85: &str = ">=2.85";
pub(crate) const SINCE_2_58: &str = ">=2.58";
