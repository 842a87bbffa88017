//! Fault injection per route template: answer a status (JSON or an HTML
//! page), drop the connection before or after the handler ran, delay, damage
//! the handler's body (truncate, corrupt, cut the connection mid-body), answer
//! arbitrary bytes or a huge body; each fault fires a given number of times,
//! optionally only with some probability. Also the middleware that counts
//! requests and applies faults, and the tally of faults fired.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::{Deserialize, Serialize};

use crate::counters::normalize_template;
use crate::keystone::errors::keystone_error;
use crate::nova::fault_with_retry_after;
use crate::request_id::{OPENSTACK_REQUEST_ID, new_request_id, set_compute_request_id};
use crate::server::ConnectionKill;
use crate::state::SharedState;

/// One injected fault.
///
/// `route` is a route template with its method, exactly as counted:
/// `"POST /compute/v2.1/servers"`, `"GET /compute/v2.1/servers/{id}"`
/// (parameter names do not matter); the method `*` matches any method. As JSON (for `POST /_mock/faults`):
/// `{"route": "GET /compute/v2.1/servers/{id}", "action": "status", "status": 503, "retry_after": "1", "times": 2}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fault {
    /// `"METHOD /route/{template}"`.
    pub route: String,
    /// What happens.
    #[serde(flatten)]
    pub action: FaultAction,
    /// How many times it fires; `0` means every time until cleared.
    #[serde(default = "one")]
    pub times: u32,
    /// When set, a matching request triggers the fault only with this
    /// probability (in percent, 1 to 100); otherwise the next matching fault
    /// is considered. `times` counts only the times it fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    /// Milliseconds to wait before acting (a slow failure).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub wait_millis: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn one() -> u32 {
    1
}

/// What an injected fault does.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer `status` without running the handler: a service-style JSON
    /// error body (Nova fault under `/compute`, Keystone error under
    /// `/identity`) or, with `html`, a proxy-style HTML page.
    Status {
        /// HTTP status code.
        status: u16,
        /// `Retry-After` header value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
        /// Answer an HTML page (as a load balancer would) instead of JSON.
        #[serde(default)]
        html: bool,
        /// Message in the body (default: the status's reason phrase).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// Close the connection without an answer; the handler never runs.
    DropBeforeProcessing,
    /// Run the handler (its effects happen, e.g. the server is created), then
    /// close the connection without an answer.
    DropAfterProcessing,
    /// Wait, then handle the request normally.
    Delay {
        /// Milliseconds to wait.
        millis: u64,
    },
    /// Run the handler, then answer its status and headers with the body cut
    /// to its first half (a complete HTTP message holding truncated JSON).
    TruncateBody,
    /// Run the handler, then answer its status and headers with a body that
    /// is no longer JSON (its first `:` becomes `=`, or its first byte `#`).
    CorruptBody,
    /// Run the handler, send its status and headers with the full
    /// `Content-Length`, send half the body, then close the connection.
    CutBody,
    /// Answer exactly this, without running the handler (for hostile bodies:
    /// invalid UTF-8, deeply nested JSON, links to other origins, ...).
    Respond {
        /// HTTP status code.
        status: u16,
        /// `Content-Type` header (none when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
        /// The body bytes.
        #[serde(default)]
        body: Vec<u8>,
    },
    /// Answer 200 with a JSON-looking body of `bytes` bytes, streamed (never
    /// held in memory), without running the handler.
    HugeBody {
        /// Body length in bytes.
        bytes: u64,
        /// Send `Content-Length` (else the body is chunked, its size unknown
        /// to the client until it has read it).
        #[serde(default)]
        content_length: bool,
    },
}

impl FaultAction {
    /// The action's name as in its JSON form (`"drop_after_processing"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            FaultAction::Status { .. } => "status",
            FaultAction::DropBeforeProcessing => "drop_before_processing",
            FaultAction::DropAfterProcessing => "drop_after_processing",
            FaultAction::Delay { .. } => "delay",
            FaultAction::TruncateBody => "truncate_body",
            FaultAction::CorruptBody => "corrupt_body",
            FaultAction::CutBody => "cut_body",
            FaultAction::Respond { .. } => "respond",
            FaultAction::HugeBody { .. } => "huge_body",
        }
    }

    /// The tally key of a fired fault: the action's name, with the status
    /// for status faults (`"status 503"`, `"status 502 html"`).
    fn tally_name(&self) -> String {
        match self {
            FaultAction::Status { status, html, .. } => {
                format!("status {status}{}", if *html { " html" } else { "" })
            }
            other => other.name().to_owned(),
        }
    }
}

impl Fault {
    /// A fault doing `action` on `route`, once.
    pub fn new(route: impl Into<String>, action: FaultAction) -> Self {
        Self {
            route: route.into(),
            action,
            times: 1,
            percent: None,
            wait_millis: 0,
        }
    }

    /// Waits `by` before acting (e.g. a failure that takes a while).
    pub fn wait(mut self, by: Duration) -> Self {
        self.wait_millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Answer `status` (once, see [`Fault::times`]).
    pub fn status(route: impl Into<String>, status: u16) -> Self {
        Self::new(
            route,
            FaultAction::Status {
                status,
                retry_after: None,
                html: false,
                message: None,
            },
        )
    }

    /// Answer a proxy-style HTML page with `status` (502, or even 200).
    pub fn html_page(route: impl Into<String>, status: u16) -> Self {
        Self::status(route, status).html()
    }

    /// Drop the connection before the handler runs.
    pub fn drop_before(route: impl Into<String>) -> Self {
        Self::new(route, FaultAction::DropBeforeProcessing)
    }

    /// Run the handler, then drop the connection without answering.
    pub fn drop_after(route: impl Into<String>) -> Self {
        Self::new(route, FaultAction::DropAfterProcessing)
    }

    /// Delay the request, then handle it.
    pub fn delay(route: impl Into<String>, by: Duration) -> Self {
        Self::new(
            route,
            FaultAction::Delay {
                millis: u64::try_from(by.as_millis()).unwrap_or(u64::MAX),
            },
        )
    }

    /// Run the handler, then answer with its body truncated to half.
    pub fn truncate_body(route: impl Into<String>) -> Self {
        Self::new(route, FaultAction::TruncateBody)
    }

    /// Run the handler, then answer with its body made invalid JSON.
    pub fn corrupt_body(route: impl Into<String>) -> Self {
        Self::new(route, FaultAction::CorruptBody)
    }

    /// Run the handler, send half its body, then close the connection.
    pub fn cut_body(route: impl Into<String>) -> Self {
        Self::new(route, FaultAction::CutBody)
    }

    /// Answer `status` with exactly this body and `Content-Type`.
    pub fn respond(
        route: impl Into<String>,
        status: u16,
        content_type: Option<&str>,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        Self::new(
            route,
            FaultAction::Respond {
                status,
                content_type: content_type.map(str::to_owned),
                body: body.into(),
            },
        )
    }

    /// Answer 200 with a streamed body of `bytes` bytes.
    pub fn huge_body(route: impl Into<String>, bytes: u64, content_length: bool) -> Self {
        Self::new(
            route,
            FaultAction::HugeBody {
                bytes,
                content_length,
            },
        )
    }

    /// Fires only with this probability (percent, clamped to 1..=100).
    pub fn percent(mut self, percent: u8) -> Self {
        self.percent = Some(percent.clamp(1, 100));
        self
    }

    /// Applies to the next `n` matching requests (`0`: all until cleared).
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Applies to every matching request until cleared.
    pub fn always(self) -> Self {
        self.times(0)
    }

    /// Adds `Retry-After` to a status fault.
    pub fn retry_after(mut self, value: impl ToString) -> Self {
        if let FaultAction::Status { retry_after, .. } = &mut self.action {
            *retry_after = Some(value.to_string());
        }
        self
    }

    /// Makes a status fault answer an HTML page.
    pub fn html(mut self) -> Self {
        if let FaultAction::Status { html, .. } = &mut self.action {
            *html = true;
        }
        self
    }

    /// Sets the message of a status fault.
    pub fn message(mut self, text: impl Into<String>) -> Self {
        if let FaultAction::Status { message, .. } = &mut self.action {
            *message = Some(text.into());
        }
        self
    }

    /// True when this fault applies to a request counted under `key`
    /// (parameter names ignored, method `*` matching any method).
    fn matches(&self, key: &str) -> bool {
        let route = normalize_template(&self.route);
        let key = normalize_template(key);
        if route == key {
            return true;
        }
        match (route.split_once(' '), key.split_once(' ')) {
            (Some(("*", path)), Some((_, key_path))) => path == key_path,
            _ => false,
        }
    }
}

/// The active faults, first added first applied, and the tally of faults
/// fired so far.
#[derive(Debug)]
pub struct FaultTable {
    active: AtomicUsize,
    faults: Mutex<Vec<Fault>>,
    rng: Mutex<fastrand::Rng>,
    fired: Mutex<BTreeMap<String, u64>>,
}

impl Default for FaultTable {
    fn default() -> Self {
        Self {
            active: AtomicUsize::new(0),
            faults: Mutex::default(),
            rng: Mutex::new(fastrand::Rng::new()),
            fired: Mutex::default(),
        }
    }
}

impl FaultTable {
    /// Adds a fault.
    pub fn add(&self, fault: Fault) {
        if let Ok(mut faults) = self.faults.lock() {
            faults.push(fault);
            self.active.store(faults.len(), Ordering::Release);
        }
    }

    /// Removes every fault.
    pub fn clear(&self) {
        if let Ok(mut faults) = self.faults.lock() {
            faults.clear();
            self.active.store(0, Ordering::Release);
        }
    }

    /// The faults still pending.
    pub fn list(&self) -> Vec<Fault> {
        self.faults.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// Seeds the generator that decides probabilistic faults (for a
    /// reproducible run).
    pub fn seed(&self, seed: u64) {
        if let Ok(mut rng) = self.rng.lock() {
            rng.seed(seed);
        }
    }

    /// Faults fired since the last reset, per `"METHOD /route action"`
    /// (`"POST /compute/v2.1/servers drop_after_processing"`,
    /// `"GET /compute/v2.1/servers/{id} status 503"`).
    pub fn fired(&self) -> BTreeMap<String, u64> {
        self.fired.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// Forgets the tally of fired faults.
    pub fn reset_fired(&self) {
        if let Ok(mut fired) = self.fired.lock() {
            fired.clear();
        }
    }

    /// Takes one use of the first fault matching `key` that fires (a fault
    /// with a probability may pass its turn to the next matching one).
    pub fn take(&self, key: &str) -> Option<FaultAction> {
        self.take_fault(key).map(|fault| fault.action)
    }

    /// Like [`FaultTable::take`], returning the whole fault (its `times`
    /// is what was left before this use).
    pub fn take_fault(&self, key: &str) -> Option<Fault> {
        if self.active.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut faults = self.faults.lock().ok()?;
        let index = {
            let mut rng = self.rng.lock().ok()?;
            faults.iter().position(|f| {
                f.matches(key)
                    && f.percent
                        .is_none_or(|percent| rng.u8(0..100) < percent.min(100))
            })?
        };
        let fault = faults[index].clone();
        match faults[index].times {
            0 => {}
            1 => {
                faults.remove(index);
            }
            n => faults[index].times = n - 1,
        }
        self.active.store(faults.len(), Ordering::Release);
        drop(faults);
        if let Ok(mut fired) = self.fired.lock() {
            *fired
                .entry(format!("{} {}", fault.route, fault.action.tally_name()))
                .or_default() += 1;
        }
        Some(fault)
    }
}

/// The counter key of a request: `"METHOD /route/{template}"`.
pub fn route_key(method: &http::Method, template: &str) -> String {
    let mut key = String::with_capacity(method.as_str().len() + 1 + template.len());
    key.push_str(method.as_str());
    key.push(' ');
    key.push_str(template);
    key
}

/// Counts the request under its route template, then applies any fault.
pub async fn observe(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let key = match request.extensions().get::<MatchedPath>() {
        Some(matched) => route_key(request.method(), matched.as_str()),
        None => route_key(request.method(), request.uri().path()),
    };
    state.counters.hit(&key);
    let Some(fault) = state.faults.take_fault(&key) else {
        return next.run(request).await;
    };
    if fault.wait_millis > 0 {
        tokio::time::sleep(Duration::from_millis(fault.wait_millis)).await;
    }
    let action = fault.action;
    tracing::debug!(route = %key, ?action, "injecting fault");
    match action {
        FaultAction::Delay { millis } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(request).await
        }
        FaultAction::Status {
            status,
            retry_after,
            html,
            message,
        } => {
            let template = key.split_once(' ').map_or("", |(_, t)| t);
            status_response(template, status, retry_after.as_deref(), html, message)
        }
        FaultAction::DropBeforeProcessing => {
            let kill = request.extensions().get::<ConnectionKill>().cloned();
            drop_connection(kill).await
        }
        FaultAction::DropAfterProcessing => {
            let kill = request.extensions().get::<ConnectionKill>().cloned();
            let _response = next.run(request).await;
            drop_connection(kill).await
        }
        FaultAction::TruncateBody => {
            let (parts, body) = buffered(next.run(request).await).await;
            let keep = body.len() / 2;
            rebuilt(parts, body.slice(..keep))
        }
        FaultAction::CorruptBody => {
            let (parts, body) = buffered(next.run(request).await).await;
            rebuilt(parts, corrupted(&body).into())
        }
        FaultAction::CutBody => {
            let (mut parts, body) = buffered(next.run(request).await).await;
            let half = body.slice(..body.len() / 2);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
                Ok(half),
                Err(std::io::Error::other("connection cut by an injected fault")),
            ];
            Response::from_parts(parts, Body::from_stream(futures::stream::iter(chunks)))
        }
        FaultAction::Respond {
            status,
            content_type,
            body,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, body).into_response();
            response.headers_mut().remove(header::CONTENT_TYPE);
            if let Some(value) = content_type.and_then(|v| HeaderValue::from_str(&v).ok()) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            set_compute_request_id(response.headers_mut(), &new_request_id());
            response
        }
        FaultAction::HugeBody {
            bytes,
            content_length,
        } => huge_body(bytes, content_length),
    }
}

/// The largest handler body a body-damaging fault reads back.
const MAX_HANDLER_BODY: usize = 16 * 1024 * 1024;

/// Splits a handler's response into its head and its whole body.
async fn buffered(response: Response) -> (http::response::Parts, bytes::Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_HANDLER_BODY)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// A response with `parts`' status and headers and a new body (and length).
fn rebuilt(mut parts: http::response::Parts, body: bytes::Bytes) -> Response {
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}

/// `body` made invalid JSON: its first `:` becomes `=` (an object member
/// without a colon), or, without any `:`, its first byte becomes `#`.
fn corrupted(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    match out.iter().position(|&b| b == b':') {
        Some(i) => out[i] = b'=',
        None => match out.first_mut() {
            Some(first) => *first = b'#',
            None => out.push(b'#'),
        },
    }
    out
}

/// Chunk size of a huge body.
const HUGE_CHUNK: usize = 64 * 1024;

/// 200 with `bytes` bytes of `[0,0,0,...` produced chunk by chunk.
fn huge_body(bytes: u64, content_length: bool) -> Response {
    let rest = bytes::Bytes::from(b"0,".repeat(HUGE_CHUNK / 2));
    let mut first = rest.to_vec();
    first[0] = b'[';
    let first = bytes::Bytes::from(first);
    let chunk_len = HUGE_CHUNK as u64;
    let chunks = bytes.div_ceil(chunk_len);
    let stream = futures::stream::iter((0..chunks).map(move |i| {
        let source = if i == 0 { &first } else { &rest };
        let len = (bytes - i * chunk_len).min(chunk_len);
        Ok::<_, std::io::Error>(source.slice(..usize::try_from(len).unwrap_or(HUGE_CHUNK)))
    }));
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if content_length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes));
    }
    set_compute_request_id(headers, &new_request_id());
    response
}

/// Closes the connection; the request future is then dropped with it.
async fn drop_connection(kill: Option<ConnectionKill>) -> Response {
    match kill {
        Some(kill) => {
            kill.fire();
            std::future::pending::<Response>().await
        }
        None => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "connection drop requested, but this request has no connection to drop",
        )
            .into_response(),
    }
}

fn status_response(
    template: &str,
    status: u16,
    retry_after: Option<&str>,
    html: bool,
    message: Option<String>,
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Error");
    let message = message.unwrap_or_else(|| reason.to_owned());
    let mut response = if html {
        let page = format!(
            "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} \
             {reason}</h1></center>\r\n<hr><center>{message}</center>\r\n</body>\r\n</html>\r\n",
            code = status.as_u16()
        );
        (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/html"))],
            page,
        )
            .into_response()
    } else if template.starts_with("/compute") {
        let mut response = fault_with_retry_after(status, message, retry_after);
        set_compute_request_id(response.headers_mut(), &new_request_id());
        response
    } else {
        let mut response = keystone_error(status, &message);
        if let Ok(value) = HeaderValue::from_str(&new_request_id()) {
            response.headers_mut().insert(OPENSTACK_REQUEST_ID, value);
        }
        response
    };
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_fire_the_given_number_of_times() {
        let table = FaultTable::default();
        table.add(Fault::status("GET /a", 503).times(2));
        table.add(Fault::drop_before("* /b"));
        table.add(Fault::status("GET /s/{id}", 500));
        assert!(table.take("GET /s/{server_id}").is_some());
        assert_eq!(table.take("POST /a"), None);
        assert!(matches!(
            table.take("GET /a"),
            Some(FaultAction::Status { status: 503, .. })
        ));
        assert!(table.take("GET /a").is_some());
        assert_eq!(table.take("GET /a"), None);
        assert_eq!(
            table.take("DELETE /b"),
            Some(FaultAction::DropBeforeProcessing)
        );
        assert_eq!(table.take("DELETE /b"), None);
        assert!(table.list().is_empty());
    }

    #[test]
    fn always_fires_until_cleared() {
        let table = FaultTable::default();
        table.add(Fault::delay("GET /a", Duration::from_millis(5)).always());
        for _ in 0..5 {
            assert_eq!(table.take("GET /a"), Some(FaultAction::Delay { millis: 5 }));
        }
        table.clear();
        assert_eq!(table.take("GET /a"), None);
    }

    #[test]
    fn json_form_round_trips() {
        let fault: Fault = serde_json::from_str(
            r#"{"route": "GET /x/{id}", "action": "status", "status": 429, "retry_after": "3"}"#,
        )
        .unwrap();
        assert_eq!(fault, Fault::status("GET /x/{id}", 429).retry_after(3));
        let back: Fault = serde_json::from_value(serde_json::to_value(&fault).unwrap()).unwrap();
        assert_eq!(back, fault);
        let drop: Fault = serde_json::from_str(
            r#"{"route": "POST /s", "action": "drop_after_processing", "times": 0}"#,
        )
        .unwrap();
        assert_eq!(drop, Fault::drop_after("POST /s").always());
    }

    #[test]
    fn probabilistic_faults_fire_sometimes_and_are_tallied() {
        let table = FaultTable::default();
        table.seed(7);
        table.add(Fault::drop_after("POST /s").percent(30).always());
        table.add(Fault::status("POST /s", 429).percent(50).always());
        let mut drops = 0;
        let mut throttled = 0;
        let mut clean = 0;
        for _ in 0..1000 {
            match table.take("POST /s") {
                Some(FaultAction::DropAfterProcessing) => drops += 1,
                Some(FaultAction::Status { status: 429, .. }) => throttled += 1,
                None => clean += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!((200..400).contains(&drops), "{drops}");
        assert!((250..450).contains(&throttled), "{throttled}");
        assert!(clean > 200, "{clean}");
        let fired = table.fired();
        assert_eq!(fired.get("POST /s drop_after_processing"), Some(&drops));
        assert_eq!(fired.get("POST /s status 429"), Some(&throttled));
        table.reset_fired();
        assert!(table.fired().is_empty());
    }

    #[test]
    fn corruption_always_breaks_json() {
        for body in [&br#"{"a": 1}"#[..], b"[]", b""] {
            let bad = corrupted(body);
            assert!(serde_json::from_slice::<serde_json::Value>(&bad).is_err());
        }
    }

    #[test]
    fn new_actions_round_trip_as_json() {
        for fault in [
            Fault::truncate_body("GET /a"),
            Fault::corrupt_body("GET /a"),
            Fault::cut_body("GET /a"),
            Fault::respond("GET /a", 200, Some("application/json"), vec![0xff, 0xfe]),
            Fault::huge_body("GET /a", 1 << 30, true),
            Fault::html_page("GET /a", 200).percent(10),
        ] {
            let back: Fault =
                serde_json::from_value(serde_json::to_value(&fault).unwrap()).unwrap();
            assert_eq!(back, fault);
        }
    }
}
