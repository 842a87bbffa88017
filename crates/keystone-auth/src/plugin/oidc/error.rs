//! [`OidcError`]: what can go wrong between the client and the OpenID
//! Connect provider (before Keystone sees anything).

use url::Url;

use crate::error::Error;
use crate::error_kind::ErrorKind;

/// The longest provider text kept in an error.
const MAX_SERVER_TEXT: usize = 200;

/// A failure at the OpenID Connect provider (IdP). Server text in it is
/// cut short, stripped of control characters and masked of known secrets.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider answered an OAuth 2.0 error (RFC 6749 5.2): 400
    /// `invalid_grant` for wrong user credentials, 401 `invalid_client` for
    /// a wrong client secret, ... The request reached the provider.
    #[error(
        "the identity provider at {url} refused the request (HTTP {status}, {error}){}",
        description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
    )]
    Refused {
        /// The provider endpoint.
        url: Box<Url>,
        /// The HTTP status.
        status: http::StatusCode,
        /// The OAuth `error` code (`invalid_grant`, `invalid_client`, ...),
        /// or `unknown` when the body named none.
        error: String,
        /// The `error_description`, when given.
        description: Option<String>,
    },

    /// The provider could not be reached (connection refused, TLS, timeout).
    #[error("the identity provider at {url} could not be reached")]
    Unreachable {
        /// The provider endpoint.
        url: Box<Url>,
        /// The transport failure.
        #[source]
        source: Box<Error>,
    },

    /// The discovery document (`.well-known/openid-configuration`) is not
    /// usable: not JSON, not an object, or a needed endpoint is missing or
    /// not an http(s) URL.
    #[error("the OpenID Connect discovery document at {url} is not usable: {reason}")]
    InvalidDiscovery {
        /// The discovery URL.
        url: Box<Url>,
        /// What was wrong.
        reason: String,
    },

    /// Neither an explicit endpoint nor a discovery document names the
    /// endpoint this flow needs.
    #[error("no {endpoint}: set {setting} or discovery_endpoint")]
    EndpointNotConfigured {
        /// The endpoint (`token endpoint`, `device authorization endpoint`).
        endpoint: &'static str,
        /// The setting that names it.
        setting: &'static str,
    },

    /// The discovery document's `grant_types_supported` lacks this plugin's grant.
    #[error("the identity provider at {url} does not support the {grant} grant")]
    GrantNotSupported {
        /// The discovery URL.
        url: Box<Url>,
        /// The grant type.
        grant: &'static str,
    },

    /// The provider answered 2xx with a body that is not a usable token or
    /// device authorization response.
    #[error("invalid response from the identity provider at {url}: {reason}")]
    InvalidResponse {
        /// The provider endpoint.
        url: Box<Url>,
        /// What was wrong.
        reason: String,
    },

    /// The device code expired before the user approved (`expired_token`,
    /// or the polling budget of `expires_in` seconds ran out).
    #[error("the device authorization at {url} expired before it was approved")]
    DeviceCodeExpired {
        /// The token endpoint polled.
        url: Box<Url>,
    },

    /// The user denied the device authorization (`access_denied`).
    #[error("the device authorization at {url} was denied")]
    DeviceAuthorizationDenied {
        /// The token endpoint polled.
        url: Box<Url>,
    },
}

impl OidcError {
    /// The OAuth error code, for [`OidcError::Refused`].
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            Self::Refused { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The HTTP status, for [`OidcError::Refused`].
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Self::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The class of this failure: a refusal is [`ErrorKind::Http`] (with
    /// [`OidcError::status`]), an unreachable provider its transport
    /// failure's kind, a denied or expired device login
    /// [`ErrorKind::Authentication`], the rest an invalid response or a
    /// configuration problem.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Refused { .. } => ErrorKind::Http,
            Self::Unreachable { source, .. } => source.kind(),
            Self::DeviceCodeExpired { .. } | Self::DeviceAuthorizationDenied { .. } => {
                ErrorKind::Authentication
            }
            Self::EndpointNotConfigured { .. } => ErrorKind::Config,
            Self::InvalidDiscovery { .. }
            | Self::GrantNotSupported { .. }
            | Self::InvalidResponse { .. } => ErrorKind::InvalidResponse,
        }
    }

    /// Whether a request may have reached the provider.
    pub(crate) fn may_have_reached_server(&self) -> bool {
        match self {
            Self::Unreachable { source, .. } => source.may_have_reached_server(),
            Self::EndpointNotConfigured { .. } => false,
            _ => true,
        }
    }
}

impl From<OidcError> for Error {
    fn from(error: OidcError) -> Self {
        Error::Oidc(Box::new(error))
    }
}

/// Provider text made safe for an error: secrets masked, control
/// characters dropped, cut to [`MAX_SERVER_TEXT`] characters.
pub(crate) fn server_text(text: &str) -> String {
    let masked = crate::redact::redact(text);
    let clean: String = masked
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_SERVER_TEXT)
        .collect();
    clean
}
