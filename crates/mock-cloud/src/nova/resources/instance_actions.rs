//! Instance actions and events, recorded as servers are acted on.
//!
//! Every successful server action (see [`record_action`]), the create and the attach/detach
//! calls leave one action with one finished event. Like Nova: events are shown to admins,
//! from 2.51 to everyone without `traceback`; `updated_at` from 2.58; event `hostId` (and
//! `host` for admins) from 2.62; event `details` (admins) from 2.84. From 2.21 the actions
//! of a deleted server stay readable.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::error::{ApiError, ApiResult};
use super::store::Inner;
use crate::nova::NovaCtx;
use crate::state::SharedState;

/// Nova's name for a server action key (`None`: Nova records nothing for it).
fn nova_action_name(key: &str) -> Option<&'static str> {
    Some(match key {
        "reboot" => "reboot",
        "os-start" => "start",
        "os-stop" => "stop",
        "pause" => "pause",
        "unpause" => "unpause",
        "suspend" => "suspend",
        "resume" => "resume",
        "lock" => "lock",
        "unlock" => "unlock",
        "rescue" => "rescue",
        "unrescue" => "unrescue",
        "resize" => "resize",
        "confirmResize" => "confirmResize",
        "revertResize" => "revertResize",
        "rebuild" => "rebuild",
        "createImage" => "createImage",
        "createBackup" => "createBackup",
        "shelve" => "shelve",
        "shelveOffload" => "shelveOffload",
        "unshelve" => "unshelve",
        "migrate" => "migrate",
        "os-migrateLive" => "live-migration",
        "evacuate" => "evacuate",
        "changePassword" => "changePassword",
        "forceDelete" => "delete",
        "restore" => "restore",
        "os-resetState" => "resetState",
        "trigger_crash_dump" => "trigger_crash_dump",
        "addFixedIp" => "addFixedIp",
        "removeFixedIp" => "removeFixedIp",
        _ => return None,
    })
}

/// The compute event an action produces (`None` for API-only actions such as lock).
fn event_name(action: &str) -> Option<String> {
    Some(
        match action {
            "lock" | "unlock" | "resetState" => return None,
            "create" => "compute__do_build_and_run_instance",
            "resize" | "migrate" => "compute_prep_resize",
            "confirmResize" => "compute_confirm_resize",
            "revertResize" => "compute_revert_resize",
            "createImage" => "compute_snapshot_instance",
            "createBackup" => "compute_backup_instance",
            "evacuate" => "compute_rebuild_instance",
            "live-migration" => "compute_live_migration",
            "changePassword" => "compute_set_admin_password",
            "delete" => "compute_terminate_instance",
            "restore" => "compute_restore_instance",
            "attach_interface" | "detach_interface" | "attach_volume" | "detach_volume"
            | "swap_volume" | "trigger_crash_dump" => {
                return Some(format!("compute_{action}"));
            }
            "shelveOffload" => "compute_shelve_offload_instance",
            other => return Some(format!("compute_{}_instance", other.to_lowercase())),
        }
        .to_owned(),
    )
}

/// One recorded event.
#[derive(Debug, Clone)]
pub struct EventRecord {
    /// e.g. `compute_stop_instance`.
    pub event: String,
    /// Start and finish.
    pub time: DateTime<Utc>,
    /// The compute host (None when not scheduled).
    pub host: Option<String>,
    /// Nova's `hostId` for the server's project and host.
    pub host_id: String,
}

/// One recorded action.
#[derive(Debug, Clone)]
pub struct ActionRecord {
    /// Nova's action name.
    pub action: String,
    /// The request that did it.
    pub request_id: String,
    /// Who.
    pub user_id: String,
    /// Their project.
    pub project_id: String,
    /// When.
    pub time: DateTime<Utc>,
    /// The events (one, or none for API-only actions).
    pub events: Vec<EventRecord>,
}

/// The actions of one server, oldest first.
#[derive(Debug, Clone, Default)]
pub struct ServerActions {
    /// The server's project (for access after the server is gone).
    pub project_id: String,
    /// The actions.
    pub actions: Vec<ActionRecord>,
}

/// The instance actions part of the store.
#[derive(Debug, Default)]
pub struct InstanceActionState {
    /// Actions by server id.
    pub by_server: HashMap<String, ServerActions>,
}

/// Records that `action` (Nova's name) just happened to server `id`.
pub fn record(inner: &mut Inner, ctx: &NovaCtx, id: &str, action: &str, now: DateTime<Utc>) {
    let Some(server) = inner.servers.get(id) else {
        return;
    };
    let project_id = server.project_id.clone();
    let host = server.host.as_deref().map(str::to_owned);
    let host_id = super::servers::views::host_id(server);
    let events = event_name(action)
        .map(|event| EventRecord {
            event,
            time: now,
            host,
            host_id,
        })
        .into_iter()
        .collect();
    let entry = inner
        .instance_actions
        .by_server
        .entry(id.to_owned())
        .or_default();
    entry.project_id = project_id;
    entry.actions.push(ActionRecord {
        action: action.to_owned(),
        request_id: ctx.request_id.clone(),
        user_id: ctx.user_id.clone(),
        project_id: ctx.project_id.clone(),
        time: now,
        events,
    });
}

/// Records the server action in `body` (`{"<action>": ...}`), which has just succeeded on
/// server `id`.
pub fn record_action(inner: &mut Inner, ctx: &NovaCtx, id: &str, body: &Value, now: DateTime<Utc>) {
    let Some(key) = body.as_object().and_then(|o| o.keys().next()) else {
        return;
    };
    if let Some(name) = nova_action_name(key) {
        record(inner, ctx, id, name, now);
    }
}

fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

fn action_view(a: &ActionRecord, server_id: &str, ctx: &NovaCtx) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("action".into(), json!(a.action));
    m.insert("instance_uuid".into(), json!(server_id));
    m.insert("message".into(), Value::Null);
    m.insert("project_id".into(), json!(a.project_id));
    m.insert("request_id".into(), json!(a.request_id));
    m.insert("start_time".into(), json!(time(&a.time)));
    if ctx.version.at_least(2, 58) {
        m.insert("updated_at".into(), json!(time(&a.time)));
    }
    m.insert("user_id".into(), json!(a.user_id));
    m
}

fn event_view(e: &EventRecord, ctx: &NovaCtx) -> Value {
    let v = ctx.version;
    let mut m = Map::new();
    m.insert("event".into(), json!(e.event));
    m.insert("finish_time".into(), json!(time(&e.time)));
    m.insert("result".into(), json!("Success"));
    m.insert("start_time".into(), json!(time(&e.time)));
    if ctx.is_admin {
        m.insert("traceback".into(), Value::Null);
    }
    if v.at_least(2, 62) {
        m.insert("hostId".into(), json!(e.host_id));
        if ctx.is_admin {
            m.insert("host".into(), json!(e.host.clone().unwrap_or_default()));
        }
    }
    if v.at_least(2, 84) && ctx.is_admin {
        m.insert("details".into(), Value::Null);
    }
    Value::Object(m)
}

/// The `instanceAction` view of one action with its events (admins, or everyone from 2.51).
pub fn show_view(action: &ActionRecord, server_id: &str, ctx: &NovaCtx) -> Value {
    let mut m = action_view(action, server_id, ctx);
    if ctx.is_admin || ctx.version.at_least(2, 51) {
        let events: Vec<Value> = action.events.iter().map(|e| event_view(e, ctx)).collect();
        m.insert("events".into(), Value::Array(events));
    }
    Value::Object(m)
}

/// The actions of server `id` the caller may read: a live server they can see, or (2.21+)
/// the recorded actions of a deleted one of their project (any for admins).
fn readable<'a>(inner: &'a Inner, ctx: &NovaCtx, id: &str) -> ApiResult<Vec<&'a ActionRecord>> {
    let record = inner.instance_actions.by_server.get(id);
    match inner.servers.get(id) {
        Some(s) if ctx.is_admin || s.project_id == ctx.project_id => {}
        Some(_) => return Err(ApiError::instance_not_found(id)),
        None => {
            let allowed = ctx.version.at_least(2, 21)
                && record.is_some_and(|r| ctx.is_admin || r.project_id == ctx.project_id);
            if !allowed {
                return Err(ApiError::instance_not_found(id));
            }
        }
    }
    Ok(record
        .map(|r| r.actions.iter().collect())
        .unwrap_or_default())
}

fn parse_time(field: &str, text: &str) -> ApiResult<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    Err(ApiError::bad_request(format!(
        "Invalid input for query parameters {field}. Value: {text}. '{text}' is not a 'date-time'"
    )))
}

/// GET /servers/{id}/os-instance-actions
async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> ApiResult<Json<Value>> {
    let paging = ctx.version.at_least(2, 58);
    let get = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut limit = None;
    let (mut marker, mut since, mut before) = (None, None, None);
    if paging {
        if let Some(l) = get("limit") {
            let n: i64 = l.parse().map_err(|_| {
                ApiError::bad_request(format!(
                    "Invalid input for query parameters limit. Value: {l}. '{l}' does not match '^[0-9]*$'"
                ))
            })?;
            limit = Some(n.max(0) as usize);
        }
        marker = get("marker");
        if let Some(t) = get("changes-since") {
            since = Some(parse_time("changes-since", &t)?);
        }
        if ctx.version.at_least(2, 66)
            && let Some(t) = get("changes-before")
        {
            before = Some(parse_time("changes-before", &t)?);
        }
        if let (Some(s), Some(b)) = (since, before)
            && s > b
        {
            return Err(ApiError::bad_request(
                "The value of changes-since must be less than or equal to changes-before.",
            ));
        }
    }
    let inner = st.nova.lock();
    let mut actions = readable(&inner, &ctx, &id)?;
    actions.reverse(); // newest first
    actions.retain(|a| since.is_none_or(|s| a.time >= s) && before.is_none_or(|b| a.time <= b));
    if let Some(m) = &marker {
        let Some(pos) = actions.iter().position(|a| &a.request_id == m) else {
            return Err(ApiError::bad_request(format!(
                "Marker {m} could not be found."
            )));
        };
        actions.drain(..=pos);
    }
    let max = inner.config.max_limit.max(1);
    let page = limit.unwrap_or(max).min(max);
    // Nova links the next page whenever this one is full.
    let full = actions.len() >= page;
    actions.truncate(page);
    let items: Vec<Value> = actions
        .iter()
        .map(|a| Value::Object(action_view(a, &id, &ctx)))
        .collect();
    let mut body = Map::new();
    if paging
        && full
        && page > 0
        && let Some(last) = actions.last()
    {
        let href = format!(
            "{}/servers/{id}/os-instance-actions?limit={page}&marker={}",
            ctx.base_url.trim_end_matches('/'),
            last.request_id
        );
        body.insert("links".into(), json!([{"href": href, "rel": "next"}]));
    }
    body.insert("instanceActions".into(), Value::Array(items));
    Ok(Json(Value::Object(body)))
}

/// GET /servers/{id}/os-instance-actions/{request_id}
async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, request_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let inner = st.nova.lock();
    let actions = readable(&inner, &ctx, &id)?;
    let Some(action) = actions.iter().find(|a| a.request_id == request_id) else {
        return Err(ApiError::not_found(format!(
            "Action {request_id} on instance {id} not found"
        )));
    };
    Ok(Json(
        json!({"instanceAction": show_view(action, &id, &ctx)}),
    ))
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/servers/{server_id}/os-instance-actions", get(index))
        .route(
            "/servers/{server_id}/os-instance-actions/{request_id}",
            get(show),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_keys_map_to_nova_names_and_events() {
        assert_eq!(nova_action_name("os-stop"), Some("stop"));
        assert_eq!(nova_action_name("os-migrateLive"), Some("live-migration"));
        assert_eq!(nova_action_name("os-getVNCConsole"), None);
        assert_eq!(event_name("stop").as_deref(), Some("compute_stop_instance"));
        assert_eq!(
            event_name("attach_volume").as_deref(),
            Some("compute_attach_volume")
        );
        assert_eq!(event_name("lock"), None);
    }
}
