//! URL path and query building.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query value (RFC 3986 unreserved characters pass).
pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, RESERVED).to_string()
}

/// The decoded value of `key` in a URL's query string, if present.
pub(crate) fn query_value(href: &str, key: &str) -> Option<String> {
    form_urlencoded::parse(query_of(href)?.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
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
    fn query_values_are_decoded() {
        let href = "http://h/v2.1/os-simple-tenant-usage?limit=1&marker=a%20b+c&x=";
        assert_eq!(query_value(href, "marker").as_deref(), Some("a b c"));
        assert_eq!(query_value(href, "x").as_deref(), Some(""));
        assert_eq!(query_value(href, "y"), None);
        assert_eq!(query_value("http://h/servers", "marker"), None);
    }

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
