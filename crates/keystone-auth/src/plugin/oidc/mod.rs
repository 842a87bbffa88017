//! OpenID Connect federation (`auth_type: v3oidcpassword`,
//! `v3oidcclientcredentials`, `v3oidcauthcode`, `v3oidcdeviceauthz`,
//! `v3oidcaccesstoken`), as keystoneauth's `identity/v3/oidc.py` and
//! `federation.py` do it:
//!
//! 1. the grant at the provider's token endpoint (explicit
//!    `access_token_endpoint`, else from the `discovery_endpoint` document)
//!    gives an access token (or an ID token, `access_token_type`);
//! 2. Keystone's `/v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth`
//!    with `Authorization: Bearer <access token>` gives an unscoped federated token;
//! 3. the `token` method rescopes it to the requested project, domain or system.
//!
//! The provider only ever sees the client's and the user's provider
//! credentials; Keystone only ever sees the access token. Every secret is a
//! `SecretString`, masked in `Debug` and registered for log redaction.

mod device;
mod error;
mod provider;

use std::sync::Arc;

use async_trait::async_trait;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

pub use device::DeviceCode;
pub use error::OidcError;

use device::{DEVICE_GRANT, DevicePrompt, device_token_response};
use provider::{Discovery, OAuthClient, discover, endpoint_url};

use crate::access::AccessInfo;
use crate::error::Result;
use crate::identity::Scope;
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl, Token, v3_url};
use crate::redact::register_secret;

/// The characters escaped in an identity provider or protocol id in the path.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// keystoneauth's default `openid_scope`.
const DEFAULT_OPENID_SCOPE: &str = "openid profile";

/// How the provider is asked for the access token.
#[derive(Debug, Clone)]
enum Grant {
    Password {
        username: String,
        password: SecretString,
    },
    ClientCredentials,
    AuthorizationCode {
        code: SecretString,
        redirect_uri: String,
    },
    DeviceAuthorization,
    /// An access token the caller already has: no provider exchange.
    AccessToken(SecretString),
}

impl Grant {
    fn grant_type(&self) -> Option<&'static str> {
        match self {
            Grant::Password { .. } => Some("password"),
            Grant::ClientCredentials => Some("client_credentials"),
            Grant::AuthorizationCode { .. } => Some("authorization_code"),
            Grant::DeviceAuthorization => Some(DEVICE_GRANT),
            Grant::AccessToken(_) => None,
        }
    }
}

/// Which token of the provider's answer Keystone gets (`access_token_type`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessTokenType {
    /// `access_token` (the default).
    #[default]
    AccessToken,
    /// `id_token`.
    IdToken,
}

/// An OpenID Connect federated login. Build it with one constructor per
/// grant, then the provider's endpoints and the scope. `Debug` masks every
/// secret.
///
/// ```
/// use keystone_auth::{DomainRef, Oidc, Scope};
/// let plugin = Oidc::password("http://keystone/v3", "myidp", "openid", "client", "alice", "pw")
///     .client_secret("s3cret")
///     .discovery_endpoint("https://idp/.well-known/openid-configuration")
///     .scope(Scope::project_name("demo", DomainRef::name("Default")));
/// assert!(!format!("{plugin:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct Oidc {
    auth_url: AuthUrl,
    identity_provider: String,
    protocol: String,
    client: OAuthClient,
    grant: Grant,
    discovery_endpoint: Option<String>,
    access_token_endpoint: Option<String>,
    device_authorization_endpoint: Option<String>,
    openid_scope: String,
    access_token_type: AccessTokenType,
    scope: Option<Scope>,
    prompt: DevicePrompt,
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default)]
    token_type: Option<String>,
}

impl Oidc {
    fn new(
        auth_url: &str,
        identity_provider: &str,
        protocol: &str,
        client_id: &str,
        grant: Grant,
    ) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            identity_provider: identity_provider.to_owned(),
            protocol: protocol.to_owned(),
            client: OAuthClient {
                id: client_id.to_owned(),
                secret: None,
            },
            grant,
            discovery_endpoint: None,
            access_token_endpoint: None,
            device_authorization_endpoint: None,
            openid_scope: DEFAULT_OPENID_SCOPE.to_owned(),
            access_token_type: AccessTokenType::default(),
            scope: None,
            prompt: DevicePrompt::default(),
        }
    }

    /// `v3oidcpassword`: the resource owner password grant with the user's
    /// credentials at the provider (`username`, `password`).
    pub fn password(
        auth_url: impl AsRef<str>,
        identity_provider: impl AsRef<str>,
        protocol: impl AsRef<str>,
        client_id: impl AsRef<str>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        let grant = Grant::Password {
            username: username.into(),
            password: SecretString::from(password.into()),
        };
        Self::new(
            auth_url.as_ref(),
            identity_provider.as_ref(),
            protocol.as_ref(),
            client_id.as_ref(),
            grant,
        )
    }

    /// `v3oidcclientcredentials`: the client credentials grant (set
    /// [`Oidc::client_secret`]).
    pub fn client_credentials(
        auth_url: impl AsRef<str>,
        identity_provider: impl AsRef<str>,
        protocol: impl AsRef<str>,
        client_id: impl AsRef<str>,
    ) -> Self {
        Self::new(
            auth_url.as_ref(),
            identity_provider.as_ref(),
            protocol.as_ref(),
            client_id.as_ref(),
            Grant::ClientCredentials,
        )
    }

    /// `v3oidcauthcode`: an authorization code the browser step returned
    /// (`code`) and the `redirect_uri` it was issued for.
    pub fn authorization_code(
        auth_url: impl AsRef<str>,
        identity_provider: impl AsRef<str>,
        protocol: impl AsRef<str>,
        client_id: impl AsRef<str>,
        code: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        let grant = Grant::AuthorizationCode {
            code: SecretString::from(code.into()),
            redirect_uri: redirect_uri.into(),
        };
        Self::new(
            auth_url.as_ref(),
            identity_provider.as_ref(),
            protocol.as_ref(),
            client_id.as_ref(),
            grant,
        )
    }

    /// `v3oidcdeviceauthz`: the device authorization grant (RFC 8628); the
    /// user approves in a browser what [`Oidc::on_device_code`] shows.
    pub fn device_authorization(
        auth_url: impl AsRef<str>,
        identity_provider: impl AsRef<str>,
        protocol: impl AsRef<str>,
        client_id: impl AsRef<str>,
    ) -> Self {
        Self::new(
            auth_url.as_ref(),
            identity_provider.as_ref(),
            protocol.as_ref(),
            client_id.as_ref(),
            Grant::DeviceAuthorization,
        )
    }

    /// `v3oidcaccesstoken`: an access token the caller already has, sent to
    /// Keystone as is (no provider exchange).
    pub fn access_token(
        auth_url: impl AsRef<str>,
        identity_provider: impl AsRef<str>,
        protocol: impl AsRef<str>,
        access_token: impl Into<String>,
    ) -> Self {
        let grant = Grant::AccessToken(SecretString::from(access_token.into()));
        Self::new(
            auth_url.as_ref(),
            identity_provider.as_ref(),
            protocol.as_ref(),
            "",
            grant,
        )
    }

    /// The client secret (`client_secret`): sent to the provider only, as
    /// HTTP Basic client authentication.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client.secret = Some(SecretString::from(secret.into()));
        self
    }

    /// `discovery_endpoint`: the provider's `.well-known/openid-configuration`.
    pub fn discovery_endpoint(mut self, url: impl Into<String>) -> Self {
        self.discovery_endpoint = Some(url.into());
        self
    }

    /// `access_token_endpoint`: the token endpoint (wins over discovery).
    pub fn access_token_endpoint(mut self, url: impl Into<String>) -> Self {
        self.access_token_endpoint = Some(url.into());
        self
    }

    /// `device_authorization_endpoint` (wins over discovery).
    pub fn device_authorization_endpoint(mut self, url: impl Into<String>) -> Self {
        self.device_authorization_endpoint = Some(url.into());
        self
    }

    /// `openid_scope`: the OAuth scope asked of the provider (default `openid profile`).
    pub fn openid_scope(mut self, scope: impl Into<String>) -> Self {
        self.openid_scope = scope.into();
        self
    }

    /// `access_token_type`: which token of the provider's answer Keystone gets.
    pub fn access_token_type(mut self, kind: AccessTokenType) -> Self {
        self.access_token_type = kind;
        self
    }

    /// The Keystone scope the federated token is rescoped to; without one
    /// the unscoped federated token is the result.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// How the device flow shows the user code (default: a `warn!` log
    /// line, as keystoneauth logs it).
    pub fn on_device_code(mut self, prompt: impl Fn(&DeviceCode) + Send + Sync + 'static) -> Self {
        self.prompt = DevicePrompt(Arc::new(prompt));
        self
    }

    /// The `auth_type` name of this grant.
    pub fn auth_type(&self) -> &'static str {
        match self.grant {
            Grant::Password { .. } => "v3oidcpassword",
            Grant::ClientCredentials => "v3oidcclientcredentials",
            Grant::AuthorizationCode { .. } => "v3oidcauthcode",
            Grant::DeviceAuthorization => "v3oidcdeviceauthz",
            Grant::AccessToken(_) => "v3oidcaccesstoken",
        }
    }

    /// `<auth_url>/v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth`.
    pub fn federated_token_url(&self) -> Result<Url> {
        let idp = utf8_percent_encode(&self.identity_provider, PATH_SEGMENT);
        let protocol = utf8_percent_encode(&self.protocol, PATH_SEGMENT);
        v3_url(
            self.auth_url.require()?,
            &format!("OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth"),
        )
    }

    /// The endpoint named explicitly, else by the discovery document.
    fn endpoint(
        explicit: &Option<String>,
        discovered: Option<&String>,
        what: &'static str,
        setting: &'static str,
    ) -> Result<Url> {
        match (explicit, discovered) {
            (Some(url), _) | (None, Some(url)) => endpoint_url(url),
            (None, None) => Err(OidcError::EndpointNotConfigured {
                endpoint: what,
                setting,
            }
            .into()),
        }
    }

    /// Step 1: the access token from the provider.
    async fn provider_token(&self, ctx: &AuthContext<'_>) -> Result<SecretString> {
        if let Grant::AccessToken(token) = &self.grant {
            return Ok(token.clone());
        }
        let discovery = match &self.discovery_endpoint {
            Some(url) => {
                let url = endpoint_url(url)?;
                let found = discover(ctx, &url).await?;
                if let (Some(supported), Some(grant)) =
                    (&found.grant_types_supported, self.grant.grant_type())
                    && !supported.iter().any(|g| g == grant)
                {
                    return Err(OidcError::GrantNotSupported {
                        url: Box::new(url),
                        grant,
                    }
                    .into());
                }
                Some(found)
            }
            None => None,
        };
        let discovery = discovery.as_ref();
        let token_endpoint = Self::endpoint(
            &self.access_token_endpoint,
            discovery.and_then(|d: &Discovery| d.token_endpoint.as_ref()),
            "token endpoint",
            "access_token_endpoint",
        )?;
        let scope = self.openid_scope.as_str();
        let response = match &self.grant {
            Grant::Password { username, password } => {
                register_secret(password.expose_secret());
                let fields = [
                    ("grant_type", "password"),
                    ("username", username.as_str()),
                    ("password", password.expose_secret()),
                    ("scope", scope),
                ];
                self.client.post_form(ctx, &token_endpoint, &fields).await?
            }
            Grant::ClientCredentials => {
                let fields = [("grant_type", "client_credentials"), ("scope", scope)];
                self.client.post_form(ctx, &token_endpoint, &fields).await?
            }
            Grant::AuthorizationCode { code, redirect_uri } => {
                register_secret(code.expose_secret());
                let fields = [
                    ("grant_type", "authorization_code"),
                    ("code", code.expose_secret()),
                    ("redirect_uri", redirect_uri.as_str()),
                ];
                self.client.post_form(ctx, &token_endpoint, &fields).await?
            }
            Grant::DeviceAuthorization => {
                let device_endpoint = Self::endpoint(
                    &self.device_authorization_endpoint,
                    discovery.and_then(|d| d.device_authorization_endpoint.as_ref()),
                    "device authorization endpoint",
                    "device_authorization_endpoint",
                )?;
                device_token_response(
                    ctx,
                    &self.client,
                    &device_endpoint,
                    &token_endpoint,
                    scope,
                    &self.prompt,
                )
                .await?
            }
            Grant::AccessToken(_) => unreachable!("handled above"),
        };
        self.token_from(&response.body, &token_endpoint)
    }

    fn token_from(&self, body: &[u8], url: &Url) -> Result<SecretString> {
        let invalid = |reason: &str| OidcError::InvalidResponse {
            url: Box::new(url.clone()),
            reason: reason.to_owned(),
        };
        let parsed: TokenResponse = serde_json::from_slice(body)
            .map_err(|_| invalid("the body is not a token response"))?;
        if let Some(token) = &parsed.access_token {
            register_secret(token);
        }
        if let Some(token) = &parsed.id_token {
            register_secret(token);
        }
        if parsed
            .token_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(invalid("the token type is not Bearer").into());
        }
        let (token, name) = match self.access_token_type {
            AccessTokenType::AccessToken => (parsed.access_token, "access_token"),
            AccessTokenType::IdToken => (parsed.id_token, "id_token"),
        };
        let token = token
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| invalid(&format!("no usable {name}")))?;
        Ok(SecretString::from(token))
    }
}

#[async_trait]
impl AuthPlugin for Oidc {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        let auth_url = self.auth_url.require()?;
        let federated_url = self.federated_token_url()?;
        let bearer = self.provider_token(ctx).await?;
        register_secret(bearer.expose_secret());
        let unscoped = ctx.request_federated_token(&federated_url, &bearer).await?;
        match &self.scope {
            None => Ok(unscoped),
            Some(scope) => {
                let rescope = Token::new(auth_url.as_str(), unscoped.token().expose_secret())
                    .scope(scope.clone());
                ctx.request_token(auth_url, &rescope.request_body()).await
            }
        }
    }

    fn auth_url(&self) -> Option<&Url> {
        self.auth_url.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn federated_url_escapes_the_ids_and_debug_masks_secrets() {
        let plugin = Oidc::password(
            "http://h:5000/identity/v3",
            "my idp",
            "openid",
            "client",
            "alice",
            "idp-password-1",
        )
        .client_secret("client-secret-1");
        assert_eq!(
            plugin.federated_token_url().unwrap().as_str(),
            "http://h:5000/identity/v3/OS-FEDERATION/identity_providers/my%20idp/protocols/openid/auth"
        );
        let shown = format!("{plugin:?}");
        assert!(!shown.contains("idp-password-1") && !shown.contains("client-secret-1"));
        let token = Oidc::access_token("http://h/v3", "idp", "openid", "access-token-1");
        assert!(!format!("{token:?}").contains("access-token-1"));
        assert_eq!(token.auth_type(), "v3oidcaccesstoken");
    }

    #[test]
    fn id_token_type_picks_the_id_token() {
        let url = Url::parse("http://idp/token").unwrap();
        let plugin = Oidc::client_credentials("http://h/v3", "idp", "openid", "c");
        let body = br#"{"access_token":"at-1","id_token":"it-1","token_type":"Bearer"}"#;
        assert_eq!(
            plugin.token_from(body, &url).unwrap().expose_secret(),
            "at-1"
        );
        let plugin = plugin.access_token_type(AccessTokenType::IdToken);
        assert_eq!(
            plugin.token_from(body, &url).unwrap().expose_secret(),
            "it-1"
        );
        assert!(plugin.token_from(b"{}", &url).is_err());
        assert!(plugin.token_from(b"<html>", &url).is_err());
    }
}
