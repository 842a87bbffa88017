//! Keystone v3 under `/identity`: version discovery and token issue,
//! validation and revocation.

mod auth;
mod body;
pub mod directory;
mod discovery;
pub mod errors;
pub mod tokens;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde_json::Value;

pub use body::isotime;
pub use directory::Directory;
pub use tokens::{TokenRecord, TokenScope, TokenStore};

use crate::config::KeystoneConfig;
use crate::state::{SharedState, Urls};

/// Keystone's state: the directory, the issued tokens and the catalog.
#[derive(Debug)]
pub struct KeystoneStore {
    /// Domains, projects, roles, users, grants, application credentials.
    pub directory: Directory,
    /// Issued tokens.
    pub tokens: TokenStore,
    /// The catalog of scoped tokens (filled when the URLs are known).
    pub catalog: Value,
}

impl KeystoneStore {
    /// Builds the store; the catalog points at `urls`.
    pub fn new(config: &KeystoneConfig, urls: &Urls) -> Self {
        Self {
            directory: Directory::from_config(config),
            tokens: TokenStore::new(Duration::from_secs(config.token_ttl_secs)),
            catalog: body::catalog(urls, &config.region),
        }
    }
}

/// Keystone routes (absolute paths under `/identity`).
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/identity", get(discovery::versions))
        .route("/identity/", get(discovery::versions))
        .route("/identity/v3", get(discovery::version))
        .route("/identity/v3/", get(discovery::version))
        .route(
            "/identity/v3/auth/tokens",
            get(auth::validate).post(auth::issue).delete(auth::revoke),
        )
        .layer(axum::middleware::map_response(
            crate::request_id::add_openstack_request_id,
        ))
}
