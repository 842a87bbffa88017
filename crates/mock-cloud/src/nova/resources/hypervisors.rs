//! Hypervisors, one per compute host (per nova-compute service), admin only.
//!
//! `GET /os-hypervisors[/detail]` (2.33+ `limit`/`marker` with `hypervisors_links`, 2.53+
//! `hypervisor_hostname_pattern` and `with_servers`), `GET /os-hypervisors/{id}`
//! (`with_servers` 2.53+, `uptime` from 2.88), `/os-hypervisors/{id}/uptime` and
//! `/os-hypervisors/statistics` (removed in 2.88), `/os-hypervisors/{pattern}/search` and
//! `/servers` (removed in 2.53). Ids are integers below 2.53 and stable UUIDs from 2.53; the
//! counters are summed from the servers on the host and removed from 2.88.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::require_admin;
use super::error::{ApiError, ApiResult};
use super::query::{Query, next_link, parse_limit};
use super::services::{ServiceRecord, stable_uuid};
use super::store::Inner;
use super::validation::{is_uuid, truthy};

/// vCPUs of each mock hypervisor.
pub const HOST_VCPUS: u64 = 16;
/// RAM (MiB) of each mock hypervisor.
pub const HOST_MEMORY_MB: u64 = 65536;
/// Disk (GiB) of each mock hypervisor.
pub const HOST_LOCAL_GB: u64 = 1000;
const UPTIME: &str = " 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14";

/// One hypervisor as derived from its nova-compute service and the servers on its host.
#[derive(Debug, Clone)]
struct Hyp {
    int_id: u64,
    uuid: String,
    hostname: String,
    service: ServiceRecord,
    servers: Vec<(String, String)>,
    vcpus_used: u64,
    memory_mb_used: u64,
    local_gb_used: u64,
    workload: u64,
}

fn hypervisors(inner: &mut Inner) -> Vec<Hyp> {
    let config = inner.config.clone();
    let hosts = config.compute_hosts();
    let services: Vec<ServiceRecord> = inner
        .services
        .records(&config)
        .iter()
        .filter(|r| r.binary == "nova-compute")
        .cloned()
        .collect();
    let mut out = Vec::new();
    for service in services {
        let index = hosts.iter().position(|h| *h == service.host).unwrap_or(0);
        let mut on_host: Vec<_> = inner
            .servers
            .values()
            .filter(|s| s.host.as_deref() == Some(service.host.as_str()))
            .collect();
        on_host.sort_by_key(|s| s.seq);
        let mut hyp = Hyp {
            int_id: index as u64 + 1,
            uuid: stable_uuid(&format!("hypervisor/{}", service.host)),
            hostname: format!("{}.example.com", service.host),
            service: service.clone(),
            servers: Vec::new(),
            vcpus_used: 0,
            memory_mb_used: 0,
            local_gb_used: 0,
            workload: 0,
        };
        for s in on_host {
            hyp.servers.push((s.name.clone(), s.id.clone()));
            hyp.vcpus_used += u64::from(s.flavor.vcpus);
            hyp.memory_mb_used += u64::from(s.flavor.ram);
            hyp.local_gb_used += u64::from(s.flavor.disk);
            if s.task_state.is_some() {
                hyp.workload += 1;
            }
        }
        out.push(hyp);
    }
    out.sort_by_key(|h| h.int_id);
    out
}

fn view(h: &Hyp, ctx: &NovaCtx, detail: bool, with_servers: bool) -> Value {
    let v = ctx.version;
    let mut m = Map::new();
    if v.at_least(2, 53) {
        m.insert("id".into(), json!(h.uuid));
    } else {
        m.insert("id".into(), json!(h.int_id));
    }
    m.insert("hypervisor_hostname".into(), json!(h.hostname));
    let state = if h.service.is_up() { "up" } else { "down" };
    m.insert("state".into(), json!(state));
    let status = if h.service.disabled {
        "disabled"
    } else {
        "enabled"
    };
    m.insert("status".into(), json!(status));
    if detail {
        m.insert(
            "host_ip".into(),
            json!(format!("192.168.1.{}", 10 + h.int_id)),
        );
        m.insert("hypervisor_type".into(), json!("QEMU"));
        m.insert("hypervisor_version".into(), json!(8_002_000));
        let service_id = if v.at_least(2, 53) {
            json!(h.service.uuid)
        } else {
            json!(h.service.id)
        };
        m.insert(
            "service".into(),
            json!({"host": h.service.host, "id": service_id,
                "disabled_reason": h.service.disabled_reason}),
        );
        if v.at_least(2, 88) {
            m.insert("uptime".into(), json!(UPTIME));
        } else {
            let cpu = json!({"arch": "x86_64", "model": "Nehalem", "vendor": "Intel",
                "features": ["pge", "clflush"],
                "topology": {"cores": 8, "threads": 1, "sockets": 2}});
            let cpu_info = if v.at_least(2, 28) {
                cpu
            } else {
                json!(cpu.to_string())
            };
            m.insert("cpu_info".into(), cpu_info);
            let free_ram = HOST_MEMORY_MB as i64 - h.memory_mb_used as i64;
            let free_disk = HOST_LOCAL_GB as i64 - h.local_gb_used as i64;
            m.insert("vcpus".into(), json!(HOST_VCPUS));
            m.insert("vcpus_used".into(), json!(h.vcpus_used));
            m.insert("memory_mb".into(), json!(HOST_MEMORY_MB));
            m.insert("memory_mb_used".into(), json!(h.memory_mb_used));
            m.insert("free_ram_mb".into(), json!(free_ram));
            m.insert("local_gb".into(), json!(HOST_LOCAL_GB));
            m.insert("local_gb_used".into(), json!(h.local_gb_used));
            m.insert("free_disk_gb".into(), json!(free_disk));
            m.insert("disk_available_least".into(), json!(free_disk));
            m.insert("current_workload".into(), json!(h.workload));
            m.insert("running_vms".into(), json!(h.servers.len()));
        }
    }
    if with_servers && !h.servers.is_empty() {
        let servers: Vec<Value> = h
            .servers
            .iter()
            .map(|(name, uuid)| json!({"name": name, "uuid": uuid}))
            .collect();
        m.insert("servers".into(), Value::Array(servers));
    }
    Value::Object(m)
}

fn no_match(pattern: &str) -> ApiError {
    ApiError::not_found(format!(
        "No hypervisor matching '{pattern}' could be found."
    ))
}

fn with_servers_param(q: &Query, ctx: &NovaCtx) -> ApiResult<bool> {
    if !ctx.version.at_least(2, 53) {
        return Ok(false);
    }
    match q.last("with_servers") {
        None => Ok(false),
        Some(raw) => {
            let value = Value::from(raw);
            super::validation::check_boolean("with_servers", &value).map_err(|_| {
                ApiError::bad_request(format!(
                    "Invalid input for query parameters with_servers. Value: {raw}. '{raw}' is not a valid boolean"
                ))
            })?;
            Ok(truthy(&value))
        }
    }
}

fn listing(
    st: &SharedState,
    ctx: &NovaCtx,
    raw: Option<&str>,
    detail: bool,
) -> ApiResult<Json<Value>> {
    let rule = if detail {
        "os_compute_api:os-hypervisors:list-detail"
    } else {
        "os_compute_api:os-hypervisors:list"
    };
    require_admin(ctx, rule)?;
    let v = ctx.version;
    let q = Query::parse(raw);
    let mut allowed = Vec::new();
    if v.at_least(2, 33) {
        allowed.extend(["limit", "marker"]);
    }
    if v.at_least(2, 53) {
        allowed.extend(["hypervisor_hostname_pattern", "with_servers"]);
        super::query::reject_unknown(&q, &allowed).map_err(ApiError::bad_request)?;
    }
    let with_servers = with_servers_param(&q, ctx)?;
    let pattern = if v.at_least(2, 53) {
        q.last("hypervisor_hostname_pattern")
    } else {
        None
    };
    let paging = v.at_least(2, 33) && (q.last("limit").is_some() || q.last("marker").is_some());
    if pattern.is_some() && paging {
        return Err(ApiError::bad_request(
            "Paging over hypervisors with the hostname pattern is not supported.",
        ));
    }
    let mut inner = st.nova.lock();
    let max = inner.config.max_limit;
    let mut all = hypervisors(&mut inner);
    drop(inner);
    if let Some(p) = pattern {
        all.retain(|h| h.hostname.contains(p));
        if all.is_empty() {
            return Err(no_match(p));
        }
    }
    let mut limit = max;
    if v.at_least(2, 33) {
        limit = parse_limit(&q, max).map_err(ApiError::bad_request)?;
        if let Some(marker) = q.last("marker") {
            let position = all.iter().position(|h| {
                if v.at_least(2, 53) {
                    h.uuid == marker
                } else {
                    h.int_id.to_string() == marker
                }
            });
            let Some(position) = position else {
                return Err(ApiError::bad_request(format!(
                    "marker [{marker}] not found"
                )));
            };
            all.drain(..=position);
        }
    }
    let page: Vec<&Hyp> = all.iter().take(limit).collect();
    let items: Vec<Value> = page
        .iter()
        .map(|h| view(h, ctx, detail, with_servers))
        .collect();
    let mut body = Map::new();
    body.insert("hypervisors".into(), Value::Array(items));
    if v.at_least(2, 33)
        && q.last("limit").is_some()
        && page.len() == limit
        && limit > 0
        && let Some(last) = page.last()
    {
        let marker = if v.at_least(2, 53) {
            last.uuid.clone()
        } else {
            last.int_id.to_string()
        };
        let path = if detail {
            "os-hypervisors/detail"
        } else {
            "os-hypervisors"
        };
        body.insert(
            "hypervisors_links".into(),
            next_link(&ctx.base_url, path, &q, &marker),
        );
    }
    Ok(Json(Value::Object(body)))
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    listing(&st, &ctx, raw.as_deref(), false)
}

async fn detail(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    listing(&st, &ctx, raw.as_deref(), true)
}

fn find(st: &SharedState, ctx: &NovaCtx, id: &str) -> ApiResult<Hyp> {
    let not_found =
        || ApiError::not_found(format!("Hypervisor with ID '{id}' could not be found."));
    if ctx.version.at_least(2, 53) {
        if !is_uuid(id) {
            return Err(ApiError::bad_request(format!("Invalid uuid {id}")));
        }
    } else if id.parse::<u64>().is_err() {
        return Err(not_found());
    }
    let mut inner = st.nova.lock();
    hypervisors(&mut inner)
        .into_iter()
        .find(|h| {
            if ctx.version.at_least(2, 53) {
                h.uuid == id
            } else {
                h.int_id.to_string() == id
            }
        })
        .ok_or_else(not_found)
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-hypervisors:show")?;
    let q = Query::parse(raw.as_deref());
    if ctx.version.at_least(2, 53) {
        super::query::reject_unknown(&q, &["with_servers"]).map_err(ApiError::bad_request)?;
    }
    let with_servers = with_servers_param(&q, &ctx)?;
    let h = find(&st, &ctx, &id)?;
    Ok(Json(
        json!({"hypervisor": view(&h, &ctx, true, with_servers)}),
    ))
}

async fn uptime(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    if ctx.version.at_least(2, 88) {
        return Err(ApiError::resource_not_found());
    }
    require_admin(&ctx, "os_compute_api:os-hypervisors:uptime")?;
    let h = find(&st, &ctx, &id)?;
    let mut m = view(&h, &ctx, false, false);
    m["uptime"] = json!(UPTIME);
    Ok(Json(json!({"hypervisor": m})))
}

async fn statistics(State(st): State<SharedState>, ctx: NovaCtx) -> ApiResult<Json<Value>> {
    if ctx.version.at_least(2, 88) {
        return Err(ApiError::resource_not_found());
    }
    require_admin(&ctx, "os_compute_api:os-hypervisors:statistics")?;
    let mut inner = st.nova.lock();
    let all = hypervisors(&mut inner);
    drop(inner);
    let n = all.len() as u64;
    let sum = |f: fn(&Hyp) -> u64| all.iter().map(f).sum::<u64>();
    let (vcpus_used, memory_used, disk_used) = (
        sum(|h| h.vcpus_used),
        sum(|h| h.memory_mb_used),
        sum(|h| h.local_gb_used),
    );
    let free_disk = (n * HOST_LOCAL_GB) as i64 - disk_used as i64;
    Ok(Json(json!({"hypervisor_statistics": {
        "count": n,
        "vcpus": n * HOST_VCPUS,
        "vcpus_used": vcpus_used,
        "memory_mb": n * HOST_MEMORY_MB,
        "memory_mb_used": memory_used,
        "free_ram_mb": (n * HOST_MEMORY_MB) as i64 - memory_used as i64,
        "local_gb": n * HOST_LOCAL_GB,
        "local_gb_used": disk_used,
        "free_disk_gb": free_disk,
        "disk_available_least": free_disk,
        "current_workload": sum(|h| h.workload),
        "running_vms": sum(|h| h.servers.len() as u64),
    }})))
}

/// `/os-hypervisors/{pattern}/search` and `/servers` (below 2.53).
fn search_like(
    st: &SharedState,
    ctx: &NovaCtx,
    pattern: &str,
    servers: bool,
) -> ApiResult<Json<Value>> {
    if ctx.version.at_least(2, 53) {
        return Err(ApiError::resource_not_found());
    }
    let rule = if servers {
        "os_compute_api:os-hypervisors:servers"
    } else {
        "os_compute_api:os-hypervisors:search"
    };
    require_admin(ctx, rule)?;
    let mut inner = st.nova.lock();
    let all = hypervisors(&mut inner);
    drop(inner);
    let items: Vec<Value> = all
        .iter()
        .filter(|h| h.hostname.contains(pattern))
        .map(|h| view(h, ctx, false, servers))
        .collect();
    if items.is_empty() {
        return Err(no_match(pattern));
    }
    Ok(Json(json!({"hypervisors": items})))
}

async fn search(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(pattern): Path<String>,
) -> ApiResult<Json<Value>> {
    search_like(&st, &ctx, &pattern, false)
}

async fn servers(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(pattern): Path<String>,
) -> ApiResult<Json<Value>> {
    search_like(&st, &ctx, &pattern, true)
}

/// Hypervisor routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/os-hypervisors", get(index))
        .route("/os-hypervisors/detail", get(detail))
        .route("/os-hypervisors/statistics", get(statistics))
        .route("/os-hypervisors/{hypervisor_id}", get(show))
        .route("/os-hypervisors/{hypervisor_id}/uptime", get(uptime))
        .route("/os-hypervisors/{hypervisor_id}/search", get(search))
        .route("/os-hypervisors/{hypervisor_id}/servers", get(servers))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::nova::ApiVersion;
    use crate::nova::resources::config::NovaConfig;
    use crate::nova::resources::sample_tests::{keys, reference_sample};
    use crate::nova::resources::store::NovaStore;

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "p", "u", true)
    }

    fn sample_keys(path: &str) -> BTreeSet<String> {
        keys(&reference_sample(&format!("os-hypervisors/{path}"))["hypervisor"])
    }

    #[test]
    fn the_detailed_view_has_the_sample_keys_at_2_53_and_2_88() {
        let store = NovaStore::new(&NovaConfig::default());
        let all = hypervisors(&mut store.lock());
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].hostname, "compute-1.example.com");
        let keys = |minor| -> BTreeSet<String> {
            view(&all[0], &ctx(minor), true, false)
                .as_object()
                .expect("object")
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(keys(88), sample_keys("v2.88/hypervisors-show-resp.json"));
        let mut old = sample_keys("v2.53/hypervisors-show-with-servers-resp.json");
        old.remove("servers");
        assert_eq!(keys(53), old);
        let uuid = view(&all[0], &ctx(53), false, false)["id"].clone();
        assert_eq!(uuid, json!(stable_uuid("hypervisor/compute-0")));
        assert_eq!(view(&all[0], &ctx(52), false, false)["id"], json!(1));
    }
}
