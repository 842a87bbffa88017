//! The OpenID Connect settings of a cloud (keystoneauth's option names:
//! clouds.yaml `auth.<name>`, environment `OS_<NAME>`), and the
//! [`Oidc`] plugin they describe.

use secrecy::{ExposeSecret, SecretString};

use crate::config::CloudConfig;
use crate::config::auth_types::Method;
use crate::error::{Error, Result};
use crate::plugin::{AccessTokenType, Oidc};

/// The `v3oidc*` options. `Debug` masks the secrets.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct OidcSettings {
    /// `OS_IDENTITY_PROVIDER` / `auth.identity_provider`: Keystone's identity provider id.
    pub identity_provider: Option<String>,
    /// `OS_PROTOCOL` / `auth.protocol`: Keystone's federation protocol id (`openid`).
    pub protocol: Option<String>,
    /// `OS_CLIENT_ID` / `auth.client_id`: the OAuth client at the provider.
    pub client_id: Option<String>,
    /// `OS_CLIENT_SECRET` / `auth.client_secret`.
    pub client_secret: Option<SecretString>,
    /// `OS_DISCOVERY_ENDPOINT` / `auth.discovery_endpoint`.
    pub discovery_endpoint: Option<String>,
    /// `OS_ACCESS_TOKEN_ENDPOINT` / `auth.access_token_endpoint`.
    pub access_token_endpoint: Option<String>,
    /// `OS_DEVICE_AUTHORIZATION_ENDPOINT` / `auth.device_authorization_endpoint`.
    pub device_authorization_endpoint: Option<String>,
    /// `OS_OPENID_SCOPE` / `auth.openid_scope` (default `openid profile`).
    pub openid_scope: Option<String>,
    /// `OS_ACCESS_TOKEN_TYPE` / `auth.access_token_type`: `access_token` or `id_token`.
    pub access_token_type: Option<String>,
    /// `OS_ACCESS_TOKEN` / `auth.access_token` (`v3oidcaccesstoken`).
    pub access_token: Option<SecretString>,
    /// `OS_CODE` / `auth.code` (or `authorization_code`; `v3oidcauthcode`).
    pub code: Option<SecretString>,
    /// `OS_REDIRECT_URI` / `auth.redirect_uri` (`v3oidcauthcode`).
    pub redirect_uri: Option<String>,
}

impl OidcSettings {
    /// Reads the options through `get` (a setting by its keystoneauth name,
    /// `identity_provider`), for the environment and clouds.yaml alike.
    pub(crate) fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        let secret = |name: &str| get(name).map(SecretString::from);
        Self {
            identity_provider: get("identity_provider"),
            protocol: get("protocol"),
            client_id: get("client_id"),
            client_secret: secret("client_secret"),
            discovery_endpoint: get("discovery_endpoint"),
            access_token_endpoint: get("access_token_endpoint"),
            device_authorization_endpoint: get("device_authorization_endpoint"),
            openid_scope: get("openid_scope"),
            access_token_type: get("access_token_type"),
            access_token: secret("access_token"),
            code: secret("code").or_else(|| secret("authorization_code")),
            redirect_uri: get("redirect_uri"),
        }
    }

    /// Replaces every setting `other` has.
    pub(crate) fn overlay(&mut self, other: OidcSettings) {
        fn take<T>(slot: &mut Option<T>, value: Option<T>) {
            if value.is_some() {
                *slot = value;
            }
        }
        take(&mut self.identity_provider, other.identity_provider);
        take(&mut self.protocol, other.protocol);
        take(&mut self.client_id, other.client_id);
        take(&mut self.client_secret, other.client_secret);
        take(&mut self.discovery_endpoint, other.discovery_endpoint);
        take(&mut self.access_token_endpoint, other.access_token_endpoint);
        take(
            &mut self.device_authorization_endpoint,
            other.device_authorization_endpoint,
        );
        take(&mut self.openid_scope, other.openid_scope);
        take(&mut self.access_token_type, other.access_token_type);
        take(&mut self.access_token, other.access_token);
        take(&mut self.code, other.code);
        take(&mut self.redirect_uri, other.redirect_uri);
    }
}

fn required<'a>(value: &'a Option<String>, what: &str) -> Result<&'a str> {
    value
        .as_deref()
        .ok_or_else(|| Error::Config(format!("missing {what}")))
}

fn required_secret<'a>(value: &'a Option<SecretString>, what: &str) -> Result<&'a str> {
    value
        .as_ref()
        .map(|s| s.expose_secret())
        .ok_or_else(|| Error::Config(format!("missing {what}")))
}

impl CloudConfig {
    /// The `v3oidc*` plugin of `method`.
    pub(crate) fn oidc_plugin(&self, method: Method) -> Result<Oidc> {
        let a = &self.auth;
        let o = &a.oidc;
        let auth_url = self.auth_url()?;
        let idp = required(
            &o.identity_provider,
            "identity provider: set OS_IDENTITY_PROVIDER (auth.identity_provider)",
        )?;
        let protocol = required(&o.protocol, "protocol: set OS_PROTOCOL (auth.protocol)")?;
        let client = || {
            required(
                &o.client_id,
                "OIDC client: set OS_CLIENT_ID (auth.client_id)",
            )
        };
        let mut plugin = match method {
            Method::OidcPassword => Oidc::password(
                auth_url,
                idp,
                protocol,
                client()?,
                required(&a.username, "username: set OS_USERNAME (auth.username)")?,
                required_secret(&a.password, "password: set OS_PASSWORD (auth.password)")?,
            ),
            Method::OidcClientCredentials => {
                Oidc::client_credentials(auth_url, idp, protocol, client()?)
            }
            Method::OidcAuthorizationCode => Oidc::authorization_code(
                auth_url,
                idp,
                protocol,
                client()?,
                required_secret(&o.code, "authorization code: set OS_CODE (auth.code)")?,
                required(
                    &o.redirect_uri,
                    "redirect URI: set OS_REDIRECT_URI (auth.redirect_uri)",
                )?,
            ),
            Method::OidcDeviceAuthorization => {
                Oidc::device_authorization(auth_url, idp, protocol, client()?)
            }
            Method::OidcAccessToken => Oidc::access_token(
                auth_url,
                idp,
                protocol,
                required_secret(
                    &o.access_token,
                    "access token: set OS_ACCESS_TOKEN (auth.access_token)",
                )?,
            ),
            other => {
                return Err(Error::Config(format!(
                    "{other:?} is not an OpenID Connect method"
                )));
            }
        };
        if let Some(secret) = &o.client_secret {
            plugin = plugin.client_secret(secret.expose_secret());
        }
        if let Some(url) = &o.discovery_endpoint {
            plugin = plugin.discovery_endpoint(url);
        }
        if let Some(url) = &o.access_token_endpoint {
            plugin = plugin.access_token_endpoint(url);
        }
        if let Some(url) = &o.device_authorization_endpoint {
            plugin = plugin.device_authorization_endpoint(url);
        }
        if let Some(scope) = &o.openid_scope {
            plugin = plugin.openid_scope(scope);
        }
        match o.access_token_type.as_deref() {
            None | Some("access_token") => {}
            Some("id_token") => plugin = plugin.access_token_type(AccessTokenType::IdToken),
            Some(other) => {
                return Err(Error::Config(format!(
                    "access_token_type {other:?} is neither access_token nor id_token"
                )));
            }
        }
        if let Some(scope) = self.scope() {
            plugin = plugin.scope(scope);
        }
        Ok(plugin)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::config::CloudConfig;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn every_oidc_auth_type_builds_from_os_variables() {
        let base = [
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_IDENTITY_PROVIDER", "myidp"),
            ("OS_PROTOCOL", "openid"),
            ("OS_CLIENT_ID", "client"),
            ("OS_CLIENT_SECRET", "client-secret-value"),
            (
                "OS_DISCOVERY_ENDPOINT",
                "http://idp/.well-known/openid-configuration",
            ),
            ("OS_USERNAME", "alice"),
            ("OS_PASSWORD", "idp-password-value"),
            ("OS_ACCESS_TOKEN", "access-token-value"),
            ("OS_CODE", "auth-code-value"),
            ("OS_REDIRECT_URI", "http://localhost:8080/cb"),
            ("OS_PROJECT_NAME", "demo"),
        ];
        for auth_type in [
            "v3oidcpassword",
            "v3oidcclientcredentials",
            "v3oidcauthcode",
            "v3oidcdeviceauthz",
            "v3oidcaccesstoken",
        ] {
            let mut pairs = base.to_vec();
            pairs.push(("OS_AUTH_TYPE", auth_type));
            let cfg = CloudConfig::from_env_map(&env(&pairs));
            assert_eq!(cfg.auth_method_name().unwrap(), auth_type);
            let plugin = cfg.auth_plugin().unwrap();
            let shown = format!("{plugin:?} {cfg:?}");
            for secret in [
                "client-secret-value",
                "idp-password-value",
                "access-token-value",
                "auth-code-value",
            ] {
                assert!(!shown.contains(secret), "{auth_type}: {secret} shown");
            }
        }
        let missing = CloudConfig::from_env_map(&env(&[
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_AUTH_TYPE", "v3oidcclientcredentials"),
            ("OS_PROTOCOL", "openid"),
        ]));
        let err = missing.auth_plugin().unwrap_err().to_string();
        assert!(err.contains("OS_IDENTITY_PROVIDER"), "{err}");
    }
}
