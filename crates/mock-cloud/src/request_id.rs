//! Request ids: `req-<uuid4>` in `x-openstack-request-id` (and, on compute,
//! the same value in `x-compute-request-id`).

use axum::response::Response;
use http::{HeaderMap, HeaderValue};

/// `x-openstack-request-id`
pub const OPENSTACK_REQUEST_ID: &str = "x-openstack-request-id";
/// `x-compute-request-id`
pub const COMPUTE_REQUEST_ID: &str = "x-compute-request-id";

/// A fresh `req-<uuid4>`.
pub fn new_request_id() -> String {
    format!("req-{}", uuid::Uuid::new_v4())
}

/// Sets `x-openstack-request-id` and `x-compute-request-id` to `id`.
pub fn set_compute_request_id(headers: &mut HeaderMap, id: &str) {
    if let Ok(value) = HeaderValue::from_str(id) {
        headers.insert(COMPUTE_REQUEST_ID, value.clone());
        headers.insert(OPENSTACK_REQUEST_ID, value);
    }
}

/// Adds a fresh `x-openstack-request-id` (Keystone responses).
pub async fn add_openstack_request_id(mut response: Response) -> Response {
    if let Ok(value) = HeaderValue::from_str(&new_request_id()) {
        response.headers_mut().insert(OPENSTACK_REQUEST_ID, value);
    }
    response
}
