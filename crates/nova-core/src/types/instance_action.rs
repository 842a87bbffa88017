//! Instance actions and their events (`/servers/{id}/os-instance-actions`).
//!
//! Events are shown to admins; from 2.51 to everyone, without `traceback`. `updated_at`
//! appears at 2.58, event `hostId` (and `host` for admins) at 2.62, event `details` at 2.84.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::{FieldGate, SINCE_2_58, SINCE_2_66};
use super::string_enum::{lenient, null_as_default};

/// One action taken on a server.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstanceAction {
    /// Nova's action name (`create`, `stop`, `attach_volume`, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub action: String,
    /// The server.
    #[serde(default, deserialize_with = "null_as_default")]
    pub instance_uuid: String,
    /// The request that started it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub request_id: String,
    /// Who did it.
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<String>,
    /// Their project.
    #[serde(default, deserialize_with = "lenient")]
    pub project_id: Option<String>,
    /// When it started.
    #[serde(default, deserialize_with = "lenient")]
    pub start_time: Option<String>,
    /// Last change (2.58+).
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    /// An error message, if it failed.
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    /// The events (show only; admins, or everyone from 2.51).
    #[serde(default, deserialize_with = "lenient")]
    pub events: Option<Vec<InstanceActionEvent>>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One step of an instance action.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstanceActionEvent {
    /// The event name, e.g. `compute_stop_instance`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub event: String,
    /// When it started.
    #[serde(default, deserialize_with = "lenient")]
    pub start_time: Option<String>,
    /// When it finished.
    #[serde(default, deserialize_with = "lenient")]
    pub finish_time: Option<String>,
    /// `Success` or `Error`.
    #[serde(default, deserialize_with = "lenient")]
    pub result: Option<String>,
    /// The traceback of a failure (admins only).
    #[serde(default, deserialize_with = "lenient")]
    pub traceback: Option<String>,
    /// The compute host (2.62+, admins only).
    #[serde(default, deserialize_with = "lenient")]
    pub host: Option<String>,
    /// The obfuscated host id (2.62+).
    #[serde(rename = "hostId", default, deserialize_with = "lenient")]
    pub host_id: Option<String>,
    /// Details of a failure (2.84+, admins only).
    #[serde(default, deserialize_with = "lenient")]
    pub details: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Filters and paging of `GET /servers/{id}/os-instance-actions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceActionQuery {
    /// At most this many actions (2.58+).
    pub limit: Option<u32>,
    /// Start after the action with this request id (2.58+).
    pub marker: Option<String>,
    /// Actions updated at or after this ISO 8601 time (2.58+).
    pub changes_since: Option<String>,
    /// Actions updated at or before this ISO 8601 time (2.66+).
    pub changes_before: Option<String>,
}

impl InstanceActionQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns at most `limit` actions (2.58+).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts after request id `marker` (2.58+).
    pub fn marker(mut self, marker: impl Into<String>) -> Self {
        self.marker = Some(marker.into());
        self
    }

    /// Only actions changed at or after `time` (2.58+).
    pub fn changes_since(mut self, time: impl Into<String>) -> Self {
        self.changes_since = Some(time.into());
        self
    }

    /// Only actions changed at or before `time` (2.66+).
    pub fn changes_before(mut self, time: impl Into<String>) -> Self {
        self.changes_before = Some(time.into());
        self
    }

    /// The version-gated parameters this query sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.limit.is_some() {
            gates.push(FieldGate::new("limit", &[SINCE_2_58]));
        }
        if self.marker.is_some() {
            gates.push(FieldGate::new("marker", &[SINCE_2_58]));
        }
        if self.changes_since.is_some() {
            gates.push(FieldGate::new("changes-since", &[SINCE_2_58]));
        }
        if self.changes_before.is_some() {
            gates.push(FieldGate::new("changes-before", &[SINCE_2_66]));
        }
        gates
    }

    /// The query pairs, in Nova's names.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(marker) = &self.marker {
            pairs.push(("marker", marker.clone()));
        }
        if let Some(t) = &self.changes_since {
            pairs.push(("changes-since", t.clone()));
        }
        if let Some(t) = &self.changes_before {
            pairs.push(("changes-before", t.clone()));
        }
        pairs
    }
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &Value, minor: u32, file: &str) -> bool {
    let check = |a: &InstanceAction| {
        assert!(!a.action.is_empty() && !a.request_id.is_empty(), "{file}");
        assert!(a.extra.is_empty(), "{file}: {:?}", a.extra);
        assert_eq!(a.updated_at.is_some(), minor >= 58, "{file}: updated_at");
    };
    match key {
        "instanceAction" => {
            let action: InstanceAction = serde_json::from_value(inner.clone()).expect(file);
            check(&action);
            let admin = !file.contains("non-admin");
            let events = action.events.as_ref().expect("events");
            for e in events {
                assert!(!e.event.is_empty() && e.extra.is_empty(), "{file}: {e:?}");
                assert_eq!(e.host_id.is_some(), minor >= 62, "{file}: hostId");
                assert_eq!(e.host.is_some(), admin && minor >= 62, "{file}: host");
                // traceback and details are null in the admin samples: the key is there.
                let raw = &inner["events"][0];
                assert_eq!(raw.get("traceback").is_some(), admin, "{file}: traceback");
                assert_eq!(raw.get("details").is_some(), admin && minor >= 84, "{file}");
            }
        }
        "instanceActions" => {
            let list: Vec<InstanceAction> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            list.iter().for_each(|a| {
                check(a);
                assert!(a.events.is_none(), "{file}: events in a list");
            });
        }
        "links" if file.contains("instance-actions") => {
            let links: Vec<super::Link> = serde_json::from_value(inner.clone()).expect(file);
            let next = super::next_link(&links).expect("next link");
            assert!(next.contains("marker=") && minor >= 58, "{file}");
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_and_gates() {
        let q = InstanceActionQuery::new()
            .limit(2)
            .marker("req-1")
            .changes_since("2020-01-01T00:00:00Z")
            .changes_before("2030-01-01T00:00:00Z");
        let keys: Vec<&str> = q.to_pairs().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["limit", "marker", "changes-since", "changes-before"]);
        let gates: Vec<String> = q
            .field_gates()
            .iter()
            .map(|g| g.current().to_string())
            .collect();
        assert_eq!(gates, [">=2.58", ">=2.58", ">=2.58", ">=2.66"]);
        assert!(InstanceActionQuery::new().field_gates().is_empty());
    }
}
