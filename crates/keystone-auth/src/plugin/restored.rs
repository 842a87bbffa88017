//! [`RestoredAuth`]: start from a saved auth state, fall back to a plugin.

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use url::Url;

use crate::access::AccessInfo;
use crate::error::Result;
use crate::plugin::{AuthContext, AuthPlugin};

/// Uses a saved [`AccessInfo`] (from [`AccessInfo::from_auth_state`]) for
/// the first authentication while it is valid for longer than `margin`,
/// and the wrapped plugin for every authentication after that (a 401, the
/// token expiring): keystoneauth's `set_auth_state` on a plugin.
#[derive(Debug)]
pub struct RestoredAuth<P> {
    inner: P,
    saved: Mutex<Option<AccessInfo>>,
    margin: Duration,
}

impl<P: AuthPlugin> RestoredAuth<P> {
    /// Wraps `inner`, starting from `saved` (ignored when it expires within
    /// `margin`).
    pub fn new(inner: P, saved: AccessInfo, margin: Duration) -> Self {
        Self {
            inner,
            saved: Mutex::new(Some(saved)),
            margin,
        }
    }

    /// The wrapped plugin.
    pub fn inner(&self) -> &P {
        &self.inner
    }
}

#[async_trait]
impl<P: AuthPlugin> AuthPlugin for RestoredAuth<P> {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        let saved = self.saved.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(saved) = saved.filter(|s| !s.will_expire_within(ctx.now(), self.margin)) {
            return Ok(saved);
        }
        self.inner.authenticate(ctx).await
    }

    fn auth_url(&self) -> Option<&Url> {
        self.inner.auth_url()
    }
}
