//! Reading a local file the user named (CA bundle, client certificate, user data,
//! personality files) without trusting it: only regular files, checked by size before
//! reading and read with a cap, so `/dev/zero`, a FIFO or a huge file is a clear error
//! instead of unbounded memory or a hang.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The contents of `path`, at most `limit` bytes: [`Error::NotARegularFile`] for devices,
/// FIFOs, sockets and directories, [`Error::FileTooLarge`] for a file over `limit` (by its
/// size, and again while reading in case it grows), [`Error::ReadFile`] for I/O errors.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let io = |source| Error::ReadFile {
        path: path.to_owned(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(Error::NotARegularFile {
            path: path.to_owned(),
        });
    }
    let too_large = || Error::FileTooLarge {
        path: path.to_owned(),
        limit,
    };
    if metadata.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut contents = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut contents)
        .map_err(io)?;
    if contents.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        let err = read_bounded(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(matches!(err, Error::NotARegularFile { .. }), "{err:?}");
        let dir = tempfile::tempdir().unwrap();
        let err = read_bounded(dir.path(), 1024).unwrap_err();
        assert!(matches!(err, Error::NotARegularFile { .. }), "{err:?}");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        let err = read_bounded(&path, 1024).unwrap_err();
        assert!(
            matches!(err, Error::FileTooLarge { limit: 1024, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("1024"), "{err}");
        assert_eq!(read_bounded(&path, 2048).unwrap().len(), 2048);
    }
}
