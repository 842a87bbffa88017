//! Remote consoles, the older console actions and console auth tokens.

use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::ApiResult;
use super::store::Inner;
use crate::nova::NovaCtx;
use crate::state::SharedState;

/// Runs `action` if it is one of the older console actions (`os-getVNCConsole`, ...):
/// `Ok(None)` for any other action, which the server action dispatcher then handles.
pub fn legacy_action(
    _inner: &mut Inner,
    _ctx: &NovaCtx,
    _id: &str,
    _action: &str,
    _args: &Value,
    _now: DateTime<Utc>,
) -> ApiResult<Option<Response>> {
    Ok(None)
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
