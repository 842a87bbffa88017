//! Keystone's error bodies: `{"error": {"code", "title", "message"}}`.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::json;

use crate::state::Urls;

/// Keystone's text for every authentication failure (the real reason is hidden).
pub const AUTH_REQUIRED: &str = "The request you have made requires authentication.";

/// A Keystone-style error response.
pub fn keystone_error(status: StatusCode, message: &str) -> Response {
    let body = json!({"error": {
        "code": status.as_u16(),
        "title": status.canonical_reason().unwrap_or("Error"),
        "message": message,
    }});
    json_response(status, &body)
}

/// 401 with Keystone's body and `WWW-Authenticate: Keystone uri="<auth url>"`;
/// keystonemiddleware answers exactly the same way in front of Nova.
pub fn unauthorized(urls: &Urls) -> Response {
    with_www_authenticate(
        keystone_error(StatusCode::UNAUTHORIZED, AUTH_REQUIRED),
        urls,
    )
}

/// 401 raised by an authentication plugin: the body also carries `"identity": {}`.
pub fn plugin_unauthorized(urls: &Urls, message: &str) -> Response {
    let body = json!({"error": {
        "code": 401,
        "title": "Unauthorized",
        "message": message,
        "identity": {},
    }});
    with_www_authenticate(json_response(StatusCode::UNAUTHORIZED, &body), urls)
}

/// Keystone's 400 for a request missing a required attribute.
pub fn validation_error(attribute: &str, target: &str) -> Response {
    keystone_error(
        StatusCode::BAD_REQUEST,
        &format!(
            "Expecting to find {attribute} in {target}. The server could not comply with the \
             request since it is either malformed or otherwise incorrect. The client is assumed \
             to be in error."
        ),
    )
}

/// Keystone's own 401s carry `Vary: X-Auth-Token` (keystonemiddleware's 401
/// in front of Nova does not), as Keystone 30.0.0 answers.
pub async fn vary_x_auth_token_on_401(mut response: Response) -> Response {
    if response.status() == StatusCode::UNAUTHORIZED
        && !response.headers().contains_key(header::VARY)
    {
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("X-Auth-Token"));
    }
    response
}

fn with_www_authenticate(mut response: Response, urls: &Urls) -> Response {
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, urls.www_authenticate.clone());
    response
}

/// A JSON response with `Content-Type: application/json`.
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}
