//! The compute APIs Nova has removed, answered as Nova 34 answers them: `410 Gone` with
//! webob's message in a `computeFault` body, at every microversion and before any lookup
//! (each controller raises `HTTPGone` first). These are the controllers of
//! `nova/api/openstack/compute` that do so: `os-agents`, `os-cells`, `os-certificates`,
//! `os-cloudpipe`, `os-fixed-ips`, `os-floating-ip-dns`, `os-floating-ips-bulk`, `os-fping`,
//! `os-security-group-default-rules`, a server's `consoles` and `os-virtual-interfaces`, the
//! write half of `os-networks` and `os-tenant-networks` (their reads still answer), and the
//! `resetNetwork` server action (see `servers::actions`).

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{MethodRouter, any, delete, post};

use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json};

/// webob's `HTTPGone` explanation, which Nova sends as the fault message.
pub const GONE_MESSAGE: &str =
    "This resource is no longer available.  No forwarding address is given.";

/// The 410 every removed API answers.
pub fn gone() -> ApiError {
    ApiError::new(StatusCode::GONE, GONE_MESSAGE)
}

async fn gone_handler() -> ApiResult {
    Err(gone())
}

/// An `{"<action>": ...}` body on a removed controller's `/action`: 410 for the actions it
/// had, else Nova's 400s.
fn removed_action(body: &[u8], actions: &[&str]) -> ApiResult {
    let body = parse_json(body)?;
    let Some(obj) = body.as_object().filter(|o| o.len() == 1) else {
        return Err(ApiError::malformed());
    };
    match obj.keys().next() {
        Some(action) if actions.contains(&action.as_str()) => Err(gone()),
        Some(action) => Err(ApiError::bad_request(format!(
            "There is no such action: {action}"
        ))),
        None => Err(ApiError::malformed()),
    }
}

async fn fixed_ip_action(body: Bytes) -> ApiResult {
    removed_action(&body, &["reserve", "unreserve"])
}

async fn network_action(body: Bytes) -> ApiResult {
    removed_action(
        &body,
        &[
            "disassociate",
            "disassociate_host",
            "disassociate_project",
            "associate_host",
        ],
    )
}

fn every_method() -> MethodRouter<SharedState> {
    any(gone_handler)
}

/// The router fragment (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    let mut router = axum::Router::new();
    for path in [
        "/os-agents",
        "/os-agents/{id}",
        "/os-cells",
        "/os-cells/capacities",
        "/os-cells/detail",
        "/os-cells/info",
        "/os-cells/sync_instances",
        "/os-cells/{id}",
        "/os-cells/{id}/capacities",
        "/os-certificates",
        "/os-certificates/{id}",
        "/os-cloudpipe",
        "/os-cloudpipe/{id}",
        "/os-fixed-ips/{id}",
        "/os-floating-ip-dns",
        "/os-floating-ip-dns/{id}",
        "/os-floating-ip-dns/{domain}/entries/{id}",
        "/os-floating-ips-bulk",
        "/os-floating-ips-bulk/{id}",
        "/os-fping",
        "/os-fping/{id}",
        "/os-security-group-default-rules",
        "/os-security-group-default-rules/{id}",
        "/servers/{server_id}/consoles",
        "/servers/{server_id}/consoles/{id}",
        "/servers/{server_id}/os-virtual-interfaces",
    ] {
        router = router.route(path, every_method());
    }
    router
        .route("/os-fixed-ips/{id}/action", post(fixed_ip_action))
        .route("/os-networks/add", post(gone_handler))
        .route("/os-networks/{id}/action", post(network_action))
        .route("/os-networks/{id}", delete(gone_handler))
        .route("/os-tenant-networks/{id}", delete(gone_handler))
        // Their reads still answer in Nova; the mock has no nova-network, so `GET` stays 404.
        .route("/os-networks", post(gone_handler))
        .route("/os-tenant-networks", post(gone_handler))
}
