//! `/_mock/echo`: records the method, path and headers of each request, so a
//! test can see exactly what a client sent (for example whether a token
//! followed a redirect to another origin).

use std::sync::Mutex;

use serde::Serialize;

/// At most this many requests are kept; older ones are dropped.
const MAX_RECORDS: usize = 1000;

/// Headers whose values `Debug` masks.
const SENSITIVE: [&str; 4] = ["x-auth-token", "x-subject-token", "authorization", "cookie"];

/// One request seen by `/_mock/echo`. `Debug` masks credential headers;
/// the fields (and the JSON served) keep them verbatim.
#[derive(Clone, Serialize, PartialEq, Eq)]
pub struct EchoRecord {
    /// Request method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers in arrival order, names lowercase. Values are kept verbatim
    /// (tokens included) because checking them is the point.
    pub headers: Vec<(String, String)>,
}

impl std::fmt::Debug for EchoRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let sensitive = SENSITIVE.iter().any(|s| name.eq_ignore_ascii_case(s));
                (
                    name.as_str(),
                    if sensitive { "***" } else { value.as_str() },
                )
            })
            .collect();
        f.debug_struct("EchoRecord")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .finish()
    }
}

impl EchoRecord {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The recorded requests, oldest first.
#[derive(Debug, Default)]
pub struct EchoLog {
    records: Mutex<Vec<EchoRecord>>,
}

impl EchoLog {
    /// Records one request.
    pub fn push(&self, record: EchoRecord) {
        if let Ok(mut records) = self.records.lock() {
            if records.len() >= MAX_RECORDS {
                records.remove(0);
            }
            records.push(record);
        }
    }

    /// All records, oldest first.
    pub fn records(&self) -> Vec<EchoRecord> {
        self.records.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Forgets every record.
    pub fn clear(&self) {
        if let Ok(mut records) = self.records.lock() {
            records.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_masks_tokens() {
        let record = EchoRecord {
            method: "GET".into(),
            path: "/".into(),
            headers: vec![
                ("x-auth-token".into(), "secret-token".into()),
                ("accept".into(), "application/json".into()),
            ],
        };
        let text = format!("{record:?}");
        assert!(!text.contains("secret-token"));
        assert!(text.contains("application/json"));
        assert_eq!(record.header("X-Auth-Token"), Some("secret-token"));
    }
}
