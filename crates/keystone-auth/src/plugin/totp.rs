//! The `totp` method (`auth_type: v3totp`).

use async_trait::async_trait;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::identity::{Scope, UserRef};
use crate::plugin::factor::{Factor, token_request_body};
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl};

/// Authenticates with a user and a time-based one-time passcode
/// (`OS_PASSCODE`). A passcode is good for one 30 s window, so a session
/// built on it cannot re-authenticate later: pair it with a password in
/// [`MultiFactor`](crate::MultiFactor) or accept that the token's lifetime
/// is the session's. `Debug` masks the passcode.
#[derive(Debug, Clone)]
pub struct Totp {
    auth_url: AuthUrl,
    factor: Factor,
    scope: Option<Scope>,
}

impl Totp {
    /// A TOTP plugin for `user` against `auth_url`.
    pub fn new(auth_url: impl AsRef<str>, user: UserRef, passcode: impl Into<String>) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            factor: Factor::totp(user, passcode),
            scope: None,
        }
    }

    /// Scopes the token.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    pub(crate) fn request_body(&self) -> serde_json::Value {
        token_request_body(std::slice::from_ref(&self.factor), self.scope.as_ref())
    }
}

#[async_trait]
impl AuthPlugin for Totp {
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
    fn body_by_name_in_domain_and_debug_masks() {
        let plugin = Totp::new(
            "http://h/v3",
            UserRef::name_in_domain("demo", DomainRef::id("default")),
            "314159",
        )
        .scope(Scope::project_name("demo", DomainRef::id("default")));
        let body = plugin.request_body();
        assert_eq!(
            body["auth"]["identity"]["methods"],
            serde_json::json!(["totp"])
        );
        assert_eq!(
            body["auth"]["identity"]["totp"]["user"],
            serde_json::json!({"name": "demo", "domain": {"id": "default"}, "passcode": "314159"})
        );
        assert!(!format!("{plugin:?}").contains("314159"));
    }
}
