//! Nova's synchronous fault bodies (`wsgi.Fault.__call__`):
//! `{"<faultName>": {"code": N, "message": "..."}}`.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

/// The fault name Nova uses for a status (README 4(e)).
pub fn fault_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 | 429 => "overLimit",
        415 => "badMediaType",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    }
}

/// A Nova fault response: the status, `Content-Type: application/json; charset=UTF-8` and
/// the fault body named after the status.
///
/// The compute middleware adds the request-id and microversion headers.
pub fn fault(status: StatusCode, message: impl Into<String>) -> Response {
    fault_with_retry_after(status, message.into(), None)
}

/// A Nova fault with a `Retry-After` header; for 413 and 429 the body also
/// carries `retryAfter`, as Nova does.
pub fn fault_with_retry_after(
    status: StatusCode,
    message: String,
    retry_after: Option<&str>,
) -> Response {
    let mut inner = serde_json::Map::new();
    inner.insert("code".into(), status.as_u16().into());
    inner.insert("message".into(), message.into());
    if let Some(after) = retry_after
        && matches!(status.as_u16(), 413 | 429)
    {
        inner.insert("retryAfter".into(), after.into());
    }
    let mut body = serde_json::Map::new();
    body.insert(fault_name(status).into(), serde_json::Value::Object(inner));
    // wsgi.Fault answers through webob: `application/json; charset=UTF-8`
    // (successful responses say plain `application/json`), as Nova 34.0.0 does.
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        )],
        serde_json::Value::Object(body).to_string(),
    )
        .into_response();
    if let Some(value) = retry_after.and_then(|a| HeaderValue::from_str(a).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_nova() {
        assert_eq!(fault_name(StatusCode::BAD_REQUEST), "badRequest");
        assert_eq!(fault_name(StatusCode::NOT_ACCEPTABLE), "computeFault");
        assert_eq!(fault_name(StatusCode::TOO_MANY_REQUESTS), "overLimit");
        assert_eq!(fault_name(StatusCode::PAYLOAD_TOO_LARGE), "overLimit");
        assert_eq!(
            fault_name(StatusCode::INTERNAL_SERVER_ERROR),
            "computeFault"
        );
        assert_eq!(fault_name(StatusCode::BAD_GATEWAY), "computeFault");
        assert_eq!(
            fault_name(StatusCode::SERVICE_UNAVAILABLE),
            "serviceUnavailable"
        );
    }
}
