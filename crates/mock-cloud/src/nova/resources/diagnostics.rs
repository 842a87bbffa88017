//! Server diagnostics (admin) and topology (2.78+).
//!
//! Diagnostics look like a libvirt/KVM guest: the free-form dict below 2.48, Nova's standard
//! shape from 2.48. The mock gives every server one guest NUMA node holding all its vCPUs and
//! memory, each vCPU pinned to the host CPU of the same number (shown to admins only, with
//! `host_node`).

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::error::{ApiError, ApiResult};
use super::model::Server;
use super::servers::actions::visible_server;
use super::servers::state::{PowerState, VmState};
use crate::nova::NovaCtx;
use crate::state::SharedState;

fn state_name(s: &Server) -> &'static str {
    match s.power_state {
        PowerState::Running => "running",
        PowerState::Paused => "paused",
        PowerState::Shutdown => "shutdown",
        PowerState::Suspended => "suspended",
        PowerState::NoState => "pending",
    }
}

/// The standard diagnostics view (2.48+) of `s`, up `uptime` seconds.
pub(crate) fn standard(s: &Server, uptime: i64) -> Value {
    let cpus: Vec<Value> = (0..s.flavor.vcpus)
        .map(|i| json!({"id": i, "time": 17_300_000_000u64, "utilisation": 15}))
        .collect();
    let disks: Vec<Value> = std::iter::once(())
        .chain(s.volumes.iter().map(|_| ()))
        .map(|()| {
            json!({"errors_count": 0, "read_bytes": 262144, "read_requests": 112,
                "write_bytes": 5778432, "write_requests": 488})
        })
        .collect();
    let nics: Vec<Value> = s
        .addresses
        .iter()
        .map(|a| {
            json!({"mac_address": a.mac, "rx_drop": 0, "rx_errors": 0, "rx_octets": 2070139,
                "rx_packets": 26701, "rx_rate": null, "tx_drop": 0, "tx_errors": 0,
                "tx_octets": 140208, "tx_packets": 662, "tx_rate": null})
        })
        .collect();
    json!({
        "config_drive": !s.config_drive.is_empty(),
        "cpu_details": cpus,
        "disk_details": disks,
        "driver": "libvirt",
        "hypervisor": "kvm",
        "hypervisor_os": "linux",
        "memory_details": {"maximum": u64::from(s.flavor.ram) * 1024, "used": 0},
        "nic_details": nics,
        "num_cpus": s.flavor.vcpus,
        "num_disks": disks.len(),
        "num_nics": nics.len(),
        "state": state_name(s),
        "uptime": uptime.max(0),
    })
}

fn free_form(s: &Server) -> Value {
    let mut m = Map::new();
    for i in 0..s.flavor.vcpus {
        m.insert(format!("cpu{i}_time"), json!(17_300_000_000u64));
    }
    m.insert("memory".into(), json!(u64::from(s.flavor.ram) * 1024));
    m.insert(
        "memory-actual".into(),
        json!(u64::from(s.flavor.ram) * 1024),
    );
    m.insert("memory-rss".into(), json!(200_164));
    m.insert("vda_errors".into(), json!(-1));
    m.insert("vda_read".into(), json!(262_144));
    m.insert("vda_read_req".into(), json!(112));
    m.insert("vda_write".into(), json!(5_778_432));
    m.insert("vda_write_req".into(), json!(488));
    for a in &s.addresses {
        let nic = format!("tap{}", &a.port_id.chars().take(11).collect::<String>());
        m.insert(format!("{nic}_rx"), json!(2_070_139));
        m.insert(format!("{nic}_tx"), json!(140_208));
    }
    Value::Object(m)
}

/// GET /servers/{id}/diagnostics (admin)
async fn diagnostics(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-server-diagnostics"));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    if s.host.is_none() || s.vm_state == VmState::Building {
        return Err(ApiError::conflict(format!("Instance {id} is not ready")));
    }
    let uptime = s
        .launched_at
        .map(|t| (now - t).num_seconds())
        .unwrap_or_default();
    Ok(Json(if ctx.version.at_least(2, 48) {
        standard(s, uptime)
    } else {
        free_form(s)
    }))
}

/// GET /servers/{id}/topology (2.78+)
async fn topology(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    if !ctx.version.at_least(2, 78) {
        return Err(ApiError::resource_not_found());
    }
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let vcpus: Vec<u32> = (0..s.flavor.vcpus).collect();
    let mut node = Map::new();
    if ctx.is_admin {
        let pinning: Map<String, Value> = vcpus.iter().map(|i| (i.to_string(), json!(i))).collect();
        node.insert("cpu_pinning".into(), Value::Object(pinning));
        node.insert("host_node".into(), json!(0));
    }
    node.insert("memory_mb".into(), json!(s.flavor.ram));
    node.insert("siblings".into(), json!([vcpus.clone()]));
    node.insert("vcpu_set".into(), json!(vcpus));
    Ok(Json(json!({"nodes": [node], "pagesize_kb": 4})))
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/servers/{server_id}/diagnostics", get(diagnostics))
        .route("/servers/{server_id}/topology", get(topology))
}
