//! Compute services, one nova-compute per compute host plus the control services
//! (nova-scheduler and nova-conductor on [`CONTROLLER_HOST`]).
//!
//! `GET /os-services` (filters `host`, `binary`); below 2.53 `PUT /os-services/enable`,
//! `disable`, `disable-log-reason` and (2.11+) `force-down` with `host` + `binary`; from 2.53
//! `PUT /os-services/{uuid}` with `status`, `disabled_reason`, `forced_down`;
//! `DELETE /os-services/{id}` (integer below 2.53, UUID from 2.53; 409 while a compute
//! service still hosts servers). Admin only. Also the `evacuate` server action, which needs
//! the source host's nova-compute down.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::config::NovaConfig;
use super::error::{ApiError, ApiResult, parse_json, require_admin};
use super::model::Settle;
use super::query::Query;
use super::servers::create::generate_password;
use super::servers::state::{TaskState, VmState};
use super::store::Inner;
use super::validation::*;

/// The host of nova-scheduler and nova-conductor.
pub const CONTROLLER_HOST: &str = "controller";

/// A stable UUID derived from `seed` (the same across mock restarts).
pub fn stable_uuid(seed: &str) -> String {
    let mut bytes = [0u8; 16];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, slot) in bytes.iter_mut().enumerate() {
        for b in seed.bytes().chain([i as u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        *slot = (h >> 24) as u8;
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// One service record.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRecord {
    /// Integer id (below 2.53).
    pub id: u64,
    /// UUID (2.53+).
    pub uuid: String,
    /// `nova-compute`, `nova-scheduler`, `nova-conductor`.
    pub binary: String,
    /// The host.
    pub host: String,
    /// Availability zone (`internal` for control services).
    pub zone: String,
    /// Disabled by an operator.
    pub disabled: bool,
    /// Why.
    pub disabled_reason: Option<String>,
    /// Forced down by an operator.
    pub forced_down: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl ServiceRecord {
    /// `up` unless forced down (the mock's services never miss a heartbeat).
    pub fn is_up(&self) -> bool {
        !self.forced_down
    }
}

/// The services part of the store (seeded from the config on first use).
#[derive(Debug, Default)]
pub struct ServiceState {
    records: Option<Vec<ServiceRecord>>,
}

impl ServiceState {
    /// Every service, seeding them from `config` the first time.
    pub fn records(&mut self, config: &NovaConfig) -> &mut Vec<ServiceRecord> {
        self.records.get_or_insert_with(|| seed(config))
    }

    /// The nova-compute service of `host`, if the services were seeded and it exists.
    pub fn compute(&self, host: &str) -> Option<&ServiceRecord> {
        self.records
            .as_ref()?
            .iter()
            .find(|r| r.binary == "nova-compute" && r.host == host)
    }

    /// True when `host`'s nova-compute is down (forced down). An unknown or never-touched
    /// service is up.
    pub fn is_compute_down(&self, host: &str) -> bool {
        self.compute(host).is_some_and(|r| !r.is_up())
    }

    /// True when `host`'s nova-compute was forced down.
    pub fn is_compute_forced_down(&self, host: &str) -> bool {
        self.compute(host).is_some_and(|r| r.forced_down)
    }
}

fn seed(config: &NovaConfig) -> Vec<ServiceRecord> {
    let at = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |binary: &str, host: &str, zone: &str| {
        let id = out.len() as u64 + 1;
        out.push(ServiceRecord {
            id,
            uuid: stable_uuid(&format!("service/{binary}/{host}")),
            binary: binary.into(),
            host: host.into(),
            zone: zone.into(),
            disabled: false,
            disabled_reason: None,
            forced_down: false,
            updated_at: at,
        });
    };
    push("nova-scheduler", CONTROLLER_HOST, "internal");
    push("nova-conductor", CONTROLLER_HOST, "internal");
    for host in config.compute_hosts() {
        push("nova-compute", &host, &config.default_availability_zone);
    }
    out
}

/// The service object at `ctx`'s microversion.
pub fn service_view(r: &ServiceRecord, ctx: &NovaCtx) -> Value {
    let v = ctx.version;
    let mut m = Map::new();
    if v.at_least(2, 53) {
        m.insert("id".into(), json!(r.uuid));
    } else {
        m.insert("id".into(), json!(r.id));
    }
    m.insert("binary".into(), json!(r.binary));
    m.insert("host".into(), json!(r.host));
    m.insert("zone".into(), json!(r.zone));
    let status = if r.disabled { "disabled" } else { "enabled" };
    m.insert("status".into(), json!(status));
    m.insert("state".into(), json!(if r.is_up() { "up" } else { "down" }));
    m.insert(
        "updated_at".into(),
        json!(r.updated_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
    );
    m.insert("disabled_reason".into(), json!(r.disabled_reason));
    if v.at_least(2, 11) {
        m.insert("forced_down".into(), json!(r.forced_down));
    }
    Value::Object(m)
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-services:list")?;
    let q = Query::parse(raw.as_deref());
    if ctx.version.at_least(2, 75) {
        super::query::reject_unknown(&q, &["host", "binary"]).map_err(ApiError::bad_request)?;
    }
    let mut inner = st.nova.lock();
    let config = inner.config.clone();
    let items: Vec<Value> = inner
        .services
        .records(&config)
        .iter()
        .filter(|r| q.last("host").is_none_or(|h| h == r.host))
        .filter(|r| q.last("binary").is_none_or(|b| b == r.binary))
        .map(|r| service_view(r, &ctx))
        .collect();
    Ok(Json(json!({"services": items})))
}

/// `PUT /os-services/{action}` below 2.53, `PUT /os-services/{uuid}` from 2.53.
async fn update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-services:update")?;
    let body = parse_json(&body)?;
    let now = st.now();
    let mut inner = st.nova.lock();
    if ctx.version.at_least(2, 53) {
        update_by_uuid(&mut inner, &ctx, &id, &body, now)
    } else {
        update_legacy(&mut inner, &ctx, &id, &body, now)
    }
}

fn update_legacy(
    inner: &mut Inner,
    ctx: &NovaCtx,
    action: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Json<Value>> {
    let known = match action {
        "enable" | "disable" | "disable-log-reason" => true,
        "force-down" => ctx.version.at_least(2, 11),
        _ => false,
    };
    if !known {
        return Err(ApiError::not_found("Unknown action"));
    }
    let bad = ApiError::bad_request;
    let obj = body.as_object().cloned().unwrap_or_default();
    check_type("", body, &["object"]).map_err(bad)?;
    let mut required = vec!["host", "binary"];
    match action {
        "disable-log-reason" => required.push("disabled_reason"),
        "force-down" => required.push("forced_down"),
        _ => {}
    }
    check_required(None, &obj, body, &required).map_err(bad)?;
    check_string("host", &body["host"], 1, 255).map_err(bad)?;
    check_string("binary", &body["binary"], 1, 255).map_err(bad)?;
    if action == "disable-log-reason" {
        check_string("disabled_reason", &body["disabled_reason"], 1, 255).map_err(bad)?;
    }
    if action == "force-down" {
        check_boolean("forced_down", &body["forced_down"]).map_err(bad)?;
    }
    let host = body["host"].as_str().unwrap_or_default().to_string();
    let binary = body["binary"].as_str().unwrap_or_default().to_string();
    let config = inner.config.clone();
    let record = inner
        .services
        .records(&config)
        .iter_mut()
        .find(|r| r.host == host && r.binary == binary)
        .ok_or_else(|| {
            ApiError::not_found(format!("Could not find binary {binary} on host {host}."))
        })?;
    record.updated_at = now;
    let mut out = Map::new();
    out.insert("host".into(), json!(host));
    out.insert("binary".into(), json!(binary));
    match action {
        "enable" => {
            record.disabled = false;
            record.disabled_reason = None;
            out.insert("status".into(), json!("enabled"));
        }
        "disable" => {
            record.disabled = true;
            out.insert("status".into(), json!("disabled"));
        }
        "disable-log-reason" => {
            record.disabled = true;
            let reason = body["disabled_reason"].as_str().map(str::to_string);
            record.disabled_reason = reason.clone();
            out.insert("status".into(), json!("disabled"));
            out.insert("disabled_reason".into(), json!(reason));
        }
        _ => {
            record.forced_down = truthy(&body["forced_down"]);
            out.insert("forced_down".into(), json!(record.forced_down));
        }
    }
    Ok(Json(json!({"service": out})))
}

fn update_by_uuid(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Json<Value>> {
    if !is_uuid(id) {
        return Err(ApiError::bad_request(format!("Invalid uuid {id}")));
    }
    let bad = ApiError::bad_request;
    check_type("", body, &["object"]).map_err(bad)?;
    let obj = body.as_object().cloned().unwrap_or_default();
    check_no_extra(
        None,
        &obj,
        body,
        &["status", "disabled_reason", "forced_down"],
    )
    .map_err(bad)?;
    if let Some(s) = obj.get("status") {
        check_enum("status", s, &["enabled", "disabled"]).map_err(bad)?;
    }
    if let Some(r) = obj.get("disabled_reason") {
        check_string("disabled_reason", r, 1, 255).map_err(bad)?;
    }
    if let Some(f) = obj.get("forced_down") {
        check_boolean("forced_down", f).map_err(bad)?;
    }
    let status = obj.get("status").and_then(Value::as_str);
    if obj.contains_key("disabled_reason") && status != Some("disabled") {
        return Err(ApiError::bad_request(
            "Specifying 'disabled_reason' with status 'enabled' is invalid.",
        ));
    }
    if status.is_none() && !obj.contains_key("forced_down") {
        return Err(ApiError::bad_request(
            "At least one of 'status' or 'forced_down' must be specified in the request body.",
        ));
    }
    let config = inner.config.clone();
    let record = inner
        .services
        .records(&config)
        .iter_mut()
        .find(|r| r.uuid == id)
        .ok_or_else(|| ApiError::not_found(format!("Service {id} could not be found.")))?;
    if record.binary != "nova-compute" {
        return Err(bad(format!(
            "Updating a {} service is not supported. Only nova-compute services can be updated.",
            record.binary
        )));
    }
    match status {
        Some("enabled") => {
            record.disabled = false;
            record.disabled_reason = None;
        }
        Some(_) => {
            record.disabled = true;
            record.disabled_reason = obj
                .get("disabled_reason")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        None => {}
    }
    if let Some(f) = obj.get("forced_down") {
        record.forced_down = truthy(f);
    }
    record.updated_at = now;
    Ok(Json(json!({"service": service_view(record, ctx)})))
}

async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    require_admin(&ctx, "os_compute_api:os-services:delete")?;
    let mut inner = st.nova.lock();
    let config = inner.config.clone();
    let position = if ctx.version.at_least(2, 53) {
        if !is_uuid(&id) {
            return Err(ApiError::bad_request(format!("Invalid uuid {id}")));
        }
        inner
            .services
            .records(&config)
            .iter()
            .position(|r| r.uuid == id)
    } else {
        let Ok(n) = id.parse::<u64>() else {
            return Err(ApiError::bad_request(
                "Invalid input received: id must be an integer",
            ));
        };
        inner
            .services
            .records(&config)
            .iter()
            .position(|r| r.id == n)
    };
    let Some(position) = position else {
        return Err(ApiError::not_found(format!(
            "Service {id} could not be found."
        )));
    };
    let record = inner.services.records(&config)[position].clone();
    if record.binary == "nova-compute" {
        let hosting = inner
            .servers
            .values()
            .any(|s| s.host.as_deref() == Some(record.host.as_str()));
        if hosting {
            return Err(ApiError::conflict(
                "Unable to delete compute service that is hosting instances. Migrate or delete the instances first.",
            ));
        }
    }
    inner.services.records(&config).remove(position);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The `evacuate` server action (admin), called from the server action dispatcher.
pub fn evacuate(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    let v = ctx.version;
    let bad = ApiError::bad_request;
    check_type("evacuate", args, &["object"]).map_err(bad)?;
    let obj = args.as_object().cloned().unwrap_or_default();
    let mut allowed = vec!["host", "adminPass"];
    if !v.at_least(2, 14) {
        check_required(Some("evacuate"), &obj, args, &["onSharedStorage"]).map_err(bad)?;
        allowed.push("onSharedStorage");
    }
    if v.at_least(2, 29) && !v.at_least(2, 68) {
        allowed.push("force");
    }
    check_no_extra(Some("evacuate"), &obj, args, &allowed).map_err(bad)?;
    if let Some(h) = obj.get("host") {
        check_string("host", h, 1, 255).map_err(bad)?;
    }
    if let Some(p) = obj.get("adminPass") {
        check_type("adminPass", p, &["string"]).map_err(bad)?;
    }
    for key in ["onSharedStorage", "force"] {
        if let Some(b) = obj.get(key) {
            check_boolean(key, b).map_err(bad)?;
        }
    }
    require_admin(ctx, "os_compute_api:os-evacuate")?;
    let shared = obj.get("onSharedStorage").is_some_and(truthy);
    let mut password = obj
        .get("adminPass")
        .and_then(Value::as_str)
        .map(str::to_string);
    if !v.at_least(2, 14) {
        if shared && password.is_some() {
            return Err(ApiError::bad_request(
                "admin password can't be changed on existing disk",
            ));
        }
        if !shared && password.is_none() {
            password = Some(generate_password());
        }
    }
    let config = inner.config.clone();
    let target = obj.get("host").and_then(Value::as_str).map(str::to_string);
    if let Some(host) = &target {
        let known = inner
            .services
            .records(&config)
            .iter()
            .any(|r| r.binary == "nova-compute" && &r.host == host);
        if !known {
            return Err(ApiError::not_found(format!(
                "Compute host {host} not found."
            )));
        }
    }
    let s = super::servers::actions::visible_server(inner, ctx, id)?;
    let source = s.host.as_deref().unwrap_or_default().to_string();
    if target.as_deref() == Some(source.as_str()) {
        return Err(ApiError::bad_request(
            "The target host can't be the same one.",
        ));
    }
    let allowed_states = [VmState::Active, VmState::Stopped, VmState::Error];
    super::servers::actions::require("evacuate", s, &allowed_states)?;
    let was_stopped = s.vm_state == VmState::Stopped;
    let source_down = inner.services.is_compute_down(&source);
    if !source_down {
        return Err(bad(format!("Compute service of {source} is still in use.")));
    }
    // Without a target the scheduler picks an enabled, up compute host other than the source.
    let chosen = target.or_else(|| {
        inner
            .services
            .records(&config)
            .iter()
            .find(|r| r.binary == "nova-compute" && r.host != source && r.is_up() && !r.disabled)
            .map(|r| r.host.clone())
    });
    // Nova records every evacuation as a migration ("done" once the rebuild is under way).
    let dest = chosen.clone().unwrap_or_else(|| source.clone());
    super::server_migrations::new_record(
        inner,
        ctx,
        id,
        ("evacuation", "done"),
        (&source, &dest),
        now,
    );
    let s = super::servers::actions::visible_server(inner, ctx, id)?;
    let end = if v.at_least(2, 95) || was_stopped {
        VmState::Stopped
    } else {
        VmState::Active
    };
    if let Some(host) = chosen {
        s.hypervisor_hostname = Some(std::sync::Arc::from(format!("{host}.example.com")));
        s.host = Some(std::sync::Arc::from(host.as_str()));
    }
    if s.vm_state == VmState::Error {
        s.vm_state = VmState::Active;
    }
    s.begin(
        TaskState::Rebuilding,
        super::servers::actions::ACTION_POLLS,
        Settle::To(end),
        now,
    );
    if v.at_least(2, 14) {
        Ok(StatusCode::OK.into_response())
    } else {
        Ok((StatusCode::OK, Json(json!({"adminPass": password}))).into_response())
    }
}

/// Service routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::{get, put};
    axum::Router::new()
        .route("/os-services", get(index))
        .route("/os-services/{service_id}", put(update).delete(delete))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::nova::ApiVersion;
    use crate::nova::resources::sample_tests::{keys, reference_sample};

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "p", "u", true)
    }

    fn sample_keys(path: &str) -> BTreeSet<String> {
        keys(&reference_sample(&format!("os-services/{path}"))["services"][0])
    }

    #[test]
    fn the_view_has_the_2_53_sample_keys_and_stable_ids() {
        let mut state = ServiceState::default();
        let config = NovaConfig::default();
        let first = state.records(&config).clone();
        let again = seed(&config);
        assert_eq!(first, again, "stable ids");
        assert_eq!(first.len(), 4);
        assert!(is_uuid(&first[0].uuid));
        let view = service_view(&first[2], &ctx(53));
        let keys: BTreeSet<String> = view.as_object().expect("object").keys().cloned().collect();
        assert_eq!(keys, sample_keys("v2.53/services-list-get-resp.json"));
        let old = service_view(&first[2], &ctx(10));
        assert!(old.get("forced_down").is_none() && old["id"].is_u64());
        assert!(!state.is_compute_down("compute-0"));
        state.records(&config)[2].forced_down = true;
        assert!(state.is_compute_down("compute-0") && state.is_compute_forced_down("compute-0"));
    }
}
