//! Hypervisors (`/os-hypervisors`, admin): responses and list queries.
//!
//! Ids are integers below 2.53 and UUID strings from 2.53; both are read into a `String`.
//! 2.88 drops the resource counters (`vcpus`, `memory_mb`, `local_gb`, their `*_used` and
//! `free_*` forms, `current_workload`, `running_vms`, `disk_available_least`, `cpu_info`)
//! and the `statistics` and `uptime` routes; `show` gains `uptime` instead.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::field_gate::FieldGate;
use super::string_enum::{lenient, null_as_default};

/// Reads an id that is an integer in old microversions and a string (UUID) in newer ones.
pub(crate) fn id_string<'de, D>(d: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(id_text(&Value::deserialize(d)?).unwrap_or_default())
}

/// Like [`id_string`], for an optional id.
pub(crate) fn opt_id_string<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(id_text(&Value::deserialize(d)?))
}

fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The compute service a hypervisor belongs to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HypervisorService {
    /// The service id (integer below 2.53, UUID from 2.53).
    #[serde(default, deserialize_with = "id_string")]
    pub id: String,
    /// The compute host.
    #[serde(default, deserialize_with = "null_as_default")]
    pub host: String,
    /// Why the service is disabled, if it is.
    #[serde(default, deserialize_with = "lenient")]
    pub disabled_reason: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A server running on a hypervisor (`servers` of the `with_servers` / `/servers` forms).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HypervisorServer {
    /// The server UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub uuid: String,
    /// The server name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// A hypervisor (summary or detailed view).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Hypervisor {
    /// The id (integer below 2.53, UUID from 2.53).
    #[serde(default, deserialize_with = "id_string")]
    pub id: String,
    /// The hypervisor hostname.
    #[serde(default, deserialize_with = "null_as_default")]
    pub hypervisor_hostname: String,
    /// `up` or `down`.
    #[serde(default, deserialize_with = "lenient")]
    pub state: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    /// The hypervisor's IP (detail).
    #[serde(default, deserialize_with = "lenient")]
    pub host_ip: Option<String>,
    /// The hypervisor type (detail).
    #[serde(default, deserialize_with = "lenient")]
    pub hypervisor_type: Option<String>,
    /// The hypervisor version (detail).
    #[serde(default, deserialize_with = "lenient")]
    pub hypervisor_version: Option<u64>,
    /// The compute service (detail).
    #[serde(default, deserialize_with = "lenient")]
    pub service: Option<HypervisorService>,
    /// Servers on it (the `with_servers` and `/servers` forms).
    #[serde(default, deserialize_with = "lenient")]
    pub servers: Option<Vec<HypervisorServer>>,
    /// Uptime text (the uptime call below 2.88; `show` from 2.88, may be null).
    #[serde(default, deserialize_with = "lenient")]
    pub uptime: Option<String>,
    /// CPU info: a JSON string below 2.28, an object from 2.28 (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub cpu_info: Option<Value>,
    /// vCPUs (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub vcpus: Option<i64>,
    /// vCPUs in use (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub vcpus_used: Option<i64>,
    /// RAM in MiB (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub memory_mb: Option<i64>,
    /// RAM in use in MiB (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub memory_mb_used: Option<i64>,
    /// Free RAM in MiB (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub free_ram_mb: Option<i64>,
    /// Disk in GiB (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub local_gb: Option<i64>,
    /// Disk in use in GiB (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub local_gb_used: Option<i64>,
    /// Free disk in GiB (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub free_disk_gb: Option<i64>,
    /// Current workload (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub current_workload: Option<i64>,
    /// Running servers (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub running_vms: Option<i64>,
    /// Least available disk (removed in 2.88).
    #[serde(default, deserialize_with = "lenient")]
    pub disk_available_least: Option<i64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /os-hypervisors/statistics` (below 2.88): the counters summed over all hypervisors.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HypervisorStatistics {
    /// Number of hypervisors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub count: i64,
    /// vCPUs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub vcpus: i64,
    /// vCPUs in use.
    #[serde(default, deserialize_with = "null_as_default")]
    pub vcpus_used: i64,
    /// RAM in MiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub memory_mb: i64,
    /// RAM in use in MiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub memory_mb_used: i64,
    /// Free RAM in MiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub free_ram_mb: i64,
    /// Disk in GiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub local_gb: i64,
    /// Disk in use in GiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub local_gb_used: i64,
    /// Free disk in GiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub free_disk_gb: i64,
    /// Current workload.
    #[serde(default, deserialize_with = "null_as_default")]
    pub current_workload: i64,
    /// Running servers.
    #[serde(default, deserialize_with = "null_as_default")]
    pub running_vms: i64,
    /// Least available disk.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disk_available_least: i64,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Filters of `GET /os-hypervisors` and `/os-hypervisors/detail`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HypervisorQuery {
    /// `hypervisor_hostname_pattern` (2.53+; older versions use the `search` call).
    pub hostname_pattern: Option<String>,
    /// `with_servers=true` (2.53+).
    pub with_servers: bool,
    /// At most this many (2.33+).
    pub limit: Option<u32>,
    /// Start after this hypervisor id (2.33+).
    pub marker: Option<String>,
}

impl HypervisorQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hypervisors whose hostname contains `pattern` (2.53+).
    pub fn hostname_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.hostname_pattern = Some(pattern.into());
        self
    }

    /// Includes each hypervisor's servers (2.53+).
    pub fn with_servers(mut self, with: bool) -> Self {
        self.with_servers = with;
        self
    }

    /// At most `limit` hypervisors (2.33+).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts after hypervisor `marker` (2.33+).
    pub fn marker(mut self, marker: impl Into<String>) -> Self {
        self.marker = Some(marker.into());
        self
    }

    /// The version-gated filters this query sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.hostname_pattern.is_some() {
            gates.push(FieldGate::new(
                "hypervisor_hostname_pattern",
                &[super::field_gate::SINCE_2_53],
            ));
        }
        if self.with_servers {
            gates.push(FieldGate::new(
                "with_servers",
                &[super::field_gate::SINCE_2_53],
            ));
        }
        if self.limit.is_some() {
            gates.push(FieldGate::new("limit", &[super::field_gate::SINCE_2_33]));
        }
        if self.marker.is_some() {
            gates.push(FieldGate::new("marker", &[super::field_gate::SINCE_2_33]));
        }
        gates
    }

    /// The query pairs, in Nova's names.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(p) = &self.hostname_pattern {
            pairs.push(("hypervisor_hostname_pattern", p.clone()));
        }
        if self.with_servers {
            pairs.push(("with_servers", "true".to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(marker) = &self.marker {
            pairs.push(("marker", marker.clone()));
        }
        pairs
    }
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &serde_json::Value, minor: u32, file: &str) -> bool {
    let check = |h: &Hypervisor| {
        assert!(
            !h.id.is_empty() && !h.hypervisor_hostname.is_empty(),
            "{file}"
        );
        assert!(h.extra.is_empty(), "{file}: {:?}", h.extra.keys());
        assert_eq!(h.id.contains('-'), minor >= 53, "{file}: id shape");
        let detailed = h.service.is_some();
        if detailed {
            for counter in [
                h.vcpus,
                h.vcpus_used,
                h.memory_mb,
                h.memory_mb_used,
                h.free_ram_mb,
                h.local_gb,
                h.local_gb_used,
                h.free_disk_gb,
                h.current_workload,
                h.running_vms,
                h.disk_available_least,
            ] {
                assert_eq!(counter.is_some(), minor < 88, "{file}: counters");
            }
            assert_eq!(h.cpu_info.is_some(), minor < 88, "{file}: cpu_info");
            if (28..88).contains(&minor) {
                assert!(h.cpu_info.as_ref().is_some_and(Value::is_object), "{file}");
            }
            let service = h.service.as_ref().map(|s| s.extra.is_empty());
            assert_eq!(service, Some(true), "{file}: service");
        }
        if file.contains("without-servers") {
            assert!(h.servers.is_none(), "{file}: no servers");
        } else if file.contains("servers") {
            let servers = h.servers.as_deref().unwrap_or_default();
            assert!(!servers.is_empty(), "{file}: servers");
            assert!(servers.iter().all(|s| !s.uuid.is_empty()), "{file}");
        }
        if file.contains("uptime") {
            assert!(h.uptime.is_some(), "{file}: uptime");
        }
    };
    match key {
        "hypervisor" => {
            let h: Hypervisor = serde_json::from_value(inner.clone()).expect(file);
            check(&h);
        }
        "hypervisors" => {
            let list: Vec<Hypervisor> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            list.iter().for_each(check);
        }
        "hypervisors_links" => {
            assert!(minor >= 33, "{file}: links below 2.33");
            let links: Vec<super::Link> = serde_json::from_value(inner.clone()).expect(file);
            assert!(super::next_link(&links).is_some(), "{file}");
        }
        "hypervisor_statistics" => {
            assert!(minor < 88, "{file}");
            let stats: HypervisorStatistics = serde_json::from_value(inner.clone()).expect(file);
            assert!(stats.count > 0 && stats.extra.is_empty(), "{file}");
            assert!(stats.memory_mb >= stats.memory_mb_used, "{file}");
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_both_shapes_and_the_query_gates() {
        let old: Hypervisor =
            serde_json::from_value(serde_json::json!({"id": 7, "hypervisor_hostname": "h"}))
                .expect("int id");
        assert_eq!(old.id, "7");
        let new: Hypervisor = serde_json::from_value(
            serde_json::json!({"id": "u-1", "hypervisor_hostname": "h", "vcpus": null}),
        )
        .expect("uuid id");
        assert_eq!((new.id.as_str(), new.vcpus), ("u-1", None));
        let query = HypervisorQuery::new()
            .hostname_pattern("c")
            .with_servers(true)
            .limit(2)
            .marker("m");
        let fields: Vec<&str> = query.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(
            fields,
            [
                "hypervisor_hostname_pattern",
                "with_servers",
                "limit",
                "marker"
            ]
        );
        assert_eq!(query.to_pairs().len(), 4);
    }
}
