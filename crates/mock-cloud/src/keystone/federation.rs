//! Keystone's federation half: `OS-FEDERATION/identity_providers/{idp}/
//! protocols/{protocol}/auth` turns an OpenID Connect bearer token into an
//! unscoped federated token. In production mod_auth_openidc validates the
//! bearer in front of Keystone and hands it the claims; here the mock
//! provider's introspection ([`OidcProvider::introspect`](crate::oidc::OidcProvider::introspect))
//! plays that part in process, and the configured mapping picks the user.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, SubsecRound, Utc};
use http::{HeaderMap, StatusCode, Uri, header};

use super::auth::{audit_id, token_response};
use super::errors::{keystone_error, plugin_unauthorized, unauthorized};
use super::tokens::{TokenRecord, TokenScope};
use crate::state::SharedState;

/// `POST|GET /identity/v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth`.
pub async fn federated_auth(
    State(state): State<SharedState>,
    Path((idp, protocol)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let federation = &state.config.oidc.federation;
    if idp != federation.identity_provider {
        return keystone_error(
            StatusCode::NOT_FOUND,
            &format!("Could not find Identity Provider: {idp}."),
        );
    }
    if protocol != federation.protocol {
        return keystone_error(
            StatusCode::NOT_FOUND,
            &format!("Could not find federated protocol {protocol} for Identity Provider: {idp}."),
        );
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let now = state.now();
    let Some(claims) = bearer.and_then(|token| state.oidc.introspect(token, now)) else {
        return unauthorized(&state.urls);
    };
    let Some(rule) = federation
        .rules
        .iter()
        .find(|rule| claims.groups.contains(&rule.group))
    else {
        return plugin_unauthorized(
            &state.urls,
            "Could not map any federated user properties to identity values.",
        );
    };
    let issued_at = now.trunc_subsecs(0);
    let ttl =
        chrono::Duration::from_std(state.keystone.tokens.ttl()).unwrap_or(chrono::Duration::MAX);
    let expires_at = issued_at
        .checked_add_signed(ttl)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let record = TokenRecord {
        user_id: rule.user_id.clone(),
        methods: vec![protocol],
        scope: TokenScope::Unscoped,
        role_ids: Vec::new(),
        is_admin: false,
        issued_at,
        expires_at,
        audit_ids: vec![audit_id()],
        app_credential: None,
    };
    let token_id = state.keystone.tokens.insert(record.clone(), now);
    token_response(&state, StatusCode::CREATED, &token_id, &record, &uri)
}
