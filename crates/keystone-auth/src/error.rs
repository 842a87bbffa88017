//! The crate's single error type.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::{Method, StatusCode};
use url::Url;

/// Result with [`enum@Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while authenticating or sending a request.
///
/// Each variant says whether the request may have reached the server; see
/// [`Error::may_have_reached_server`].
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an HTTP error status.
    /// The request reached the server.
    #[error("{0}")]
    Http(Box<HttpError>),

    /// No connection could be made; the request was never sent.
    /// The request did not reach the server.
    #[error("could not connect to {url} for {method}")]
    Connect {
        /// The method.
        method: Method,
        /// The URL.
        url: Box<Url>,
        /// The underlying failure.
        #[source]
        source: reqwest::Error,
    },

    /// The request timed out after the connection was made.
    /// The request may have reached the server.
    #[error("{method} {url} timed out")]
    Timeout {
        /// The method.
        method: Method,
        /// The URL.
        url: Box<Url>,
        /// The underlying failure.
        #[source]
        source: reqwest::Error,
    },

    /// The connection failed after the request was (perhaps partly) sent, e.g.
    /// the server closed it without answering.
    /// The request may have reached the server.
    #[error("{method} {url} failed after the request was sent; it may have reached the server")]
    Transport {
        /// The method.
        method: Method,
        /// The URL.
        url: Box<Url>,
        /// The underlying failure.
        #[source]
        source: reqwest::Error,
    },

    /// The response body was larger than the configured limit.
    /// The request reached the server.
    #[error("response to {method} {url} is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The method.
        method: Method,
        /// The URL.
        url: Box<Url>,
        /// The limit in bytes.
        limit: usize,
    },

    /// More redirects than allowed.
    /// The request reached the server.
    #[error("{method} {url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The method.
        method: Method,
        /// The first URL.
        url: Box<Url>,
        /// The redirect limit.
        limit: u32,
    },

    /// A redirect to another origin was refused because the request carries
    /// credentials in its body (a token request).
    /// The request reached the server.
    #[error(
        "{method} {url}: refused to follow a redirect to another origin ({location}) with credentials in the body"
    )]
    RedirectRefused {
        /// The method.
        method: Method,
        /// The URL that answered the redirect.
        url: Box<Url>,
        /// Where it pointed.
        location: String,
    },

    /// A redirect had no usable `Location`.
    /// The request reached the server.
    #[error("{method} {url}: redirect {status} without a valid Location header")]
    BadRedirect {
        /// The method.
        method: Method,
        /// The URL that answered the redirect.
        url: Box<Url>,
        /// The redirect status.
        status: StatusCode,
    },

    /// Another request of the same session was authenticating while this one
    /// waited for its token, and that authentication failed: the failure is
    /// shared by every waiting request instead of each asking Keystone again.
    /// This request was not sent.
    #[error("authentication failed in a concurrent request of this session: {message}")]
    AuthenticationFailed {
        /// The failure, as the request that authenticated saw it.
        message: String,
        /// Its HTTP status, when Keystone answered one.
        status: Option<StatusCode>,
        /// Keystone's request id, when it answered.
        request_id: Option<String>,
    },

    /// Keystone answered 2xx but the token response was unusable (no
    /// `X-Subject-Token`, or a body that is not a token).
    /// The request reached the server.
    #[error("invalid token response from {url}: {reason}")]
    InvalidTokenResponse {
        /// The token URL.
        url: Box<Url>,
        /// What was wrong.
        reason: String,
        /// The JSON error, if the body failed to parse.
        #[source]
        source: Option<serde_json::Error>,
    },

    /// A response body could not be decoded as the expected JSON.
    /// The request reached the server.
    #[error("could not decode the response to {method} {url} as {expected}")]
    Decode {
        /// The method.
        method: Method,
        /// The URL.
        url: Box<Url>,
        /// The Rust type that was expected.
        expected: &'static str,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },

    /// No catalog endpoint matches the filter.
    /// No request was sent.
    #[error("no endpoint in the service catalog matches {filter}; the catalog offers: {available}")]
    EndpointNotFound {
        /// The filter, described.
        filter: String,
        /// What the catalog offers, described.
        available: String,
    },

    /// A URL could not be parsed or is not http(s).
    /// No request was sent.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The text that was given.
        url: String,
        /// Why it is not usable.
        reason: String,
    },

    /// A request could not be built (bad header, body not serializable, ...).
    /// No request was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The authentication settings are incomplete or contradictory.
    /// No request was sent.
    #[error("invalid authentication settings: {0}")]
    InvalidAuth(String),

    /// The configuration (environment, clouds.yaml) is invalid or incomplete.
    /// No request was sent.
    #[error("invalid cloud configuration: {0}")]
    Config(String),

    /// A configuration, CA or certificate file could not be read.
    /// No request was sent.
    #[error("could not read {path}")]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A local file is larger than the limit for its use.
    /// No request was sent.
    #[error("{path} is larger than the limit of {limit} bytes")]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },

    /// A local file is not a regular file (a device such as `/dev/zero`, a FIFO, a
    /// directory), so it is not read.
    /// No request was sent.
    #[error("{path} is not a regular file")]
    NotARegularFile {
        /// The file.
        path: PathBuf,
    },

    /// A request with a body was redirected to another origin; the body is not sent
    /// there (it may hold `adminPass`, user data or credentials).
    /// The request reached the first server.
    #[error(
        "{method} {url}: refused to re-send the request body from {from} to another origin {to} \
         named by a {status} redirect"
    )]
    CrossOriginBodyRedirect {
        /// The method.
        method: Method,
        /// The URL that answered the redirect.
        url: Box<Url>,
        /// The redirect status.
        status: StatusCode,
        /// The origin the body was sent to.
        from: String,
        /// The origin the redirect named.
        to: String,
    },

    /// Keystone issued a token that had already expired when it arrived (its
    /// `expires_at` is not after its `issued_at`, or is in the past).
    /// The request reached the server.
    #[error("the token from {url} had already expired on arrival (expires_at {expires_at})")]
    TokenExpiredOnArrival {
        /// The token URL.
        url: Box<Url>,
        /// The token's `expires_at`.
        expires_at: String,
    },

    /// The TLS handshake with the server failed; the request was not sent.
    #[error("TLS with {url} failed: {kind}")]
    Tls {
        /// The method.
        method: Method,
        /// The URL.
        url: Box<Url>,
        /// What failed.
        kind: TlsFailure,
        /// The underlying failure.
        #[source]
        source: reqwest::Error,
    },

    /// A clouds.yaml or secure.yaml file is not valid YAML of the expected shape.
    /// No request was sent.
    #[error("could not parse {path}")]
    ParseConfigFile {
        /// The file.
        path: PathBuf,
        /// The YAML error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// A clouds.yaml or secure.yaml file nests deeper than any real one
    /// does; it was refused without being read further.
    /// No request was sent.
    #[error("{path} nests deeper than {limit} levels")]
    ConfigTooDeep {
        /// The file.
        path: PathBuf,
        /// The limit.
        limit: usize,
    },

    /// Keystone needs more authentication methods than the request gave (the
    /// user's multi-factor rules): it answered 401 with an auth receipt.
    /// Continue with [`MultiFactor::receipt`](crate::MultiFactor::receipt)
    /// and the methods [`AuthReceipt::missing_methods`](crate::AuthReceipt::missing_methods)
    /// names. The request reached the server.
    #[error("{0}")]
    AuthReceiptRequired(Box<crate::plugin::AuthReceipt>),

    /// The OpenID Connect provider refused, could not be reached, or
    /// answered something unusable (see [`OidcError`](crate::OidcError)).
    #[error(transparent)]
    Oidc(Box<crate::plugin::OidcError>),

    /// An `auth_type` this crate does not implement.
    /// No request was sent.
    #[error(
        "auth type {name:?} is not supported{}; supported: {}",
        reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
        supported.join(", ")
    )]
    AuthTypeNotSupported {
        /// The name as configured.
        name: String,
        /// Why, when there is more to say (e.g. removed from Keystone).
        reason: Option<String>,
        /// Every name that works.
        supported: Vec<&'static str>,
    },

    /// The TLS settings (CA file, client certificate) are not usable, or the
    /// HTTP client could not be built.
    /// No request was sent.
    #[error("could not set up the HTTP client: {reason}")]
    ClientSetup {
        /// What failed.
        reason: String,
        /// The underlying failure.
        #[source]
        source: Option<reqwest::Error>,
    },
}

impl Error {
    /// The HTTP status, for [`Error::Http`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Http(e) => Some(e.status),
            Self::AuthenticationFailed { status, .. } => *status,
            Self::AuthReceiptRequired(_) => Some(StatusCode::UNAUTHORIZED),
            Self::Oidc(e) => e.status(),
            _ => None,
        }
    }

    /// The server's request id, for [`Error::Http`].
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Http(e) => e.request_id.as_deref(),
            Self::AuthenticationFailed { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The `Retry-After` delay the server asked for, for [`Error::Http`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Http(e) => e.retry_after,
            _ => None,
        }
    }

    /// Whether the request may have reached the server (and so may have had
    /// effects). `false` only when it certainly was not sent.
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Self::Http(_)
            | Self::Timeout { .. }
            | Self::Transport { .. }
            | Self::BodyTooLarge { .. }
            | Self::TooManyRedirects { .. }
            | Self::BadRedirect { .. }
            | Self::RedirectRefused { .. }
            | Self::InvalidTokenResponse { .. }
            | Self::CrossOriginBodyRedirect { .. }
            | Self::TokenExpiredOnArrival { .. }
            | Self::AuthReceiptRequired(_)
            | Self::Decode { .. } => true,
            Self::Oidc(e) => e.may_have_reached_server(),
            Self::Connect { .. }
            | Self::AuthenticationFailed { .. }
            | Self::EndpointNotFound { .. }
            | Self::InvalidUrl { .. }
            | Self::InvalidRequest(_)
            | Self::InvalidAuth(_)
            | Self::Config(_)
            | Self::ReadFile { .. }
            | Self::FileTooLarge { .. }
            | Self::NotARegularFile { .. }
            | Self::Tls { .. }
            | Self::ParseConfigFile { .. }
            | Self::ConfigTooDeep { .. }
            | Self::AuthTypeNotSupported { .. }
            | Self::ClientSetup { .. } => false,
        }
    }

    /// The HTTP error details, for [`Error::Http`].
    pub fn http(&self) -> Option<&HttpError> {
        match self {
            Self::Http(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn invalid_url(url: impl Into<String>, reason: impl fmt::Display) -> Self {
        Self::InvalidUrl {
            url: url.into(),
            reason: reason.to_string(),
        }
    }
}

/// Why a TLS handshake failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsFailure {
    /// The server's certificate is not signed by a trusted CA (`--os-cacert` names one).
    UnknownIssuer,
    /// The server's certificate has expired (or is not valid yet).
    Expired,
    /// The server's certificate is not valid for the host name in the URL.
    HostnameMismatch,
    /// Another certificate problem (revoked, bad signature, wrong usage, ...).
    BadCertificate,
    /// The handshake itself failed (no common protocol or cipher, not TLS at all, ...).
    Handshake,
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnknownIssuer => {
                "the server certificate's issuer is not trusted (unknown issuer)"
            }
            Self::Expired => "the server certificate has expired or is not yet valid",
            Self::HostnameMismatch => "the server certificate is not valid for this host name",
            Self::BadCertificate => "the server certificate is invalid",
            Self::Handshake => "the TLS handshake failed",
        })
    }
}

/// What kind of body an error response had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorBodyKind {
    /// No body.
    Empty,
    /// JSON in a known OpenStack error shape.
    Json,
    /// JSON in no known shape.
    UnrecognizedJson,
    /// An HTML page (typically from a proxy or load balancer).
    Html,
    /// Some other text.
    Text,
}

/// An HTTP error status with the details OpenStack put in the response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpError {
    /// The status.
    pub status: StatusCode,
    /// The request method.
    pub method: Method,
    /// The URL that answered.
    pub url: Url,
    /// `x-openstack-request-id`, else `x-compute-request-id`.
    pub request_id: Option<String>,
    /// The message parsed from the body (Keystone, Nova, API-SIG or
    /// top-level shapes), or a short snippet of a non-JSON body.
    pub message: Option<String>,
    /// Extra details from the body, when given.
    pub details: Option<String>,
    /// The fault name of a Nova fault body (`itemNotFound`, ...) or the
    /// Keystone error title.
    pub title: Option<String>,
    /// What the body was.
    pub body_kind: ErrorBodyKind,
    /// The `Retry-After` header, as a delay.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} returned HTTP {}",
            self.method, self.url, self.status
        )?;
        match (&self.message, &self.body_kind) {
            (Some(m), ErrorBodyKind::Html) => write!(f, ": HTML error page: {m}")?,
            (Some(m), _) => write!(f, ": {m}")?,
            (None, _) => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (Request-ID: {id})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reached_server_is_documented_per_variant() {
        assert!(!Error::InvalidRequest("x".into()).may_have_reached_server());
        assert!(
            !Error::EndpointNotFound {
                filter: "f".into(),
                available: "a".into()
            }
            .may_have_reached_server()
        );
        let http = HttpError {
            status: StatusCode::NOT_FOUND,
            method: Method::GET,
            url: Url::parse("http://h/x").unwrap(),
            request_id: Some("req-1".into()),
            message: Some("Instance 1 could not be found.".into()),
            details: None,
            title: Some("itemNotFound".into()),
            body_kind: ErrorBodyKind::Json,
            retry_after: None,
        };
        let err = Error::Http(Box::new(http));
        assert!(err.may_have_reached_server());
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(err.request_id(), Some("req-1"));
        assert_eq!(
            err.to_string(),
            "GET http://h/x returned HTTP 404 Not Found: Instance 1 could not be found. (Request-ID: req-1)"
        );
    }
}
