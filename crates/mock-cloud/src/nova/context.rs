//! The per-request compute context handed to Nova handlers.

use axum::extract::FromRequestParts;
use axum::response::Response;
use http::StatusCode;
use http::request::Parts;

use super::fault::fault;
use super::version::ApiVersion;

/// Who is calling and at which microversion; inserted by the compute
/// middleware into every authenticated request under `/compute/v2.1`.
///
/// Use it as an extractor: `async fn handler(ctx: NovaCtx, ...)`.
#[derive(Clone, Debug)]
pub struct NovaCtx {
    /// The effective microversion (2.1 when no header was sent).
    pub version: ApiVersion,
    /// Project of the token (empty for domain, system or unscoped tokens).
    pub project_id: String,
    /// User of the token.
    pub user_id: String,
    /// True when the token carries the `admin` role.
    pub is_admin: bool,
    /// The `req-<uuid4>` sent back in `x-openstack-request-id`.
    pub request_id: String,
    /// `http://127.0.0.1:PORT/compute/v2.1`, for links and `Location`.
    pub base_url: String,
}

#[cfg(test)]
impl NovaCtx {
    /// A context for unit tests: `user` of `project` at `version`, on a loopback base URL.
    pub(crate) fn for_test(version: ApiVersion, project: &str, user: &str, is_admin: bool) -> Self {
        Self {
            version,
            project_id: project.into(),
            user_id: user.into(),
            is_admin,
            request_id: "req-00000000-0000-0000-0000-000000000000".into(),
            base_url: "http://127.0.0.1:9/compute/v2.1".into(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for NovaCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<NovaCtx>().cloned().ok_or_else(|| {
            fault(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Unexpected API Error. Please contact the administrator\n<class 'MissingContext'>",
            )
        })
    }
}
