//! Migrations: server migrations (`/servers/{id}/migrations`) and `/os-migrations`.

use crate::state::SharedState;

/// The server migrations part of the store.
#[derive(Debug, Default)]
pub struct MigrationState {}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
