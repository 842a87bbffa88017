//! Query-string parsing (repeated keys kept) and the pagination helpers shared by lists.

/// Decoded `key=value` pairs in order; repeated keys are kept.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// Parse a raw query string (`application/x-www-form-urlencoded`).
    pub fn parse(raw: Option<&str>) -> Self {
        let mut out = Vec::new();
        for part in raw.unwrap_or_default().split('&') {
            if part.is_empty() {
                continue;
            }
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            out.push((decode(k), decode(v)));
        }
        Query(out)
    }

    /// The last value of `key` (Nova reads the last one for single-valued params).
    pub fn last(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The keys present.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encode a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `additionalProperties: false` for query parameters (Nova's message when the path is empty).
pub fn reject_unknown(q: &Query, allowed: &[&str]) -> Result<(), String> {
    let mut extras: Vec<&str> = Vec::new();
    for k in q.keys() {
        if !allowed.contains(&k) && !extras.contains(&k) {
            extras.push(k);
        }
    }
    if extras.is_empty() {
        return Ok(());
    }
    let list = extras
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let verb = if extras.len() == 1 { "was" } else { "were" };
    Err(format!(
        "Additional properties are not allowed ({list} {verb} unexpected)"
    ))
}

/// Parse `limit` (a non-negative integer) as Nova does.
pub fn parse_limit(q: &Query, max_limit: usize) -> Result<usize, String> {
    match q.last("limit") {
        None => Ok(max_limit),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n >= 0 => Ok((n as usize).min(max_limit)),
            _ => Err(format!(
                "Invalid input for query parameters limit. Value: {raw}. '{raw}' does not match '^[0-9]*$'"
            )),
        },
    }
}

/// The `next` link for a full page: the same path and query with `marker` replaced.
pub fn next_link(base_url: &str, path: &str, q: &Query, marker: &str) -> serde_json::Value {
    let mut parts: Vec<String> =
        q.0.iter()
            .filter(|(k, _)| k != "marker")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
    parts.push(format!("marker={}", encode(marker)));
    serde_json::json!([{
        "href": format!("{}/{path}?{}", base_url.trim_end_matches('/'), parts.join("&")),
        "rel": "next",
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_and_encoded() {
        let q = Query::parse(Some("name=a%20b&status=ACTIVE&status=ERROR&x=1+2"));
        assert_eq!(q.last("name"), Some("a b"));
        assert_eq!(q.all("status"), vec!["ACTIVE", "ERROR"]);
        assert_eq!(q.last("x"), Some("1 2"));
    }

    #[test]
    fn limit_rules() {
        let q = Query::parse(Some("limit=5000"));
        assert_eq!(parse_limit(&q, 1000), Ok(1000));
        assert!(parse_limit(&Query::parse(Some("limit=-1")), 1000).is_err());
    }
}
