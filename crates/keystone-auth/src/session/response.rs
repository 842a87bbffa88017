//! [`Response`]: a complete HTTP response with its body read into bytes.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{Error, HttpError, Result};
use crate::error_body::parse_error_body;
use crate::redact::redact;
use crate::session::retry::parse_retry_after;

/// The request id headers, in order of preference.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-openstack-request-id", "x-compute-request-id"];

/// A response. Any HTTP status is a `Response`; use
/// [`Response::error_for_status`] to turn >= 400 into an error.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The URL that answered (after redirects).
    pub url: Url,
    /// The method of the final request.
    pub method: Method,
}

impl Response {
    /// `x-openstack-request-id`, else `x-compute-request-id`.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// `Ok(self)` below 400, else [`Error::Http`] with the parsed message.
    pub fn error_for_status(self) -> Result<Self> {
        if self.status.as_u16() < 400 {
            return Ok(self);
        }
        Err(Error::Http(Box::new(self.to_http_error())))
    }

    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            method: self.method.clone(),
            url: Box::new(self.url.clone()),
            expected: std::any::type_name::<T>(),
            source,
        })
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The details of this response as an HTTP error.
    pub fn to_http_error(&self) -> HttpError {
        let parsed = parse_error_body(&self.headers, &self.body);
        let retry_after = self
            .headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
        let masked = |text: Option<String>| text.map(|t| redact(&t).into_owned());
        HttpError {
            status: self.status,
            method: self.method.clone(),
            url: crate::session::wire::url_without_password(&self.url),
            request_id: self.request_id().map(str::to_owned),
            message: masked(parsed.message),
            details: masked(parsed.details),
            title: masked(parsed.title),
            body_kind: parsed.kind,
            retry_after,
        }
    }
}

/// The request id in `headers`.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn response(
        status: u16,
        headers: &[(&'static str, &'static str)],
        body: &'static str,
    ) -> Response {
        let mut map = HeaderMap::new();
        for (n, v) in headers {
            map.insert(*n, HeaderValue::from_static(v));
        }
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: Bytes::from_static(body.as_bytes()),
            url: Url::parse("http://h/compute/v2.1/servers/1").unwrap(),
            method: Method::GET,
        }
    }

    #[test]
    fn request_id_prefers_openstack_header() {
        let r = response(
            200,
            &[
                ("x-compute-request-id", "req-c"),
                ("x-openstack-request-id", "req-o"),
            ],
            "",
        );
        assert_eq!(r.request_id(), Some("req-o"));
        let r = response(200, &[("x-compute-request-id", "req-c")], "");
        assert_eq!(r.request_id(), Some("req-c"));
    }

    #[test]
    fn error_for_status_parses_nova_fault_and_retry_after() {
        let r = response(
            429,
            &[("x-compute-request-id", "req-9"), ("retry-after", "7")],
            r#"{"overLimit": {"code": 429, "message": "Rate limited", "retryAfter": "7"}}"#,
        );
        let err = r.error_for_status().unwrap_err();
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(err.request_id(), Some("req-9"));
        assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
        assert!(err.to_string().contains("Rate limited"));
        assert!(response(204, &[], "").error_for_status().is_ok());
    }

    #[test]
    fn json_decode_error_is_typed() {
        let r = response(200, &[], "not json");
        let err = r.json::<serde_json::Value>().unwrap_err();
        assert!(matches!(err, Error::Decode { .. }));
    }
}
