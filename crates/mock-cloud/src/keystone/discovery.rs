//! Identity version discovery: `GET /identity/` (300, all versions) and
//! `GET /identity/v3` (200, one version), as `keystone/api/discovery.py`.

use axum::extract::State;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::errors::json_response;
use crate::state::SharedState;

fn v3_entry(state: &SharedState) -> Value {
    json!({
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": format!("{}/", state.urls.auth)}],
        "media-types": [{
            "base": "application/json",
            "type": "application/vnd.openstack.identity-v3+json",
        }],
    })
}

/// `GET /identity/`: 300 Multiple Choices with a `Location` of the v3 document.
pub async fn versions(State(state): State<SharedState>) -> Response {
    let body = json!({"versions": {"values": [v3_entry(&state)]}});
    let mut response = json_response(StatusCode::MULTIPLE_CHOICES, &body);
    if let Ok(location) = HeaderValue::from_str(&format!("{}/", state.urls.auth)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// `GET /identity/v3`: the single version document.
pub async fn version(State(state): State<SharedState>) -> Response {
    json_response(StatusCode::OK, &json!({"version": v3_entry(&state)}))
}
