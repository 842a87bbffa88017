//! The compute request pipeline in front of every Nova handler, in Nova's
//! order: request id (`compute_req_id`), token check (keystonemiddleware),
//! microversion (`wsgi.Resource`), Content-Type, then the handler; the
//! effective version is echoed on the way out.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, StatusCode, header};

use super::context::NovaCtx;
use super::fault::fault;
use super::version::{ApiVersion, LEGACY_HEADER, STANDARD_HEADER, VersionRejection, negotiate};
use crate::keystone::TokenScope;
use crate::keystone::errors::unauthorized;
use crate::request_id::{new_request_id, set_compute_request_id};
use crate::state::AppState;
use crate::state::SharedState;

/// Middleware for routes under `/compute/v2.1` (everything but the version document).
pub async fn compute_gate(
    State(state): State<SharedState>,
    mut request: Request,
    next: Next,
) -> Response {
    let request_id = new_request_id();
    let mut response = match admit(&state, request.headers(), &request_id) {
        Ok(ctx) => {
            let version = ctx.version;
            request.extensions_mut().insert(ctx);
            let mut response = next.run(request).await;
            set_version_headers(response.headers_mut(), &version.to_string());
            response
        }
        Err(response) => *response,
    };
    set_compute_request_id(response.headers_mut(), &request_id);
    response
}

/// Runs the checks that precede a Nova handler and returns its context, or
/// the response that ends the request (401, 400, 406 or 415).
pub fn admit(
    state: &AppState,
    headers: &HeaderMap,
    request_id: &str,
) -> Result<NovaCtx, Box<Response>> {
    let record = request_token(headers)
        .and_then(|token| state.keystone.tokens.valid(token, state.now()))
        .ok_or_else(|| Box::new(unauthorized(&state.urls)))?;
    let version = check_version(state, headers)?;
    let project_id = match &record.scope {
        TokenScope::Project(id) => id.clone(),
        _ => String::new(),
    };
    Ok(NovaCtx {
        version,
        project_id,
        user_id: record.user_id.clone(),
        is_admin: record.is_admin,
        request_id: request_id.to_owned(),
        base_url: state.urls.compute.clone(),
    })
}

/// The token of a request: `X-Auth-Token` (keystonemiddleware's `auth_token`
/// filter), else an OAuth2 access token in `Authorization: Bearer` (its
/// `oauth2_token` filter, whose access tokens are Keystone token ids).
pub fn request_token(headers: &HeaderMap) -> Option<&str> {
    if let Some(token) = headers.get("x-auth-token") {
        return token.to_str().ok();
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// The microversion and Content-Type checks of `wsgi.Resource.__call__`.
pub fn check_version(state: &AppState, headers: &HeaderMap) -> Result<ApiVersion, Box<Response>> {
    let min = state.config.versions.compute_min;
    let max = state.config.versions.compute_max;
    let version = negotiate(headers, min, max).map_err(|rejection| {
        Box::new(match rejection {
            VersionRejection::Malformed(text) => fault(
                StatusCode::BAD_REQUEST,
                format!(
                    "API Version String {text} is of invalid format. Must be of format \
                     MajorNum.MinorNum."
                ),
            ),
            VersionRejection::NotAcceptable(text) => {
                let mut response = fault(
                    StatusCode::NOT_ACCEPTABLE,
                    format!(
                        "Version {text} is not supported by the API. Minimum is {min} and \
                         maximum is {max}."
                    ),
                );
                set_version_headers(response.headers_mut(), &text);
                response
            }
        })
    })?;
    if !content_type_supported(headers) {
        let mut response = fault(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Content-Type",
        );
        set_version_headers(response.headers_mut(), &version.to_string());
        return Err(Box::new(response));
    }
    Ok(version)
}

/// Nova accepts no Content-Type, `text/plain`, `application/json` and
/// `application/vnd.openstack.compute+json` (parameters ignored).
fn content_type_supported(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return true;
    };
    let Ok(text) = value.to_str() else {
        return false;
    };
    let media = text.split(';').next().unwrap_or_default().trim();
    media.is_empty()
        || [
            "text/plain",
            "application/json",
            "application/vnd.openstack.compute+json",
        ]
        .iter()
        .any(|m| media.eq_ignore_ascii_case(m))
}

/// Echoes a version: both headers and two `Vary` lines.
pub fn set_version_headers(headers: &mut HeaderMap, version: &str) {
    if let (Ok(standard), Ok(legacy)) = (
        HeaderValue::from_str(&format!("compute {version}")),
        HeaderValue::from_str(version),
    ) {
        headers.insert(STANDARD_HEADER, standard);
        headers.insert(LEGACY_HEADER, legacy);
    }
    headers.append(
        header::VARY,
        HeaderValue::from_static("OpenStack-API-Version"),
    );
    headers.append(
        header::VARY,
        HeaderValue::from_static("X-OpenStack-Nova-API-Version"),
    );
}
