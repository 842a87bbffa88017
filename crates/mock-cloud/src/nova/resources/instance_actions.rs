//! Instance actions and events, recorded as servers are acted on.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::store::Inner;
use crate::nova::NovaCtx;
use crate::state::SharedState;

/// Records the server action in `body` (`{"<action>": ...}`), which has just succeeded on
/// server `id`.
pub fn record_action(
    _inner: &mut Inner,
    _ctx: &NovaCtx,
    _id: &str,
    _body: &Value,
    _now: DateTime<Utc>,
) {
}

/// The instance actions part of the store.
#[derive(Debug, Default)]
pub struct InstanceActionState {}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
