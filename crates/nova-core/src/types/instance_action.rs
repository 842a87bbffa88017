//! Instance actions and their events.

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(
    _key: &str,
    _inner: &serde_json::Value,
    _minor: u32,
    _file: &str,
) -> bool {
    false
}
