//! `POST /identity/v3/OS-OAUTH2/token` (`keystone/api/os_oauth2.py`): the
//! client credentials grant with `client_secret_basic`, where the client is
//! an application credential; the access token is a Keystone token id, which
//! keystonemiddleware's `oauth2_token` filter accepts as `Authorization: Bearer`.

use axum::extract::State;
use axum::response::Response;
use base64::Engine;
use bytes::Bytes;
use http::{HeaderMap, StatusCode, header};
use serde::Serialize;
use serde_json::json;

use super::auth::authenticate;
use super::errors::{AUTH_REQUIRED, json_response};
use crate::state::SharedState;

/// Largest error body of a failed inner authentication that is read back.
const REJECTION_BODY_LIMIT: usize = 64 * 1024;

#[derive(Serialize)]
struct AccessToken<'a> {
    access_token: &'a str,
    token_type: &'static str,
    expires_in: u64,
}

#[derive(Serialize)]
struct OAuth2ErrorBody<'a> {
    error: &'static str,
    error_description: &'a str,
}

/// `oauth2/handlers.py` `build_response`: `{"error", "error_description"}`,
/// and on 401 `WWW-Authenticate: Keystone uri=...`.
fn oauth2_error(
    state: &SharedState,
    status: StatusCode,
    error: &'static str,
    description: &str,
) -> Response {
    let body = OAuth2ErrorBody {
        error,
        error_description: description,
    };
    let mut response = json_response(status, &serde_json::to_value(&body).unwrap_or_default());
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            state.urls.www_authenticate.clone(),
        );
    }
    response
}

/// Client id and secret from `Authorization: Basic` (not percent-decoded,
/// as werkzeug reads it), else from the form.
fn client_credentials(
    headers: &HeaderMap,
    form: &[(String, String)],
) -> (Option<String>, Option<String>) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, data) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("basic").then_some(data.trim())
        })
        .and_then(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    if let Some(decoded) = basic {
        let (id, secret) = decoded.split_once(':').unwrap_or((&decoded, ""));
        return (Some(id.to_owned()), Some(secret.to_owned()));
    }
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    (field("client_id"), field("client_secret"))
}

/// The form fields when the body is `application/x-www-form-urlencoded`
/// (flask's `request.form` is empty otherwise).
fn form_fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Vec::new();
    }
    form_urlencoded::parse(body).into_owned().collect()
}

/// `POST /identity/v3/OS-OAUTH2/token`.
pub async fn token(State(state): State<SharedState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = form_fields(&headers, &body);
    let grant_type = form.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v);
    match grant_type.map(String::as_str) {
        None => {
            return oauth2_error(
                &state,
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The parameter grant_type is required.",
            );
        }
        Some("client_credentials") => {}
        Some(other) => {
            return oauth2_error(
                &state,
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("The parameter grant_type {other} is not supported."),
            );
        }
    }
    let (client_id, client_secret) = client_credentials(&headers, &form);
    let (Some(client_id), Some(client_secret)) = (
        client_id.filter(|id| !id.is_empty()),
        client_secret.filter(|s| !s.is_empty()),
    ) else {
        return oauth2_error(
            &state,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    };
    if !state
        .keystone
        .directory
        .app_credentials
        .iter()
        .any(|c| c.id == client_id)
    {
        // Keystone 30: ApplicationCredentialNotFound (404) becomes other_error
        return oauth2_error(
            &state,
            StatusCode::NOT_FOUND,
            "other_error",
            "An unknown error occurred and failed to get an OAuth2.0 access token.",
        );
    }
    let request = json!({"auth": {"identity": {
        "methods": ["application_credential"],
        "application_credential": {"id": client_id, "secret": client_secret},
    }}});
    match authenticate(&state, &request, None) {
        Ok(record) => {
            let token_id = state.keystone.tokens.insert(record, state.now());
            let body = AccessToken {
                access_token: &token_id,
                token_type: "Bearer",
                expires_in: state.keystone.tokens.ttl().as_secs(),
            };
            json_response(
                StatusCode::OK,
                &serde_json::to_value(&body).unwrap_or_default(),
            )
        }
        Err(rejection) => {
            let status = rejection.status();
            let (error, fallback) = match status {
                StatusCode::UNAUTHORIZED => ("invalid_client", AUTH_REQUIRED),
                StatusCode::BAD_REQUEST => ("invalid_request", "The request is malformed."),
                _ => (
                    "other_error",
                    "An unknown error occurred and failed to get an OAuth2.0 access token.",
                ),
            };
            let message = if error == "other_error" {
                None
            } else {
                inner_message(*rejection).await
            };
            oauth2_error(
                &state,
                status,
                error,
                message.as_deref().unwrap_or(fallback),
            )
        }
    }
}

/// `str(error)` of the inner Keystone error: the `error.message` of its body.
async fn inner_message(response: Response) -> Option<String> {
    let bytes = axum::body::to_bytes(response.into_body(), REJECTION_BODY_LIMIT)
        .await
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value
        .pointer("/error/message")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}

/// Any other method: 405 `other_error`.
pub async fn method_not_allowed(State(state): State<SharedState>) -> Response {
    oauth2_error(
        &state,
        StatusCode::METHOD_NOT_ALLOWED,
        "other_error",
        "The method is not allowed for the requested URL.",
    )
}
