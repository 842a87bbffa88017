//! Browser sessions: an opaque random cookie maps to the server-side state (the Keystone
//! session with its token, the compute client, the CSRF token). The browser never sees a
//! token or a password.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::cloud::CloudConnection;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "nova_dashboard_session";
/// Name of the cookie that ties the login form to its CSRF token (before a session exists).
pub const LOGIN_COOKIE: &str = "nova_dashboard_login";

/// 32 random bytes from the operating system, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is not recoverable; an all-zero token would be guessable.
    if getrandom::fill(&mut bytes).is_err() {
        panic!("the operating system's random number generator failed");
    }
    hex::encode(bytes)
}

/// Compares two tokens in time independent of where they differ.
pub fn tokens_match(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// One logged-in browser.
#[derive(Debug, Clone)]
pub struct UserSession {
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// The authenticated connection to the cloud.
    pub cloud: Arc<CloudConnection>,
    /// When the session was created (dashboard clock).
    pub created: Instant,
    /// The last request (dashboard clock).
    pub last_seen: Instant,
    /// A message for the next page (after a redirect), shown once.
    pub flash: Option<String>,
    /// Servers acted on (deleted, started, ...) and until when their rows keep polling,
    /// even while Nova does not show the change yet.
    pub watching: Vec<(String, Instant)>,
}

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// A session unused this long is gone.
    pub idle: Duration,
    /// A session older than this is gone, used or not.
    pub absolute: Duration,
    /// At most this many sessions at once; the least recently used one is dropped for a new one.
    pub max_sessions: usize,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            max_sessions: 1000,
        }
    }
}

/// The server-side session table, with its own clock offset so tests can expire sessions
/// without waiting.
#[derive(Debug)]
pub struct SessionStore {
    limits: SessionLimits,
    sessions: Mutex<HashMap<String, UserSession>>,
    offset: Mutex<Duration>,
}

impl SessionStore {
    /// An empty store.
    pub fn new(limits: SessionLimits) -> Self {
        Self {
            limits,
            sessions: Mutex::new(HashMap::new()),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    fn table(&self) -> MutexGuard<'_, HashMap<String, UserSession>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The dashboard's clock: the monotonic clock plus the test offset.
    pub fn now(&self) -> Instant {
        let offset = *self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Instant::now() + offset
    }

    /// Moves the dashboard's clock forward (for tests of expiry).
    pub fn advance_clock(&self, by: Duration) {
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *offset += by;
    }

    fn expired(&self, session: &UserSession, now: Instant) -> bool {
        now.duration_since(session.last_seen) > self.limits.idle
            || now.duration_since(session.created) > self.limits.absolute
    }

    /// Stores a new session for `cloud`; returns its cookie value.
    pub fn create(&self, cloud: Arc<CloudConnection>) -> (String, UserSession) {
        let now = self.now();
        let id = random_token();
        let session = UserSession {
            csrf: random_token(),
            cloud,
            created: now,
            last_seen: now,
            flash: None,
            watching: Vec::new(),
        };
        let mut table = self.table();
        table.retain(|_, s| !self.expired(s, now));
        while table.len() >= self.limits.max_sessions.max(1) {
            let oldest = table
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(key) => table.remove(&key),
                None => break,
            };
        }
        table.insert(id.clone(), session.clone());
        (id, session)
    }

    /// The live session for a cookie value, touched; `None` when unknown or expired (an
    /// expired one is removed).
    pub fn get(&self, id: &str) -> Option<UserSession> {
        let now = self.now();
        let mut table = self.table();
        let expired = self.expired(table.get(id)?, now);
        if expired {
            table.remove(id);
            return None;
        }
        let session = table.get_mut(id)?;
        session.last_seen = now;
        Some(session.clone())
    }

    /// Keeps `text` for the session's next page.
    pub fn set_flash(&self, id: &str, text: impl Into<String>) {
        if let Some(session) = self.table().get_mut(id) {
            session.flash = Some(text.into());
        }
    }

    /// The message kept for this page, removed.
    pub fn take_flash(&self, id: &str) -> Option<String> {
        self.table().get_mut(id).and_then(|s| s.flash.take())
    }

    /// Keeps the rows of `server_id` polling for `how_long` (after an action on it).
    pub fn watch(&self, id: &str, server_id: &str, how_long: Duration) {
        let until = self.now() + how_long;
        if let Some(session) = self.table().get_mut(id) {
            let now = self.now();
            session.watching.retain(|(s, t)| s != server_id && *t > now);
            if session.watching.len() < 100 {
                session.watching.push((server_id.to_owned(), until));
            }
        }
    }

    /// Whether `session` still watches `server_id`.
    pub fn watched(&self, session: &UserSession, server_id: &str) -> bool {
        let now = self.now();
        session
            .watching
            .iter()
            .any(|(s, until)| s == server_id && *until > now)
    }

    /// Forgets a session; returns it when it existed.
    pub fn remove(&self, id: &str) -> Option<UserSession> {
        self.table().remove(id)
    }

    /// How many sessions are stored (expired ones included until next touched).
    pub fn len(&self) -> usize {
        self.table().len()
    }

    /// Whether no session is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The value of cookie `name` in a `Cookie` request header.
pub fn cookie_value<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure when `secure`.
pub fn set_cookie(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear_cookie(name: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_compare_exactly() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(tokens_match(&a, &a.clone()));
        assert!(!tokens_match(&a, &b));
        assert!(!tokens_match(&a, &a[..63]));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            http::HeaderValue::from_static("a=1; nova_dashboard_session=abc; b=2"),
        );
        assert_eq!(cookie_value(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value(&headers, "c"), None);
        assert!(set_cookie("x", "y", true).contains("HttpOnly; SameSite=Strict; Secure"));
        assert!(!set_cookie("x", "y", false).contains("Secure"));
    }
}
