//! Mapping the global `--os-*` options onto keystone-auth's [`CloudConfig`]: clouds.yaml
//! (`--os-cloud` / `OS_CLOUD`) first, `OS_*` variables on top, the options on top of both.

use std::collections::HashMap;

use keystone_auth::{CloudConfig, ConfigSearch};

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// The settings the options give, as a config to overlay on the environment's.
pub fn from_flags(g: &GlobalArgs) -> CloudConfig {
    let mut c = CloudConfig::default();
    c.auth_type = g.os_auth_type.clone();
    c.region_name = g.os_region_name.clone();
    c.interface = g.os_interface.clone();
    c.cacert = g.os_cacert.clone();
    c.cert = g.os_cert.clone();
    c.key = g.os_key.clone();
    if g.insecure {
        c.insecure = Some(true);
    }
    let a = &mut c.auth;
    a.auth_url = g.os_auth_url.clone();
    a.username = g.os_username.clone();
    a.user_id = g.os_user_id.clone();
    a.password = g.os_password.clone();
    a.user_domain_name = g.os_user_domain_name.clone();
    a.user_domain_id = g.os_user_domain_id.clone();
    a.project_name = g.os_project_name.clone();
    a.project_id = g.os_project_id.clone();
    a.project_domain_name = g.os_project_domain_name.clone();
    a.project_domain_id = g.os_project_domain_id.clone();
    a.domain_name = g.os_domain_name.clone();
    a.domain_id = g.os_domain_id.clone();
    a.default_domain_id = g.os_default_domain_id.clone();
    a.default_domain_name = g.os_default_domain_name.clone();
    a.system_scope = g.os_system_scope.clone();
    a.token = g.os_token.clone();
    a.application_credential_id = g.os_application_credential_id.clone();
    a.application_credential_name = g.os_application_credential_name.clone();
    a.application_credential_secret = g.os_application_credential_secret.clone();
    a.endpoint = g.os_endpoint.clone();
    c
}

/// The effective cloud settings for `env` (the process environment in `main`).
pub fn resolve(g: &GlobalArgs, env: &HashMap<String, String>) -> CliResult<CloudConfig> {
    let search = ConfigSearch::standard(env);
    let mut config = CloudConfig::load(env, &search, g.os_cloud.as_deref())?;
    config.overlay(from_flags(g));
    if config.auth.auth_url.is_none()
        && config.auth.endpoint.is_none()
        && config.auth.token.is_none()
    {
        return Err(CliError::config(
            "no cloud configured: set --os-cloud / OS_CLOUD, or --os-auth-url / OS_AUTH_URL \
             with credentials (see `nova --help`)",
        ));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn flags_override_the_environment() {
        let cli = crate::cli::Cli::try_parse_from([
            "nova",
            "--os-region-name",
            "RegionTwo",
            "--os-project-name",
            "other",
            "--insecure",
            "list",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let e = env(&[
            ("OS_AUTH_URL", "http://h/identity/v3"),
            ("OS_USERNAME", "demo"),
            ("OS_PASSWORD", "pw"),
            ("OS_PROJECT_NAME", "demo"),
            ("OS_REGION_NAME", "RegionOne"),
            ("HOME", "/nonexistent-home"),
            ("OS_CLIENT_CONFIG_FILE", "/nonexistent/clouds.yaml"),
        ]);
        let c = resolve(&cli.global, &e).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.region_name.as_deref(), Some("RegionTwo"));
        assert_eq!(c.auth.project_name.as_deref(), Some("other"));
        assert_eq!(c.auth.username.as_deref(), Some("demo"));
        assert_eq!(c.insecure, Some(true));
    }

    #[test]
    fn nothing_configured_is_a_config_error() {
        let cli =
            crate::cli::Cli::try_parse_from(["nova", "list"]).unwrap_or_else(|e| panic!("{e}"));
        let e = env(&[("HOME", "/nonexistent-home")]);
        let err = resolve(&cli.global, &e).err().map(|e| e.exit_code());
        assert_eq!(err, Some(3));
    }
}
