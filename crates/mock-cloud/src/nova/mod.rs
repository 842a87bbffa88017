//! Nova v2.1 under `/compute`: version documents, the request pipeline
//! (token, microversion, request ids) and the resources.

mod context;
mod discovery;
mod fault;
pub mod gate;
pub mod resources;
mod version;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;

pub use context::NovaCtx;
pub use fault::{fault, fault_name, fault_with_retry_after};
pub use version::{ApiVersion, LEGACY_HEADER, STANDARD_HEADER, VersionRejection, negotiate};

pub use crate::state::{AppState, SharedState};

/// Compute routes (absolute paths under `/compute`): the version documents
/// and the resources behind [`gate::compute_gate`].
pub fn router(state: SharedState) -> Router<SharedState> {
    let resources = resources::router().layer(from_fn_with_state(state, gate::compute_gate));
    Router::new()
        .route("/compute", get(discovery::versions))
        .route("/compute/", get(discovery::versions))
        .route("/compute/v2", get(discovery::version_v20))
        .route("/compute/v2/", get(discovery::version_v20))
        .route("/compute/v2.1", get(discovery::version_v21))
        .route("/compute/v2.1/", get(discovery::version_v21))
        .nest("/compute/v2.1", resources)
}
