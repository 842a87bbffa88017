//! Interface and volume attachments added after boot.

use crate::state::SharedState;

/// The attachments part of the store.
#[derive(Debug, Default)]
pub struct AttachmentState {}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
}
