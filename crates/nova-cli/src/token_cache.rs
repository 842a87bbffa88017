//! The opt-in token cache (clouds.yaml `cache: {auth: true}` or
//! `OS_CACHE_AUTH=true`): the auth state of the last run, so the next one
//! skips Keystone while the token is valid.
//!
//! One file per set of auth parameters (`<cache dir>/nova-cli/auth/<key>.json`,
//! the key a hash of [`CloudConfig::auth_cache_key`]), mode 0600 in a 0700
//! directory, written to a temporary file and renamed into place (so two
//! runs writing at once leave one whole file). It holds the token and
//! Keystone's token response, never a password or other secret (file rules:
//! [`private_file`]). A file that
//! is unreadable, corrupt, not ours or readable by others is ignored with a
//! warning; a token Keystone or Nova rejects is replaced (the session
//! re-authenticates with the configured credentials) and a failed
//! authentication deletes the file.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use keystone_auth::{AccessInfo, AuthPlugin, CloudConfig, RestoredAuth};
use secrecy::ExposeSecret;

use crate::private_file;

/// Tokens expiring within this margin are not used from the cache.
pub const MARGIN: Duration = Duration::from_secs(60);

/// The largest cache file read (a token response with a big catalog is
/// tens of KiB).
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Where one configuration's cached auth state lives.
#[derive(Debug, Clone)]
pub struct TokenCache {
    path: PathBuf,
}

impl TokenCache {
    /// The cache for `config`, if it asks for one (`cache_auth`) and a
    /// cache directory can be found (`$XDG_CACHE_HOME`, `~/.cache`).
    pub fn for_config(config: &CloudConfig) -> Option<Self> {
        let dir = crate::private_file::cache_dir(config, "auth")?;
        Some(Self::in_dir(&dir, config))
    }

    /// The cache for `config` under `dir`.
    pub fn in_dir(dir: &Path, config: &CloudConfig) -> Self {
        Self {
            path: crate::private_file::keyed_path(dir, config),
        }
    }

    /// The file.
    #[cfg(test)]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved access, if there is a usable one; anything wrong with the
    /// file is a warning on stderr and no access.
    pub fn load(&self) -> Option<AccessInfo> {
        match self.read() {
            Ok(found) => found,
            Err(reason) => {
                eprintln!(
                    "WARNING: ignoring the token cache {}: {reason}",
                    self.path.display()
                );
                None
            }
        }
    }

    fn read(&self) -> Result<Option<AccessInfo>, String> {
        let Some(text) = private_file::read(&self.path, MAX_BYTES)? else {
            return Ok(None);
        };
        // the error names only where the text is wrong, never the token
        AccessInfo::from_auth_state(&text)
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// Saves `access` (atomically, 0600). Access with no token response
    /// (static tokens, `none`) is not saved. Failures are warnings.
    pub fn store(&self, access: &AccessInfo) {
        let Some(state) = access.auth_state() else {
            return;
        };
        if let Err(e) = self.write(state.expose_secret().as_bytes()) {
            eprintln!(
                "WARNING: could not write the token cache {}: {e}",
                self.path.display()
            );
        }
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        private_file::write(&self.path, bytes)
    }

    /// Deletes the file (after a failed authentication).
    pub fn remove(&self) {
        let _ = fs::remove_file(&self.path);
    }

    /// `plugin`, starting from the cached access when there is a usable one.
    pub fn wrap(&self, plugin: Arc<dyn AuthPlugin>) -> Arc<dyn AuthPlugin> {
        match self.load() {
            Some(saved) => Arc::new(RestoredAuth::new(plugin, saved, MARGIN)),
            None => plugin,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use super::*;

    fn config() -> CloudConfig {
        let mut c = CloudConfig::default();
        c.auth.auth_url = Some("http://k/v3".into());
        c.auth.username = Some("demo".into());
        c.cache_auth = Some(true);
        c
    }

    fn access(expires: &str) -> AccessInfo {
        let state = serde_json::json!({
            "auth_token": "gAAAA-cached-token",
            "body": {"token": {
                "methods": ["password"],
                "expires_at": expires,
                "issued_at": "2026-01-01T00:00:00.000000Z",
                "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
                "catalog": []
            }}
        });
        AccessInfo::from_auth_state(&state.to_string()).unwrap()
    }

    #[test]
    fn store_then_load_round_trips_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::in_dir(&dir.path().join("auth"), &config());
        assert!(cache.load().is_none());
        cache.store(&access("2099-01-01T00:00:00.000000Z"));
        let mode = fs::metadata(cache.path()).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(dir.path().join("auth")).unwrap().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        let loaded = cache.load().unwrap();
        assert_eq!(loaded.token().expose_secret(), "gAAAA-cached-token");
        // no temporary file left behind
        assert_eq!(fs::read_dir(dir.path().join("auth")).unwrap().count(), 1);
    }

    #[test]
    fn corrupt_or_open_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::in_dir(dir.path(), &config());
        fs::write(cache.path(), "{not json").unwrap();
        fs::set_permissions(cache.path(), fs::Permissions::from_mode(0o600)).unwrap();
        assert!(cache.read().unwrap_err().contains("auth state"));
        cache.store(&access("2099-01-01T00:00:00.000000Z"));
        fs::set_permissions(cache.path(), fs::Permissions::from_mode(0o644)).unwrap();
        let err = cache.read().unwrap_err();
        assert!(err.contains("0600"), "{err}");
        assert!(cache.load().is_none());
    }

    #[test]
    fn a_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::in_dir(dir.path(), &config());
        let target = dir.path().join("elsewhere");
        fs::write(&target, "x").unwrap();
        std::os::unix::fs::symlink(&target, cache.path()).unwrap();
        assert!(cache.read().is_err());
    }

    #[test]
    fn concurrent_writers_leave_one_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::in_dir(dir.path(), &config());
        let a = access("2099-01-01T00:00:00.000000Z");
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        cache.store(&a);
                    }
                });
            }
        });
        assert!(cache.read().unwrap().is_some());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn only_the_token_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = config();
        c.auth.password = Some("hunter2-password".into());
        let cache = TokenCache::in_dir(dir.path(), &c);
        cache.store(&access("2099-01-01T00:00:00.000000Z"));
        let text = fs::read_to_string(cache.path()).unwrap();
        assert!(text.contains("gAAAA-cached-token"));
        assert!(!text.contains("hunter2"));
        assert!(!cache.path().to_string_lossy().contains("hunter2"));
    }

    #[test]
    fn not_enabled_means_no_cache() {
        let mut c = config();
        c.cache_auth = None;
        assert!(TokenCache::for_config(&c).is_none());
    }
}
