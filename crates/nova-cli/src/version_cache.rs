//! The compute version document, cached next to the token (same opt-in,
//! same file rules: see [`private_file`]), so a warm `nova list` sends only
//! the list request.
//!
//! One file per set of auth parameters
//! (`<cache dir>/nova-cli/versions/<key>.json`), holding nova-core's
//! [`ServerVersions`] for the compute endpoint it was discovered at. It is
//! used only for that same endpoint, is re-discovered when negotiating
//! against it fails, and is deleted when a command fails with a version
//! error (a 406 or an unsupported version) or an auth/config failure, so the
//! next run discovers again.

use std::path::{Path, PathBuf};

use keystone_auth::CloudConfig;
use nova_core::ServerVersions;

use crate::private_file;

/// A version document is a few hundred bytes; anything far larger is not ours.
const MAX_BYTES: u64 = 64 * 1024;

/// Where one configuration's cached version document lives.
#[derive(Debug, Clone)]
pub struct VersionCache {
    path: PathBuf,
}

impl VersionCache {
    /// The cache for `config`, when its token cache is on (`cache_auth`)
    /// and a cache directory can be found.
    pub fn for_config(config: &CloudConfig) -> Option<Self> {
        let dir = crate::private_file::cache_dir(config, "versions")?;
        Some(Self::in_dir(&dir, config))
    }

    /// The cache for `config` under `dir`.
    pub fn in_dir(dir: &Path, config: &CloudConfig) -> Self {
        Self {
            path: crate::private_file::keyed_path(dir, config),
        }
    }

    /// The saved versions of `endpoint`, if the file holds a usable one;
    /// anything wrong with the file is a warning on stderr and no versions.
    pub fn load(&self, endpoint: &str) -> Option<ServerVersions> {
        match self.read() {
            Ok(found) => found.filter(|v| v.endpoint == endpoint),
            Err(reason) => {
                eprintln!(
                    "WARNING: ignoring the version cache {}: {reason}",
                    self.path.display()
                );
                None
            }
        }
    }

    fn read(&self) -> Result<Option<ServerVersions>, String> {
        let Some(text) = private_file::read(&self.path, MAX_BYTES)? else {
            return Ok(None);
        };
        let versions: ServerVersions = serde_json::from_str(&text)
            .map_err(|e| format!("it is not a version document (line {})", e.line()))?;
        if !versions.is_consistent() {
            return Err("its range does not match its document".into());
        }
        Ok(Some(versions))
    }

    /// Saves `versions` (atomically, 0600); a failure is a warning.
    pub fn store(&self, versions: &ServerVersions) {
        let written = serde_json::to_vec(versions)
            .map_err(std::io::Error::other)
            .and_then(|bytes| private_file::write(&self.path, &bytes));
        if let Err(e) = written {
            eprintln!(
                "WARNING: could not write the version cache {}: {e}",
                self.path.display()
            );
        }
    }

    /// Deletes the file (after a version error), so the next run discovers.
    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use nova_core::parse_versions;

    use super::*;

    fn config() -> CloudConfig {
        let mut c = CloudConfig::default();
        c.auth.auth_url = Some("http://k/v3".into());
        c.auth.username = Some("demo".into());
        c.cache_auth = Some(true);
        c
    }

    fn versions(endpoint: &str) -> ServerVersions {
        // what discovery returns, by way of the public JSON shape
        let docs = parse_versions(
            br#"{"version": {"id": "v2.1", "status": "CURRENT", "version": "2.100",
                "min_version": "2.1", "updated": "2013-07-23T11:33:21Z", "links": []}}"#,
        )
        .unwrap();
        let text = serde_json::json!({
            "endpoint": endpoint,
            "document_url": endpoint,
            "document": docs[0],
            "range": docs[0].range(),
        });
        serde_json::from_value(text).unwrap()
    }

    #[test]
    fn store_then_load_for_the_same_endpoint_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = VersionCache::in_dir(dir.path(), &config());
        assert!(cache.load("http://n/v2.1").is_none());
        let saved = versions("http://n/v2.1");
        cache.store(&saved);
        assert_eq!(fs_mode(&cache.path), 0o600);
        assert_eq!(cache.load("http://n/v2.1"), Some(saved));
        assert!(cache.load("http://other/v2.1").is_none());
        cache.remove();
        assert!(cache.load("http://n/v2.1").is_none());
    }

    #[test]
    fn corrupt_inconsistent_or_open_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = VersionCache::in_dir(dir.path(), &config());
        std::fs::write(&cache.path, "{not json").unwrap();
        std::fs::set_permissions(&cache.path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(cache.read().unwrap_err().contains("not a version document"));
        assert!(cache.load("http://n/v2.1").is_none());

        let mut edited = serde_json::to_value(versions("http://n/v2.1")).unwrap();
        edited["range"]["max"] = "2.999".into();
        std::fs::write(&cache.path, edited.to_string()).unwrap();
        assert!(cache.read().unwrap_err().contains("does not match"));

        cache.store(&versions("http://n/v2.1"));
        std::fs::set_permissions(&cache.path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(cache.read().unwrap_err().contains("0600"));
    }

    fn fs_mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().mode() & 0o777
    }
}
