//! Talking to the OpenID Connect provider: the discovery document and form
//! POSTs to its token and device endpoints with the client's authentication
//! (`client_secret_basic` when there is a secret, else `client_id` in the
//! body, as keystoneauth does). Nothing Keystone issued is ever sent here.

use base64::Engine;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use super::error::{OidcError, server_text};
use crate::error::{Error, Result};
use crate::plugin::AuthContext;
use crate::plugin::oauth2::form_encode;
use crate::redact::register_secret;
use crate::session::Response;
use crate::session::wire::Outgoing;

/// The parts of `.well-known/openid-configuration` a client needs.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Discovery {
    #[serde(default)]
    pub(crate) token_endpoint: Option<String>,
    #[serde(default)]
    pub(crate) device_authorization_endpoint: Option<String>,
    #[serde(default)]
    pub(crate) grant_types_supported: Option<Vec<String>>,
}

/// An OAuth 2.0 error body (RFC 6749 5.2).
#[derive(Debug, Deserialize)]
struct OAuthErrorBody {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// The OAuth client: its id and, for a confidential client, its secret.
#[derive(Debug, Clone)]
pub(crate) struct OAuthClient {
    pub(crate) id: String,
    pub(crate) secret: Option<SecretString>,
}

/// A parsed http(s) URL, or [`OidcError::InvalidDiscovery`] / [`Error::InvalidUrl`].
pub(crate) fn endpoint_url(text: &str) -> Result<Url> {
    Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            Error::invalid_url(
                text,
                "an OpenID Connect endpoint must be an absolute http(s) URL",
            )
        })
}

/// Fetches and parses the discovery document.
pub(crate) async fn discover(ctx: &AuthContext<'_>, url: &Url) -> Result<Discovery> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    let response = send(ctx, Method::GET, url, headers, None).await?;
    let response = refused_unless_ok(response, url)?;
    let invalid = |reason: &str| OidcError::InvalidDiscovery {
        url: Box::new(url.clone()),
        reason: reason.to_owned(),
    };
    let value: serde_json::Value =
        serde_json::from_slice(&response.body).map_err(|_| invalid("the body is not JSON"))?;
    if !value.is_object() {
        return Err(invalid("the body is not a JSON object").into());
    }
    let discovery: Discovery =
        serde_json::from_value(value).map_err(|e| invalid(&format!("unexpected shape ({e})")))?;
    for endpoint in [
        &discovery.token_endpoint,
        &discovery.device_authorization_endpoint,
    ]
    .into_iter()
    .flatten()
    {
        if endpoint_url(endpoint).is_err() {
            return Err(invalid("an endpoint is not an absolute http(s) URL").into());
        }
    }
    Ok(discovery)
}

impl OAuthClient {
    /// POSTs `fields` form-encoded to `url` with the client's authentication;
    /// returns the 2xx response, or the provider's refusal as [`OidcError::Refused`].
    pub(crate) async fn post_form(
        &self,
        ctx: &AuthContext<'_>,
        url: &Url,
        fields: &[(&str, &str)],
    ) -> Result<Response> {
        Ok(refused_unless_ok(
            self.post_form_raw(ctx, url, fields).await?,
            url,
        )?)
    }

    /// [`OAuthClient::post_form`] without the status check (the device poll
    /// reads `authorization_pending` from a 400).
    pub(crate) async fn post_form_raw(
        &self,
        ctx: &AuthContext<'_>,
        url: &Url,
        fields: &[(&str, &str)],
    ) -> Result<Response> {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(fields.len() + 1);
        match &self.secret {
            Some(secret) => {
                register_secret(secret.expose_secret());
                let basic = base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    form_encode(&self.id),
                    form_encode(secret.expose_secret())
                ));
                let mut value = HeaderValue::from_str(&format!("Basic {basic}")).map_err(|_| {
                    Error::InvalidAuth("the OIDC client id is not a valid header value".into())
                })?;
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            }
            None => pairs.push(("client_id", &self.id)),
        }
        pairs.extend_from_slice(fields);
        let body = Bytes::from(
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
        send(ctx, Method::POST, url, headers, Some(body)).await
    }
}

/// One exchange with the provider; transport failures become [`OidcError::Unreachable`].
async fn send(
    ctx: &AuthContext<'_>,
    method: Method,
    url: &Url,
    headers: HeaderMap,
    body: Option<Bytes>,
) -> Result<Response> {
    let delivered = ctx
        .core
        .send_following_redirects(Outgoing {
            method,
            url: url.clone(),
            headers,
            body,
            timeout: None,
            credentials_in_body: true,
        })
        .await;
    match delivered {
        Ok(delivered) => Ok(delivered.response),
        Err(
            source @ (Error::Connect { .. }
            | Error::Timeout { .. }
            | Error::Transport { .. }
            | Error::Tls { .. }),
        ) => Err(OidcError::Unreachable {
            url: Box::new(crate::session::wire::url_without_password(url)),
            source: Box::new(source),
        }
        .into()),
        Err(other) => Err(other),
    }
}

/// `response` when 2xx; else its OAuth error as [`OidcError::Refused`].
pub(crate) fn refused_unless_ok(response: Response, url: &Url) -> Result<Response, OidcError> {
    if response.status.is_success() {
        return Ok(response);
    }
    Err(refusal(&response, url))
}

/// The provider's refusal in `response` (any status).
pub(crate) fn refusal(response: &Response, url: &Url) -> OidcError {
    let parsed: Option<OAuthErrorBody> = serde_json::from_slice(&response.body).ok();
    let (error, description) = match parsed {
        Some(body) => (
            server_text(&body.error),
            body.error_description.as_deref().map(server_text),
        ),
        None => ("unknown".to_owned(), None),
    };
    OidcError::Refused {
        url: Box::new(crate::session::wire::url_without_password(url)),
        status: response.status,
        error,
        description,
    }
}

/// The OAuth error code of a response, if its body has one.
pub(crate) fn oauth_error_code(response: &Response) -> Option<String> {
    serde_json::from_slice::<OAuthErrorBody>(&response.body)
        .ok()
        .map(|b| b.error)
}
