//! The provider's handlers: discovery, the token endpoint with its grants,
//! device authorization and introspection.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use chrono::Duration;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Serialize;

use super::DeviceGrant;
use super::config::{DeviceDecision, OidcClientConfig};
use super::wire::{
    Claims, DeviceAuthorizationResponse, DiscoveryDocument, Inactive, OAuthError, TokenResponse,
};
use crate::state::{AppState, SharedState};

const PASSWORD: &str = "password";
const CLIENT_CREDENTIALS: &str = "client_credentials";
const AUTHORIZATION_CODE: &str = "authorization_code";
const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";

type Form = HashMap<String, String>;

/// An error answer, boxed (a `Response` is large).
type Rejection = Box<Response>;

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let text = serde_json::to_string(body).unwrap_or_default();
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> Rejection {
    let mut response = json(
        status,
        &OAuthError {
            error,
            error_description: description.to_owned(),
        },
    );
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"mockidp\""),
        );
    }
    Box::new(response)
}

fn parse_form(body: &Bytes) -> Form {
    form_urlencoded::parse(body).into_owned().collect()
}

/// `GET /oidc/.well-known/openid-configuration`.
pub async fn discovery(State(state): State<SharedState>) -> Response {
    let base = state.oidc.issuer();
    json(
        StatusCode::OK,
        &DiscoveryDocument {
            issuer: base.to_owned(),
            token_endpoint: state.oidc.token_url(),
            device_authorization_endpoint: state.oidc.device_url(),
            introspection_endpoint: format!("{base}/introspect"),
            grant_types_supported: [
                PASSWORD,
                CLIENT_CREDENTIALS,
                AUTHORIZATION_CODE,
                DEVICE_CODE,
            ]
            .map(str::to_owned)
            .to_vec(),
            response_types_supported: vec!["code".into()],
            subject_types_supported: vec!["public".into()],
            token_endpoint_auth_methods_supported: vec![
                "client_secret_basic".into(),
                "client_secret_post".into(),
                "none".into(),
            ],
            scopes_supported: ["openid", "profile", "email", "groups"]
                .map(str::to_owned)
                .to_vec(),
        },
    )
}

/// The client the request authenticates as: HTTP Basic (form-encoded id and
/// secret, RFC 6749 2.3.1), else `client_id` (+ `client_secret`) in the body.
fn authenticate_client<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    form: &Form,
) -> Result<&'a OidcClientConfig, Rejection> {
    let invalid = || {
        oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        )
    };
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .map(|b64| {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
                .and_then(|d| String::from_utf8(d).ok())
                .ok_or_else(invalid)?;
            let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
            let decode = |s: &str| -> String {
                form_urlencoded::parse(format!("v={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Ok::<_, Rejection>((decode(id), Some(decode(secret))))
        })
        .transpose()?;
    let (id, secret) = match basic {
        Some(pair) => pair,
        None => {
            let id = form.get("client_id").cloned().ok_or_else(|| {
                oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "No client authentication.",
                )
            })?;
            (id, form.get("client_secret").cloned())
        }
    };
    let client = state
        .config
        .oidc
        .clients
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(invalid)?;
    match (&client.secret, secret) {
        (None, _) => Ok(client),
        (Some(want), Some(given)) if want.expose() == given => Ok(client),
        _ => Err(invalid()),
    }
}

fn issue_tokens(
    state: &AppState,
    client: &OidcClientConfig,
    subject: (&str, Option<&str>, &[String]),
    scope: &str,
) -> Response {
    let now = state.now();
    let ttl = state.config.oidc.access_token_ttl_secs;
    let claims = Claims {
        active: true,
        iss: state.oidc.issuer().to_owned(),
        sub: subject.0.to_owned(),
        preferred_username: subject.1.map(str::to_owned),
        groups: subject.2.to_vec(),
        client_id: client.id.clone(),
        scope: scope.to_owned(),
        exp: (now + Duration::seconds(i64::try_from(ttl).unwrap_or(i64::MAX / 2))).timestamp(),
    };
    let access_token = state.oidc.issue(claims.clone(), now);
    let id_token = state.oidc.issue(claims, now);
    json(
        StatusCode::OK,
        &TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: ttl,
            scope: scope.to_owned(),
            id_token,
        },
    )
}

fn required<'a>(form: &'a Form, key: &str) -> Result<&'a str, Rejection> {
    form.get(key)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("Missing parameter: {key}"),
            )
        })
}

/// `POST /oidc/token`.
pub async fn token(State(state): State<SharedState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = parse_form(&body);
    match grant(&state, &headers, &form) {
        Ok(response) => response,
        Err(rejection) => *rejection,
    }
}

fn grant(state: &AppState, headers: &HeaderMap, form: &Form) -> Result<Response, Rejection> {
    let grant_type = required(form, "grant_type")?;
    let client = authenticate_client(state, headers, form)?;
    let scope = form
        .get("scope")
        .cloned()
        .unwrap_or_else(|| "openid".into());
    let users = &state.config.oidc.users;
    match grant_type {
        PASSWORD => {
            let username = required(form, "username")?;
            let password = required(form, "password")?;
            let user = users
                .iter()
                .find(|u| u.username == username && u.password.expose() == password)
                .ok_or_else(|| {
                    oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "Invalid user credentials",
                    )
                })?;
            Ok(issue_tokens(
                state,
                client,
                (&user.subject, Some(&user.username), &user.groups),
                &scope,
            ))
        }
        CLIENT_CREDENTIALS => {
            if client.secret.is_none() {
                return Err(oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized_client",
                    "Public clients cannot use client credentials.",
                ));
            }
            Ok(issue_tokens(
                state,
                client,
                (
                    &format!("service-account-{}", client.id),
                    None,
                    &client.groups,
                ),
                &scope,
            ))
        }
        AUTHORIZATION_CODE => {
            let code = required(form, "code")?;
            required(form, "redirect_uri")?;
            let user = users
                .first()
                .filter(|_| code == super::oidc_seed::AUTHORIZATION_CODE);
            let user = user.ok_or_else(|| {
                oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Code not valid")
            })?;
            Ok(issue_tokens(
                state,
                client,
                (&user.subject, Some(&user.username), &user.groups),
                &scope,
            ))
        }
        DEVICE_CODE => device_poll(state, client, required(form, "device_code")?, &scope),
        _ => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Unsupported grant_type",
        )),
    }
}

/// One poll of the device grant, answered as [`DeviceScript`](super::DeviceScript) says.
fn device_poll(
    state: &AppState,
    client: &OidcClientConfig,
    device_code: &str,
    scope: &str,
) -> Result<Response, Rejection> {
    let script = &state.config.oidc.device;
    let now = state.now();
    let polls = {
        let mut devices = state.oidc.devices.lock().map_err(|_| {
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "poisoned",
            )
        })?;
        let grant = devices
            .get_mut(device_code)
            .filter(|g| g.client_id == client.id)
            .ok_or_else(|| {
                oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid device code",
                )
            })?;
        if grant.expires_at <= now {
            return Err(oauth_error(
                StatusCode::BAD_REQUEST,
                "expired_token",
                "The device code has expired",
            ));
        }
        grant.polls += 1;
        grant.polls
    };
    let pending = || {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "authorization_pending",
            "The authorization request is still pending",
        )
    };
    if script.slow_down_at_poll == Some(polls) {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "slow_down",
            "Polling too fast",
        ));
    }
    if polls <= script.pending_polls {
        return Err(pending());
    }
    match script.decision {
        DeviceDecision::Never => Err(pending()),
        DeviceDecision::Deny => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "access_denied",
            "The end user denied the authorization request",
        )),
        DeviceDecision::Approve => {
            if let Ok(mut devices) = state.oidc.devices.lock() {
                devices.remove(device_code);
            }
            let user = state
                .config
                .oidc
                .users
                .iter()
                .find(|u| u.username == script.username)
                .ok_or_else(pending)?;
            Ok(issue_tokens(
                state,
                client,
                (&user.subject, Some(&user.username), &user.groups),
                scope,
            ))
        }
    }
}

/// `POST /oidc/device` (RFC 8628 3.1).
pub async fn device_authorization(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = parse_form(&body);
    let client = match authenticate_client(&state, &headers, &form) {
        Ok(client) => client,
        Err(rejection) => return *rejection,
    };
    let script = &state.config.oidc.device;
    let now = state.now();
    let device_code = format!("device-{}", uuid::Uuid::new_v4().simple());
    let user_code = format!(
        "{:04}-{:04}",
        fastrand::u16(..10_000),
        fastrand::u16(..10_000)
    );
    if let Ok(mut devices) = state.oidc.devices.lock() {
        if devices.len() > super::PRUNE_ABOVE {
            devices.retain(|_, g| g.expires_at > now);
        }
        devices.insert(
            device_code.clone(),
            DeviceGrant {
                client_id: client.id.clone(),
                expires_at: now
                    + Duration::seconds(
                        i64::try_from(script.expires_in_secs).unwrap_or(i64::MAX / 2),
                    ),
                polls: 0,
            },
        );
    }
    let verification_uri = format!("{}/activate", state.oidc.issuer());
    json(
        StatusCode::OK,
        &DeviceAuthorizationResponse {
            verification_uri_complete: format!("{verification_uri}?user_code={user_code}"),
            device_code,
            user_code,
            verification_uri,
            expires_in: script.expires_in_secs,
            interval: script.interval_secs,
        },
    )
}

/// `POST /oidc/introspect` (RFC 7662): any configured client may ask.
pub async fn introspection(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = parse_form(&body);
    if let Err(rejection) = authenticate_client(&state, &headers, &form) {
        return *rejection;
    }
    let Some(token) = form.get("token") else {
        return *oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing parameter: token",
        );
    };
    match state.oidc.introspect(token, state.now()) {
        Some(claims) => json(StatusCode::OK, &claims),
        None => json(StatusCode::OK, &Inactive { active: false }),
    }
}
