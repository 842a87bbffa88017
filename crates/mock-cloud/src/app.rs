//! The whole route table: Keystone, Nova, the control API and the fallback.

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use crate::faults::{observe, route_key};
use crate::keystone::errors::keystone_error;
use crate::nova::fault;
use crate::nova::gate::{admit, set_version_headers};
use crate::request_id::{OPENSTACK_REQUEST_ID, new_request_id, set_compute_request_id};
use crate::state::SharedState;

/// Every route, with counting and faults on all but `/_mock`.
pub fn router(state: SharedState) -> Router {
    Router::new()
        .merge(crate::keystone::router())
        .merge(crate::nova::router(state.clone()))
        .route_layer(from_fn_with_state(state.clone(), observe))
        .merge(crate::control_http::router())
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(fallback)
        .with_state(state)
}

/// A known path with an unknown method: Nova's router finds no route (so the
/// same answer as an unknown path); Keystone answers 405.
async fn method_not_allowed(state: State<SharedState>, request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/compute/v2.1/") {
        return compute_method_not_routed(&state, &request);
    }
    state.counters.hit(&route_key(request.method(), path));
    let mut response = if path.starts_with("/identity") {
        keystone_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "The method is not allowed for the requested URL.",
        )
    } else {
        (StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").into_response()
    };
    if path.starts_with("/identity")
        && let Ok(value) = http::HeaderValue::from_str(&new_request_id())
    {
        response.headers_mut().insert(OPENSTACK_REQUEST_ID, value);
    }
    response
}

/// A compute path with a method Nova does not route (`PUT /servers`): the
/// token is checked first (keystonemiddleware), then the routes mapper's
/// webob 404 in HTML, with the request id but no microversion headers (the
/// version is only read once a controller is found), as Nova 34.0.0 answers.
fn compute_method_not_routed(state: &SharedState, request: &Request) -> Response {
    state
        .counters
        .hit(&route_key(request.method(), request.uri().path()));
    let request_id = new_request_id();
    let token_ok = request
        .headers()
        .get("x-auth-token")
        .and_then(|value| value.to_str().ok())
        .and_then(|token| state.keystone.tokens.valid(token, state.now()))
        .is_some();
    let mut response = if token_ok {
        (
            StatusCode::NOT_FOUND,
            [(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("text/html; charset=UTF-8"),
            )],
            WEBOB_NOT_FOUND,
        )
            .into_response()
    } else {
        crate::keystone::errors::unauthorized(&state.urls)
    };
    set_compute_request_id(response.headers_mut(), &request_id);
    response
}

/// webob's `HTTPNotFound` page, byte for byte.
const WEBOB_NOT_FOUND: &str = "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  The resource could not be found.<br /><br />\n\n\n\n </body>\n</html>";

/// Unknown paths: under `/compute/v2.1/` the token and version checks still
/// apply first (as in Nova), then 404 `itemNotFound`; under `/identity` a
/// Keystone 404; elsewhere a plain 404.
async fn fallback(State(state): State<SharedState>, request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/_mock") {
        return (StatusCode::NOT_FOUND, "no such control route").into_response();
    }
    state.counters.hit(&route_key(request.method(), path));
    if path.starts_with("/compute/v2.1/") {
        let request_id = new_request_id();
        let mut response = match admit(&state, request.headers(), &request_id) {
            Ok(ctx) => {
                let mut response = fault(StatusCode::NOT_FOUND, "The resource could not be found.");
                set_version_headers(response.headers_mut(), &ctx.version.to_string());
                response
            }
            Err(response) => *response,
        };
        set_compute_request_id(response.headers_mut(), &request_id);
        return response;
    }
    if path.starts_with("/identity") {
        let mut response =
            keystone_error(StatusCode::NOT_FOUND, "The resource could not be found.");
        if let Ok(value) = http::HeaderValue::from_str(&new_request_id()) {
            response.headers_mut().insert(OPENSTACK_REQUEST_ID, value);
        }
        return response;
    }
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}
