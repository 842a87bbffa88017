//! The [`Transport`] trait: how nova-core sends a request without owning an HTTP stack.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

/// One HTTP request to the compute endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// A path relative to the compute endpoint (`"servers/detail?limit=10"`), or an absolute
    /// `http(s)` URL (a `next` link, a version document). The transport joins a relative path
    /// to the endpoint with exactly one `/`.
    pub path: String,
    /// Headers to send (the transport adds authentication).
    pub headers: HeaderMap,
    /// The body, already encoded.
    pub body: Option<Bytes>,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// A `GET` request.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }
}

/// One HTTP response, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers (repeated headers such as `Vary` are kept).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with no headers.
    pub fn new(status: StatusCode, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The first value of header `name` as text, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `x-openstack-request-id`, else `x-compute-request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-openstack-request-id")
            .or_else(|| self.header("x-compute-request-id"))
    }
}

/// Sends requests to one compute endpoint, adding authentication.
///
/// Implemented for `keystone_auth::Adapter` (feature `keystone`); tests implement it with a
/// fake. Any HTTP status is `Ok`: mapping statuses to errors is nova-core's job.
#[async_trait::async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends one request and returns the response, whatever its status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// The compute endpoint URL (from the catalog or an override), e.g.
    /// `http://host/compute/v2.1` or `http://host:8774/v2.1/<project_id>`.
    async fn endpoint(&self) -> Result<String, TransportError>;
}

/// A request the transport could not complete: no response was read.
///
/// Display is the transport's own one-line message; the underlying error (reqwest,
/// keystone-auth, ...) is the `source`.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    message: String,
    kind: TransportErrorKind,
    may_have_reached_server: bool,
    status: Option<StatusCode>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error with a message; say whether the request may have reached the server (e.g. a
    /// timeout after sending: yes; a refused connection or failed authentication: no).
    pub fn new(message: impl Into<String>, may_have_reached_server: bool) -> Self {
        Self {
            message: message.into(),
            kind: TransportErrorKind::Other,
            may_have_reached_server,
            status: None,
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets the class of the failure (the default is [`TransportErrorKind::Other`]).
    pub fn with_kind(mut self, kind: TransportErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// The class of the failure, to branch on without downcasting the source.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Attaches an HTTP status (e.g. the 401 of a failed authentication).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Whether the request may have reached the server and taken effect.
    pub fn may_have_reached_server(&self) -> bool {
        self.may_have_reached_server
    }

    /// An HTTP status involved in the failure, if any.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The transport's message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The class of a [`TransportError`].
///
/// Whether the request may have reached the server is
/// [`TransportError::may_have_reached_server`]; this says what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, unreachable). Nothing was sent.
    Connect,
    /// The TLS handshake failed (untrusted or expired certificate, wrong host name).
    /// Nothing was sent.
    Tls,
    /// The request timed out; it may have reached the server.
    Timeout,
    /// The connection failed after the request was sent: the answer is lost and the
    /// request may have taken effect.
    LostAfterSend,
    /// Authentication failed or the identity service refused the request;
    /// [`TransportError::status`] says with which HTTP status (401: bad credentials).
    Auth,
    /// The catalog has no endpoint for the service. Nothing was sent.
    EndpointNotFound,
    /// Local settings are invalid (configuration, files, URL). Nothing was sent.
    Config,
    /// The server's answer was unusable (too large, a refused redirect, ...) or
    /// anything else.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_defaults_to_other_and_can_be_set() {
        let error = TransportError::new("lost", true);
        assert_eq!(error.kind(), TransportErrorKind::Other);
        let error = error
            .with_kind(TransportErrorKind::Auth)
            .with_status(StatusCode::UNAUTHORIZED);
        assert_eq!(error.kind(), TransportErrorKind::Auth);
        assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    }
}
