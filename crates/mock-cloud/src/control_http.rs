//! `/_mock/...`: the control API over HTTP (no token needed, not counted).
//!
//! | request | effect |
//! |---|---|
//! | `GET /_mock/counters` | `{"<METHOD /route>": n, ...}` |
//! | `POST /_mock/counters/reset` | zero every counter (204) |
//! | `GET /_mock/faults` | pending faults |
//! | `POST /_mock/faults` | add a [`Fault`] (JSON, 201) |
//! | `DELETE /_mock/faults` | clear faults (204) |
//! | `GET /_mock/faults/fired` | `{"<METHOD /route> <action>": n, ...}`: faults fired |
//! | `DELETE /_mock/faults/fired` | forget the tally (204) |
//! | `PUT /_mock/faults/seed` | `{"seed": n}`: seed probabilistic faults (204) |
//! | `GET /_mock/tokens` | `{"tokens": [id, ...]}`: every token not revoked (for leak checks) |
//! | `POST /_mock/tokens/revoke` | revoke every token, `{"revoked": n}` |
//! | `POST /_mock/tokens/expire` | expire every token now, `{"expired": n}` |
//! | `DELETE /_mock/catalog/{type}` | drop a service from the catalog, `{"removed": n}` |
//! | `POST /_mock/catalog/restore` | put every service back (204) |
//! | `POST /_mock/compute/versions/hide` | version documents answer 404 until faults are cleared (204) |
//! | `GET`/`PUT /_mock/tokens/ttl` | `{"seconds": n}`: lifetime of new tokens |
//! | `POST /_mock/clock/advance` | `{"seconds": n}`: move the clock forward |
//! | `ANY /_mock/redirect?to=URL&status=302` | redirect to `URL` |
//! | `ANY /_mock/echo[/...]` | record the request, answer it as JSON |
//! | `GET`/`DELETE /_mock/echo/log` | recorded requests / forget them |
//! | `/_mock/nova/...` | Nova resource controls |

use std::time::Duration;

use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, put};
use axum::{Json, Router};
use http::{HeaderValue, StatusCode, header};
use serde::Deserialize;
use serde_json::json;

use crate::echo::EchoRecord;
use crate::faults::Fault;
use crate::state::SharedState;

/// The `/_mock` routes (absolute paths).
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/_mock/counters", get(counters))
        .route("/_mock/counters/reset", post(reset_counters))
        .route(
            "/_mock/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route(
            "/_mock/faults/fired",
            get(faults_fired).delete(reset_faults_fired),
        )
        .route("/_mock/faults/seed", put(seed_faults).post(seed_faults))
        .route("/_mock/tokens", get(list_tokens))
        .route("/_mock/tokens/revoke", post(revoke_tokens))
        .route("/_mock/tokens/expire", post(expire_tokens))
        .route("/_mock/catalog/restore", post(restore_catalog))
        .route(
            "/_mock/catalog/{service_type}",
            delete(remove_catalog_service),
        )
        .route("/_mock/compute/versions/hide", post(hide_version_documents))
        .route(
            "/_mock/tokens/ttl",
            get(token_ttl).put(set_token_ttl).post(set_token_ttl),
        )
        .route("/_mock/clock/advance", post(advance_clock))
        .route("/_mock/redirect", any(redirect))
        .route("/_mock/echo", any(echo))
        .route("/_mock/echo/log", get(echo_log).delete(clear_echo_log))
        .route("/_mock/echo/{*rest}", any(echo))
        .nest("/_mock/nova", crate::nova::resources::control_router())
}

async fn counters(State(state): State<SharedState>) -> Response {
    Json(state.counters.snapshot()).into_response()
}

async fn reset_counters(State(state): State<SharedState>) -> StatusCode {
    state.counters.reset();
    StatusCode::NO_CONTENT
}

async fn list_faults(State(state): State<SharedState>) -> Response {
    Json(state.faults.list()).into_response()
}

async fn add_fault(State(state): State<SharedState>, Json(fault): Json<Fault>) -> Response {
    state.faults.add(fault.clone());
    (StatusCode::CREATED, Json(fault)).into_response()
}

async fn clear_faults(State(state): State<SharedState>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

async fn faults_fired(State(state): State<SharedState>) -> Response {
    Json(state.faults.fired()).into_response()
}

async fn reset_faults_fired(State(state): State<SharedState>) -> StatusCode {
    state.faults.reset_fired();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Seed {
    seed: u64,
}

async fn seed_faults(State(state): State<SharedState>, Json(body): Json<Seed>) -> StatusCode {
    state.faults.seed(body.seed);
    StatusCode::NO_CONTENT
}

async fn list_tokens(State(state): State<SharedState>) -> Response {
    Json(json!({ "tokens": state.keystone.tokens.ids() })).into_response()
}

async fn expire_tokens(State(state): State<SharedState>) -> Response {
    let expired = state.keystone.tokens.expire_all(state.now());
    Json(json!({ "expired": expired })).into_response()
}

async fn remove_catalog_service(
    State(state): State<SharedState>,
    Path(service_type): Path<String>,
) -> Response {
    let removed = state.keystone.remove_catalog_service(&service_type);
    Json(json!({ "removed": removed })).into_response()
}

async fn restore_catalog(State(state): State<SharedState>) -> StatusCode {
    state.keystone.restore_catalog();
    StatusCode::NO_CONTENT
}

async fn hide_version_documents(State(state): State<SharedState>) -> StatusCode {
    for fault in crate::control::version_document_faults() {
        state.faults.add(fault);
    }
    StatusCode::NO_CONTENT
}

async fn revoke_tokens(State(state): State<SharedState>) -> Response {
    let revoked = state.keystone.tokens.revoke_all();
    Json(json!({ "revoked": revoked })).into_response()
}

#[derive(Deserialize)]
struct Seconds {
    seconds: u64,
}

async fn token_ttl(State(state): State<SharedState>) -> Response {
    Json(json!({ "seconds": state.keystone.tokens.ttl().as_secs() })).into_response()
}

async fn set_token_ttl(State(state): State<SharedState>, Json(body): Json<Seconds>) -> StatusCode {
    state
        .keystone
        .tokens
        .set_ttl(Duration::from_secs(body.seconds));
    StatusCode::NO_CONTENT
}

async fn advance_clock(State(state): State<SharedState>, Json(body): Json<Seconds>) -> Response {
    state.clock.advance(Duration::from_secs(body.seconds));
    Json(json!({ "offset_seconds": state.clock.offset().as_secs() })).into_response()
}

#[derive(Deserialize)]
struct RedirectParams {
    to: String,
    #[serde(default = "found")]
    status: u16,
}

fn found() -> u16 {
    302
}

async fn redirect(Query(params): Query<RedirectParams>) -> Response {
    let Ok(location) = HeaderValue::from_str(&params.to) else {
        return (StatusCode::BAD_REQUEST, "`to` is not a valid header value").into_response();
    };
    match params.status {
        301 | 302 | 303 | 307 | 308 => {}
        other => {
            return (
                StatusCode::BAD_REQUEST,
                format!("status {other} is not a redirect (use 301, 302, 303, 307 or 308)"),
            )
                .into_response();
        }
    }
    let status = StatusCode::from_u16(params.status).unwrap_or(StatusCode::FOUND);
    (status, [(header::LOCATION, location)]).into_response()
}

async fn echo(State(state): State<SharedState>, request: Request) -> Response {
    let record = EchoRecord {
        method: request.method().to_string(),
        path: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        headers: request
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    state.echo.push(record.clone());
    Json(record).into_response()
}

async fn echo_log(State(state): State<SharedState>) -> Response {
    Json(state.echo.records()).into_response()
}

async fn clear_echo_log(State(state): State<SharedState>) -> StatusCode {
    state.echo.clear();
    StatusCode::NO_CONTENT
}
