//! One HTTP exchange over the wire, and re-sending it under the retry rules.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, USER_AGENT};
use http::{HeaderMap, Method};
use tracing::{debug, trace};
use url::Url;

use crate::clock::{Clock, Sleeper};
use crate::error::{Error, Result};
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
        let mut connect_attempts = 0u32;
        let mut status_attempts = 0u32;
        loop {
            match self.exchange(out).await {
                Err(e @ (Error::Connect { .. } | Error::Transport { .. })) => {
                    let resendable = !e.may_have_reached_server() || is_idempotent(&out.method);
                    if !resendable || connect_attempts >= self.retry.connect_retries {
                        return Err(e);
                    }
                    let delay = self.retry.delay(connect_attempts, None);
                    connect_attempts += 1;
                    debug!(
                        method = %out.method, url = %out.url, attempt = connect_attempts,
                        "connection failure, retrying in {delay:?}: {e}"
                    );
                    self.sleeper.sleep(delay).await;
                }
                Err(e) => return Err(e),
                Ok(response) => {
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
                    status_attempts += 1;
                    debug!(
                        method = %out.method, url = %out.url, status = %response.status,
                        attempt = status_attempts, "retriable status, retrying in {delay:?}"
                    );
                    self.sleeper.sleep(delay).await;
                }
            }
        }
    }

    /// One attempt: send, read the body within the size limit, log, time.
    async fn exchange(&self, out: &Outgoing) -> Result<Response> {
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
        let mut builder = self
            .client
            .request(out.method.clone(), out.url.clone())
            .headers(headers);
        if let Some(body) = &out.body {
            builder = builder.body(body.clone());
        }
        if let Some(timeout) = out.timeout {
            builder = builder.timeout(timeout);
        }
        let result = self.receive(out, builder).await;
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

    async fn receive(&self, out: &Outgoing, builder: reqwest::RequestBuilder) -> Result<Response> {
        let map = |source: reqwest::Error| map_reqwest_error(source, &out.method, &out.url);
        let mut response = builder.send().await.map_err(map)?;
        let status = response.status();
        let headers = response.headers().clone();
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
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(map)? {
            if body.len() + chunk.len() > self.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        trace!(
            request_id = request_id(&headers).unwrap_or("-"),
            "body read"
        );
        Ok(Response {
            status,
            headers,
            body: body.freeze(),
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
