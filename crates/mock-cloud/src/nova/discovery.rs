//! Compute version documents: `GET /compute/` (the list; no request id, the
//! microversion headers ignored) and `GET /compute/v2.1/` (one document; no
//! token needed, microversion headers honoured).

use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::gate::{check_version, set_version_headers};
use crate::keystone::errors::json_response;
use crate::request_id::{new_request_id, set_compute_request_id};
use crate::state::SharedState;

fn v21(state: &SharedState, media_types: bool) -> Value {
    let mut doc = json!({
        "id": "v2.1",
        "links": [{"href": format!("{}/compute/v2.1/", state.urls.base), "rel": "self"}],
        "status": "CURRENT",
        "version": state.config.versions.compute_max.to_string(),
        "min_version": state.config.versions.compute_min.to_string(),
        "updated": "2013-07-23T11:33:21Z",
    });
    if media_types {
        add_details(
            &mut doc,
            "application/vnd.openstack.compute+json;version=2.1",
        );
    }
    doc
}

fn v20(state: &SharedState, media_types: bool) -> Value {
    let mut doc = json!({
        "id": "v2.0",
        "links": [{"href": format!("{}/compute/v2/", state.urls.base), "rel": "self"}],
        "status": "DEPRECATED",
        "version": "",
        "min_version": "",
        "updated": "2025-07-04T12:00:00Z",
    });
    if media_types {
        add_details(&mut doc, "application/vnd.openstack.compute+json;version=2");
    }
    doc
}

fn add_details(doc: &mut Value, media_type: &str) {
    if let Some(links) = doc.get_mut("links").and_then(Value::as_array_mut) {
        links.push(json!({
            "href": "http://docs.openstack.org/",
            "rel": "describedby",
            "type": "text/html",
        }));
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "media-types".into(),
            json!([{"base": "application/json", "type": media_type}]),
        );
    }
}

/// `GET /compute/`: every version, no request id.
pub async fn versions(State(state): State<SharedState>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({"versions": [v20(&state, false), v21(&state, false)]}),
    )
}

/// `GET /compute/v2.1` and `/compute/v2.1/`.
pub async fn version_v21(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let request_id = new_request_id();
    let mut response = match check_version(&state, &headers) {
        Ok(version) => {
            let mut response =
                json_response(StatusCode::OK, &json!({"version": v21(&state, true)}));
            set_version_headers(response.headers_mut(), &version.to_string());
            response
        }
        Err(response) => *response,
    };
    set_compute_request_id(response.headers_mut(), &request_id);
    response
}

/// `GET /compute/v2` and `/compute/v2/`: the legacy endpoint's document.
pub async fn version_v20(State(state): State<SharedState>) -> Response {
    let mut response = json_response(StatusCode::OK, &json!({"version": v20(&state, true)}));
    set_compute_request_id(response.headers_mut(), &new_request_id());
    response
}
