//! Server groups (`/os-server-groups`): responses, create requests and list queries.
//!
//! Below 2.64 a group has a `policies` list (one entry) and `metadata`; from 2.64 a single
//! `policy` and `rules` (`max_server_per_host` for anti-affinity). The soft policies need 2.15,
//! `project_id` and `user_id` appear at 2.13.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::FieldGate;
use super::string_enum::{lenient, null_as_default, string_enum};

string_enum! {
    /// A server group's scheduling policy.
    pub enum ServerGroupPolicy {
        /// All members on one host.
        Affinity => "affinity",
        /// Every member on a different host.
        AntiAffinity => "anti-affinity",
        /// Same host where possible (2.15+).
        SoftAffinity => "soft-affinity",
        /// Different hosts where possible (2.15+).
        SoftAntiAffinity => "soft-anti-affinity",
    }
}

/// A server group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerGroup {
    /// The group UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The group name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Policies (below 2.64).
    #[serde(default, deserialize_with = "lenient")]
    pub policies: Option<Vec<String>>,
    /// Policy (2.64+).
    #[serde(default, deserialize_with = "lenient")]
    pub policy: Option<String>,
    /// Rules (2.64+).
    #[serde(default, deserialize_with = "lenient")]
    pub rules: Option<Map<String, Value>>,
    /// Member server ids.
    #[serde(default, deserialize_with = "null_as_default")]
    pub members: Vec<String>,
    /// Metadata (below 2.64).
    #[serde(default, deserialize_with = "lenient")]
    pub metadata: Option<Map<String, Value>>,
    /// Project (2.13+).
    #[serde(default, deserialize_with = "lenient")]
    pub project_id: Option<String>,
    /// User (2.13+).
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ServerGroup {
    /// The policy whatever the microversion: `policy` (2.64+) or the first of `policies`.
    pub fn effective_policy(&self) -> Option<ServerGroupPolicy> {
        let text = self.policy.as_deref().or_else(|| {
            self.policies
                .as_ref()
                .and_then(|p| p.first().map(String::as_str))
        })?;
        text.parse().ok()
    }

    /// `rules.max_server_per_host` (2.64+, anti-affinity only).
    pub fn max_server_per_host(&self) -> Option<u64> {
        self.rules
            .as_ref()?
            .get("max_server_per_host")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
    }
}

/// A request to create a server group (`POST /os-server-groups`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateServerGroup {
    /// The name.
    pub name: String,
    /// The policy (sent as `policies: [..]` below 2.64, `policy` from 2.64).
    pub policy: ServerGroupPolicy,
    /// `rules.max_server_per_host` (2.64+, anti-affinity only).
    pub max_server_per_host: Option<u32>,
}

impl CreateServerGroup {
    /// A group named `name` with `policy`.
    pub fn new(name: impl Into<String>, policy: ServerGroupPolicy) -> Self {
        Self {
            name: name.into(),
            policy,
            max_server_per_host: None,
        }
    }

    /// Sets `rules.max_server_per_host` (2.64+, anti-affinity only).
    pub fn max_server_per_host(mut self, max: u32) -> Self {
        self.max_server_per_host = Some(max);
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if matches!(
            self.policy,
            ServerGroupPolicy::SoftAffinity | ServerGroupPolicy::SoftAntiAffinity
        ) {
            gates.push(FieldGate::new("policy=soft-*", &[SOFT_POLICIES]));
        }
        if self.max_server_per_host.is_some() {
            gates.push(FieldGate::new("rules", &[SERVER_GROUP_POLICY]));
        }
        gates
    }

    /// The `{"server_group": {...}}` body for a request at a version with (`true`, 2.64+) or
    /// without the single `policy` field.
    pub fn to_body(&self, single_policy: bool) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(self.name.clone()));
        if single_policy {
            m.insert("policy".into(), Value::from(self.policy.as_str()));
            if let Some(max) = self.max_server_per_host {
                let mut rules = Map::new();
                rules.insert("max_server_per_host".into(), Value::from(max));
                m.insert("rules".into(), Value::Object(rules));
            }
        } else {
            m.insert(
                "policies".into(),
                Value::Array(vec![Value::from(self.policy.as_str())]),
            );
        }
        let mut body = Map::new();
        body.insert("server_group".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// Filters of `GET /os-server-groups`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerGroupQuery {
    /// Groups of every project (admin; Nova ignores it for other users).
    pub all_projects: bool,
    /// At most this many groups.
    pub limit: Option<u32>,
    /// Skip this many groups.
    pub offset: Option<u32>,
}

impl ServerGroupQuery {
    /// No filters: the caller's groups.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lists the groups of every project (admin).
    pub fn all_projects(mut self, all: bool) -> Self {
        self.all_projects = all;
        self
    }

    /// Returns at most `limit` groups.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Skips the first `offset` groups.
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The query pairs, in Nova's names.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.all_projects {
            pairs.push(("all_projects", "True".to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset", offset.to_string()));
        }
        pairs
    }
}

/// Soft policies start at 2.15.
pub(crate) const SOFT_POLICIES: crate::VersionReq =
    crate::VersionReq::at_least(crate::MicroVersion::new(2, 15));
/// `policy` and `rules` start at 2.64.
pub const SERVER_GROUP_POLICY: crate::VersionReq =
    crate::VersionReq::at_least(crate::MicroVersion::new(2, 64));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_by_version_and_gates() {
        let group =
            CreateServerGroup::new("g", ServerGroupPolicy::AntiAffinity).max_server_per_host(3);
        assert_eq!(
            group.to_body(true),
            serde_json::json!({"server_group": {"name": "g", "policy": "anti-affinity",
                "rules": {"max_server_per_host": 3}}})
        );
        assert_eq!(
            group.to_body(false),
            serde_json::json!({"server_group": {"name": "g", "policies": ["anti-affinity"]}})
        );
        let soft = CreateServerGroup::new("s", ServerGroupPolicy::SoftAffinity);
        let fields: Vec<&str> = soft.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(fields, ["policy=soft-*"]);
        let fields: Vec<&str> = group.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(fields, ["rules"]);
    }

    #[test]
    fn effective_policy_reads_both_shapes() {
        let old: ServerGroup = serde_json::from_value(
            serde_json::json!({"id": "1", "policies": ["soft-anti-affinity"]}),
        )
        .expect("old shape");
        assert_eq!(
            old.effective_policy(),
            Some(ServerGroupPolicy::SoftAntiAffinity)
        );
        let new: ServerGroup = serde_json::from_value(serde_json::json!({"id": "1",
            "policy": "anti-affinity", "rules": {"max_server_per_host": 2}}))
        .expect("new shape");
        assert_eq!(
            new.effective_policy(),
            Some(ServerGroupPolicy::AntiAffinity)
        );
        assert_eq!(new.max_server_per_host(), Some(2));
        let query = ServerGroupQuery::new()
            .all_projects(true)
            .limit(2)
            .offset(1);
        assert_eq!(query.to_pairs().len(), 3);
    }
}
