//! [`ErrorKind`]: what class of failure an [`Error`] is, to branch on without
//! matching every variant or downcasting.

use crate::error::Error;

/// The class of an [`Error`], stable across new variants.
///
/// Callers branch on this (and on [`Error::status`] for [`ErrorKind::Http`])
/// instead of matching variants, so a new variant is not a breaking change for
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with an HTTP error status (see [`Error::status`]);
    /// when Keystone refused the credentials, the status is 401.
    Http,
    /// Another request of the session failed to authenticate and this one
    /// shares that failure (see [`Error::status`]). Nothing was sent.
    Authentication,
    /// Keystone wants more authentication factors: continue with the receipt
    /// (see [`Error::AuthReceiptRequired`]); [`Error::status`] is 401.
    MoreFactorsRequired,
    /// No connection could be made. Nothing was sent.
    Connect,
    /// The TLS handshake failed. Nothing was sent.
    Tls,
    /// The request timed out; it may have reached the server.
    Timeout,
    /// The connection failed after the request was sent; it may have reached
    /// the server.
    LostAfterSend,
    /// The server's answer was unusable: undecodable, too large, a bad or
    /// refused redirect, an invalid or already expired token.
    InvalidResponse,
    /// No catalog endpoint matches the filter. Nothing was sent.
    EndpointNotFound,
    /// Local settings or files are invalid, or a request could not be built.
    /// Nothing was sent.
    Config,
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Http(_) => ErrorKind::Http,
            Error::AuthenticationFailed { .. } => ErrorKind::Authentication,
            Error::AuthReceiptRequired(_) => ErrorKind::MoreFactorsRequired,
            Error::Oidc(e) => e.kind(),
            Error::Connect { .. } => ErrorKind::Connect,
            Error::Tls { .. } => ErrorKind::Tls,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Transport { .. } => ErrorKind::LostAfterSend,
            Error::BodyTooLarge { .. }
            | Error::TooManyRedirects { .. }
            | Error::RedirectRefused { .. }
            | Error::BadRedirect { .. }
            | Error::CrossOriginBodyRedirect { .. }
            | Error::InvalidTokenResponse { .. }
            | Error::TokenExpiredOnArrival { .. }
            | Error::Decode { .. } => ErrorKind::InvalidResponse,
            Error::EndpointNotFound { .. } => ErrorKind::EndpointNotFound,
            Error::InvalidUrl { .. }
            | Error::InvalidRequest(_)
            | Error::InvalidAuth(_)
            | Error::Config(_)
            | Error::ReadFile { .. }
            | Error::FileTooLarge { .. }
            | Error::NotARegularFile { .. }
            | Error::ParseConfigFile { .. }
            | Error::ConfigTooDeep { .. }
            | Error::AuthTypeNotSupported { .. }
            | Error::ClientSetup { .. } => ErrorKind::Config,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_problems_are_config_and_were_not_sent() {
        let error = Error::Config("no auth_url".into());
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(!error.may_have_reached_server());
        let error = Error::EndpointNotFound {
            filter: "compute".into(),
            available: "identity".into(),
        };
        assert_eq!(error.kind(), ErrorKind::EndpointNotFound);
    }

    #[test]
    fn shared_authentication_failure_keeps_its_status() {
        let error = Error::AuthenticationFailed {
            message: "The request you have made requires authentication.".into(),
            status: Some(http::StatusCode::UNAUTHORIZED),
            request_id: None,
        };
        assert_eq!(error.kind(), ErrorKind::Authentication);
        assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    }
}
