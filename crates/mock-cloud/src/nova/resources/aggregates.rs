//! Host aggregates.

use crate::state::SharedState;

/// The aggregates part of the store.
#[derive(Debug, Default)]
pub struct AggregateState {}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
