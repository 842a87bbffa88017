//! The `token` method: an existing token, re-scoped.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::identity::Scope;
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl};

/// Exchanges an existing token for a new (usually scoped) one. `Debug`
/// masks the token.
#[derive(Debug, Clone)]
pub struct Token {
    auth_url: AuthUrl,
    token: SecretString,
    scope: Option<Scope>,
}

impl Token {
    /// A token plugin against `auth_url`.
    pub fn new(auth_url: impl AsRef<str>, token: impl Into<String>) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            token: SecretString::from(token.into()),
            scope: None,
        }
    }

    /// Scopes the new token.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    pub(crate) fn request_body(&self) -> serde_json::Value {
        let mut auth = json!({
            "identity": {
                "methods": ["token"],
                "token": { "id": self.token.expose_secret() }
            }
        });
        if let Some(scope) = &self.scope {
            auth["scope"] = scope.to_json();
        }
        json!({ "auth": auth })
    }
}

#[async_trait]
impl AuthPlugin for Token {
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

    #[test]
    fn body_matches_the_project_id_token_sample() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/openstack-reference/keystone/auth/requests/project-id-token.json"
        );
        let sample: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let plugin = Token::new(
            "http://h/v3",
            sample["auth"]["identity"]["token"]["id"].as_str().unwrap(),
        )
        .scope(Scope::project_id(
            sample["auth"]["scope"]["project"]["id"].as_str().unwrap(),
        ));
        assert_eq!(plugin.request_body(), sample);
        assert!(
            !format!("{plugin:?}")
                .contains(sample["auth"]["identity"]["token"]["id"].as_str().unwrap())
        );
    }
}
