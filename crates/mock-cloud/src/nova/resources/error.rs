//! The error a handler returns: a status and Nova's message, rendered as a Nova fault body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A Nova API error (rendered by `crate::nova::fault`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The fault message.
    pub message: String,
}

impl ApiError {
    /// Any status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    /// 400 badRequest.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// 403 forbidden.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    /// 404 itemNotFound.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    /// 409 conflictingRequest.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }
    /// "Instance `<uuid>` could not be found." (404).
    pub fn instance_not_found(id: &str) -> Self {
        Self::not_found(format!("Instance {id} could not be found."))
    }
    /// The generic webob 404 for a route that does not exist at this microversion.
    pub fn resource_not_found() -> Self {
        Self::not_found("The resource could not be found.")
    }
    /// 403 for the policy `rule` (e.g. `os_compute_api:os-aggregates:create`), in Nova's words.
    pub fn policy(rule: &str) -> Self {
        Self::forbidden(format!("Policy doesn't allow {rule} to be performed."))
    }
    /// "Malformed request body" (400).
    pub fn malformed() -> Self {
        Self::bad_request("Malformed request body")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        crate::nova::fault(self.status, self.message)
    }
}

/// Handler result.
pub type ApiResult<T = Response> = Result<T, ApiError>;

/// `Ok` for an admin, else [`ApiError::policy`] for `rule` (an admin-only policy).
pub fn require_admin(ctx: &crate::nova::NovaCtx, rule: &str) -> ApiResult<()> {
    if ctx.is_admin {
        Ok(())
    } else {
        Err(ApiError::policy(rule))
    }
}

/// Parse a JSON request body the way Nova does ("Malformed request body" on bad JSON).
pub fn parse_json(body: &[u8]) -> ApiResult<serde_json::Value> {
    if body.is_empty() {
        return Err(ApiError::malformed());
    }
    serde_json::from_slice(body).map_err(|_| ApiError::malformed())
}
