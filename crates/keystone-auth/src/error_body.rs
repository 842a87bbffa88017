//! Reading the message out of an OpenStack error response body: Keystone
//! `{"error": {..}}`, Nova `{"itemNotFound": {"code", "message"}}`, API-SIG
//! `{"errors": [..]}`, top-level `{"message": ..}`, or HTML/text pages.

use http::HeaderMap;
use serde_json::Value;

use crate::error::ErrorBodyKind;

/// The longest snippet of a non-JSON body kept in an error.
const SNIPPET_CHARS: usize = 200;

/// The parts of an error body a caller wants to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedErrorBody {
    pub message: Option<String>,
    pub details: Option<String>,
    pub title: Option<String>,
    pub kind: ErrorBodyKind,
}

/// Parses an error body; never fails.
pub(crate) fn parse_error_body(headers: &HeaderMap, body: &[u8]) -> ParsedErrorBody {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return ParsedErrorBody {
            message: None,
            details: None,
            title: None,
            kind: ErrorBodyKind::Empty,
        };
    }
    if let Ok(value) = serde_json::from_slice::<Value>(trimmed) {
        return parse_json(&value);
    }
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let text = String::from_utf8_lossy(trimmed);
    let is_html = content_type.contains("html") || text.starts_with('<');
    let snippet = if is_html {
        snippet(&strip_tags(&text))
    } else {
        snippet(&text)
    };
    ParsedErrorBody {
        message: Some(snippet),
        details: None,
        title: None,
        kind: if is_html {
            ErrorBodyKind::Html
        } else {
            ErrorBodyKind::Text
        },
    }
}

fn parse_json(value: &Value) -> ParsedErrorBody {
    let unrecognized = ParsedErrorBody {
        message: Some("Unrecognized schema in response body.".into()),
        details: None,
        title: None,
        kind: ErrorBodyKind::UnrecognizedJson,
    };
    let Some(object) = value.as_object() else {
        return unrecognized;
    };
    // Keystone: {"error": {"code", "title", "message"}}
    if let Some(error) = object.get("error").and_then(Value::as_object) {
        return ParsedErrorBody {
            message: text_of(error.get("message")),
            details: text_of(error.get("details")),
            title: text_of(error.get("title")),
            kind: ErrorBodyKind::Json,
        };
    }
    // API-SIG: {"errors": [{"title", "detail", ...}]}
    if let Some(first) = object
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_object)
    {
        let message = text_of(first.get("detail"))
            .or_else(|| text_of(first.get("message")))
            .or_else(|| text_of(first.get("title")));
        return ParsedErrorBody {
            message,
            details: None,
            title: text_of(first.get("title")).or_else(|| text_of(first.get("code"))),
            kind: ErrorBodyKind::Json,
        };
    }
    // Top level: {"message": .., "details": ..}
    if let Some(message) = text_of(object.get("message")) {
        return ParsedErrorBody {
            message: Some(message),
            details: text_of(object.get("details")),
            title: text_of(object.get("title")),
            kind: ErrorBodyKind::Json,
        };
    }
    // Nova fault: {"<faultName>": {"code", "message"}}
    if object.len() == 1
        && let Some((name, inner)) = object.iter().next()
        && let Some(inner) = inner.as_object()
        && let Some(message) = text_of(inner.get("message"))
    {
        return ParsedErrorBody {
            message: Some(message),
            details: text_of(inner.get("details")),
            title: Some(name.clone()),
            kind: ErrorBodyKind::Json,
        };
    }
    unrecognized
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Collapses whitespace and cuts to [`SNIPPET_CHARS`] characters.
fn snippet(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > SNIPPET_CHARS {
        let cut: String = collapsed.chars().take(SNIPPET_CHARS).collect();
        format!("{cut}...")
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REF: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/openstack-reference/constructed"
    );

    fn parse(body: &str) -> ParsedErrorBody {
        parse_error_body(&HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn keystone_error_shape() {
        let body = std::fs::read(format!("{REF}/keystone/error-401-unauthorized.json")).unwrap();
        let parsed = parse_error_body(&HeaderMap::new(), &body);
        assert_eq!(parsed.kind, ErrorBodyKind::Json);
        assert_eq!(
            parsed.message.as_deref(),
            Some("The request you have made requires authentication.")
        );
        assert_eq!(parsed.title.as_deref(), Some("Unauthorized"));
    }

    #[test]
    fn every_nova_fault_sample_yields_its_message() {
        let dir = format!("{REF}/nova-errors");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let body = std::fs::read(&path).unwrap();
            let value: Value = serde_json::from_slice(&body).unwrap();
            let parsed = parse_error_body(&HeaderMap::new(), &body);
            assert_eq!(parsed.kind, ErrorBodyKind::Json, "{}", path.display());
            let expected = value
                .as_object()
                .and_then(|o| {
                    o.get("error")
                        .or_else(|| o.values().next())
                        .and_then(|v| v.get("message"))
                })
                .and_then(Value::as_str)
                .map(str::to_owned);
            assert_eq!(parsed.message, expected, "{}", path.display());
            seen += 1;
        }
        assert!(seen >= 10);
    }

    #[test]
    fn nova_item_not_found() {
        let parsed =
            parse(r#"{"itemNotFound": {"code": 404, "message": "Flavor x could not be found."}}"#);
        assert_eq!(
            parsed.message.as_deref(),
            Some("Flavor x could not be found.")
        );
        assert_eq!(parsed.title.as_deref(), Some("itemNotFound"));
    }

    #[test]
    fn api_sig_errors_list() {
        let parsed = parse(
            r#"{"errors": [{"status": 409, "title": "Conflict", "detail": "Inventory in use"}]}"#,
        );
        assert_eq!(parsed.message.as_deref(), Some("Inventory in use"));
        assert_eq!(parsed.title.as_deref(), Some("Conflict"));
    }

    #[test]
    fn top_level_message() {
        let parsed = parse(r#"{"message": "Service Unavailable", "code": 503}"#);
        assert_eq!(parsed.message.as_deref(), Some("Service Unavailable"));
    }

    #[test]
    fn unknown_json_is_reported_as_such() {
        let parsed = parse(r#"{"a": 1, "b": 2}"#);
        assert_eq!(parsed.kind, ErrorBodyKind::UnrecognizedJson);
    }

    #[test]
    fn html_page_gives_a_short_snippet() {
        let page = format!(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>{}</body></html>",
            "x".repeat(1000)
        );
        let parsed = parse(&page);
        assert_eq!(parsed.kind, ErrorBodyKind::Html);
        let message = parsed.message.unwrap();
        assert!(
            message.starts_with("502 Bad Gateway Bad Gateway"),
            "{message}"
        );
        assert!(message.len() < 300);
    }

    #[test]
    fn empty_and_plain_text() {
        assert_eq!(parse("  ").kind, ErrorBodyKind::Empty);
        let parsed = parse("upstream connect error");
        assert_eq!(parsed.kind, ErrorBodyKind::Text);
        assert_eq!(parsed.message.as_deref(), Some("upstream connect error"));
    }
}
