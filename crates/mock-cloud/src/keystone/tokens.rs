//! Issued tokens: what each one grants and until when.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// When the token table holds more than this many entries, expired ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// What a token is scoped to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenScope {
    /// No scope.
    Unscoped,
    /// A project id.
    Project(String),
    /// A domain id.
    Domain(String),
    /// The whole system.
    System,
}

/// The application credential a token was issued for.
#[derive(Clone, Debug)]
pub struct AppCredentialRef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `restricted`.
    pub restricted: bool,
}

/// One issued token.
#[derive(Clone, Debug)]
pub struct TokenRecord {
    /// User id.
    pub user_id: String,
    /// Authentication methods used (`password`, `token`, ...).
    pub methods: Vec<String>,
    /// Scope.
    pub scope: TokenScope,
    /// Role ids.
    pub role_ids: Vec<String>,
    /// True when one of the roles is `admin`.
    pub is_admin: bool,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Expiry time.
    pub expires_at: DateTime<Utc>,
    /// Audit ids (own first, then the parent's for rescoped tokens).
    pub audit_ids: Vec<String>,
    /// Set for application-credential tokens.
    pub app_credential: Option<AppCredentialRef>,
}

/// The token table (token id -> record) and the lifetime of new tokens.
/// `Debug` shows only how many tokens there are, never their ids.
pub struct TokenStore {
    tokens: RwLock<HashMap<String, Arc<TokenRecord>>>,
    ttl_secs: AtomicU64,
}

impl std::fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.tokens.read().map(|t| t.len()).unwrap_or(0);
        f.debug_struct("TokenStore")
            .field("tokens", &count)
            .field("ttl", &self.ttl())
            .finish()
    }
}

impl TokenStore {
    /// An empty table issuing tokens that live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            tokens: RwLock::default(),
            ttl_secs: AtomicU64::new(ttl.as_secs()),
        }
    }

    /// Lifetime of tokens issued from now on.
    pub fn ttl(&self) -> Duration {
        Duration::from_secs(self.ttl_secs.load(Ordering::Relaxed))
    }

    /// Changes the lifetime of tokens issued from now on.
    pub fn set_ttl(&self, ttl: Duration) {
        self.ttl_secs.store(ttl.as_secs(), Ordering::Relaxed);
    }

    /// Stores a record and returns its new token id.
    pub fn insert(&self, record: TokenRecord, now: DateTime<Utc>) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        if let Ok(mut tokens) = self.tokens.write() {
            if tokens.len() > PRUNE_ABOVE {
                tokens.retain(|_, r| r.expires_at > now);
            }
            tokens.insert(id.clone(), Arc::new(record));
        }
        id
    }

    /// The record of a token that exists, is not revoked and has not expired at `now`.
    pub fn valid(&self, token: &str, now: DateTime<Utc>) -> Option<Arc<TokenRecord>> {
        let tokens = self.tokens.read().ok()?;
        let record = tokens.get(token)?;
        (record.expires_at > now).then(|| Arc::clone(record))
    }

    /// Every token id still in the table (valid, expired early or not),
    /// for tests that search logs for leaked tokens.
    pub fn ids(&self) -> Vec<String> {
        self.tokens
            .read()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Revokes one token; true when it existed.
    pub fn revoke(&self, token: &str) -> bool {
        self.tokens
            .write()
            .map(|mut t| t.remove(token).is_some())
            .unwrap_or(false)
    }

    /// Makes every issued token expire at `now` (they stay known, so
    /// validating one answers "expired" rather than "unknown"); returns how many.
    pub fn expire_all(&self, now: DateTime<Utc>) -> usize {
        self.tokens
            .write()
            .map(|mut t| {
                for record in t.values_mut() {
                    if record.expires_at > now {
                        let mut expired = TokenRecord::clone(record);
                        expired.expires_at = now;
                        *record = Arc::new(expired);
                    }
                }
                t.len()
            })
            .unwrap_or(0)
    }

    /// Revokes every token; returns how many there were.
    pub fn revoke_all(&self) -> usize {
        self.tokens
            .write()
            .map(|mut t| {
                let n = t.len();
                t.clear();
                n
            })
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expires_at: DateTime<Utc>) -> TokenRecord {
        TokenRecord {
            user_id: "u".into(),
            methods: vec!["password".into()],
            scope: TokenScope::Unscoped,
            role_ids: Vec::new(),
            is_admin: false,
            issued_at: expires_at - chrono::Duration::hours(1),
            expires_at,
            audit_ids: vec!["a".into()],
            app_credential: None,
        }
    }

    #[test]
    fn tokens_expire_and_are_revoked() {
        let store = TokenStore::new(Duration::from_secs(3600));
        let now = Utc::now();
        let id = store.insert(record(now + chrono::Duration::seconds(10)), now);
        assert!(store.valid(&id, now).is_some());
        assert!(
            store
                .valid(&id, now + chrono::Duration::seconds(10))
                .is_none()
        );
        assert!(
            !format!("{store:?}").contains(&id),
            "Debug must not show token ids"
        );
        assert!(store.revoke(&id));
        assert!(store.valid(&id, now).is_none());
        let id = store.insert(record(now + chrono::Duration::seconds(10)), now);
        assert_eq!(store.expire_all(now), 1);
        assert!(store.valid(&id, now).is_none(), "expired early");
        assert_eq!(store.revoke_all(), 1);
    }
}
