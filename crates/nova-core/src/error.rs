//! The crate's one error type, [`Error`], and the HTTP [`Fault`] details it carries.

use std::fmt;
use std::time::Duration;

use http::{Method, StatusCode};

use crate::microversion::{MicroVersion, Requested, VersionRange};
use crate::requirement::VersionReq;
use crate::transport::TransportError;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What an error response's body was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    Empty,
    /// A Nova fault `{"<faultName>": {"code": .., "message": ..}}`.
    NovaFault,
    /// A keystone-style `{"error": {"code", "title", "message"}}` (keystonemiddleware's 401).
    KeystoneError,
    /// A JSON object with `message` at top level (webob, some proxies).
    TopLevelMessage,
    /// An API-SIG `{"errors": [..]}` list.
    ErrorsList,
    /// JSON of an unrecognized shape.
    OtherJson,
    /// An HTML page (typically from a proxy or load balancer).
    Html,
    /// Anything else: plain text or bytes that are not JSON.
    Text,
}

impl fmt::Display for BodyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BodyKind::Empty => "empty body",
            BodyKind::NovaFault => "Nova fault",
            BodyKind::KeystoneError => "keystone-style error",
            BodyKind::TopLevelMessage => "JSON message",
            BodyKind::ErrorsList => "JSON errors list",
            BodyKind::OtherJson => "unrecognized JSON",
            BodyKind::Html => "HTML page",
            BodyKind::Text => "non-JSON text",
        })
    }
}

/// An HTTP error response (status >= 400) from the compute endpoint, as read by
/// [`Connection`](crate::Connection).
///
/// `Display` is python-novaclient's `"<message> (HTTP <code>) (Request-ID: <id>)"`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fault {
    /// The HTTP status.
    pub status: StatusCode,
    /// The fault message (Nova's `message`, keystone's `message`, an HTML `<title>`, or the
    /// status reason when the body says nothing).
    pub message: String,
    /// Nova's fault name (`itemNotFound`, `computeFault`, ...) or `error` for keystone-style.
    pub fault_name: Option<String>,
    /// `details` when the body had them.
    pub details: Option<String>,
    /// `x-openstack-request-id`, else `x-compute-request-id`.
    pub request_id: Option<String>,
    /// The request method.
    pub method: Method,
    /// The request path (relative to the endpoint) or absolute URL, as sent.
    pub path: String,
    /// From the `Retry-After` header (delay in seconds), else the body's `retryAfter`.
    pub retry_after: Option<Duration>,
    /// What kind of body the response had.
    pub body_kind: BodyKind,
    /// The start of the body, whitespace collapsed, for logs (at most ~200 characters).
    pub snippet: String,
}

impl Fault {
    /// A fault with the given status and message and no other details, for tests and mocks.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            fault_name: None,
            details: None,
            request_id: None,
            method: Method::GET,
            path: String::new(),
            retry_after: None,
            body_kind: BodyKind::Empty,
            snippet: String::new(),
        }
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Sets the method and path of the request.
    pub fn with_request(mut self, method: Method, path: impl Into<String>) -> Self {
        self.method = method;
        self.path = path.into();
        self
    }

    /// Sets `retry_after`.
    pub fn with_retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }

    /// The [`Error`] variant for this fault's status.
    pub fn into_error(self) -> Error {
        let fault = Box::new(self);
        match fault.status.as_u16() {
            400 => Error::BadRequest(fault),
            401 => Error::Unauthorized(fault),
            403 => Error::Forbidden(fault),
            404 => Error::NotFound(fault),
            405 => Error::MethodNotAllowed(fault),
            406 => Error::NotAcceptable(fault),
            409 => Error::Conflict(fault),
            413 => Error::OverLimit(fault),
            429 => Error::RateLimited(fault),
            501 => Error::NotImplemented(fault),
            503 => Error::ServiceUnavailable(fault),
            500..=599 => Error::Server(fault),
            _ => Error::OtherStatus(fault),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.message, self.status.as_u16())?;
        if let Some(id) = &self.request_id {
            write!(f, " (Request-ID: {id})")?;
        }
        Ok(())
    }
}

fn fmt_server(server: &Option<VersionRange>) -> String {
    match server {
        Some(r) => r.to_string(),
        None => "no microversions (or not discovered)".to_owned(),
    }
}

fn fmt_required(required: &Option<VersionReq>) -> String {
    match required {
        Some(r) => format!("; the operation requires {r}"),
        None => String::new(),
    }
}

/// Everything that can go wrong in nova-core and the clients built on it.
///
/// Each variant says whether the request may have reached the server (see
/// [`Error::may_have_reached_server`]): if it may have, a non-idempotent request (create,
/// action) may have taken effect and must not be blindly retried.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// HTTP 400 `badRequest` (also a malformed microversion header). Reached the server.
    #[error("bad request: {0}")]
    BadRequest(Box<Fault>),
    /// HTTP 401: the token was missing, expired or revoked (keystonemiddleware). Reached the
    /// server.
    #[error("unauthorized: {0}")]
    Unauthorized(Box<Fault>),
    /// HTTP 403: policy refused it, or a quota was exceeded. Reached the server.
    #[error("forbidden: {0}")]
    Forbidden(Box<Fault>),
    /// HTTP 404 `itemNotFound` (also a route that does not exist at this microversion).
    /// Reached the server.
    #[error("not found: {0}")]
    NotFound(Box<Fault>),
    /// HTTP 405 `badMethod`. Reached the server.
    #[error("method not allowed: {0}")]
    MethodNotAllowed(Box<Fault>),
    /// HTTP 406: the requested microversion is not supported by the server. Reached the
    /// server.
    #[error("version not acceptable: {0}")]
    NotAcceptable(Box<Fault>),
    /// HTTP 409 `conflictingRequest` (wrong state, locked, duplicate name). Reached the server.
    #[error("conflict: {0}")]
    Conflict(Box<Fault>),
    /// HTTP 413 `overLimit`; see [`Error::retry_after`]. Reached the server.
    #[error("over limit: {0}")]
    OverLimit(Box<Fault>),
    /// HTTP 429; see [`Error::retry_after`]. Reached the server.
    #[error("rate limited: {0}")]
    RateLimited(Box<Fault>),
    /// HTTP 501 `notImplemented`. Reached the server.
    #[error("not implemented: {0}")]
    NotImplemented(Box<Fault>),
    /// HTTP 503 `serviceUnavailable`. Reached the server (or a proxy in front of it).
    #[error("service unavailable: {0}")]
    ServiceUnavailable(Box<Fault>),
    /// Any other 5xx (`computeFault`, gateway errors). Reached the server or a proxy.
    #[error("server error: {0}")]
    Server(Box<Fault>),
    /// Any other status >= 400 (and unexpected 1xx/3xx). Reached the server.
    #[error("unexpected HTTP status: {0}")]
    OtherStatus(Box<Fault>),

    /// A microversion or requirement string is not valid. Nothing was sent.
    #[error("invalid compute API version {input:?}: {reason}")]
    InvalidVersion {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The requested version is outside what the client and the server both support (or the
    /// operation's requirement). Nothing was sent for the operation.
    #[error(
        "compute API version {requested} is not available: the client supports {client}, the server supports {server}{required}",
        server = fmt_server(server),
        required = fmt_required(required)
    )]
    VersionNotAvailable {
        /// What was asked for.
        requested: Requested,
        /// What the client implementation supports.
        client: VersionRange,
        /// What the server supports; `None` when it has no microversions or was not asked.
        server: Option<VersionRange>,
        /// The operation's requirement, when negotiation was for a specific operation.
        required: Option<VersionReq>,
    },
    /// `latest` / `X.latest` was given where an explicit version is needed. Nothing was sent.
    #[error(
        "the compute API version must be explicit, not {requested}; use Client::negotiate to resolve it against the server"
    )]
    LatestNotResolved {
        /// The unresolved request.
        requested: Requested,
    },
    /// No client implementation is registered for this major version. Nothing was sent.
    #[error(
        "no compute client is registered for major version {major} (registered: {})",
        fmt_majors(registered)
    )]
    UnknownMajor {
        /// The requested major version.
        major: u16,
        /// The majors that are registered.
        registered: Vec<u16>,
    },
    /// Two client implementations registered the same major version. Nothing was sent.
    #[error("more than one compute client is registered for major version {major}: {}", names.join(", "))]
    DuplicateMajor {
        /// The major version.
        major: u16,
        /// The names of the conflicting registrations, sorted.
        names: Vec<&'static str>,
    },
    /// The negotiated microversion cannot perform this operation. Nothing was sent.
    #[error(
        "{operation} requires compute API version {required}, but this connection uses {negotiated}"
    )]
    VersionNotSupported {
        /// The operation, e.g. `"servers.tags"`.
        operation: &'static str,
        /// The versions that support it.
        required: VersionReq,
        /// The connection's version.
        negotiated: MicroVersion,
    },
    /// This client does not implement the operation: a trait method's default, for an
    /// implementor (a mock, an older major version's client) written before the method was
    /// added. Nothing was sent.
    #[error("{operation} is not supported by this compute client")]
    NotSupported {
        /// The operation, e.g. `"servers.create_reservation"`.
        operation: &'static str,
    },
    /// A request field is not accepted at the negotiated microversion. Nothing was sent.
    #[error(
        "field {field} requires compute API version {required}, but this connection uses {negotiated}"
    )]
    FieldNotSupported {
        /// The field as Nova names it.
        field: &'static str,
        /// The versions that accept it.
        required: VersionReq,
        /// The connection's version.
        negotiated: MicroVersion,
    },
    /// A request value is invalid before sending (caught locally). Nothing was sent.
    #[error("invalid value for {field}: {reason}")]
    InvalidInput {
        /// The field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A successful response body could not be decoded. The request reached the server (and
    /// took effect).
    #[error("could not decode the {what} in the response: {snippet:?}")]
    Decode {
        /// What was being decoded (a type or document name).
        what: String,
        /// The response's request id.
        request_id: Option<String>,
        /// The start of the body.
        snippet: String,
        /// The decoder's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A create was answered with success but its body could not be decoded: the resource
    /// may exist. Re-running the create blindly could make a second one; look it up first.
    /// The request reached the server and took effect.
    #[error(
        "the {resource} may have been created: the server answered success but the response \
         could not be decoded (request id {}); check before creating it again",
        request_id.as_deref().unwrap_or("none")
    )]
    MayHaveBeenCreated {
        /// What was being created (`"server"`).
        resource: &'static str,
        /// The response's request id.
        request_id: Option<String>,
        /// The decode error.
        #[source]
        source: Box<Error>,
    },
    /// A listing kept linking to more pages than the page bound allows (a server that
    /// invents pages forever). Only GETs were sent.
    #[error("stopped listing after {limit} pages: the server kept linking to another page")]
    TooManyPages {
        /// The page bound.
        limit: usize,
    },
    /// A listing yielded more items than the item bound allows (a server that invents
    /// items on ever more pages). Only GETs were sent.
    #[error("stopped listing after {limit} items: the server kept sending more")]
    TooManyItems {
        /// The item bound.
        limit: usize,
    },
    /// The server answered with a different microversion than the one sent (see
    /// [`MismatchPolicy`](crate::MismatchPolicy)). The request reached the server and took
    /// effect.
    #[error("sent compute API version {sent} but the server answered with {received:?}")]
    MicroversionMismatch {
        /// The version sent.
        sent: MicroVersion,
        /// The echoed header value.
        received: String,
    },
    /// Version discovery failed. Only GET requests were sent (they may have reached the
    /// server; they change nothing).
    #[error("version discovery at {endpoint} failed: {reason}")]
    Discovery {
        /// The endpoint being discovered.
        endpoint: String,
        /// What went wrong, per attempted URL.
        reason: String,
    },
    /// The transport could not complete the request; see
    /// [`TransportError::may_have_reached_server`].
    #[error("the compute request could not be completed")]
    Transport(#[source] TransportError),
    /// No resource of this kind has this name (a lookup by name). Only GETs were sent.
    #[error("no {kind} named {name:?}")]
    NotFoundByName {
        /// The resource kind (`"server"`, `"flavor"`).
        kind: &'static str,
        /// The name looked up.
        name: String,
    },
    /// More than one resource has this name. Only GETs were sent.
    #[error("more than one {kind} is named {name:?}: {}", candidates.join(", "))]
    Ambiguous {
        /// The resource kind.
        kind: &'static str,
        /// The name looked up.
        name: String,
        /// The ids of the candidates.
        candidates: Vec<String>,
    },
    /// A waiter gave up. Its polls reached the server.
    #[error("gave up waiting for {id} after {waited:?}; last status {last_status}")]
    WaitTimeout {
        /// The resource id.
        id: String,
        /// The last status seen.
        last_status: String,
        /// How long it waited.
        waited: std::time::Duration,
    },
    /// A waited-for resource went into a failure state (e.g. server `ERROR`). Reached the
    /// server.
    #[error("{id} went into status {status}: {message}")]
    ServerFault {
        /// The resource id.
        id: String,
        /// Its status.
        status: String,
        /// The fault message, if the server gave one.
        message: String,
    },
}

fn fmt_majors(majors: &[u16]) -> String {
    if majors.is_empty() {
        return "none; did you forget `use nova_v2 as _;`?".to_owned();
    }
    majors
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    /// The HTTP fault, for the per-status variants.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::BadRequest(f)
            | Error::Unauthorized(f)
            | Error::Forbidden(f)
            | Error::NotFound(f)
            | Error::MethodNotAllowed(f)
            | Error::NotAcceptable(f)
            | Error::Conflict(f)
            | Error::OverLimit(f)
            | Error::RateLimited(f)
            | Error::NotImplemented(f)
            | Error::ServiceUnavailable(f)
            | Error::Server(f)
            | Error::OtherStatus(f) => Some(f),
            _ => None,
        }
    }

    /// Whether the thing asked for does not exist (HTTP 404, or a lookup by name found none).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_) | Error::NotFoundByName { .. })
    }

    /// The HTTP status, for errors that came from an HTTP response (including transport errors
    /// that carry one, e.g. an authentication failure).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Transport(t) => t.status(),
            _ => self.fault().map(|f| f.status),
        }
    }

    /// The server's request id, when there was a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } | Error::MayHaveBeenCreated { request_id, .. } => {
                request_id.as_deref()
            }
            _ => self.fault().and_then(|f| f.request_id.as_deref()),
        }
    }

    /// How long the server asked to wait before retrying (413/429/503 with `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.fault().and_then(|f| f.retry_after)
    }

    /// Whether the request may have reached the server (and so may have taken effect).
    ///
    /// `false` only when nothing was sent: local validation, version checks, registry
    /// lookups, and transport failures that happened before sending (connect errors,
    /// authentication failures).
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Error::Transport(t) => t.may_have_reached_server(),
            Error::InvalidVersion { .. }
            | Error::VersionNotAvailable { .. }
            | Error::LatestNotResolved { .. }
            | Error::UnknownMajor { .. }
            | Error::DuplicateMajor { .. }
            | Error::VersionNotSupported { .. }
            | Error::NotSupported { .. }
            | Error::FieldNotSupported { .. }
            | Error::InvalidInput { .. } => false,
            _ => true,
        }
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn status_mapping_is_complete() {
        let cases = [
            (400, "BadRequest"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "NotFound"),
            (405, "MethodNotAllowed"),
            (406, "NotAcceptable"),
            (409, "Conflict"),
            (413, "OverLimit"),
            (429, "RateLimited"),
            (501, "NotImplemented"),
            (503, "ServiceUnavailable"),
            (500, "Server"),
            (502, "Server"),
            (504, "Server"),
            (410, "OtherStatus"),
            (415, "OtherStatus"),
            (302, "OtherStatus"),
        ];
        for (code, name) in cases {
            let status = StatusCode::from_u16(code).unwrap_or_else(|e| panic!("{e}"));
            let e = Fault::new(status, "m")
                .with_request_id("req-1")
                .into_error();
            let debug = format!("{e:?}");
            assert!(debug.starts_with(&format!("{name}(")), "{code}: {debug}");
            assert_eq!(e.status(), Some(status));
            assert_eq!(e.request_id(), Some("req-1"));
            assert!(e.may_have_reached_server());
            assert_eq!(e.is_not_found(), code == 404);
        }
    }

    #[test]
    fn display_is_novaclient_like() {
        let e = Fault::new(StatusCode::NOT_FOUND, "Instance x could not be found.")
            .with_request_id("req-abc")
            .into_error();
        assert_eq!(
            e.to_string(),
            "not found: Instance x could not be found. (HTTP 404) (Request-ID: req-abc)"
        );
    }

    #[test]
    fn local_errors_did_not_reach_the_server() {
        let e = Error::VersionNotSupported {
            operation: "servers.tags",
            required: VersionReq::at_least(MicroVersion::new(2, 26)),
            negotiated: MicroVersion::new(2, 1),
        };
        assert!(!e.may_have_reached_server());
        assert_eq!(
            e.to_string(),
            "servers.tags requires compute API version >=2.26, but this connection uses 2.1"
        );
        assert_eq!(e.status(), None);
        let e = Error::UnknownMajor {
            major: 3,
            registered: vec![],
        };
        assert!(e.to_string().contains("use nova_v2 as _"), "{e}");
        let e = Error::NotFoundByName {
            kind: "flavor",
            name: "m1.huge".into(),
        };
        assert!(e.is_not_found());
    }
}
