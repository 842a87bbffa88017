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
use crate::state::SharedState;

/// The most requests kept in the log (the oldest are dropped).
const MAX_RECORDED: usize = 512;

/// The most live tokens and device codes kept (then the expired are dropped).
const PRUNE_ABOVE: usize = 10_000;

/// A request the provider read.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers, names lowercase.
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy).
    pub body: String,
}

impl ReceivedRequest {
    /// The whole request as text, to search for a value that must not be there.
    pub fn text(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!(
            "{} {}\n{}\n\n{}",
            self.method,
            self.path,
            headers.join("\n"),
            self.body
        )
    }
}

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
    received: Mutex<Vec<ReceivedRequest>>,
}

impl OidcProvider {
    /// A provider whose URLs start with `base` (`http://127.0.0.1:PORT/oidc`).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            tokens: Mutex::new(HashMap::new()),
            devices: Mutex::new(HashMap::new()),
            received: Mutex::new(Vec::new()),
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

    /// Every request read since start (or [`OidcProvider::clear_received`]), oldest first.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Forgets the recorded requests.
    pub fn clear_received(&self) {
        if let Ok(mut r) = self.received.lock() {
            r.clear();
        }
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

    fn record(&self, request: ReceivedRequest) {
        if let Ok(mut r) = self.received.lock() {
            if r.len() >= MAX_RECORDED {
                r.remove(0);
            }
            r.push(request);
        }
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

/// Records the request (head and body), then passes it on.
async fn record_request(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    state.oidc.record(ReceivedRequest {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    });
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}
