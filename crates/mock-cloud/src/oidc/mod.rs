//! A small OpenID Connect provider on its own origin (its own port), the way
//! an IdP is never Keystone's host: the discovery document, the token
//! endpoint (password, client credentials, authorization code and device
//! grants), the device authorization endpoint (RFC 8628) and token
//! introspection (RFC 7662), which Keystone's federation half uses in process
//! the way mod_auth_openidc introspects in front of a real Keystone.
//!
//! Every request the provider reads is recorded ([`OidcProvider::received`]),
//! so a test can assert what reached it (never a Keystone token).

pub mod config;
mod grants;
mod wire;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

pub use config::{
    DeviceDecision, DeviceScript, FederationConfig, MappingRule, OidcClientConfig, OidcConfig,
    OidcUserConfig, oidc_seed,
};
pub use wire::{Claims, DiscoveryDocument};

use crate::faults::observe;
use crate::request_log::{ReceivedRequest, RequestLog};
use crate::state::SharedState;

/// The most live tokens and device codes kept (then the expired are dropped).
const PRUNE_ABOVE: usize = 10_000;

/// A device authorization waiting for the user.
#[derive(Clone, Debug)]
struct DeviceGrant {
    client_id: String,
    expires_at: DateTime<Utc>,
    polls: u32,
}

/// The provider's state: issued tokens, device codes and the request log.
#[derive(Debug)]
pub struct OidcProvider {
    base: String,
    tokens: Mutex<HashMap<String, Claims>>,
    devices: Mutex<HashMap<String, DeviceGrant>>,
    received: RequestLog,
}

impl OidcProvider {
    /// A provider whose URLs start with `base` (`http://127.0.0.1:PORT/oidc`).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            tokens: Mutex::new(HashMap::new()),
            devices: Mutex::new(HashMap::new()),
            received: RequestLog::default(),
        }
    }

    /// `http://127.0.0.1:PORT/oidc`: the issuer.
    pub fn issuer(&self) -> &str {
        &self.base
    }

    /// `<issuer>/.well-known/openid-configuration`.
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.base)
    }

    /// `<issuer>/token`.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.base)
    }

    /// `<issuer>/device`.
    pub fn device_url(&self) -> String {
        format!("{}/device", self.base)
    }

    /// Every request the provider read, oldest first.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.received.entries()
    }

    /// The claims of a live access or ID token (introspection).
    pub fn introspect(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        let tokens = self.tokens.lock().ok()?;
        tokens
            .get(token)
            .filter(|c| c.exp > now.timestamp())
            .cloned()
    }

    /// Issues a token carrying `claims`; returns it.
    fn issue(&self, claims: Claims, now: DateTime<Utc>) -> String {
        let token = format!("idp-{}", uuid::Uuid::new_v4().simple());
        if let Ok(mut tokens) = self.tokens.lock() {
            if tokens.len() > PRUNE_ABOVE {
                tokens.retain(|_, c| c.exp > now.timestamp());
            }
            tokens.insert(token.clone(), claims);
        }
        token
    }
}

/// The provider's routes (under `/oidc`), counted and faultable like the rest.
pub fn router(state: SharedState) -> Router {
    Router::new()
        .route(
            "/oidc/.well-known/openid-configuration",
            get(grants::discovery),
        )
        .route("/oidc/token", post(grants::token))
        .route("/oidc/device", post(grants::device_authorization))
        .route("/oidc/introspect", post(grants::introspection))
        .route_layer(from_fn_with_state(state.clone(), observe))
        .layer(from_fn_with_state(state.clone(), record_request))
        .with_state(state)
}

/// Records the request, then passes it on.
async fn record_request(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let request = state.oidc.received.record(request).await;
    next.run(request).await
}
