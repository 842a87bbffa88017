//! Request counters keyed by route template (`"GET /compute/v2.1/servers/{id}"`).
//!
//! Parameter names do not matter when reading a counter or naming a fault's
//! route: `{id}` and `{server_id}` are the same template.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Requests seen per `"METHOD /route/{template}"`.
#[derive(Debug, Default)]
pub struct Counters {
    map: RwLock<HashMap<String, AtomicU64>>,
}

impl Counters {
    /// Counts one request for `key`.
    pub fn hit(&self, key: &str) {
        if let Ok(map) = self.map.read()
            && let Some(counter) = map.get(key)
        {
            counter.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if let Ok(mut map) = self.map.write() {
            map.entry(key.to_owned())
                .or_default()
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Requests seen for `key` since the last reset (parameter names ignored).
    pub fn get(&self, key: &str) -> u64 {
        let wanted = normalize_template(key);
        self.map
            .read()
            .map(|map| {
                map.iter()
                    .filter(|(k, _)| normalize_template(k) == wanted)
                    .map(|(_, c)| c.load(Ordering::Relaxed))
                    .sum()
            })
            .unwrap_or(0)
    }

    /// All non-zero counters, sorted by key.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.map
            .read()
            .map(|map| {
                map.iter()
                    .map(|(k, v)| (k.clone(), v.load(Ordering::Relaxed)))
                    .filter(|(_, v)| *v > 0)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        if let Ok(mut map) = self.map.write() {
            map.clear();
        }
    }
}

/// A template with every `{param}` (and `{*rest}`) replaced by `{}`.
pub fn normalize_template(template: &str) -> Cow<'_, str> {
    if !template.contains('{') {
        return Cow::Borrowed(template);
    }
    let mut out = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' if in_param => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_do_not_matter() {
        let counters = Counters::default();
        counters.hit("GET /compute/v2.1/servers/{server_id}");
        counters.hit("GET /compute/v2.1/servers/{server_id}");
        assert_eq!(counters.get("GET /compute/v2.1/servers/{id}"), 2);
        assert_eq!(counters.get("GET /compute/v2.1/servers/{server_id}"), 2);
        assert_eq!(counters.get("GET /compute/v2.1/servers"), 0);
        assert_eq!(normalize_template("GET /a/{x}/b/{*rest}"), "GET /a/{}/b/{}");
    }

    #[test]
    fn counts_and_resets() {
        let counters = Counters::default();
        counters.hit("GET /a");
        counters.hit("GET /a");
        counters.hit("POST /a");
        assert_eq!(counters.get("GET /a"), 2);
        assert_eq!(counters.get("DELETE /a"), 0);
        assert_eq!(counters.snapshot().len(), 2);
        counters.reset();
        assert_eq!(counters.get("GET /a"), 0);
        assert!(counters.snapshot().is_empty());
    }
}
