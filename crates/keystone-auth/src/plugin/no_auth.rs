//! `auth_type: none` (`noauth`): no token at all, for standalone services
//! reached through an endpoint override.

use async_trait::async_trait;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::plugin::{AuthContext, AuthPlugin};

/// Sends no credentials: requests carry no `X-Auth-Token`. There is no
/// catalog, so every service needs an endpoint override (`endpoint` /
/// `OS_ENDPOINT`, `<service>_endpoint_override`).
#[derive(Debug, Clone, Default)]
pub struct NoAuth;

impl NoAuth {
    /// The plugin.
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl AuthPlugin for NoAuth {
    async fn authenticate(&self, _ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        Ok(AccessInfo::no_auth())
    }

    fn auth_url(&self) -> Option<&Url> {
        None
    }
}
