//! Authentication plugins: how a token is obtained. Applying the token to
//! requests is the [`Session`](crate::Session)'s job.

mod application_credential;
mod factor;
mod multi_factor;
mod no_auth;
mod oauth2;
mod oidc;
mod password;
mod receipt;
mod restored;
mod static_token;
mod token;
mod totp;

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

pub use application_credential::ApplicationCredential;
pub use factor::Factor;
pub use multi_factor::MultiFactor;
pub use no_auth::NoAuth;
pub use oauth2::OAuth2ClientCredential;
pub use oidc::{AccessTokenType, DeviceCode, Oidc, OidcError};
pub use password::Password;
pub use receipt::{AUTH_RECEIPT_HEADER, AuthReceipt};
pub use restored::RestoredAuth;
pub use static_token::StaticToken;
pub use token::Token;
pub use totp::Totp;

use crate::access::{AccessInfo, TokenParseError};
use crate::error::{Error, Result};
use crate::session::wire::{HttpCore, Outgoing};

/// Obtains an [`AccessInfo`] (token and catalog). Object safe.
#[async_trait]
pub trait AuthPlugin: Send + Sync + Debug {
    /// Authenticates and returns the new access.
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo>;

    /// The identity endpoint this plugin sends credentials to; its origin is
    /// allowed to receive the token.
    fn auth_url(&self) -> Option<&Url>;
}

#[async_trait]
impl<P: AuthPlugin + ?Sized> AuthPlugin for Arc<P> {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        (**self).authenticate(ctx).await
    }

    fn auth_url(&self) -> Option<&Url> {
        (**self).auth_url()
    }
}

#[async_trait]
impl<P: AuthPlugin + ?Sized> AuthPlugin for Box<P> {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        (**self).authenticate(ctx).await
    }

    fn auth_url(&self) -> Option<&Url> {
        (**self).auth_url()
    }
}

/// What a plugin may use while authenticating: the session's HTTP plumbing
/// (TLS, timeouts, retries of connect failures, redacted logging).
#[derive(Debug)]
pub struct AuthContext<'a> {
    pub(crate) core: &'a HttpCore,
}

impl AuthContext<'_> {
    /// The session clock's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.core.clock.now()
    }

    /// POSTs a Keystone v3 token request (`{"auth": ..}`) to
    /// `<auth_url>/auth/tokens` (adding `/v3` when `auth_url` does not end
    /// in it) and reads the token from `X-Subject-Token` and the body.
    pub async fn request_token(&self, auth_url: &Url, body: &Value) -> Result<AccessInfo> {
        self.request_token_with(auth_url, body, HeaderMap::new())
            .await
    }

    /// [`AuthContext::request_token`] with extra headers (an auth receipt).
    /// A 401 carrying a receipt is [`Error::AuthReceiptRequired`].
    pub async fn request_token_with(
        &self,
        auth_url: &Url,
        body: &Value,
        extra_headers: HeaderMap,
    ) -> Result<AccessInfo> {
        let url = tokens_url(auth_url)?;
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("token request body: {e}")))?;
        let mut headers = extra_headers;
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let delivered = self
            .core
            .send_following_redirects(Outgoing {
                method: Method::POST,
                url: url.clone(),
                headers,
                body: Some(Bytes::from(bytes)),
                timeout: None,
                credentials_in_body: true,
            })
            .await?;
        if let Some(receipt) = AuthReceipt::from_response(&delivered.response) {
            return Err(Error::AuthReceiptRequired(Box::new(receipt)));
        }
        self.read_token_response(&url, delivered.response)
    }

    /// POSTs to a federated auth URL (`OS-FEDERATION/.../auth`) with the
    /// provider's access token as `Authorization: Bearer` and reads the
    /// unscoped federated token.
    pub(crate) async fn request_federated_token(
        &self,
        url: &Url,
        bearer: &SecretString,
    ) -> Result<AccessInfo> {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", bearer.expose_secret())).map_err(|_| {
                Error::InvalidTokenResponse {
                    url: Box::new(url.clone()),
                    reason: "the identity provider's access token is not a valid header value"
                        .into(),
                    source: None,
                }
            })?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, authorization);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let delivered = self
            .core
            .send_following_redirects(Outgoing {
                method: Method::POST,
                url: url.clone(),
                headers,
                body: None,
                timeout: None,
                credentials_in_body: true,
            })
            .await?;
        self.read_token_response(url, delivered.response)
    }

    /// The token of a token response (`X-Subject-Token` and the body), or
    /// the error its status or shape says.
    fn read_token_response(
        &self,
        url: &Url,
        response: crate::session::Response,
    ) -> Result<AccessInfo> {
        let response = response.error_for_status()?;
        let invalid =
            |reason: &str, source: Option<serde_json::Error>| Error::InvalidTokenResponse {
                url: Box::new(url.clone()),
                reason: reason.to_owned(),
                source,
            };
        let token = response
            .headers
            .get("x-subject-token")
            .ok_or_else(|| invalid("no X-Subject-Token header", None))?
            .to_str()
            .map_err(|_| invalid("X-Subject-Token is not text", None))?;
        if token.trim().is_empty() {
            return Err(invalid("X-Subject-Token is empty", None));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(
                "X-Subject-Token holds spaces or control characters; it is not a token",
                None,
            ));
        }
        let token = SecretString::from(token.to_owned());
        let access =
            AccessInfo::from_token_response(token, &response.body).map_err(|e| match e {
                TokenParseError::Json(source) => invalid("the body is not a token", Some(source)),
                TokenParseError::Time(t) => invalid(&format!("unreadable expires_at {t:?}"), None),
            })?;
        if let Some(expires) = access.expires_at {
            let expired = match access.issued_at {
                Some(issued) => expires <= issued,
                None => expires <= self.now(),
            };
            if expired {
                return Err(Error::TokenExpiredOnArrival {
                    url: Box::new(url.clone()),
                    expires_at: expires.to_rfc3339(),
                });
            }
        }
        Ok(access)
    }
}

/// `<auth_url>[/v3]/auth/tokens`.
pub(crate) fn tokens_url(auth_url: &Url) -> Result<Url> {
    v3_url(auth_url, "auth/tokens")
}

/// `<auth_url>[/v3]/<suffix>`: a path of the identity v3 API.
pub(crate) fn v3_url(auth_url: &Url, suffix: &str) -> Result<Url> {
    let mut base = auth_url.clone();
    base.set_query(None);
    base.set_fragment(None);
    let path = base.path().trim_end_matches('/').to_owned();
    let path = if path.ends_with("/v3") {
        format!("{path}/{suffix}")
    } else {
        format!("{path}/v3/{suffix}")
    };
    base.set_path(&path);
    Ok(base)
}

/// An auth URL as given: parsed when valid, kept as text for the error otherwise.
#[derive(Debug, Clone)]
pub(crate) struct AuthUrl {
    raw: String,
    parsed: Option<Url>,
}

impl AuthUrl {
    pub(crate) fn new(raw: impl AsRef<str>) -> Self {
        let raw = raw.as_ref().trim().to_owned();
        let parsed = Url::parse(&raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        Self { raw, parsed }
    }

    pub(crate) fn get(&self) -> Option<&Url> {
        self.parsed.as_ref()
    }

    pub(crate) fn require(&self) -> Result<&Url> {
        self.parsed.as_ref().ok_or_else(|| {
            Error::invalid_url(&self.raw, "the auth URL must be an absolute http(s) URL")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_url_adds_v3_once() {
        for (given, want) in [
            ("http://h/identity/v3", "http://h/identity/v3/auth/tokens"),
            ("http://h/identity/v3/", "http://h/identity/v3/auth/tokens"),
            ("http://h/identity", "http://h/identity/v3/auth/tokens"),
            ("http://h:5000", "http://h:5000/v3/auth/tokens"),
        ] {
            assert_eq!(
                tokens_url(&Url::parse(given).unwrap()).unwrap().as_str(),
                want
            );
        }
    }

    #[test]
    fn bad_auth_url_is_an_error() {
        assert!(AuthUrl::new("not a url").require().is_err());
        assert!(AuthUrl::new("ftp://h/v3").require().is_err());
        assert!(AuthUrl::new("http://h/v3").require().is_ok());
    }
}
