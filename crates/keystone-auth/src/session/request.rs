//! [`Request`]: what a caller asks a [`Session`](crate::Session) to send.

use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use serde::Serialize;

use crate::error::Error;

/// One HTTP request: method, URL, headers and a byte body (kept as bytes so
/// a retry can re-send it).
///
/// Setters never fail; an invalid header or a body that cannot be serialized
/// is reported by [`Session::send`](crate::Session::send).
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    pub(crate) authenticated: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) invalid: Option<String>,
}

impl Default for Request {
    fn default() -> Self {
        Self::new(Method::GET, "")
    }
}

impl Request {
    /// A request with `method` to `url` (an absolute http(s) URL).
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: HeaderMap::new(),
            body: None,
            authenticated: true,
            timeout: None,
            invalid: None,
        }
    }

    /// A GET.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::GET, url)
    }

    /// A POST.
    pub fn post(url: impl Into<String>) -> Self {
        Self::new(Method::POST, url)
    }

    /// A PUT.
    pub fn put(url: impl Into<String>) -> Self {
        Self::new(Method::PUT, url)
    }

    /// A DELETE.
    pub fn delete(url: impl Into<String>) -> Self {
        Self::new(Method::DELETE, url)
    }

    /// A HEAD.
    pub fn head(url: impl Into<String>) -> Self {
        Self::new(Method::HEAD, url)
    }

    /// A PATCH.
    pub fn patch(url: impl Into<String>) -> Self {
        Self::new(Method::PATCH, url)
    }

    /// Sets a header (replacing earlier values of the same name).
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        K::Error: std::fmt::Display,
        V: TryInto<HeaderValue>,
        V::Error: std::fmt::Display,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(n), Ok(v)) => {
                self.headers.insert(n, v);
            }
            (Err(e), _) => self.invalid = Some(format!("invalid header name: {e}")),
            (_, Err(e)) => self.invalid = Some(format!("invalid header value: {e}")),
        }
        self
    }

    /// Adds all these headers (replacing earlier values of the same names).
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        if self.headers.is_empty() {
            // nothing to merge with: keep the caller's map
            self.headers = headers;
            return self;
        }
        for (name, value) in headers {
            if let Some(name) = name {
                self.headers.insert(name, value);
            }
        }
        self
    }

    /// Sets the body to these bytes.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => {
                self.body = Some(Bytes::from(bytes));
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            Err(e) => self.invalid = Some(format!("body is not serializable as JSON: {e}")),
        }
        self
    }

    /// Whether to authenticate and send the token (default `true`).
    pub fn authenticated(mut self, yes: bool) -> Self {
        self.authenticated = yes;
        self
    }

    /// A timeout for this request, instead of the session's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL as given.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        match &self.invalid {
            Some(reason) => Err(Error::InvalidRequest(reason.clone())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_header_is_reported_not_panicked() {
        let r = Request::get("http://h/").header("bad header", "x");
        assert!(matches!(r.check(), Err(Error::InvalidRequest(_))));
        let r = Request::get("http://h/").header("x-ok", "fine");
        assert!(r.check().is_ok());
        assert_eq!(r.headers["x-ok"], "fine");
    }

    #[test]
    fn json_sets_content_type() {
        let r = Request::post("http://h/").json(&serde_json::json!({"a": 1}));
        assert_eq!(r.headers[CONTENT_TYPE], "application/json");
        assert_eq!(r.body.as_deref(), Some(&b"{\"a\":1}"[..]));
    }
}
