//! [`Adapter`]: a session bound to one service endpoint (what novaclient's
//! `SessionClient` is).

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use url::Url;

use crate::catalog::EndpointFilter;
use crate::error::{Error, Result};
use crate::session::{Request, Response, Session, parse_http_url};

/// A [`Session`] bound to `{service type, interface, region, endpoint
/// override, default headers}`. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Adapter {
    session: Session,
    filter: EndpointFilter,
    endpoint_override: Option<String>,
    default_headers: HeaderMap,
    invalid: Option<String>,
}

impl Adapter {
    /// An adapter for the catalog endpoint matching `filter`.
    pub fn new(session: Session, filter: EndpointFilter) -> Self {
        Self {
            session,
            filter,
            endpoint_override: None,
            default_headers: HeaderMap::new(),
            invalid: None,
        }
    }

    /// Uses this endpoint instead of the catalog's; its origin is trusted to
    /// receive the token. An invalid URL is reported by [`Adapter::endpoint`]
    /// and [`Adapter::send`].
    pub fn with_endpoint_override(mut self, endpoint: impl AsRef<str>) -> Self {
        let endpoint = endpoint.as_ref().to_owned();
        if let Ok(url) = parse_http_url(&endpoint) {
            self.session.trust_origin(&url);
        }
        self.endpoint_override = Some(endpoint);
        self
    }

    /// Adds a header sent with every request (unless the request sets it).
    pub fn with_default_header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        K::Error: std::fmt::Display,
        V: TryInto<HeaderValue>,
        V::Error: std::fmt::Display,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(n), Ok(v)) => {
                self.default_headers.insert(n, v);
            }
            (Err(e), _) => self.invalid = Some(format!("invalid default header name: {e}")),
            (_, Err(e)) => self.invalid = Some(format!("invalid default header value: {e}")),
        }
        self
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The endpoint filter.
    pub fn filter(&self) -> &EndpointFilter {
        &self.filter
    }

    /// The endpoint: the override, else the catalog's.
    pub async fn endpoint(&self) -> Result<Url> {
        match &self.endpoint_override {
            Some(text) => parse_http_url(text),
            None => self.session.endpoint_for(&self.filter).await,
        }
    }

    /// The endpoint as text, without parsing it on every request: the override, else
    /// the catalog entry (when there is none, [`Adapter::endpoint`]'s error).
    async fn endpoint_text(&self) -> Result<String> {
        if let Some(text) = &self.endpoint_override {
            return Ok(text.clone());
        }
        let access = self.session.access_info().await?;
        match access.catalog.endpoints_for(&self.filter).first() {
            Some(endpoint) => Ok(endpoint.url.clone()),
            None => self.endpoint().await.map(String::from),
        }
    }

    /// Sends `method` to `path`: relative to the endpoint (joined with
    /// exactly one `/`), or an absolute http(s) URL (e.g. a `next` link; the
    /// token then goes only to a trusted origin). Any HTTP status is `Ok`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: HeaderMap,
        body: Option<Bytes>,
    ) -> Result<Response> {
        if let Some(reason) = &self.invalid {
            return Err(Error::InvalidRequest(reason.clone()));
        }
        // The URL is parsed once, by `Session::send`; here it is only text.
        let url = if is_absolute(path) {
            path.to_owned()
        } else {
            join_text(&self.endpoint_text().await?, path)
        };
        // the caller's headers win over the defaults; no copy when there are none
        let all = if self.default_headers.is_empty() {
            headers
        } else {
            let mut all = self.default_headers.clone();
            for (name, value) in headers {
                if let Some(name) = name {
                    all.insert(name, value);
                }
            }
            all
        };
        let mut request = Request::new(method, url).headers(all);
        if let Some(body) = body {
            request = request.body(body);
        }
        self.session.send(request).await
    }
}

fn is_absolute(path: &str) -> bool {
    let path = path.trim_start().as_bytes();
    let has_prefix = |prefix: &[u8]| {
        path.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    has_prefix(b"http://") || has_prefix(b"https://")
}

/// `endpoint` + `/` + `path`, with exactly one slash between them.
#[cfg(test)]
fn join(endpoint: &Url, path: &str) -> Result<Url> {
    parse_http_url(&join_text(endpoint.as_str(), path))
}

/// `endpoint` and `path` joined with exactly one `/` (not parsed).
fn join_text(endpoint: &str, path: &str) -> String {
    let base = endpoint.trim().trim_end_matches('/');
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        base.to_owned()
    } else {
        format!("{base}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::StaticToken;

    #[test]
    fn join_uses_exactly_one_slash() {
        let e = Url::parse("http://h/compute/v2.1").unwrap();
        assert_eq!(
            join(&e, "servers/detail?limit=10").unwrap().as_str(),
            "http://h/compute/v2.1/servers/detail?limit=10"
        );
        assert_eq!(
            join(&e, "/servers").unwrap().as_str(),
            "http://h/compute/v2.1/servers"
        );
        let e = Url::parse("http://h/compute/v2.1/").unwrap();
        assert_eq!(
            join(&e, "/servers").unwrap().as_str(),
            "http://h/compute/v2.1/servers"
        );
        assert_eq!(join(&e, "").unwrap().as_str(), "http://h/compute/v2.1");
    }

    #[test]
    fn absolute_urls_are_recognised() {
        assert!(is_absolute("http://h/x"));
        assert!(is_absolute("HTTPS://h/x"));
        assert!(!is_absolute("servers"));
        assert!(!is_absolute("ht"));
    }

    #[tokio::test]
    async fn override_wins_and_bad_header_is_an_error() {
        let session = Session::builder(StaticToken::new("t")).build().unwrap();
        let a = Adapter::new(session.clone(), EndpointFilter::new("compute"))
            .with_endpoint_override("http://127.0.0.1:9/compute/v2.1");
        assert_eq!(
            a.endpoint().await.unwrap().as_str(),
            "http://127.0.0.1:9/compute/v2.1"
        );
        let bad = a.clone().with_default_header("bad name", "x");
        let err = bad
            .send(Method::GET, "servers", HeaderMap::new(), None)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)));
        let no_catalog = Adapter::new(session, EndpointFilter::new("compute"));
        assert!(matches!(
            no_catalog.endpoint().await.unwrap_err(),
            Error::EndpointNotFound { .. }
        ));
    }
}
