//! The `password` method.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::identity::{Scope, UserRef};
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl};

/// Authenticates with a user and password. `Debug` masks the password.
#[derive(Debug, Clone)]
pub struct Password {
    auth_url: AuthUrl,
    user: UserRef,
    password: SecretString,
    scope: Option<Scope>,
}

impl Password {
    /// A password plugin for `user` against `auth_url`
    /// (e.g. `http://host/identity/v3`), without a scope (Keystone then uses
    /// the user's default project, if any).
    pub fn new(auth_url: impl AsRef<str>, user: UserRef, password: impl Into<String>) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            user,
            password: SecretString::from(password.into()),
            scope: None,
        }
    }

    /// Scopes the token.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// The token request body.
    pub(crate) fn request_body(&self) -> serde_json::Value {
        let mut user = self.user.to_json();
        user["password"] = json!(self.password.expose_secret());
        let mut auth = json!({
            "identity": { "methods": ["password"], "password": { "user": user } }
        });
        if let Some(scope) = &self.scope {
            auth["scope"] = scope.to_json();
        }
        json!({ "auth": auth })
    }
}

#[async_trait]
impl AuthPlugin for Password {
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

    #[test]
    fn body_matches_the_constructed_keystone_sample() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/openstack-reference/constructed/keystone/password-username-domain-project-scope-request.json"
        );
        let sample: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let user = &sample["auth"]["identity"]["password"]["user"];
        let project = &sample["auth"]["scope"]["project"];
        let plugin = Password::new(
            "http://h/v3",
            UserRef::name_in_domain(
                user["name"].as_str().unwrap(),
                DomainRef::name(user["domain"]["name"].as_str().unwrap()),
            ),
            user["password"].as_str().unwrap(),
        )
        .scope(Scope::project_name(
            project["name"].as_str().unwrap(),
            DomainRef::name(project["domain"]["name"].as_str().unwrap()),
        ));
        assert_eq!(plugin.request_body(), sample);
    }

    #[test]
    fn debug_masks_password() {
        let plugin = Password::new("http://h/v3", UserRef::id("u"), "hunter2");
        assert!(!format!("{plugin:?}").contains("hunter2"));
    }
}
