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

/// The parameters of `GET /limits`. Unset fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LimitsQuery {
    /// `reserved=1`: count reservations in the used totals (novaclient's `--reserved`).
    /// Nova has counted usage instead of reserving since Pike, so reservations are always 0;
    /// from 2.75 Nova refuses the parameter (unknown query parameters are rejected).
    pub reserved: bool,
    /// `tenant_id`: another project's limits (admin).
    pub tenant_id: Option<String>,
}

impl LimitsQuery {
    /// No parameters: what `get()` sends.
    pub fn new() -> Self {
        Self::default()
    }
    /// Asks for reservations to be counted (below 2.75).
    pub fn reserved(mut self, yes: bool) -> Self {
        self.reserved = yes;
        self
    }
    /// Another project's limits (admin).
    pub fn tenant_id(mut self, project_id: impl Into<String>) -> Self {
        self.tenant_id = Some(project_id.into());
        self
    }

    /// The version-gated parameters this query sets.
    pub fn field_gates(&self) -> Vec<super::field_gate::FieldGate> {
        use super::field_gate::FieldGate;
        /// `reserved` is gone from 2.75 on.
        const BELOW_2_75: crate::VersionReq =
            crate::VersionReq::below(crate::MicroVersion::new(2, 75));
        if self.reserved {
            vec![FieldGate::new("reserved", &[BELOW_2_75])]
        } else {
            Vec::new()
        }
    }

    /// The query parameters in novaclient's order (unencoded).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p: Vec<(&'static str, String)> = Vec::new();
        if self.reserved {
            p.push(("reserved", "1".to_owned()));
        }
        if let Some(t) = &self.tenant_id {
            p.push(("tenant_id", t.clone()));
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_query_pairs_and_gate() {
        assert!(LimitsQuery::new().to_pairs().is_empty());
        let q = LimitsQuery::new().reserved(true).tenant_id("p1");
        let pairs = q.to_pairs();
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(pairs, [("reserved", "1"), ("tenant_id", "p1")]);
        assert_eq!(q.field_gates()[0].current().to_string(), "<2.75");
    }
}
