//! The `application_credential` method.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::identity::UserRef;
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl};

#[derive(Debug, Clone)]
enum Credential {
    Id(String),
    Name { name: String, user: UserRef },
}

/// Authenticates with an application credential. The request carries no
/// scope (the credential fixes the project; Keystone rejects one). `Debug`
/// masks the secret.
#[derive(Debug, Clone)]
pub struct ApplicationCredential {
    auth_url: AuthUrl,
    credential: Credential,
    secret: SecretString,
}

impl ApplicationCredential {
    /// By credential id.
    pub fn by_id(
        auth_url: impl AsRef<str>,
        id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            credential: Credential::Id(id.into()),
            secret: SecretString::from(secret.into()),
        }
    }

    /// By credential name and owning user.
    pub fn by_name(
        auth_url: impl AsRef<str>,
        name: impl Into<String>,
        user: UserRef,
        secret: impl Into<String>,
    ) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            credential: Credential::Name {
                name: name.into(),
                user,
            },
            secret: SecretString::from(secret.into()),
        }
    }

    pub(crate) fn request_body(&self) -> serde_json::Value {
        let mut credential = match &self.credential {
            Credential::Id(id) => json!({ "id": id }),
            Credential::Name { name, user } => json!({ "name": name, "user": user.to_json() }),
        };
        credential["secret"] = json!(self.secret.expose_secret());
        json!({
            "auth": {
                "identity": {
                    "methods": ["application_credential"],
                    "application_credential": credential
                }
            }
        })
    }
}

#[async_trait]
impl AuthPlugin for ApplicationCredential {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        let url = self.auth_url.require()?;
        ctx.request_token(url, &self.request_body()).await
    }

    fn auth_url(&self) -> Option<&Url> {
        self.auth_url.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::DomainRef;

    fn sample(name: &str) -> serde_json::Value {
        let path = format!(
            "{}/../../testdata/openstack-reference/keystone/admin/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn by_id_matches_sample() {
        let s = sample("auth-application-credential-id-request.json");
        let ac = &s["auth"]["identity"]["application_credential"];
        let plugin = ApplicationCredential::by_id(
            "http://h/v3",
            ac["id"].as_str().unwrap(),
            ac["secret"].as_str().unwrap(),
        );
        assert_eq!(plugin.request_body(), s);
        assert!(!format!("{plugin:?}").contains(ac["secret"].as_str().unwrap()));
    }

    #[test]
    fn by_name_matches_sample() {
        let s = sample("auth-application-credential-name-request.json");
        let ac = &s["auth"]["identity"]["application_credential"];
        let user = match ac["user"].get("id").and_then(|v| v.as_str()) {
            Some(id) => UserRef::id(id),
            None => UserRef::name_in_domain(
                ac["user"]["name"].as_str().unwrap(),
                match ac["user"]["domain"].get("id").and_then(|v| v.as_str()) {
                    Some(id) => DomainRef::id(id),
                    None => DomainRef::name(ac["user"]["domain"]["name"].as_str().unwrap()),
                },
            ),
        };
        let plugin = ApplicationCredential::by_name(
            "http://h/v3",
            ac["name"].as_str().unwrap(),
            user,
            ac["secret"].as_str().unwrap(),
        );
        assert_eq!(plugin.request_body(), s);
    }
}
