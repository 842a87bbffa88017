//! Reading a [`MockConfig`] file with bounds: a size cap, regular files only, and a YAML
//! nesting/alias budget, so a hostile or mistaken file is a quick typed error rather than
//! minutes of parsing or unbounded memory.

use std::io::Read;
use std::path::Path;

use crate::config::MockConfig;
use crate::error::Error;

/// The deepest nesting a configuration file may have. Real files are 5-6 levels deep
/// (`nova: flavors: - extra_specs: key: value`).
pub(crate) const MAX_CONFIG_DEPTH: usize = 32;

/// The largest configuration file read.
pub(crate) const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// Reads `path`: JSON when the name ends in `.json`, else YAML.
pub(crate) fn read(path: &Path) -> Result<MockConfig, Error> {
    let text = read_text(path)?;
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let parse_error = |message: String| Error::ConfigParse {
        path: path.display().to_string(),
        message,
    };
    let too_deep = || Error::ConfigTooDeep {
        path: path.display().to_string(),
        limit: MAX_CONFIG_DEPTH,
    };
    if is_json {
        // serde_json skips an unknown key's value however deep it nests: check first.
        if json_nests_deeper_than(&text, MAX_CONFIG_DEPTH) {
            return Err(too_deep());
        }
        return serde_json::from_str(&text).map_err(|e| parse_error(e.to_string()));
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_CONFIG_DEPTH,
            max_aliases: 1_000,
            max_documents: 1,
        },
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(&text, options).map_err(|e| {
        if is_too_deep(&e) {
            too_deep()
        } else {
            parse_error(e.to_string())
        }
    })
}

/// The file's text, refusing what is not a regular file or is larger than
/// [`MAX_CONFIG_BYTES`] (read with that cap, whatever the metadata said).
fn read_text(path: &Path) -> Result<String, Error> {
    let read_error = |source| Error::ConfigRead {
        path: path.display().to_string(),
        source,
    };
    let too_large = |size| Error::ConfigTooLarge {
        path: path.display().to_string(),
        size,
        limit: MAX_CONFIG_BYTES,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    if !metadata.is_file() {
        return Err(read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    if metadata.len() > MAX_CONFIG_BYTES {
        return Err(too_large(metadata.len()));
    }
    let mut text = String::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(read_error)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(too_large(text.len() as u64));
    }
    Ok(text)
}

/// Whether JSON `text` opens more than `limit` arrays/objects inside each other (one
/// linear pass; brackets inside strings do not count).
fn json_nests_deeper_than(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Whether the YAML error is a nesting limit: the depth budget, or the parser's own
/// flow/block nesting ceiling (which can trip first). keystone-auth's clouds.yaml reader
/// has the same check; it is not shared because mock-cloud, the server the client crates
/// are tested against, does not depend on them.
fn is_too_deep(error: &serde_saphyr::Error) -> bool {
    use serde_saphyr::ExternalMessageSource;
    use serde_saphyr::granit_parser::ErrorKind;
    match error {
        serde_saphyr::Error::Budget {
            breach: serde_saphyr::budget::BudgetBreach::Depth { .. },
            ..
        } => true,
        serde_saphyr::Error::WithSnippet { error, .. } => is_too_deep(error),
        serde_saphyr::Error::ExternalMessage { source, .. } => matches!(
            source.as_ref(),
            ExternalMessageSource::Parser(scan) if matches!(scan.kind(), ErrorKind::RecursionLimitExceeded)
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn a_real_config_still_parses() {
        let (_dir, path) = file(
            "mock.yaml",
            "keystone:\n  token_ttl_secs: 60\nversions:\n  compute_max: '2.60'\n",
        );
        let config = read(&path).expect("parses");
        assert_eq!(config.keystone.token_ttl_secs, 60);
    }

    #[test]
    fn deeply_nested_yaml_and_json_are_refused_as_too_deep() {
        // Under `nova:` an unknown key's value is skipped, so the parser walks all of it:
        // that is where the depth budget matters.
        for (name, text) in [
            (
                "flow.yaml",
                format!(
                    "nova:\n  seed: {}{}",
                    "[".repeat(20_000),
                    "]".repeat(20_000)
                ),
            ),
            (
                "maps.yaml",
                format!(
                    "nova:\n  seed: {}1{}",
                    "{a: ".repeat(20_000),
                    "}".repeat(20_000)
                ),
            ),
            (
                "block.yaml",
                format!("nova:\n  seed:\n    {}1", "- ".repeat(20_000)),
            ),
            (
                "deep.json",
                format!(
                    "{{\"nova\": {{\"seed\": {}{}}}}}",
                    "[".repeat(20_000),
                    "]".repeat(20_000)
                ),
            ),
        ] {
            let (_dir, path) = file(name, &text);
            let error = read(&path).expect_err(name);
            assert!(
                matches!(error, Error::ConfigTooDeep { limit, .. } if limit == MAX_CONFIG_DEPTH),
                "{name}: {error:?}"
            );
            let message = error.to_string();
            assert!(message.contains("nests deeper than 32 levels"), "{message}");
            assert!(message.contains(name), "{message}");
        }
    }

    #[test]
    fn json_depth_ignores_brackets_in_strings() {
        let deep = "[".repeat(33);
        assert!(json_nests_deeper_than(&deep, 32));
        assert!(!json_nests_deeper_than(&"[".repeat(32), 32));
        let quoted = format!("{{\"a\": \"{deep} \\\" {deep}\"}}");
        assert!(!json_nests_deeper_than(&quoted, 32), "{quoted}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_unread() {
        let error = read(Path::new("/dev/zero")).expect_err("/dev/zero");
        assert!(matches!(error, Error::ConfigRead { .. }), "{error:?}");
        let chain = format!(
            "{error} {}",
            std::error::Error::source(&error).expect("cause")
        );
        assert!(chain.contains("not a regular file"), "{chain}");
    }
}
