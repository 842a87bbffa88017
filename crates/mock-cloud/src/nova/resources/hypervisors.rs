//! Hypervisors, one per compute host.

use crate::state::SharedState;

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
