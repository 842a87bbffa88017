//! One HTTP exchange over the wire, and re-sending it under the retry rules.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, USER_AGENT};
use http::{HeaderMap, Method};
use tracing::{debug, trace};
use url::Url;

use crate::clock::{Clock, Sleeper};
use crate::error::{Error, Result, TlsFailure};
use crate::redact::{
    body_for_log, curl_line, headers_for_log, register_body_secrets, register_url_secrets,
    url_for_log,
};
use crate::session::response::{Response, request_id};
use crate::session::retry::{RetryPolicy, is_idempotent, parse_retry_after};
use crate::session::timings::{RequestTiming, Timings};

/// The global request id header.
pub(crate) const GLOBAL_REQUEST_ID: &str = "x-openstack-request-id";

/// Everything below authentication: the HTTP client and the rules for
/// sending, retrying, redirecting and logging.
#[derive(Debug)]
pub(crate) struct HttpCore {
    pub(crate) client: reqwest::Client,
    pub(crate) user_agent: HeaderValue,
    pub(crate) global_request_id: Option<HeaderValue>,
    pub(crate) max_body: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_redirects: u32,
    /// The session's whole-request deadline (every attempt and the waits between them).
    pub(crate) timeout: Option<Duration>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sleeper: Arc<dyn Sleeper>,
    pub(crate) timings: Option<Timings>,
}

/// A request ready for the wire.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    pub(crate) timeout: Option<Duration>,
    /// Whether the body carries credentials (then redirects to another
    /// origin are refused).
    pub(crate) credentials_in_body: bool,
}

impl HttpCore {
    /// Sends `out`, re-sending under the retry policy: connect failures for
    /// any method; connections lost after sending for idempotent methods
    /// only (timeouts are not re-sent); the retriable statuses (429, 502, 503,
    /// 504) for idempotent methods only.
    pub(crate) async fn send_with_retries(&self, out: &Outgoing) -> Result<Response> {
        let deadline = out.timeout.or(self.timeout).map(|t| Instant::now() + t);
        let mut connect_attempts = 0u32;
        let mut status_attempts = 0u32;
        let mut waited = Duration::ZERO;
        // Whether an earlier attempt may have been processed (its answer was lost, or a
        // proxy answered a retriable status).
        let mut earlier_may_have_acted = false;
        // Whether `delay` fits the retry budget and the deadline; if so, it is spent.
        let mut budget = |delay: Duration| -> bool {
            let within_deadline = deadline.is_none_or(|d| Instant::now() + delay < d);
            let within_budget = waited + delay <= self.retry.max_total_delay;
            if within_deadline && within_budget {
                waited += delay;
                true
            } else {
                debug!(
                    "not retrying: a wait of {delay:?} would exceed the deadline or retry budget"
                );
                false
            }
        };
        loop {
            let attempt_timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match self.exchange(out, attempt_timeout).await {
                Err(e @ (Error::Connect { .. } | Error::Transport { .. })) => {
                    let resendable = !e.may_have_reached_server() || is_idempotent(&out.method);
                    if !resendable || connect_attempts >= self.retry.connect_retries {
                        return Err(e);
                    }
                    let delay = self.retry.delay(connect_attempts, None);
                    if !budget(delay) {
                        return Err(e);
                    }
                    earlier_may_have_acted |= e.may_have_reached_server();
                    connect_attempts += 1;
                    debug!(
                        method = %out.method, url = %crate::redact::url_for_log(&out.url),
                        attempt = connect_attempts,
                        "connection failure, retrying in {delay:?}: {e}"
                    );
                    self.sleeper.sleep(delay).await;
                }
                Err(e) => return Err(e),
                Ok(response) => {
                    if response.status == http::StatusCode::NOT_FOUND
                        && out.method == Method::DELETE
                        && earlier_may_have_acted
                    {
                        debug!(
                            url = %crate::redact::url_for_log(&out.url),
                            "404 to a re-sent DELETE: the first attempt deleted it (already deleted)"
                        );
                        return Ok(Response {
                            status: http::StatusCode::NO_CONTENT,
                            body: Bytes::new(),
                            ..response
                        });
                    }
                    let retriable = self.retry.retry_statuses.contains(&response.status)
                        && is_idempotent(&out.method);
                    if !retriable || status_attempts >= self.retry.status_retries {
                        return Ok(response);
                    }
                    let retry_after = response
                        .headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, self.clock.now()));
                    let delay = self.retry.delay(status_attempts, retry_after);
                    if !budget(delay) {
                        return Ok(response);
                    }
                    earlier_may_have_acted = true;
                    status_attempts += 1;
                    debug!(
                        method = %out.method, url = %crate::redact::url_for_log(&out.url),
                        status = %response.status,
                        attempt = status_attempts, "retriable status, retrying in {delay:?}"
                    );
                    self.sleeper.sleep(delay).await;
                }
            }
        }
    }

    /// One attempt: send, read the body within the size limit, log, time.
    async fn exchange(&self, out: &Outgoing, timeout: Option<Duration>) -> Result<Response> {
        let started = Instant::now();
        let started_at = self.clock.now();
        let mut headers = out.headers.clone();
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.user_agent.clone());
        }
        if let Some(id) = &self.global_request_id
            && !headers.contains_key(GLOBAL_REQUEST_ID)
        {
            headers.insert(GLOBAL_REQUEST_ID, id.clone());
        }
        register_url_secrets(&out.url);
        if let Some(body) = &out.body {
            register_body_secrets(body);
        }
        debug!(
            "REQ: {}",
            curl_line(&out.method, &out.url, &headers, out.body.as_deref())
        );
        // built directly: the header map moves in instead of being merged into another
        let mut request = reqwest::Request::new(out.method.clone(), out.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = out.body.clone().map(reqwest::Body::from);
        *request.timeout_mut() = timeout;
        let result = self.receive(out, request).await;
        if let Some(timings) = &self.timings {
            timings.record(RequestTiming {
                method: out.method.clone(),
                url: out.url.clone(),
                status: result.as_ref().ok().map(|r| r.status),
                started_at,
                elapsed: started.elapsed(),
            });
        }
        match &result {
            Ok(response) => {
                debug!(
                    "RESP: [{}] {} {} request_id={} elapsed={:?}",
                    response.status.as_u16(),
                    out.method,
                    url_for_log(&out.url),
                    response.request_id().unwrap_or("-"),
                    started.elapsed()
                );
                trace!("RESP HEADERS: {}", headers_for_log(&response.headers));
                trace!("RESP BODY: {}", body_for_log(&response.body));
            }
            Err(e) => debug!("FAIL: {} {}: {e}", out.method, url_for_log(&out.url)),
        }
        result
    }

    async fn receive(&self, out: &Outgoing, request: reqwest::Request) -> Result<Response> {
        let map = |source: reqwest::Error| map_reqwest_error(source, &out.method, &out.url);
        let mut response = self.client.execute(request).await.map_err(map)?;
        let status = response.status();
        // the response's own map, moved out rather than copied
        let headers = std::mem::take(response.headers_mut());
        // reqwest's Url is url::Url: clone it rather than parse it again.
        let url = response.url().clone();
        let too_large = || Error::BodyTooLarge {
            method: out.method.clone(),
            url: Box::new(out.url.clone()),
            limit: self.max_body,
        };
        if response
            .content_length()
            .is_some_and(|len| len > self.max_body as u64)
        {
            return Err(too_large());
        }
        // A body that arrives in one chunk is kept as it is; only more chunks are copied
        // together.
        let mut first: Option<Bytes> = None;
        let mut more = BytesMut::new();
        let mut len = 0usize;
        while let Some(chunk) = response.chunk().await.map_err(map)? {
            len += chunk.len();
            if len > self.max_body {
                return Err(too_large());
            }
            match first.take() {
                None if more.is_empty() => first = Some(chunk),
                Some(earlier) => {
                    more.extend_from_slice(&earlier);
                    more.extend_from_slice(&chunk);
                }
                None => more.extend_from_slice(&chunk),
            }
        }
        let body = first.unwrap_or_else(|| more.freeze());
        trace!(
            request_id = request_id(&headers).unwrap_or("-"),
            "body read"
        );
        Ok(Response {
            status,
            headers,
            body,
            url,
            method: out.method.clone(),
        })
    }
}

/// `url` without the password of its userinfo, for errors.
pub(crate) fn url_without_password(url: &Url) -> Url {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some(crate::redact::MASK));
    }
    shown
}

/// Classifies a reqwest failure by whether the request may have been sent.
fn map_reqwest_error(source: reqwest::Error, method: &Method, url: &Url) -> Error {
    let method = method.clone();
    let url = Box::new(url_without_password(url));
    // Our own message names the URL (without its password); reqwest's need not.
    let source = source.without_url();
    if let Some(kind) = tls_failure(&source) {
        return Error::Tls {
            method,
            url,
            kind,
            source,
        };
    }
    if source.is_connect() {
        Error::Connect {
            method,
            url,
            source,
        }
    } else if source.is_timeout() {
        Error::Timeout {
            method,
            url,
            source,
        }
    } else {
        Error::Transport {
            method,
            url,
            source,
        }
    }
}

/// The TLS failure somewhere in `error`'s chain of causes, classified.
/// The rustls error inside `error`, through any number of nested I/O errors.
fn rustls_in_io(error: &std::io::Error) -> Option<&rustls::Error> {
    let mut inner = error.get_ref()?;
    for _ in 0..8 {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        inner = inner.downcast_ref::<std::io::Error>()?.get_ref()?;
    }
    None
}

fn tls_failure(error: &(dyn std::error::Error + 'static)) -> Option<TlsFailure> {
    use rustls::CertificateError as C;
    let mut node = Some(error);
    while let Some(current) = node {
        let found = current.downcast_ref::<rustls::Error>().or_else(|| {
            current
                .downcast_ref::<std::io::Error>()
                .and_then(rustls_in_io)
        });
        if let Some(tls) = found {
            return Some(match tls {
                rustls::Error::InvalidCertificate(C::UnknownIssuer) => TlsFailure::UnknownIssuer,
                // A self-signed CA certificate presented as the server's own and not in the
                // trust store (the usual `openssl req -x509` setup without `--os-cacert`).
                rustls::Error::InvalidCertificate(C::Other(other))
                    if format!("{other:?}").contains("CaUsedAsEndEntity") =>
                {
                    TlsFailure::UnknownIssuer
                }
                rustls::Error::InvalidCertificate(
                    C::Expired
                    | C::ExpiredContext { .. }
                    | C::NotValidYet
                    | C::NotValidYetContext { .. },
                ) => TlsFailure::Expired,
                rustls::Error::InvalidCertificate(
                    C::NotValidForName | C::NotValidForNameContext { .. },
                ) => TlsFailure::HostnameMismatch,
                rustls::Error::InvalidCertificate(_) => TlsFailure::BadCertificate,
                _ => TlsFailure::Handshake,
            });
        }
        node = current.source();
    }
    None
}
