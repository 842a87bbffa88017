//! [`CloudConfig`]: connection settings from `OS_*` environment variables and
//! `clouds.yaml` + `secure.yaml`, read the way the `openstack` command-line
//! tool reads them, and turned into a plugin, a session and an endpoint filter.

mod auth_types;
mod cache_key;
mod clouds_yaml;
mod env;
mod oidc;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

pub use clouds_yaml::ConfigSearch;
pub use oidc::OidcSettings;

use crate::adapter::Adapter;
use crate::catalog::{EndpointFilter, Interface};
use crate::error::{Error, Result};
use crate::identity::{DomainRef, Scope, UserRef};
use crate::plugin::{
    ApplicationCredential, AuthPlugin, Factor, MultiFactor, NoAuth, OAuth2ClientCredential,
    Password, Token, Totp,
};
use crate::session::{Session, SessionBuilder};
use auth_types::Method;

/// The `auth` part of a cloud's settings. `Debug` masks the secrets.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AuthSettings {
    /// `OS_AUTH_URL` / `auth.auth_url`.
    pub auth_url: Option<String>,
    /// `OS_USERNAME`.
    pub username: Option<String>,
    /// `OS_USER_ID`.
    pub user_id: Option<String>,
    /// `OS_PASSWORD`.
    pub password: Option<SecretString>,
    /// `OS_USER_DOMAIN_NAME`.
    pub user_domain_name: Option<String>,
    /// `OS_USER_DOMAIN_ID`.
    pub user_domain_id: Option<String>,
    /// `OS_PROJECT_NAME` (or legacy `OS_TENANT_NAME`).
    pub project_name: Option<String>,
    /// `OS_PROJECT_ID` (or legacy `OS_TENANT_ID`).
    pub project_id: Option<String>,
    /// `OS_PROJECT_DOMAIN_NAME`.
    pub project_domain_name: Option<String>,
    /// `OS_PROJECT_DOMAIN_ID`.
    pub project_domain_id: Option<String>,
    /// `OS_DOMAIN_NAME` (domain scope).
    pub domain_name: Option<String>,
    /// `OS_DOMAIN_ID` (domain scope).
    pub domain_id: Option<String>,
    /// `OS_DEFAULT_DOMAIN_ID` / `OS_DEFAULT_DOMAIN`: used when a user or
    /// project domain is not given.
    pub default_domain_id: Option<String>,
    /// `OS_DEFAULT_DOMAIN_NAME`.
    pub default_domain_name: Option<String>,
    /// `OS_SYSTEM_SCOPE` (`all`).
    pub system_scope: Option<String>,
    /// `OS_TOKEN`.
    pub token: Option<SecretString>,
    /// `OS_APPLICATION_CREDENTIAL_ID`.
    pub application_credential_id: Option<String>,
    /// `OS_APPLICATION_CREDENTIAL_NAME`.
    pub application_credential_name: Option<String>,
    /// `OS_APPLICATION_CREDENTIAL_SECRET`.
    pub application_credential_secret: Option<SecretString>,
    /// `OS_ENDPOINT` / `auth.endpoint`: the service endpoint for a static token.
    pub endpoint: Option<String>,
    /// `OS_PASSCODE` / `auth.passcode`: a TOTP passcode (`v3totp`, `v3multifactor`).
    pub passcode: Option<SecretString>,
    /// `OS_AUTH_METHODS` (comma-separated) / `auth.auth_methods` (a list):
    /// the plugins a `v3multifactor` request combines (`v3password`, `v3totp`, ...).
    pub auth_methods: Vec<String>,
    /// `OS_OAUTH2_ENDPOINT` / `auth.oauth2_endpoint`.
    pub oauth2_endpoint: Option<String>,
    /// `OS_OAUTH2_CLIENT_ID` / `auth.oauth2_client_id`.
    pub oauth2_client_id: Option<String>,
    /// `OS_OAUTH2_CLIENT_SECRET` / `auth.oauth2_client_secret`.
    pub oauth2_client_secret: Option<SecretString>,
    /// The OpenID Connect options (`v3oidc*`).
    pub oidc: OidcSettings,
}

/// One cloud's settings.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CloudConfig {
    /// The cloud's name in clouds.yaml, if it came from there.
    pub name: Option<String>,
    /// `OS_AUTH_TYPE` / `auth_type`: any keystoneauth name; those
    /// implemented are `password`, `token`, `v3applicationcredential`,
    /// `v3totp`, `v3multifactor`, `v3oauth2clientcredential`, `v3oidcpassword`,
    /// `v3oidcclientcredentials`, `v3oidcauthcode`, `v3oidcdeviceauthz`,
    /// `v3oidcaccesstoken`, `none` (and
    /// their spellings with or without `v3`); the others are
    /// [`Error::AuthTypeNotSupported`]. When absent it is inferred from
    /// which credentials are present.
    pub auth_type: Option<String>,
    /// Credentials and scope.
    pub auth: AuthSettings,
    /// `OS_REGION_NAME` / `region_name`.
    pub region_name: Option<String>,
    /// `OS_INTERFACE` / `interface` (`public`, `internal`, `admin`, `publicURL`...).
    pub interface: Option<String>,
    /// `OS_CACERT` / `cacert`.
    pub cacert: Option<PathBuf>,
    /// `OS_CERT` / `cert`.
    pub cert: Option<PathBuf>,
    /// `OS_KEY` / `key`.
    pub key: Option<PathBuf>,
    /// `OS_INSECURE` / `verify: false`.
    pub insecure: Option<bool>,
    /// `OS_COMPUTE_API_VERSION` / `compute_api_version`: the compute
    /// microversion to ask for by default (`2.79`, `latest`).
    pub compute_api_version: Option<String>,
    /// `<service>_endpoint_override` (clouds.yaml) and
    /// `OS_<SERVICE>_ENDPOINT_OVERRIDE`, by service type with `-` as `_`
    /// (`compute`, `image`, `block_storage`).
    pub endpoint_overrides: HashMap<String, String>,
    /// clouds.yaml `cache: {auth: true}` / `OS_CACHE_AUTH`: whether a
    /// client may keep the token between runs.
    pub cache_auth: Option<bool>,
}

impl CloudConfig {
    /// Reads the real environment and search paths: the cloud named by
    /// `OS_CLOUD` from clouds.yaml (+ secure.yaml) with `OS_*` variables on
    /// top, or the `OS_*` variables alone when `OS_CLOUD` is not set.
    pub fn from_env() -> Result<Self> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let search = ConfigSearch::standard(&env);
        Self::load(&env, &search, None)
    }

    /// Reads the cloud `name` from the standard clouds.yaml locations, with
    /// the real `OS_*` variables on top.
    pub fn from_cloud(name: &str) -> Result<Self> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let search = ConfigSearch::standard(&env);
        Self::load(&env, &search, Some(name))
    }

    /// The pure form of [`CloudConfig::from_env`]: `env` instead of the
    /// process environment, `search` for the clouds.yaml locations, and an
    /// explicit cloud name that wins over `OS_CLOUD`.
    pub fn load(
        env: &HashMap<String, String>,
        search: &ConfigSearch,
        cloud: Option<&str>,
    ) -> Result<Self> {
        let from_env = Self::from_env_map(env);
        let name = cloud
            .map(str::to_owned)
            .or_else(|| env.get("OS_CLOUD").filter(|s| !s.is_empty()).cloned());
        match name {
            None => Ok(from_env),
            Some(name) => {
                let mut config = search.load_cloud(&name)?;
                config.overlay(from_env);
                Ok(config)
            }
        }
    }

    /// The `OS_*` variables of `env` only (no files).
    pub fn from_env_map(env: &HashMap<String, String>) -> Self {
        env::from_env_map(env)
    }

    /// Replaces every setting `other` has.
    pub fn overlay(&mut self, other: CloudConfig) {
        fn take<T>(slot: &mut Option<T>, value: Option<T>) {
            if value.is_some() {
                *slot = value;
            }
        }
        take(&mut self.name, other.name);
        take(&mut self.auth_type, other.auth_type);
        take(&mut self.region_name, other.region_name);
        take(&mut self.interface, other.interface);
        take(&mut self.cacert, other.cacert);
        take(&mut self.cert, other.cert);
        take(&mut self.key, other.key);
        take(&mut self.insecure, other.insecure);
        take(&mut self.compute_api_version, other.compute_api_version);
        take(&mut self.cache_auth, other.cache_auth);
        self.endpoint_overrides.extend(other.endpoint_overrides);
        let (a, o) = (&mut self.auth, other.auth);
        take(&mut a.auth_url, o.auth_url);
        take(&mut a.username, o.username);
        take(&mut a.user_id, o.user_id);
        take(&mut a.password, o.password);
        take(&mut a.user_domain_name, o.user_domain_name);
        take(&mut a.user_domain_id, o.user_domain_id);
        take(&mut a.project_name, o.project_name);
        take(&mut a.project_id, o.project_id);
        take(&mut a.project_domain_name, o.project_domain_name);
        take(&mut a.project_domain_id, o.project_domain_id);
        take(&mut a.domain_name, o.domain_name);
        take(&mut a.domain_id, o.domain_id);
        take(&mut a.default_domain_id, o.default_domain_id);
        take(&mut a.default_domain_name, o.default_domain_name);
        take(&mut a.system_scope, o.system_scope);
        take(&mut a.token, o.token);
        take(
            &mut a.application_credential_id,
            o.application_credential_id,
        );
        take(
            &mut a.application_credential_name,
            o.application_credential_name,
        );
        take(
            &mut a.application_credential_secret,
            o.application_credential_secret,
        );
        take(&mut a.endpoint, o.endpoint);
        take(&mut a.passcode, o.passcode);
        take(&mut a.oauth2_endpoint, o.oauth2_endpoint);
        take(&mut a.oauth2_client_id, o.oauth2_client_id);
        take(&mut a.oauth2_client_secret, o.oauth2_client_secret);
        a.oidc.overlay(o.oidc);
        if !o.auth_methods.is_empty() {
            a.auth_methods = o.auth_methods;
        }
    }

    /// The endpoint override for `service_type`, if configured.
    pub fn endpoint_override(&self, service_type: &str) -> Option<&str> {
        self.endpoint_overrides
            .get(&service_type.replace('-', "_"))
            .map(String::as_str)
    }

    fn method(&self) -> Result<Method> {
        let a = &self.auth;
        match self.auth_type.as_deref() {
            Some(name) => auth_types::lookup(name),
            None if a.application_credential_id.is_some()
                || a.application_credential_name.is_some() =>
            {
                Ok(Method::ApplicationCredential)
            }
            None if a.oauth2_client_id.is_some() => Ok(Method::OAuth2ClientCredential),
            None if a.passcode.is_some() && a.password.is_some() => Ok(Method::MultiFactor),
            None if a.passcode.is_some() => Ok(Method::Totp),
            None if a.token.is_some() && a.password.is_none() => Ok(Method::Token),
            None => Ok(Method::Password),
        }
    }

    fn default_domain(&self) -> DomainRef {
        match (&self.auth.default_domain_id, &self.auth.default_domain_name) {
            (Some(id), _) => DomainRef::id(id),
            (None, Some(name)) => DomainRef::name(name),
            (None, None) => DomainRef::id("default"),
        }
    }

    fn domain(&self, id: &Option<String>, name: &Option<String>) -> DomainRef {
        match (id, name) {
            (Some(id), _) => DomainRef::id(id),
            (None, Some(name)) => DomainRef::name(name),
            (None, None) => self.default_domain(),
        }
    }

    fn user(&self) -> Result<UserRef> {
        let a = &self.auth;
        match (&a.user_id, &a.username) {
            (Some(id), _) => Ok(UserRef::id(id)),
            (None, Some(name)) => Ok(UserRef::name_in_domain(
                name,
                self.domain(&a.user_domain_id, &a.user_domain_name),
            )),
            (None, None) => Err(Error::Config(
                "no user: set OS_USERNAME or OS_USER_ID (auth.username / auth.user_id)".into(),
            )),
        }
    }

    /// The scope the settings ask for: project, else domain, else system, else none.
    pub fn scope(&self) -> Option<Scope> {
        let a = &self.auth;
        if let Some(id) = &a.project_id {
            return Some(Scope::project_id(id));
        }
        if let Some(name) = &a.project_name {
            return Some(Scope::project_name(
                name,
                self.domain(&a.project_domain_id, &a.project_domain_name),
            ));
        }
        if let Some(id) = &a.domain_id {
            return Some(Scope::domain_id(id));
        }
        if let Some(name) = &a.domain_name {
            return Some(Scope::domain_name(name));
        }
        if a.system_scope.is_some() {
            return Some(Scope::System);
        }
        None
    }

    fn auth_url(&self) -> Result<&str> {
        self.auth
            .auth_url
            .as_deref()
            .ok_or_else(|| Error::Config("no auth URL: set OS_AUTH_URL (auth.auth_url)".into()))
    }

    /// The authentication plugin these settings describe.
    pub fn auth_plugin(&self) -> Result<Arc<dyn AuthPlugin>> {
        let a = &self.auth;
        let secret = |s: &Option<SecretString>, what: &str| -> Result<String> {
            s.as_ref()
                .map(|s| s.expose_secret().to_owned())
                .ok_or_else(|| Error::Config(format!("missing {what}")))
        };
        Ok(match self.method()? {
            Method::Password => {
                let mut plugin = Password::new(
                    self.auth_url()?,
                    self.user()?,
                    secret(&a.password, "password: set OS_PASSWORD (auth.password)")?,
                );
                if let Some(scope) = self.scope() {
                    plugin = plugin.scope(scope);
                }
                Arc::new(plugin)
            }
            Method::Token => {
                let mut plugin = Token::new(
                    self.auth_url()?,
                    secret(&a.token, "token: set OS_TOKEN (auth.token)")?,
                );
                if let Some(scope) = self.scope() {
                    plugin = plugin.scope(scope);
                }
                Arc::new(plugin)
            }
            Method::ApplicationCredential => {
                let secret = secret(
                    &a.application_credential_secret,
                    "application credential secret: set OS_APPLICATION_CREDENTIAL_SECRET",
                )?;
                match (&a.application_credential_id, &a.application_credential_name) {
                    (Some(id), _) => {
                        Arc::new(ApplicationCredential::by_id(self.auth_url()?, id, secret))
                    }
                    (None, Some(name)) => Arc::new(ApplicationCredential::by_name(
                        self.auth_url()?,
                        name,
                        self.user()?,
                        secret,
                    )),
                    (None, None) => {
                        return Err(Error::Config(
                            "missing application credential: set OS_APPLICATION_CREDENTIAL_ID or _NAME"
                                .into(),
                        ));
                    }
                }
            }
            Method::Totp => {
                let mut plugin = Totp::new(
                    self.auth_url()?,
                    self.user()?,
                    secret(&a.passcode, "passcode: set OS_PASSCODE (auth.passcode)")?,
                );
                if let Some(scope) = self.scope() {
                    plugin = plugin.scope(scope);
                }
                Arc::new(plugin)
            }
            Method::MultiFactor => Arc::new(self.multi_factor()?),
            Method::OAuth2ClientCredential => {
                let id = a.oauth2_client_id.as_deref().ok_or_else(|| {
                    Error::Config(
                        "missing OAuth2 client: set OS_OAUTH2_CLIENT_ID (auth.oauth2_client_id)"
                            .into(),
                    )
                })?;
                let mut plugin = OAuth2ClientCredential::new(
                    self.auth_url()?,
                    id,
                    secret(
                        &a.oauth2_client_secret,
                        "OAuth2 client secret: set OS_OAUTH2_CLIENT_SECRET (auth.oauth2_client_secret)",
                    )?,
                );
                if let Some(endpoint) = &a.oauth2_endpoint {
                    plugin = plugin.endpoint(endpoint);
                }
                Arc::new(plugin)
            }
            Method::NoAuth => Arc::new(NoAuth::new()),
            oidc @ (Method::OidcPassword
            | Method::OidcClientCredentials
            | Method::OidcAuthorizationCode
            | Method::OidcDeviceAuthorization
            | Method::OidcAccessToken) => Arc::new(self.oidc_plugin(oidc)?),
        })
    }

    /// The `v3multifactor` plugin: one factor per `auth_methods` entry, or,
    /// with no `auth_methods`, every factor whose secret is present.
    pub fn multi_factor(&self) -> Result<MultiFactor> {
        let a = &self.auth;
        let methods: Vec<Method> = if a.auth_methods.is_empty() {
            let mut inferred = Vec::new();
            if a.password.is_some() {
                inferred.push(Method::Password);
            }
            if a.passcode.is_some() {
                inferred.push(Method::Totp);
            }
            inferred
        } else {
            a.auth_methods
                .iter()
                .map(|m| auth_types::lookup(m))
                .collect::<Result<_>>()?
        };
        if methods.is_empty() {
            return Err(Error::Config(
                "v3multifactor needs auth_methods: set OS_AUTH_METHODS (auth.auth_methods), e.g. v3password,v3totp".into(),
            ));
        }
        let mut plugin = MultiFactor::new(self.auth_url()?);
        for method in methods {
            let secret = |s: &Option<SecretString>, what: &str| -> Result<String> {
                s.as_ref()
                    .map(|s| s.expose_secret().to_owned())
                    .ok_or_else(|| Error::Config(format!("missing {what}")))
            };
            let factor = match method {
                Method::Password => Factor::password(
                    self.user()?,
                    secret(&a.password, "password: set OS_PASSWORD (auth.password)")?,
                ),
                Method::Totp => Factor::totp(
                    self.user()?,
                    secret(&a.passcode, "passcode: set OS_PASSCODE (auth.passcode)")?,
                ),
                Method::Token => {
                    Factor::token(secret(&a.token, "token: set OS_TOKEN (auth.token)")?)
                }
                other => {
                    return Err(Error::Config(format!(
                        "auth method {other:?} cannot be one of v3multifactor's auth_methods (use v3password, v3totp, v3token)"
                    )));
                }
            };
            plugin = plugin.factor(factor);
        }
        if let Some(scope) = self.scope() {
            plugin = plugin.scope(scope);
        }
        Ok(plugin)
    }

    /// The `auth_type` the settings select, resolved (what [`CloudConfig::auth_plugin`] builds).
    pub fn auth_method_name(&self) -> Result<&'static str> {
        Ok(match self.method()? {
            Method::Password => "password",
            Method::Token => "token",
            Method::ApplicationCredential => "v3applicationcredential",
            Method::Totp => "v3totp",
            Method::MultiFactor => "v3multifactor",
            Method::OAuth2ClientCredential => "v3oauth2clientcredential",
            Method::NoAuth => "none",
            Method::OidcPassword => "v3oidcpassword",
            Method::OidcClientCredentials => "v3oidcclientcredentials",
            Method::OidcAuthorizationCode => "v3oidcauthcode",
            Method::OidcDeviceAuthorization => "v3oidcdeviceauthz",
            Method::OidcAccessToken => "v3oidcaccesstoken",
        })
    }

    /// A session builder with this cloud's plugin and TLS settings.
    pub fn session_builder(&self) -> Result<SessionBuilder> {
        self.session_builder_with(self.auth_plugin()?)
    }

    /// [`CloudConfig::session_builder`] with a plugin of the caller's (one
    /// wrapping [`CloudConfig::auth_plugin`], such as a
    /// [`RestoredAuth`](crate::RestoredAuth) from a token cache).
    pub fn session_builder_with(&self, plugin: Arc<dyn AuthPlugin>) -> Result<SessionBuilder> {
        let mut builder = SessionBuilder::new(plugin);
        if let Some(ca) = &self.cacert {
            builder = builder.ca_file(ca);
        }
        match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => builder = builder.client_cert(cert, key),
            (Some(cert), None) => builder = builder.client_cert(cert, cert),
            (None, Some(_)) => {
                return Err(Error::Config(
                    "OS_KEY (key) is set without OS_CERT (cert)".into(),
                ));
            }
            (None, None) => {}
        }
        if self.insecure == Some(true) {
            builder = builder.insecure(true);
        }
        Ok(builder)
    }

    /// A new session for these settings and an [`Adapter`] for `service_type` on it: the
    /// short path (`config.adapter("compute")?` is a compute transport).
    pub fn adapter(&self, service_type: &str) -> Result<Adapter> {
        let session = self.session_builder()?.build()?;
        Ok(self.adapter_with(&session, service_type))
    }

    /// An [`Adapter`] for `service_type` on `session`: this cloud's region and interface,
    /// and the endpoint overrides (`<service>_endpoint_override`, else `OS_ENDPOINT` /
    /// `auth.endpoint`) in place of the catalog's URL.
    pub fn adapter_with(&self, session: &Session, service_type: &str) -> Adapter {
        let adapter = Adapter::new(session.clone(), self.endpoint_filter(service_type));
        match self
            .endpoint_override(service_type)
            .or(self.auth.endpoint.as_deref())
        {
            Some(endpoint) => adapter.with_endpoint_override(endpoint),
            None => adapter,
        }
    }

    /// An endpoint filter for `service_type` with this cloud's region and interface.
    pub fn endpoint_filter(&self, service_type: &str) -> EndpointFilter {
        let mut filter = EndpointFilter::new(service_type);
        if let Some(interface) = &self.interface {
            filter = filter.interface(Interface::from(interface.as_str()));
        }
        if let Some(region) = &self.region_name {
            filter = filter.region(region);
        }
        filter
    }
}

/// Parses the boolean spellings the OpenStack tools accept.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" | "t" => Some(true),
        "0" | "false" | "no" | "off" | "n" | "f" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn password_from_env_with_project_scope() {
        let cfg = CloudConfig::from_env_map(&env(&[
            ("OS_AUTH_URL", "http://h/identity/v3"),
            ("OS_USERNAME", "demo"),
            ("OS_PASSWORD", "pw-123"),
            ("OS_USER_DOMAIN_NAME", "Default"),
            ("OS_PROJECT_NAME", "demo"),
            ("OS_PROJECT_DOMAIN_ID", "default"),
            ("OS_REGION_NAME", "RegionOne"),
            ("OS_INTERFACE", "internalURL"),
            ("OS_INSECURE", "true"),
        ]));
        assert_eq!(cfg.method().unwrap(), Method::Password);
        assert_eq!(
            cfg.scope(),
            Some(Scope::project_name("demo", DomainRef::id("default")))
        );
        assert_eq!(
            cfg.user().unwrap(),
            UserRef::name_in_domain("demo", DomainRef::name("Default"))
        );
        assert_eq!(cfg.insecure, Some(true));
        let filter = cfg.endpoint_filter("compute");
        assert_eq!(filter.interfaces, vec![Interface::Internal]);
        assert_eq!(filter.region.as_deref(), Some("RegionOne"));
        let plugin = cfg.auth_plugin().unwrap();
        assert!(!format!("{plugin:?}").contains("pw-123"));
        assert!(!format!("{cfg:?}").contains("pw-123"));
        assert_eq!(plugin.auth_url().unwrap().as_str(), "http://h/identity/v3");
    }

    #[tokio::test]
    async fn adapter_applies_the_service_override_then_os_endpoint() {
        let base = [
            ("OS_AUTH_URL", "http://127.0.0.1:9/v3"),
            ("OS_TOKEN", "tok"),
            ("OS_ENDPOINT", "http://127.0.0.1:9/os-endpoint"),
        ];
        let cfg = CloudConfig::from_env_map(&env(&base));
        let adapter = cfg.adapter("compute").expect("adapter");
        assert_eq!(
            adapter.endpoint().await.expect("override").as_str(),
            "http://127.0.0.1:9/os-endpoint"
        );
        let mut with_service = base.to_vec();
        with_service.push(("OS_COMPUTE_ENDPOINT_OVERRIDE", "http://127.0.0.1:9/compute"));
        let cfg = CloudConfig::from_env_map(&env(&with_service));
        let adapter = cfg.adapter("compute").expect("adapter");
        assert_eq!(
            adapter.endpoint().await.expect("override").as_str(),
            "http://127.0.0.1:9/compute"
        );
    }

    #[test]
    fn inferred_methods() {
        let token = CloudConfig::from_env_map(&env(&[
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_TOKEN", "tok"),
            ("OS_DOMAIN_ID", "default"),
        ]));
        assert_eq!(token.method().unwrap(), Method::Token);
        assert_eq!(token.scope(), Some(Scope::domain_id("default")));
        let app = CloudConfig::from_env_map(&env(&[
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_APPLICATION_CREDENTIAL_ID", "ac"),
            ("OS_APPLICATION_CREDENTIAL_SECRET", "s"),
        ]));
        assert_eq!(app.method().unwrap(), Method::ApplicationCredential);
        assert!(app.auth_plugin().is_ok());
        let system = CloudConfig::from_env_map(&env(&[("OS_SYSTEM_SCOPE", "all")]));
        assert_eq!(system.scope(), Some(Scope::System));
        let default_domain = CloudConfig::from_env_map(&env(&[("OS_PROJECT_NAME", "p")]));
        assert_eq!(
            default_domain.scope(),
            Some(Scope::project_name("p", DomainRef::id("default")))
        );
    }

    #[test]
    fn missing_pieces_are_named() {
        let cfg = CloudConfig::from_env_map(&env(&[("OS_USERNAME", "demo"), ("OS_PASSWORD", "x")]));
        let err = cfg.auth_plugin().unwrap_err().to_string();
        assert!(err.contains("OS_AUTH_URL"), "{err}");
        let cfg = CloudConfig::from_env_map(&env(&[
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_USERNAME", "demo"),
        ]));
        let err = cfg.auth_plugin().unwrap_err().to_string();
        assert!(err.contains("OS_PASSWORD"), "{err}");
        let cfg = CloudConfig::from_env_map(&env(&[("OS_AUTH_TYPE", "saml2")]));
        assert!(cfg.auth_plugin().unwrap_err().to_string().contains("saml2"));
        let cfg =
            CloudConfig::from_env_map(&env(&[("OS_AUTH_TYPE", "admin_token"), ("OS_TOKEN", "t")]));
        assert!(matches!(
            cfg.auth_plugin().unwrap_err(),
            Error::AuthTypeNotSupported { .. }
        ));
    }

    #[test]
    fn totp_multifactor_and_oauth2_from_env() {
        let base = [
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_USERNAME", "demo"),
            ("OS_USER_DOMAIN_ID", "default"),
        ];
        let with = |extra: &[(&str, &str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            CloudConfig::from_env_map(&env(&pairs))
        };
        let totp = with(&[("OS_AUTH_TYPE", "v3totp"), ("OS_PASSCODE", "123456")]);
        assert_eq!(totp.method().unwrap(), Method::Totp);
        assert!(!format!("{:?}", totp.auth_plugin().unwrap()).contains("123456"));
        assert!(!format!("{totp:?}").contains("123456"));
        let inferred = with(&[("OS_PASSCODE", "123456")]);
        assert_eq!(inferred.method().unwrap(), Method::Totp);
        let mfa = with(&[
            ("OS_AUTH_TYPE", "v3multifactor"),
            ("OS_AUTH_METHODS", "v3password, v3totp"),
            ("OS_PASSWORD", "pw"),
            ("OS_PASSCODE", "123456"),
        ]);
        assert_eq!(mfa.multi_factor().unwrap().methods(), ["password", "totp"]);
        let missing = with(&[
            ("OS_AUTH_TYPE", "v3multifactor"),
            ("OS_AUTH_METHODS", "v3password,v3totp"),
            ("OS_PASSWORD", "pw"),
        ]);
        assert!(
            missing
                .auth_plugin()
                .unwrap_err()
                .to_string()
                .contains("OS_PASSCODE")
        );
        let oauth = CloudConfig::from_env_map(&env(&[
            ("OS_AUTH_URL", "http://h/v3"),
            ("OS_AUTH_TYPE", "v3oauth2clientcredential"),
            ("OS_OAUTH2_CLIENT_ID", "client"),
            ("OS_OAUTH2_CLIENT_SECRET", "client-secret-value"),
        ]));
        let plugin = oauth.auth_plugin().unwrap();
        assert!(!format!("{plugin:?} {oauth:?}").contains("client-secret-value"));
        let none = CloudConfig::from_env_map(&env(&[("OS_AUTH_TYPE", "none")]));
        assert!(none.auth_plugin().unwrap().auth_url().is_none());
    }

    #[test]
    fn bool_spellings() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
