//! The servers resource: create, list, show, update, delete, actions and sub-resources.
//!
//! Polling model: each `GET /servers/{id}` counts one poll. A new server answers `BUILD`
//! (task `spawning`) for `build_polls` GETs, then `ACTIVE` (or `ERROR` with a fault when its
//! metadata had `mock:boot-fault`). After an action the transitional status (REBOOT, RESIZE, ...)
//! is seen by one GET and resolves on the next. After DELETE one GET shows task `deleting`,
//! the next answers 404. List and detail requests never advance transitions.

pub mod actions;
pub mod block_devices;
pub mod create;
pub mod create_schema;
pub mod list;
pub mod scheduler_hints;
pub mod state;
pub mod subresources;
pub mod update;
pub mod view_cache;
pub mod views;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json};
use views::ViewKind;

/// POST /servers
pub async fn create(State(st): State<SharedState>, ctx: NovaCtx, body: Bytes) -> ApiResult {
    let body = parse_json(&body)?;
    let now = st.now();
    let mut inner = st.nova.lock();
    create::create_servers(&mut inner, &ctx, &body, now)
}

/// A JSON body already serialized (what `Json(value)` would have sent).
fn json_bytes(body: Vec<u8>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// GET /servers
pub async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let inner = st.nova.lock();
    list::list_servers_json(&inner, &ctx, q.as_deref(), false).map(json_bytes)
}

/// GET /servers/detail
pub async fn detail(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let inner = st.nova.lock();
    list::list_servers_json(&inner, &ctx, q.as_deref(), true).map(json_bytes)
}

/// GET /servers/{id}: counts as one poll of the server's pending transition.
pub async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let now = st.now();
    let mut inner = st.nova.lock();
    let (visible, pending) = match inner.servers.get(&id) {
        Some(s) => (
            ctx.is_admin || s.project_id == ctx.project_id,
            s.pending.is_some(),
        ),
        None => (false, false),
    };
    // Polling a server with no pending transition changes nothing: skip the mutable
    // access, so its cached view stays valid.
    if !visible || (pending && !inner.poll_server(&id, now)) {
        return Err(ApiError::instance_not_found(&id));
    }
    let s = inner
        .servers
        .get(&id)
        .ok_or_else(|| ApiError::instance_not_found(&id))?;
    let mut body = Vec::with_capacity(2048);
    body.extend_from_slice(b"{\"server\":");
    inner
        .views
        .write_views(&mut body, &[&**s], &inner, &ctx, ViewKind::Show);
    body.push(b'}');
    Ok(json_bytes(body))
}

/// PUT /servers/{id}
pub async fn update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let body = parse_json(&body)?;
    let now = st.now();
    let mut inner = st.nova.lock();
    update::update_server(&mut inner, &ctx, &id, &body, now).map(Json)
}

/// DELETE /servers/{id}: 204; task_state `deleting` for one more GET, then 404.
pub async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let now = st.now();
    let mut inner = st.nova.lock();
    let soft = inner.config.reclaim_instance_interval > 0;
    let s = actions::visible_server(&mut inner, &ctx, &id)?;
    actions::check_lock(s, &ctx)?;
    if soft && s.vm_state != state::VmState::SoftDeleted {
        actions::soft_delete(s, now);
    } else {
        actions::start_delete(s, now);
    }
    super::instance_actions::record(&mut inner, &ctx, &id, "delete", now);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// POST /servers/{id}/action
pub async fn action(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let now = st.now();
    let mut inner = st.nova.lock();
    let response = actions::run_action(&mut inner, &ctx, &id, &body, now)?;
    super::instance_actions::record_action(&mut inner, &ctx, &id, &body, now);
    Ok(response)
}

/// The router fragment for servers (paths relative to /compute/v2.1).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/servers", get(index).post(create))
        .route("/servers/detail", get(detail))
        .route("/servers/{server_id}", get(show).put(update).delete(delete))
        .route("/servers/{server_id}/action", post(action))
        .merge(subresources::router())
}

/// Convert an `ApiResult<Json>` into a response (helper for tests).
pub fn into_response<T: IntoResponse>(r: ApiResult<T>) -> Response {
    match r {
        Ok(v) => v.into_response(),
        Err(e) => e.into_response(),
    }
}
