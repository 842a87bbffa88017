//! A fixed token with no Keystone behind it.

use async_trait::async_trait;
use secrecy::SecretString;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::plugin::{AuthContext, AuthPlugin};

/// A token used as is: no expiry, no catalog. Pair it with an
/// [`Adapter`](crate::Adapter) endpoint override (which also makes that
/// origin trusted), or trust the origin with
/// [`SessionBuilder::trusted_origin`](crate::SessionBuilder::trusted_origin)
/// when calling [`Session::send`](crate::Session::send) directly: without a
/// catalog or auth URL no origin is trusted, so no token would be sent.
/// `Debug` masks the token.
#[derive(Debug, Clone)]
pub struct StaticToken {
    token: SecretString,
}

impl StaticToken {
    /// A static token.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: SecretString::from(token.into()),
        }
    }
}

#[async_trait]
impl AuthPlugin for StaticToken {
    async fn authenticate(&self, _ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        Ok(AccessInfo::from_static_token(self.token.clone()))
    }

    fn auth_url(&self) -> Option<&Url> {
        None
    }
}
