//! Absolute limits and usage (`GET /limits`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default};

/// The `limits` object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Limits {
    /// Absolute limits and usage.
    #[serde(default, deserialize_with = "null_as_default")]
    pub absolute: AbsoluteLimits,
    /// Rate limits (always empty on current Nova).
    #[serde(default, deserialize_with = "null_as_default")]
    pub rate: Vec<Value>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `limits.absolute`: -1 means unlimited. Keys removed by later microversions are `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbsoluteLimits {
    /// maxTotalInstances
    #[serde(default, deserialize_with = "lenient")]
    pub max_total_instances: Option<i64>,
    /// maxTotalCores
    #[serde(default, deserialize_with = "lenient")]
    pub max_total_cores: Option<i64>,
    /// maxTotalRAMSize (MiB)
    #[serde(rename = "maxTotalRAMSize", default, deserialize_with = "lenient")]
    pub max_total_ram_size: Option<i64>,
    /// maxTotalKeypairs
    #[serde(default, deserialize_with = "lenient")]
    pub max_total_keypairs: Option<i64>,
    /// maxServerMeta
    #[serde(default, deserialize_with = "lenient")]
    pub max_server_meta: Option<i64>,
    /// maxServerGroups
    #[serde(default, deserialize_with = "lenient")]
    pub max_server_groups: Option<i64>,
    /// maxServerGroupMembers
    #[serde(default, deserialize_with = "lenient")]
    pub max_server_group_members: Option<i64>,
    /// maxImageMeta (below 2.39)
    #[serde(default, deserialize_with = "lenient")]
    pub max_image_meta: Option<i64>,
    /// maxPersonality (below 2.57)
    #[serde(default, deserialize_with = "lenient")]
    pub max_personality: Option<i64>,
    /// maxPersonalitySize (below 2.57)
    #[serde(default, deserialize_with = "lenient")]
    pub max_personality_size: Option<i64>,
    /// maxSecurityGroups (below 2.36)
    #[serde(default, deserialize_with = "lenient")]
    pub max_security_groups: Option<i64>,
    /// maxSecurityGroupRules (below 2.36)
    #[serde(default, deserialize_with = "lenient")]
    pub max_security_group_rules: Option<i64>,
    /// maxTotalFloatingIps (below 2.36)
    #[serde(default, deserialize_with = "lenient")]
    pub max_total_floating_ips: Option<i64>,
    /// totalInstancesUsed
    #[serde(default, deserialize_with = "lenient")]
    pub total_instances_used: Option<i64>,
    /// totalCoresUsed
    #[serde(default, deserialize_with = "lenient")]
    pub total_cores_used: Option<i64>,
    /// totalRAMUsed
    #[serde(rename = "totalRAMUsed", default, deserialize_with = "lenient")]
    pub total_ram_used: Option<i64>,
    /// totalServerGroupsUsed
    #[serde(default, deserialize_with = "lenient")]
    pub total_server_groups_used: Option<i64>,
    /// totalSecurityGroupsUsed (below 2.36)
    #[serde(default, deserialize_with = "lenient")]
    pub total_security_groups_used: Option<i64>,
    /// totalFloatingIpsUsed (below 2.36)
    #[serde(default, deserialize_with = "lenient")]
    pub total_floating_ips_used: Option<i64>,
    /// Keys this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
