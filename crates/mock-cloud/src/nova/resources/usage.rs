//! `/os-simple-tenant-usage`: every project's usage (admin) and one project's usage (the
//! project itself or an admin) over `[start, end]` (both default to now).
//!
//! Computed from the store's servers: a server counts from its launch (its creation while
//! it builds) to now, clipped to the window; `hours * flavor` gives the totals. The mock
//! forgets deleted servers, so it never reports `terminated` ones. `detailed=1` adds the
//! servers to the list; from 2.40 servers are paged (`limit`, default and cap `max_limit`;
//! `marker` = a server id) in creation order, with a `rel=next` link on a full page.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult};
use super::model::Server;
use super::query::{Query, next_link, parse_limit};
use super::store::Inner;

/// Nova's `isoformat()` of a naive UTC time: microseconds only when non-zero.
fn iso(t: NaiveDateTime) -> String {
    if t.and_utc().timestamp_subsec_micros() == 0 {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

/// Parses `start`/`end` as Nova does (absent: now).
fn parse_time(text: Option<&str>, now: DateTime<Utc>) -> ApiResult<DateTime<Utc>> {
    let Some(text) = text else { return Ok(now) };
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    Err(ApiError::bad_request("Datetime is in invalid format"))
}

/// The window, paging and detail flag of one request.
struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    detailed: bool,
    /// `(limit, marker)` from 2.40.
    page: Option<(usize, Option<String>)>,
}

fn window(st: &SharedState, ctx: &NovaCtx, q: &Query, max_limit: usize) -> ApiResult<Window> {
    let now = st.now();
    let start = parse_time(q.last("start"), now)?;
    let end = parse_time(q.last("end"), now)?;
    if start > end {
        return Err(ApiError::bad_request(
            "Invalid start time. The start time cannot occur after the end time.",
        ));
    }
    let page = if ctx.version.at_least(2, 40) {
        let limit = parse_limit(q, max_limit).map_err(ApiError::bad_request)?;
        Some((limit, q.last("marker").map(str::to_owned)))
    } else {
        None
    };
    Ok(Window {
        start,
        end,
        now,
        detailed: q.last("detailed") == Some("1"),
        page,
    })
}

/// When a server started counting: its launch, or its creation while it builds.
fn started(s: &Server) -> DateTime<Utc> {
    s.launched_at.unwrap_or(s.created)
}

/// The servers of `project` (all when `None`) active in the window, in creation order,
/// paged; `true` when the page is full (a next link is due).
fn servers_in<'a>(
    inner: &'a Inner,
    project: Option<&str>,
    w: &Window,
) -> ApiResult<(Vec<&'a Server>, bool)> {
    let mut servers: Vec<&Server> = inner
        .servers
        .values()
        .map(|s| s.as_ref())
        .filter(|s| project.is_none_or(|p| s.project_id == p))
        .filter(|s| started(s) < w.end)
        .collect();
    servers.sort_by_key(|s| s.seq);
    let Some((limit, marker)) = &w.page else {
        return Ok((servers, false));
    };
    if let Some(marker) = marker {
        let Some(after) = inner.servers.get(marker).map(|s| s.seq) else {
            return Err(ApiError::bad_request(format!(
                "Marker {marker} could not be found."
            )));
        };
        servers.retain(|s| s.seq > after);
    }
    servers.truncate(*limit);
    let full = *limit > 0 && servers.len() == *limit;
    Ok((servers, full))
}

/// One server's usage entry and its hours.
fn server_usage(s: &Server, w: &Window) -> (Value, f64) {
    let began = started(s);
    let from = began.max(w.start);
    let to = w.end.min(w.now.max(from));
    let hours = ((to - from).num_microseconds().unwrap_or(0).max(0) as f64) / 3.6e9;
    let f = &s.flavor;
    let uptime = (w.now - began).num_seconds().max(0);
    let entry = json!({
        "instance_id": s.id,
        "name": s.name,
        "hours": hours,
        "memory_mb": f.ram,
        "local_gb": f.disk + f.ephemeral,
        "vcpus": f.vcpus,
        "flavor": f.name,
        "state": s.vm_state.as_str(),
        "started_at": iso(began.naive_utc()),
        "ended_at": Value::Null,
        "uptime": uptime,
        "tenant_id": s.project_id,
    });
    (entry, hours)
}

/// The usages per project, in the order their first server appears.
fn usages(servers: &[&Server], w: &Window, detailed: bool) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut by_project: std::collections::HashMap<String, Map<String, Value>> =
        std::collections::HashMap::new();
    for s in servers {
        let (entry, hours) = server_usage(s, w);
        let f = &s.flavor;
        let usage = by_project.entry(s.project_id.clone()).or_insert_with(|| {
            order.push(s.project_id.clone());
            let mut m = Map::new();
            m.insert("tenant_id".into(), json!(s.project_id));
            m.insert("start".into(), json!(iso(w.start.naive_utc())));
            m.insert("stop".into(), json!(iso(w.end.naive_utc())));
            for key in [
                "total_hours",
                "total_memory_mb_usage",
                "total_vcpus_usage",
                "total_local_gb_usage",
            ] {
                m.insert(key.into(), json!(0.0));
            }
            m.insert("server_usages".into(), json!([]));
            m
        });
        let mut add = |key: &str, amount: f64| {
            let old = usage.get(key).and_then(Value::as_f64).unwrap_or(0.0);
            usage.insert(key.into(), json!(old + amount));
        };
        add("total_hours", hours);
        add("total_memory_mb_usage", hours * f64::from(f.ram));
        add("total_vcpus_usage", hours * f64::from(f.vcpus));
        add(
            "total_local_gb_usage",
            hours * f64::from(f.disk + f.ephemeral),
        );
        if let Some(Value::Array(list)) = usage.get_mut("server_usages") {
            list.push(entry);
        }
    }
    order
        .into_iter()
        .filter_map(|p| by_project.remove(&p))
        .map(|mut m| {
            if !detailed {
                m.remove("server_usages");
            }
            Value::Object(m)
        })
        .collect()
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:os-simple-tenant-usage:list",
        ));
    }
    let q = Query::parse(raw.as_deref());
    let inner = st.nova.lock();
    let w = window(&st, &ctx, &q, inner.config.max_limit)?;
    let (servers, full) = servers_in(&inner, None, &w)?;
    let mut body = Map::new();
    body.insert(
        "tenant_usages".into(),
        Value::Array(usages(&servers, &w, w.detailed)),
    );
    if full && let Some(last) = servers.last() {
        body.insert(
            "tenant_usages_links".into(),
            next_link(&ctx.base_url, "os-simple-tenant-usage", &q, &last.id),
        );
    }
    Ok(Json(Value::Object(body)))
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(project): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin && project != ctx.project_id {
        return Err(ApiError::policy(
            "os_compute_api:os-simple-tenant-usage:show",
        ));
    }
    let q = Query::parse(raw.as_deref());
    let inner = st.nova.lock();
    let w = window(&st, &ctx, &q, inner.config.max_limit)?;
    let (servers, full) = servers_in(&inner, Some(&project), &w)?;
    let usage = usages(&servers, &w, true)
        .into_iter()
        .next()
        .unwrap_or_else(|| json!({}));
    let mut body = Map::new();
    body.insert("tenant_usage".into(), usage);
    if full && let Some(last) = servers.last() {
        body.insert(
            "tenant_usage_links".into(),
            next_link(
                &ctx.base_url,
                &format!("os-simple-tenant-usage/{project}"),
                &q,
                &last.id,
            ),
        );
    }
    Ok(Json(Value::Object(body)))
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/os-simple-tenant-usage", get(index))
        .route("/os-simple-tenant-usage/{project_id}", get(show))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nova::resources::{NovaConfig, NovaStore};
    use std::collections::BTreeSet;

    fn keys(v: &Value) -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn sample(name: &str) -> Value {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/openstack-reference/nova/os-simple-tenant-usage")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("sample");
        serde_json::from_str(&text).expect("json")
    }

    #[test]
    fn usages_have_the_samples_keys_and_hours_clip_to_the_window() {
        let store = NovaStore::new(&NovaConfig::default());
        store.seed_servers(2, "u", "demo");
        let inner = store.lock();
        let servers: Vec<&Server> = inner.servers.values().map(|s| s.as_ref()).collect();
        let began = servers.iter().map(|s| started(s)).min().expect("servers");
        let w = Window {
            start: began - chrono::Duration::hours(5),
            end: began + chrono::Duration::hours(2),
            now: began + chrono::Duration::hours(10),
            detailed: true,
            page: None,
        };
        let detailed = usages(&servers, &w, true);
        assert_eq!(detailed.len(), 1, "one project");
        let want = sample("simple-tenant-usage-get-detail.json");
        let want_usage = &want["tenant_usages"][0];
        assert_eq!(keys(&detailed[0]), keys(want_usage));
        assert_eq!(
            keys(&detailed[0]["server_usages"][0]),
            keys(&want_usage["server_usages"][0])
        );
        let plain = usages(&servers, &w, false);
        let want = sample("simple-tenant-usage-get.json");
        assert_eq!(keys(&plain[0]), keys(&want["tenant_usages"][0]));
        // Each server counts from its launch to the window's end: about 2 hours each.
        let hours = detailed[0]["total_hours"].as_f64().expect("hours");
        assert!((3.99..=4.0).contains(&hours), "{hours}");
        let first = &detailed[0]["server_usages"][0];
        let ram = first["memory_mb"].as_f64().expect("ram");
        assert!(detailed[0]["total_memory_mb_usage"].as_f64().expect("mb") >= ram * 3.99);
        let uptime = first["uptime"].as_i64().expect("uptime");
        assert!((35_999..=36_000).contains(&uptime), "{uptime}");
    }

    #[test]
    fn times_parse_in_nova_forms_and_print_like_isoformat() {
        let now = Utc::now();
        let t = parse_time(Some("2012-10-08 21:10:44.587336"), now).expect("space form");
        assert_eq!(iso(t.naive_utc()), "2012-10-08T21:10:44.587336");
        let t = parse_time(Some("2012-10-08T21:10:44"), now).expect("no fraction");
        assert_eq!(iso(t.naive_utc()), "2012-10-08T21:10:44");
        assert!(parse_time(Some("yesterday"), now).is_err());
        assert_eq!(parse_time(None, now).ok(), Some(now));
    }
}
