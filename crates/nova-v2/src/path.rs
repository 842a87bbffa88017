//! URL path and query building.

/// Percent-encodes one path segment or query value (RFC 3986 unreserved characters pass).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// `base` plus `?k=v&...` with encoded values (nothing added for no pairs).
pub(crate) fn with_query(base: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return base.to_owned();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{base}?{}", query.join("&"))
}

/// The query string of an absolute or relative URL (without `?` and fragment).
pub(crate) fn query_of(href: &str) -> Option<&str> {
    let (_, rest) = href.split_once('?')?;
    Some(rest.split('#').next().unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(encode("a b/c?&=ä"), "a%20b%2Fc%3F%26%3D%C3%A4");
        assert_eq!(
            with_query(
                "servers/detail",
                &[("name", "web 1".into()), ("limit", "5".into())]
            ),
            "servers/detail?name=web%201&limit=5"
        );
        assert_eq!(
            query_of("http://h/v2.1/servers/detail?limit=1&marker=x"),
            Some("limit=1&marker=x")
        );
        assert_eq!(query_of("http://h/servers"), None);
    }
}
