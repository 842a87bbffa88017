//! Reading error responses into a [`Fault`]: Nova fault bodies, keystonemiddleware's
//! keystone-style 401, top-level messages, API-SIG error lists, HTML pages and plain text.

use std::time::Duration;

use http::Method;
use serde_json::Value;

use crate::error::{BodyKind, Fault};
use crate::transport::HttpResponse;

/// Longest snippet of a body kept in errors and logs, in characters.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// The start of `body` as text, whitespace runs collapsed to one space, cut at
/// 200 characters (with `...` when cut). The values of secret JSON fields
/// (`adminPass`, `password`, ...) are masked as `***`.
pub fn body_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = crate::secret_fields::mask_secret_values(&text);
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= SNIPPET_CHARS {
                out.push_str("...");
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// Whether the body looks like an HTML page (by content type or by its first characters).
pub(crate) fn looks_like_html(content_type: Option<&str>, body: &[u8]) -> bool {
    if content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let start: String = String::from_utf8_lossy(&body[..body.len().min(64)])
        .trim_start()
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = text
        .get(open_end..close)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

fn str_field(obj: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

struct ParsedBody {
    kind: BodyKind,
    name: Option<String>,
    message: Option<String>,
    details: Option<String>,
    retry_after: Option<String>,
}

fn parse_json_body(value: &Value) -> ParsedBody {
    let mut parsed = ParsedBody {
        kind: BodyKind::OtherJson,
        name: None,
        message: None,
        details: None,
        retry_after: None,
    };
    let Value::Object(obj) = value else {
        return parsed;
    };
    // keystonemiddleware / keystone: {"error": {"code", "title", "message"}}
    if let Some(Value::Object(inner)) = obj.get("error") {
        parsed.kind = BodyKind::KeystoneError;
        parsed.name = Some("error".to_owned());
        parsed.message = str_field(inner, "message").or_else(|| str_field(inner, "title"));
        parsed.details = str_field(inner, "details");
        return parsed;
    }
    // webob / proxies: top-level message (novaclient checks this first)
    if obj.contains_key("message") {
        parsed.kind = BodyKind::TopLevelMessage;
        parsed.message = str_field(obj, "message");
        parsed.details = str_field(obj, "details");
        return parsed;
    }
    // API-SIG: {"errors": [{"title", "detail", ...}]}
    if let Some(Value::Array(errors)) = obj.get("errors")
        && let Some(Value::Object(first)) = errors.first()
    {
        parsed.kind = BodyKind::ErrorsList;
        parsed.message = str_field(first, "title").or_else(|| str_field(first, "detail"));
        parsed.details = str_field(first, "detail");
        return parsed;
    }
    // Nova: {"<faultName>": {"code", "message"[, "retryAfter"]}}
    if obj.len() == 1
        && let Some((name, Value::Object(inner))) = obj.iter().next()
        && (inner.contains_key("message") || inner.contains_key("code"))
    {
        parsed.kind = BodyKind::NovaFault;
        parsed.name = Some(name.clone());
        parsed.message = str_field(inner, "message");
        parsed.details = str_field(inner, "details");
        parsed.retry_after = str_field(inner, "retryAfter");
    }
    parsed
}

/// Seconds from a `Retry-After` value; HTTP dates are not interpreted (`None`).
fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl Fault {
    /// Reads an error response (any status) into a fault, never failing: an unreadable body
    /// still gives a fault with the status reason as its message.
    pub fn from_response(method: &Method, path: &str, response: &HttpResponse) -> Fault {
        let body = &response.body;
        let content_type = response.header("content-type");
        let reason = response
            .status
            .canonical_reason()
            .unwrap_or("Unknown error")
            .to_owned();

        let mut parsed = if body.iter().all(u8::is_ascii_whitespace) {
            ParsedBody {
                kind: BodyKind::Empty,
                name: None,
                message: None,
                details: None,
                retry_after: None,
            }
        } else if let Ok(value) = serde_json::from_slice::<Value>(body) {
            parse_json_body(&value)
        } else if looks_like_html(content_type, body) {
            ParsedBody {
                kind: BodyKind::Html,
                name: None,
                message: Some(match html_title(body) {
                    Some(title) => format!("{title} (HTML error page)"),
                    None => format!("{reason} (HTML error page)"),
                }),
                details: None,
                retry_after: None,
            }
        } else {
            let text = body_snippet(body);
            ParsedBody {
                kind: BodyKind::Text,
                name: None,
                message: Some(text),
                details: None,
                retry_after: None,
            }
        };

        let message = parsed
            .message
            .take()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or(reason);
        let retry_after = response
            .header("retry-after")
            .and_then(parse_retry_after)
            .or_else(|| parsed.retry_after.as_deref().and_then(parse_retry_after));

        Fault {
            status: response.status,
            message,
            fault_name: parsed.name,
            details: parsed.details,
            request_id: response.request_id().map(str::to_owned),
            method: method.clone(),
            path: path.to_owned(),
            retry_after,
            body_kind: parsed.kind,
            snippet: body_snippet(body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use http::{HeaderValue, StatusCode};

    const ERRORS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/openstack-reference/constructed/nova-errors/"
    );

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{ERRORS}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn response(status: u16, body: Vec<u8>) -> HttpResponse {
        let mut r = HttpResponse::new(
            StatusCode::from_u16(status).unwrap_or_else(|e| panic!("{e}")),
            body,
        );
        r.headers.insert(
            "x-compute-request-id",
            HeaderValue::from_static("req-11111111-2222-3333-4444-555555555555"),
        );
        r
    }

    #[test]
    fn every_constructed_nova_error_maps_to_its_variant_and_message() {
        let cases = [
            (
                "badMediaType-415.json",
                415,
                "OtherStatus",
                "badMediaType",
                "Unsupported Content-Type",
            ),
            (
                "badRequest-malformed-microversion.json",
                400,
                "BadRequest",
                "badRequest",
                "API Version String 2.latest is of invalid format. Must be of format MajorNum.MinorNum.",
            ),
            (
                "badRequest-schema-invalid-field.json",
                400,
                "BadRequest",
                "badRequest",
                "Invalid input for field/attribute networks. Value: bogus. 'bogus' is not valid under any of the given schemas",
            ),
            (
                "badRequest-schema-missing-property.json",
                400,
                "BadRequest",
                "badRequest",
                "'name' is a required property",
            ),
            (
                "computeFault-406-unsupported-microversion.json",
                406,
                "NotAcceptable",
                "computeFault",
                "Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.104.",
            ),
            (
                "computeFault-500.json",
                500,
                "Server",
                "computeFault",
                "Unexpected API Error. Please contact the administrator\n<class 'ValueError'>",
            ),
            (
                "conflictingRequest-invalid-state.json",
                409,
                "Conflict",
                "conflictingRequest",
                "Cannot 'confirmResize' instance 9e2ac8f6-6a4c-4b8e-a0a3-4f8f1b0c2d11 while it is in vm_state active",
            ),
            (
                "conflictingRequest-locked.json",
                409,
                "Conflict",
                "conflictingRequest",
                "Instance 9e2ac8f6-6a4c-4b8e-a0a3-4f8f1b0c2d11 is locked",
            ),
            (
                "forbidden-policy.json",
                403,
                "Forbidden",
                "forbidden",
                "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.",
            ),
            (
                "forbidden-quota.json",
                403,
                "Forbidden",
                "forbidden",
                "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances",
            ),
            (
                "itemNotFound-flavor.json",
                404,
                "NotFound",
                "itemNotFound",
                "Flavor 42 could not be found.",
            ),
            (
                "itemNotFound-method-not-in-microversion.json",
                404,
                "NotFound",
                "itemNotFound",
                "The resource could not be found.",
            ),
            (
                "itemNotFound-server.json",
                404,
                "NotFound",
                "itemNotFound",
                "Instance 9e2ac8f6-6a4c-4b8e-a0a3-4f8f1b0c2d11 could not be found.",
            ),
            (
                "overLimit-413.json",
                413,
                "OverLimit",
                "overLimit",
                "Quota exceeded for resources: ['instances']",
            ),
            (
                "unauthorized-401-keystonemiddleware.json",
                401,
                "Unauthorized",
                "error",
                "The request you have made requires authentication.",
            ),
        ];
        for (file, status, variant, name, message) in cases {
            let fault =
                Fault::from_response(&Method::POST, "servers", &response(status, sample(file)));
            assert_eq!(fault.message, message, "{file}");
            assert_eq!(fault.fault_name.as_deref(), Some(name), "{file}");
            assert_eq!(fault.path, "servers");
            assert_eq!(
                fault.request_id.as_deref(),
                Some("req-11111111-2222-3333-4444-555555555555")
            );
            let e = fault.into_error();
            assert!(
                format!("{e:?}").starts_with(&format!("{variant}(")),
                "{file}: {e:?}"
            );
            assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
        }
    }

    #[test]
    fn retry_after_from_body_then_header() {
        let fault = Fault::from_response(
            &Method::POST,
            "servers",
            &response(413, sample("overLimit-413.json")),
        );
        assert_eq!(fault.retry_after, Some(Duration::from_secs(60)));
        let mut r = response(429, sample("overLimit-413.json"));
        r.headers
            .insert("retry-after", HeaderValue::from_static("7"));
        let e = Fault::from_response(&Method::GET, "servers", &r).into_error();
        assert!(matches!(e, Error::RateLimited(_)));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        let no = Fault::from_response(
            &Method::GET,
            "x",
            &response(404, sample("itemNotFound-server.json")),
        );
        assert_eq!(no.retry_after, None);
    }

    #[test]
    fn html_page_is_reported_as_such() {
        let mut r = response(
            502,
            b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>".to_vec(),
        );
        r.headers
            .insert("content-type", HeaderValue::from_static("text/html"));
        let fault = Fault::from_response(&Method::GET, "servers/detail", &r);
        assert_eq!(fault.body_kind, BodyKind::Html);
        assert_eq!(fault.message, "502 Bad Gateway (HTML error page)");
        assert!(fault.snippet.starts_with("<!DOCTYPE html> <html>"));
        let e = fault.into_error();
        assert!(matches!(e, Error::Server(_)));
        // without content type or title
        let r = response(503, b"<html><body>down</body></html>".to_vec());
        let fault = Fault::from_response(&Method::GET, "servers", &r);
        assert_eq!(fault.message, "Service Unavailable (HTML error page)");
    }

    #[test]
    fn other_shapes() {
        let top =
            br#"{"message": "The server could not comply", "code": 400, "title": "Bad Request"}"#;
        let f = Fault::from_response(&Method::GET, "x", &response(400, top.to_vec()));
        assert_eq!(
            (f.body_kind, f.message.as_str()),
            (BodyKind::TopLevelMessage, "The server could not comply")
        );

        let sig = br#"{"errors": [{"title": "Conflict", "detail": "in use"}]}"#;
        let f = Fault::from_response(&Method::GET, "x", &response(409, sig.to_vec()));
        assert_eq!(
            (f.body_kind, f.message.as_str(), f.details.as_deref()),
            (BodyKind::ErrorsList, "Conflict", Some("in use"))
        );

        let text = b"upstream connect error or disconnect/reset before headers\n";
        let f = Fault::from_response(&Method::GET, "x", &response(503, text.to_vec()));
        assert_eq!(
            (f.body_kind, f.message.as_str()),
            (
                BodyKind::Text,
                "upstream connect error or disconnect/reset before headers"
            )
        );

        let f = Fault::from_response(&Method::DELETE, "x", &response(404, Vec::new()));
        assert_eq!(
            (f.body_kind, f.message.as_str()),
            (BodyKind::Empty, "Not Found")
        );

        let odd = br#"[1, 2, 3]"#;
        let f = Fault::from_response(&Method::GET, "x", &response(500, odd.to_vec()));
        assert_eq!(
            (f.body_kind, f.message.as_str()),
            (BodyKind::OtherJson, "Internal Server Error")
        );
        assert_eq!(f.snippet, "[1, 2, 3]");
    }

    #[test]
    fn snippet_is_short_and_collapsed() {
        let long = "a ".repeat(1000);
        let s = body_snippet(long.as_bytes());
        assert!(s.chars().count() <= SNIPPET_CHARS + 3);
        assert!(s.ends_with("..."));
        assert_eq!(body_snippet(b"  x\n\n  y "), "x y");
    }
}
