//! `OS_*` environment variables to a [`CloudConfig`].

use std::collections::HashMap;
use std::path::PathBuf;

use secrecy::SecretString;

use crate::config::{AuthSettings, CloudConfig, parse_bool};

/// Reads the `OS_*` variables of `env`; empty values count as unset.
pub(crate) fn from_env_map(env: &HashMap<String, String>) -> CloudConfig {
    let get = |name: &str| {
        env.get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let first = |names: &[&str]| names.iter().find_map(|n| get(n));
    let secret = |name: &str| get(name).map(SecretString::from);
    CloudConfig {
        name: None,
        auth_type: get("OS_AUTH_TYPE"),
        auth: AuthSettings {
            auth_url: get("OS_AUTH_URL"),
            username: first(&["OS_USERNAME", "OS_USER_NAME"]),
            user_id: get("OS_USER_ID"),
            password: secret("OS_PASSWORD"),
            user_domain_name: get("OS_USER_DOMAIN_NAME"),
            user_domain_id: get("OS_USER_DOMAIN_ID"),
            project_name: first(&["OS_PROJECT_NAME", "OS_TENANT_NAME"]),
            project_id: first(&["OS_PROJECT_ID", "OS_TENANT_ID"]),
            project_domain_name: get("OS_PROJECT_DOMAIN_NAME"),
            project_domain_id: get("OS_PROJECT_DOMAIN_ID"),
            domain_name: get("OS_DOMAIN_NAME"),
            domain_id: get("OS_DOMAIN_ID"),
            default_domain_id: first(&["OS_DEFAULT_DOMAIN_ID", "OS_DEFAULT_DOMAIN"]),
            default_domain_name: get("OS_DEFAULT_DOMAIN_NAME"),
            system_scope: get("OS_SYSTEM_SCOPE"),
            token: secret("OS_TOKEN"),
            application_credential_id: get("OS_APPLICATION_CREDENTIAL_ID"),
            application_credential_name: get("OS_APPLICATION_CREDENTIAL_NAME"),
            application_credential_secret: secret("OS_APPLICATION_CREDENTIAL_SECRET"),
            endpoint: first(&["OS_ENDPOINT", "OS_URL"]),
            passcode: secret("OS_PASSCODE"),
            auth_methods: get("OS_AUTH_METHODS")
                .map(|m| {
                    m.split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            oauth2_endpoint: get("OS_OAUTH2_ENDPOINT"),
            oauth2_client_id: get("OS_OAUTH2_CLIENT_ID"),
            oauth2_client_secret: secret("OS_OAUTH2_CLIENT_SECRET"),
            oidc: crate::config::OidcSettings::read(|name| {
                get(&format!("OS_{}", name.to_ascii_uppercase()))
            }),
        },
        region_name: get("OS_REGION_NAME"),
        interface: first(&["OS_INTERFACE", "OS_ENDPOINT_TYPE"]),
        cacert: get("OS_CACERT").map(PathBuf::from),
        cert: get("OS_CERT").map(PathBuf::from),
        key: get("OS_KEY").map(PathBuf::from),
        insecure: get("OS_INSECURE").and_then(|v| parse_bool(&v)),
        compute_api_version: get("OS_COMPUTE_API_VERSION"),
        endpoint_overrides: env
            .iter()
            .filter_map(|(k, v)| {
                let service = k.strip_prefix("OS_")?.strip_suffix("_ENDPOINT_OVERRIDE")?;
                let v = v.trim();
                (!v.is_empty() && !service.is_empty())
                    .then(|| (service.to_ascii_lowercase(), v.to_owned()))
            })
            .collect(),
        cache_auth: get("OS_CACHE_AUTH").and_then(|v| parse_bool(&v)),
    }
}
