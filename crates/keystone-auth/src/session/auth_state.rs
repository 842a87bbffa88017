//! The session's current token and single-flight re-authentication: however
//! many requests find the token stale at once, one token request is made.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use tracing::debug;

use crate::access::AccessInfo;
use crate::error::{Error, Result};
use crate::plugin::{AuthContext, AuthPlugin};
use crate::session::wire::HttpCore;

#[derive(Debug, Clone)]
struct Current {
    access: Arc<AccessInfo>,
    generation: u64,
    /// When the token expires by *our* clock: the time we received it plus
    /// its lifetime (`expires_at - issued_at`), so a skewed local clock does
    /// not make every fresh token look stale. `None`: never.
    local_expiry: Option<DateTime<Utc>>,
    /// The renewal margin for this token: the session's, but at most half the
    /// token's lifetime, so a short-lived token is used rather than renewed on
    /// every request.
    margin: chrono::Duration,
}

/// The current token, its generation, and the lock that makes refreshes
/// single-flight.
#[derive(Debug)]
pub(crate) struct AuthState {
    current: Mutex<Option<Current>>,
    generation: Mutex<u64>,
    refresh: tokio::sync::Mutex<()>,
    margin: Duration,
    /// How many authentications have failed, and how the last one did: a
    /// request that waited for a refresh that failed gets that failure.
    failures: AtomicU64,
    last_failure: Mutex<Option<SharedFailure>>,
}

/// What waiting requests learn of a failed authentication.
#[derive(Debug, Clone)]
struct SharedFailure {
    message: String,
    status: Option<http::StatusCode>,
    request_id: Option<String>,
}

impl SharedFailure {
    fn of(error: &Error) -> Self {
        Self {
            message: error.to_string(),
            status: error.status(),
            request_id: error.request_id().map(str::to_owned),
        }
    }

    fn into_error(self) -> Error {
        Error::AuthenticationFailed {
            message: self.message,
            status: self.status,
            request_id: self.request_id,
        }
    }
}

impl AuthState {
    pub(crate) fn new(margin: Duration) -> Self {
        Self {
            current: Mutex::new(None),
            generation: Mutex::new(0),
            refresh: tokio::sync::Mutex::new(()),
            margin,
            failures: AtomicU64::new(0),
            last_failure: Mutex::new(None),
        }
    }

    /// The current access and its generation, authenticating first if there
    /// is none, if it expires within the margin, or if its generation is
    /// `rejected` (the server answered 401 to it).
    pub(crate) async fn access(
        &self,
        plugin: &dyn AuthPlugin,
        core: &HttpCore,
        rejected: Option<u64>,
    ) -> Result<(Arc<AccessInfo>, u64)> {
        if let Some(found) = self.usable(core, rejected) {
            return Ok(found);
        }
        let failures_before = self.failures.load(Ordering::Acquire);
        let _single_flight = self.refresh.lock().await;
        // Someone else may have refreshed while we waited.
        if let Some(found) = self.usable(core, rejected) {
            return Ok(found);
        }
        // ... or failed to: share that failure rather than ask again at once.
        if self.failures.load(Ordering::Acquire) != failures_before {
            let failure = self
                .last_failure
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(failure) = failure {
                debug!("the authentication this request waited for failed; sharing its error");
                return Err(failure.into_error());
            }
        }
        debug!(
            reason = if rejected.is_some() {
                "rejected"
            } else {
                "missing or expiring"
            },
            "authenticating"
        );
        let access = match plugin.authenticate(&AuthContext { core }).await {
            Ok(access) => {
                crate::redact::register_secret(access.token().expose_secret());
                Arc::new(access)
            }
            Err(error) => {
                *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(SharedFailure::of(&error));
                self.failures.fetch_add(1, Ordering::AcqRel);
                return Err(error);
            }
        };
        let received = core.clock.now();
        let local_expiry = local_expiry(&access, received);
        let session_margin =
            chrono::Duration::from_std(self.margin).unwrap_or(chrono::Duration::MAX);
        let margin = match local_expiry {
            Some(expiry) => session_margin.min((expiry - received) / 2),
            None => session_margin,
        };
        let generation = {
            let mut g = self.generation.lock().unwrap_or_else(|p| p.into_inner());
            *g += 1;
            *g
        };
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        *current = Some(Current {
            access: Arc::clone(&access),
            generation,
            local_expiry,
            margin,
        });
        Ok((access, generation))
    }

    /// Forgets the token; the next request authenticates.
    pub(crate) fn invalidate(&self) {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        *current = None;
    }

    fn usable(&self, core: &HttpCore, rejected: Option<u64>) -> Option<(Arc<AccessInfo>, u64)> {
        let current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let c = current.as_ref()?;
        if Some(c.generation) == rejected {
            return None;
        }
        if let Some(expiry) = c.local_expiry {
            let now = core.clock.now();
            if now
                .checked_add_signed(c.margin)
                .is_none_or(|deadline| deadline >= expiry)
            {
                return None;
            }
        }
        Some((Arc::clone(&c.access), c.generation))
    }
}

/// The token's expiry on our clock: `received + (expires_at - issued_at)`
/// when Keystone gave both, else `expires_at` as is.
fn local_expiry(access: &AccessInfo, received: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let expires = access.expires_at?;
    if access.is_restored() {
        // received long ago: its lifetime says nothing about what is left
        return Some(expires);
    }
    match access.issued_at {
        Some(issued) if expires >= issued => received
            .checked_add_signed(expires - issued)
            .or(Some(expires)),
        _ => Some(expires),
    }
}
