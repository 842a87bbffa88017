//! OAuth2 client credentials against Keystone's own authorization server
//! (`auth_type: v3oauth2clientcredential`).

use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::access::AccessInfo;
use crate::error::{Error, Result};
use crate::plugin::factor::{Factor, token_request_body};
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl, v3_url};
use crate::session::wire::Outgoing;

/// An application credential used as an OAuth2 client: like keystoneauth's
/// `OAuth2ClientCredential`, it authenticates with the credential (for the
/// token and catalog), exchanges it at Keystone's token endpoint
/// (`/v3/OS-OAUTH2/token`, `grant_type=client_credentials`, HTTP Basic
/// client authentication) for an access token, and sends that as
/// `Authorization: Bearer` with every request beside `X-Auth-Token`, so
/// services behind either keystonemiddleware filter (`auth_token` or
/// `oauth2_token`) accept it. `Debug` masks the secret and the tokens.
#[derive(Debug, Clone)]
pub struct OAuth2ClientCredential {
    auth_url: AuthUrl,
    endpoint: Option<String>,
    client_id: String,
    client_secret: SecretString,
}

#[derive(Deserialize)]
struct OAuth2TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
}

impl OAuth2ClientCredential {
    /// A client `client_id` (an application credential id) with its secret.
    pub fn new(
        auth_url: impl AsRef<str>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            endpoint: None,
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// The token endpoint (`oauth2_endpoint`); default `<auth_url>/v3/OS-OAUTH2/token`.
    /// It must be on the auth URL's origin: the client secret goes nowhere else.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    fn token_endpoint(&self, auth_url: &Url) -> Result<Url> {
        let url = match &self.endpoint {
            None => return v3_url(auth_url, "OS-OAUTH2/token"),
            Some(text) => Url::parse(text).map_err(|e| Error::invalid_url(text, e))?,
        };
        if url.origin() != auth_url.origin() {
            return Err(Error::invalid_url(
                url.as_str(),
                "the OAuth2 token endpoint must be on the auth URL's origin (it receives the client secret)",
            ));
        }
        Ok(url)
    }

    async fn access_token(&self, ctx: &AuthContext<'_>, url: Url) -> Result<SecretString> {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            form_encode(&self.client_id),
            form_encode(self.client_secret.expose_secret())
        ));
        let mut authorization = HeaderValue::from_str(&format!("Basic {basic}"))
            .map_err(|_| Error::InvalidAuth("the client id is not a valid header value".into()))?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let delivered = ctx
            .core
            .send_following_redirects(Outgoing {
                method: Method::POST,
                url: url.clone(),
                headers,
                body: Some(Bytes::from_static(b"grant_type=client_credentials")),
                timeout: None,
                credentials_in_body: true,
            })
            .await?;
        let response = delivered.response.error_for_status()?;
        let parsed: OAuth2TokenResponse =
            serde_json::from_slice(&response.body).map_err(|source| Error::Decode {
                method: Method::POST,
                url: Box::new(url.clone()),
                expected: "an OAuth2 token response",
                source,
            })?;
        if parsed
            .token_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(Error::InvalidTokenResponse {
                url: Box::new(url),
                reason: "the OAuth2 token type is not Bearer".into(),
                source: None,
            });
        }
        Ok(SecretString::from(parsed.access_token))
    }
}

/// RFC 6749 2.3.1: client id and secret are form-encoded before Basic.
pub(crate) fn form_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[async_trait]
impl AuthPlugin for OAuth2ClientCredential {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        let auth_url = self.auth_url.require()?;
        let endpoint = self.token_endpoint(auth_url)?;
        let factor = Factor::ApplicationCredential {
            id: self.client_id.clone(),
            secret: self.client_secret.clone(),
        };
        let access = ctx
            .request_token(auth_url, &token_request_body(&[factor], None))
            .await?;
        let bearer = self.access_token(ctx, endpoint).await?;
        Ok(access.with_bearer(bearer))
    }

    fn auth_url(&self) -> Option<&Url> {
        self.auth_url.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_defaults_to_keystone_and_must_share_its_origin() {
        let auth = Url::parse("http://h:5000/identity/v3").unwrap();
        let plugin = OAuth2ClientCredential::new("http://h:5000/identity/v3", "id", "s3cret");
        assert_eq!(
            plugin.token_endpoint(&auth).unwrap().as_str(),
            "http://h:5000/identity/v3/OS-OAUTH2/token"
        );
        let elsewhere = plugin.clone().endpoint("http://evil:5000/token");
        assert!(matches!(
            elsewhere.token_endpoint(&auth),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(!format!("{plugin:?}").contains("s3cret"));
    }
}
