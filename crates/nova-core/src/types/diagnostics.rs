//! Server diagnostics (admin) and NUMA topology (2.78+).
//!
//! Below 2.48 diagnostics are a free-form, driver-specific dict (all of it lands in
//! [`ServerDiagnostics::extra`]); from 2.48 they have Nova's standard shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default};

/// `GET /servers/{id}/diagnostics`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerDiagnostics {
    /// Power state, e.g. `running` (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub state: Option<String>,
    /// The virt driver, e.g. `libvirt` (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub driver: Option<String>,
    /// The hypervisor, e.g. `kvm` (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub hypervisor: Option<String>,
    /// The hypervisor's OS (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub hypervisor_os: Option<String>,
    /// Seconds since the guest started (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub uptime: Option<u64>,
    /// Number of vCPUs (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub num_cpus: Option<u32>,
    /// Number of disks (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub num_disks: Option<u32>,
    /// Number of NICs (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub num_nics: Option<u32>,
    /// Whether a config drive is attached (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub config_drive: Option<bool>,
    /// Memory (2.48+).
    #[serde(default, deserialize_with = "lenient")]
    pub memory_details: Option<MemoryDiagnostics>,
    /// Per vCPU (2.48+).
    #[serde(default, deserialize_with = "null_as_default")]
    pub cpu_details: Vec<CpuDiagnostics>,
    /// Per disk (2.48+).
    #[serde(default, deserialize_with = "null_as_default")]
    pub disk_details: Vec<DiskDiagnostics>,
    /// Per NIC (2.48+).
    #[serde(default, deserialize_with = "null_as_default")]
    pub nic_details: Vec<NicDiagnostics>,
    /// Everything else (all of the free-form dict below 2.48).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Memory of a guest, in KiB.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MemoryDiagnostics {
    /// The maximum.
    #[serde(default, deserialize_with = "lenient")]
    pub maximum: Option<u64>,
    /// In use.
    #[serde(default, deserialize_with = "lenient")]
    pub used: Option<u64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One vCPU.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CpuDiagnostics {
    /// The vCPU number.
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<u32>,
    /// CPU time in nanoseconds.
    #[serde(default, deserialize_with = "lenient")]
    pub time: Option<u64>,
    /// Utilisation in percent.
    #[serde(default, deserialize_with = "lenient")]
    pub utilisation: Option<u64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One disk.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DiskDiagnostics {
    /// Bytes read.
    #[serde(default, deserialize_with = "lenient")]
    pub read_bytes: Option<u64>,
    /// Read requests.
    #[serde(default, deserialize_with = "lenient")]
    pub read_requests: Option<u64>,
    /// Bytes written.
    #[serde(default, deserialize_with = "lenient")]
    pub write_bytes: Option<u64>,
    /// Write requests.
    #[serde(default, deserialize_with = "lenient")]
    pub write_requests: Option<u64>,
    /// Errors.
    #[serde(default, deserialize_with = "lenient")]
    pub errors_count: Option<u64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One network interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NicDiagnostics {
    /// The MAC address.
    #[serde(default, deserialize_with = "lenient")]
    pub mac_address: Option<String>,
    /// Bytes received.
    #[serde(default, deserialize_with = "lenient")]
    pub rx_octets: Option<u64>,
    /// Receive errors.
    #[serde(default, deserialize_with = "lenient")]
    pub rx_errors: Option<u64>,
    /// Received packets dropped.
    #[serde(default, deserialize_with = "lenient")]
    pub rx_drop: Option<u64>,
    /// Packets received.
    #[serde(default, deserialize_with = "lenient")]
    pub rx_packets: Option<u64>,
    /// Receive rate.
    #[serde(default, deserialize_with = "lenient")]
    pub rx_rate: Option<u64>,
    /// Bytes sent.
    #[serde(default, deserialize_with = "lenient")]
    pub tx_octets: Option<u64>,
    /// Send errors.
    #[serde(default, deserialize_with = "lenient")]
    pub tx_errors: Option<u64>,
    /// Sent packets dropped.
    #[serde(default, deserialize_with = "lenient")]
    pub tx_drop: Option<u64>,
    /// Packets sent.
    #[serde(default, deserialize_with = "lenient")]
    pub tx_packets: Option<u64>,
    /// Send rate.
    #[serde(default, deserialize_with = "lenient")]
    pub tx_rate: Option<u64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /servers/{id}/topology` (2.78+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerTopology {
    /// The guest NUMA nodes (empty for a server without a NUMA topology).
    #[serde(default, deserialize_with = "null_as_default")]
    pub nodes: Vec<TopologyNode>,
    /// The page size in KiB, if the guest uses explicit pages.
    #[serde(default, deserialize_with = "lenient")]
    pub pagesize_kb: Option<u64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One guest NUMA node.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TopologyNode {
    /// vCPU -> host CPU pinning (admins only).
    #[serde(default, deserialize_with = "lenient")]
    pub cpu_pinning: Option<BTreeMap<String, u64>>,
    /// The host NUMA node (admins only).
    #[serde(default, deserialize_with = "lenient")]
    pub host_node: Option<u64>,
    /// Memory of the node in MiB.
    #[serde(default, deserialize_with = "lenient")]
    pub memory_mb: Option<u64>,
    /// Thread siblings.
    #[serde(default, deserialize_with = "null_as_default")]
    pub siblings: Vec<Vec<u64>>,
    /// The vCPUs of the node.
    #[serde(default, deserialize_with = "null_as_default")]
    pub vcpu_set: Vec<u64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
/// Checks a diagnostics sample, which is one unwrapped object: free-form below 2.48 (all of
/// it in `extra`), Nova's standard shape from 2.48 (every field modelled).
#[cfg(test)]
pub(crate) fn check_diagnostics_sample(document: &Value, minor: u32, file: &str) {
    let d: ServerDiagnostics = serde_json::from_value(document.clone()).expect(file);
    if minor >= 48 {
        assert!(d.extra.is_empty(), "{file}: {:?}", d.extra);
        assert!(
            d.state.is_some() && d.num_cpus == Some(d.cpu_details.len() as u32),
            "{file}"
        );
        assert_eq!(d.num_nics, Some(d.nic_details.len() as u32), "{file}");
    } else {
        assert!(d.state.is_none() && d.cpu_details.is_empty(), "{file}");
        assert!(d.extra.contains_key("cpu0_time"), "{file}");
    }
}

#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &Value, minor: u32, file: &str) -> bool {
    match key {
        "nodes" if file.contains("topology") => {
            assert!(minor >= 78, "{file}");
            let mut whole = Map::new();
            whole.insert("nodes".into(), inner.clone());
            let topology: ServerTopology =
                serde_json::from_value(Value::Object(whole)).expect(file);
            assert!(!topology.nodes.is_empty(), "{file}");
            let admin = !file.contains("user");
            for node in &topology.nodes {
                assert!(node.extra.is_empty() && !node.vcpu_set.is_empty(), "{file}");
                assert_eq!(node.cpu_pinning.is_some(), admin, "{file}");
                assert_eq!(node.host_node.is_some(), admin, "{file}");
            }
        }
        "pagesize_kb" if file.contains("topology") => {
            assert!(inner.as_u64().is_some(), "{file}");
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_free_form_diagnostics_both_decode() {
        let standard: ServerDiagnostics = serde_json::from_value(serde_json::json!({
            "state": "running", "driver": "libvirt", "num_cpus": 1, "config_drive": true,
            "memory_details": {"maximum": 524288, "used": 0},
            "cpu_details": [{"id": 0, "time": 17300000000u64, "utilisation": 15}],
            "nic_details": [{"mac_address": "01:23:45:67:89:ab", "rx_octets": 1}],
            "disk_details": [{"read_bytes": 1, "errors_count": 0}]
        }))
        .expect("2.48");
        assert!(standard.extra.is_empty());
        assert_eq!(standard.cpu_details[0].time, Some(17_300_000_000));
        let old: ServerDiagnostics =
            serde_json::from_value(serde_json::json!({"cpu0_time": 1, "memory": 2})).expect("2.1");
        assert_eq!(old.extra.len(), 2);
        assert!(old.state.is_none());
    }
}
