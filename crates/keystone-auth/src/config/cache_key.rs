//! [`CloudConfig::auth_cache_key`]: which saved token belongs to which settings.

use sha2::{Digest, Sha256};

use crate::config::CloudConfig;

impl CloudConfig {
    /// A hex SHA-256 of the settings that decide which token Keystone
    /// issues (auth type, auth URL, user, scope, application credential id,
    /// OAuth2 client id, OIDC identity provider, protocol, client and
    /// endpoints, region, interface): two configurations with the
    /// same key may share a cached token. No secret goes into it, so the
    /// key says nothing about a password or passcode.
    pub fn auth_cache_key(&self) -> String {
        let a = &self.auth;
        let parts: [(&str, Option<&str>); 20] = [
            ("auth_type", self.auth_type.as_deref()),
            ("auth_url", a.auth_url.as_deref()),
            ("username", a.username.as_deref()),
            ("user_id", a.user_id.as_deref()),
            ("user_domain_name", a.user_domain_name.as_deref()),
            ("user_domain_id", a.user_domain_id.as_deref()),
            ("project_name", a.project_name.as_deref()),
            ("project_id", a.project_id.as_deref()),
            ("project_domain_name", a.project_domain_name.as_deref()),
            ("project_domain_id", a.project_domain_id.as_deref()),
            ("domain_name", a.domain_name.as_deref()),
            ("domain_id", a.domain_id.as_deref()),
            ("default_domain_id", a.default_domain_id.as_deref()),
            ("default_domain_name", a.default_domain_name.as_deref()),
            ("system_scope", a.system_scope.as_deref()),
            (
                "application_credential_id",
                a.application_credential_id.as_deref(),
            ),
            (
                "application_credential_name",
                a.application_credential_name.as_deref(),
            ),
            ("oauth2_client_id", a.oauth2_client_id.as_deref()),
            ("region_name", self.region_name.as_deref()),
            ("interface", self.interface.as_deref()),
        ];
        let mut hasher = Sha256::new();
        for (name, value) in parts {
            // length-prefixed, so no two different settings hash alike
            hasher.update(name.as_bytes());
            hasher.update([0]);
            match value {
                Some(v) => {
                    hasher.update((v.len() as u64).to_be_bytes());
                    hasher.update(v.as_bytes());
                }
                None => hasher.update([0xff]),
            }
        }
        hasher.update(a.auth_methods.join(",").as_bytes());
        // OpenID Connect: which provider and client the federated token comes through.
        let o = &a.oidc;
        for value in [
            &o.identity_provider,
            &o.protocol,
            &o.client_id,
            &o.discovery_endpoint,
            &o.access_token_endpoint,
        ] {
            let value = value.as_deref().unwrap_or("\u{0}");
            hasher.update((value.len() as u64).to_be_bytes());
            hasher.update(value.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    fn config(user: &str, project: &str) -> CloudConfig {
        let mut c = CloudConfig::default();
        c.auth.auth_url = Some("http://k/v3".into());
        c.auth.username = Some(user.into());
        c.auth.project_name = Some(project.into());
        c
    }

    #[test]
    fn key_follows_identity_and_scope_not_secrets() {
        let base = config("demo", "p1");
        assert_eq!(base.auth_cache_key().len(), 64);
        assert_ne!(base.auth_cache_key(), config("demo", "p2").auth_cache_key());
        assert_ne!(
            base.auth_cache_key(),
            config("admin", "p1").auth_cache_key()
        );
        let mut with_password = base.clone();
        with_password.auth.password = Some(SecretString::from("s3cret"));
        assert_eq!(base.auth_cache_key(), with_password.auth_cache_key());
        // "ab"+"c" and "a"+"bc" differ
        assert_ne!(
            config("ab", "c").auth_cache_key(),
            config("a", "bc").auth_cache_key()
        );
    }
}
