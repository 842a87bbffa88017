//! Files only their owner may read, for the caches (token, version document):
//! read with `O_NOFOLLOW` and refused when open to others, owned by someone
//! else or too large; written to a temporary 0600 file in a 0700 directory
//! and renamed into place, so two writers at once leave one whole file.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use keystone_auth::CloudConfig;

/// `<dir>/<hash of config's auth parameters>.json`: one cache file per login.
pub fn keyed_path(dir: &Path, config: &CloudConfig) -> PathBuf {
    dir.join(format!("{}.json", config.auth_cache_key()))
}

/// The directory `$XDG_CACHE_HOME/nova-cli/<kind>` (or `~/.cache/...`) when
/// `config` turns the cache on (`cache_auth`) and a cache directory exists.
pub fn cache_dir(config: &CloudConfig, kind: &str) -> Option<PathBuf> {
    if config.cache_auth != Some(true) {
        return None;
    }
    Some(dirs::cache_dir()?.join("nova-cli").join(kind))
}

/// The text of `path`, `Ok(None)` when there is no file, or why it is not
/// used (the reason never quotes the content).
pub fn read(path: &Path, max_bytes: u64) -> Result<Option<String>, String> {
    // O_NOFOLLOW: a symlink planted at the cache path is not followed
    let file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot open it ({})", e.kind())),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot stat it ({})", e.kind()))?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.mode() & 0o077 != 0 {
        return Err(format!(
            "its mode is {:o}; it must be readable by its owner only (0600)",
            meta.mode() & 0o777
        ));
    }
    if meta.uid() != current_uid() {
        return Err("it belongs to another user".into());
    }
    let mut text = String::new();
    file.take(max_bytes + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read it ({})", e.kind()))?;
    if text.len() as u64 > max_bytes {
        return Err("it is too large".into());
    }
    Ok(Some(text))
}

/// Writes `bytes` to `path` atomically with mode 0600 (its directory 0700).
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id(),
        fastrand::u64(..)
    ));
    let result = (|| {
        let mut file: File = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        // the umask cannot widen 0600, but make sure
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Our effective uid: the owner of `/proc/self` (no `unsafe` needed).
fn current_uid() -> u32 {
    fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX)
}
