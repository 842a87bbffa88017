//! Keystone's list pipeline (`keystone/server/flask/common.py`): exact and
//! inexact (`name__icontains=`) attribute filters, `marker`/`limit` pages in id
//! order, `truncated`, and the `links` object of every collection.

use serde_json::{Map, Value, json};

use crate::nova::resources::query::Query;

/// The largest page Keystone returns (`[DEFAULT] max_db_limit`).
pub const MAX_DB_LIMIT: usize = 1000;

/// Why a list request was refused.
#[derive(Debug)]
pub enum ListError {
    /// `marker` names no entry: Keystone's 404 `Marker X could not be found.`
    MarkerNotFound(String),
    /// `limit` is not a non-negative integer.
    BadLimit(String),
}

/// Keystone's `utils.attr_as_boolean`: anything but a false word is true.
fn attr_as_boolean(value: &str) -> bool {
    !matches!(
        value.to_ascii_lowercase().as_str(),
        "0" | "false" | "f" | "no" | "n" | "off"
    )
}

fn attr_matches(found: &Value, wanted: &str) -> bool {
    match found {
        Value::Bool(b) => *b == attr_as_boolean(wanted),
        Value::String(s) => s == wanted,
        Value::Null => wanted.is_empty() || wanted == "None",
        other => serde_json::from_str::<Value>(wanted).is_ok_and(|w| w == *other),
    }
}

fn inexact_matches(found: Option<&Value>, comparator: &str, wanted: &str) -> bool {
    let Some(Value::String(found)) = found else {
        return false;
    };
    let (comparator, found, wanted) = match comparator.strip_prefix('i') {
        Some(rest) => (rest, found.to_lowercase(), wanted.to_lowercase()),
        None => (comparator, found.clone(), wanted.to_owned()),
    };
    match comparator {
        "contains" => found.contains(&wanted),
        "startswith" => found.starts_with(&wanted),
        "endswith" => found.ends_with(&wanted),
        // Keystone silently ignores unknown comparators
        _ => true,
    }
}

/// Keeps the entries every supported filter of `query` matches; other keys are ignored.
pub fn filter(refs: Vec<Value>, query: &Query, supported: &[&str]) -> Vec<Value> {
    refs.into_iter()
        .filter(|entry| {
            query.0.iter().all(|(key, wanted)| {
                if supported.contains(&key.as_str()) {
                    return entry.get(key).is_some_and(|v| attr_matches(v, wanted));
                }
                match key.split_once("__") {
                    Some((base, comparator)) if supported.contains(&base) => {
                        inexact_matches(entry.get(base), comparator, wanted)
                    }
                    _ => true,
                }
            })
        })
        .collect()
}

fn id_of(entry: &Value) -> &str {
    entry.get("id").and_then(Value::as_str).unwrap_or_default()
}

/// Python's `urllib.parse.urlencode` of one value (`quote_plus`).
fn quote_plus(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One list request: where it was asked and with which query.
pub struct Listing<'a> {
    /// `http://127.0.0.1:PORT/identity/v3/projects` (no query).
    pub url: String,
    /// The raw query string, as Keystone echoes it in `links.self`.
    pub raw_query: Option<&'a str>,
    /// The decoded query.
    pub query: Query,
}

impl Listing<'_> {
    /// The `{collection: [...], "links": {...}}` document for `refs`
    /// (already filtered), in id order, paged when `paged`.
    pub fn wrap(
        &self,
        collection: &str,
        mut refs: Vec<Value>,
        paged: bool,
    ) -> Result<Value, ListError> {
        let mut limit = None;
        let mut marker = None;
        if paged {
            refs.sort_by(|a, b| id_of(a).cmp(id_of(b)));
            if let Some(m) = self
                .query
                .0
                .iter()
                .find(|(k, _)| k == "marker")
                .map(|(_, v)| v)
                && !m.is_empty()
            {
                if !refs.iter().any(|r| id_of(r) == m) {
                    return Err(ListError::MarkerNotFound(m.clone()));
                }
                refs.retain(|r| id_of(r) > m.as_str());
                marker = Some(m.clone());
            }
            if let Some(l) = self
                .query
                .0
                .iter()
                .find(|(k, _)| k == "limit")
                .map(|(_, v)| v)
            {
                let parsed: usize = l.parse().map_err(|_| ListError::BadLimit(l.clone()))?;
                limit = Some(parsed.min(MAX_DB_LIMIT)).filter(|l| *l > 0);
            }
        }
        let limited = limit.is_some_and(|l| refs.len() >= l);
        if let Some(l) = limit {
            refs.truncate(l);
        }
        let self_url = match self.raw_query.filter(|q| !q.is_empty()) {
            Some(q) => format!("{}?{q}", self.url),
            None => self.url.clone(),
        };
        let mut next = Value::Null;
        if (limit.is_some() || marker.is_some())
            && limited
            && let Some(last) = refs.last()
        {
            let mut args: Vec<(String, String)> = Vec::new();
            for (k, v) in &self.query.0 {
                if !args.iter().any(|(seen, _)| seen == k) {
                    args.push((k.clone(), v.clone()));
                }
            }
            let set = |args: &mut Vec<(String, String)>, key: &str, value: String| match args
                .iter_mut()
                .find(|(k, _)| k == key)
            {
                Some(entry) => entry.1 = value,
                None => args.push((key.to_owned(), value)),
            };
            set(&mut args, "marker", id_of(last).to_owned());
            if let Some(l) = limit {
                set(&mut args, "limit", l.to_string());
            }
            let encoded: Vec<String> = args
                .iter()
                .map(|(k, v)| format!("{}={}", quote_plus(k), quote_plus(v)))
                .collect();
            next = json!(format!("{}?{}", self.url, encoded.join("&")));
        }
        let mut body = Map::new();
        body.insert(collection.to_owned(), Value::Array(refs));
        body.insert(
            "links".into(),
            json!({"next": next, "self": self_url, "previous": null}),
        );
        if limited {
            body.insert("truncated".into(), json!(true));
        }
        Ok(Value::Object(body))
    }
}
