//! [`CloudConfig`]: connection settings from `OS_*` environment variables and
//! `clouds.yaml` + `secure.yaml`, read the way the `openstack` command-line
//! tool reads them, and turned into a plugin, a session and an endpoint filter.

mod clouds_yaml;
mod env;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

pub use clouds_yaml::ConfigSearch;

use crate::catalog::{EndpointFilter, Interface};
use crate::error::{Error, Result};
use crate::identity::{DomainRef, Scope, UserRef};
use crate::plugin::{ApplicationCredential, AuthPlugin, Password, StaticToken, Token};
use crate::session::SessionBuilder;

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
}

/// One cloud's settings.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CloudConfig {
    /// The cloud's name in clouds.yaml, if it came from there.
    pub name: Option<String>,
    /// `OS_AUTH_TYPE` / `auth_type`: `password`, `token`,
    /// `v3applicationcredential`, `admin_token` (or their `v3` forms). When
    /// absent it is inferred from which credentials are present.
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
}

/// The authentication method a config selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Password,
    Token,
    ApplicationCredential,
    StaticToken,
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
    }

    fn method(&self) -> Result<Method> {
        let a = &self.auth;
        match self
            .auth_type
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("password" | "v3password") => Ok(Method::Password),
            Some("token" | "v3token") => Ok(Method::Token),
            Some(
                "v3applicationcredential" | "applicationcredential" | "application_credential",
            ) => Ok(Method::ApplicationCredential),
            Some("admin_token" | "token_endpoint" | "v3admintoken") => Ok(Method::StaticToken),
            Some(other) => Err(Error::Config(format!(
                "unsupported auth type {other:?} (supported: password, token, v3applicationcredential, admin_token)"
            ))),
            None if a.application_credential_id.is_some()
                || a.application_credential_name.is_some() =>
            {
                Ok(Method::ApplicationCredential)
            }
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
            Method::StaticToken => Arc::new(StaticToken::new(secret(
                &a.token,
                "token: set OS_TOKEN (auth.token)",
            )?)),
        })
    }

    /// A session builder with this cloud's plugin and TLS settings.
    pub fn session_builder(&self) -> Result<SessionBuilder> {
        let mut builder = SessionBuilder::new(self.auth_plugin()?);
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
    }

    #[test]
    fn bool_spellings() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
