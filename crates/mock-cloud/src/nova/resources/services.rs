//! Compute services, one nova-compute per compute host plus the control services.

use crate::state::SharedState;

/// The services part of the store.
#[derive(Debug, Default)]
pub struct ServiceState {}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
