//! Keystone v3 under `/identity`: version discovery and token issue,
//! validation and revocation.

mod auth;
mod body;
pub mod directory;
mod discovery;
pub mod errors;
mod federation;
mod identity;
mod oauth2;
pub mod receipts;
pub mod tokens;
pub mod totp;

use std::sync::RwLock;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde_json::Value;

pub use body::isotime;
pub use directory::Directory;
pub use receipts::{ReceiptRecord, ReceiptStore};
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
    /// Issued auth receipts.
    pub receipts: ReceiptStore,
    /// The catalog of scoped tokens as first built (identity and compute).
    full_catalog: Value,
    /// The catalog served now (a test may remove services).
    catalog: RwLock<Value>,
}

impl KeystoneStore {
    /// Builds the store; the catalog points at `urls`.
    pub fn new(config: &KeystoneConfig, urls: &Urls) -> Self {
        let catalog = body::catalog(urls, &config.region);
        Self {
            directory: Directory::from_config(config),
            tokens: TokenStore::new(Duration::from_secs(config.token_ttl_secs)),
            receipts: ReceiptStore::new(Duration::from_secs(config.receipt_ttl_secs)),
            catalog: RwLock::new(catalog.clone()),
            full_catalog: catalog,
        }
    }

    /// The catalog scoped tokens carry now.
    pub fn catalog(&self) -> Value {
        self.catalog
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|_| self.full_catalog.clone())
    }

    /// Removes every service of `service_type` from the catalog of tokens
    /// issued or validated from now on; returns how many were removed.
    pub fn remove_catalog_service(&self, service_type: &str) -> usize {
        let Ok(mut catalog) = self.catalog.write() else {
            return 0;
        };
        let Some(services) = catalog.as_array_mut() else {
            return 0;
        };
        let before = services.len();
        services.retain(|s| s.get("type").and_then(Value::as_str) != Some(service_type));
        before - services.len()
    }

    /// Puts every service back in the catalog.
    pub fn restore_catalog(&self) {
        if let Ok(mut catalog) = self.catalog.write() {
            *catalog = self.full_catalog.clone();
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
        .route(
            "/identity/v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth",
            get(federation::federated_auth).post(federation::federated_auth),
        )
        .route(
            "/identity/v3/OS-OAUTH2/token",
            axum::routing::post(oauth2::token).fallback(oauth2::method_not_allowed),
        )
        .merge(identity::router())
        .layer(axum::middleware::map_response(
            crate::request_id::add_openstack_request_id,
        ))
        .layer(axum::middleware::map_response(
            errors::vary_x_auth_token_on_401,
        ))
}
