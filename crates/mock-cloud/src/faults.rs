//! Fault injection per route template: answer a status, drop the connection
//! before or after the handler ran, or delay; each fault fires a given number
//! of times. Also the middleware that counts requests and applies faults.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

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
    /// How many matching requests it applies to; `0` means every one until cleared.
    #[serde(default = "one")]
    pub times: u32,
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
}

impl Fault {
    /// Answer `status` (once, see [`Fault::times`]).
    pub fn status(route: impl Into<String>, status: u16) -> Self {
        Self {
            route: route.into(),
            action: FaultAction::Status {
                status,
                retry_after: None,
                html: false,
                message: None,
            },
            times: 1,
        }
    }

    /// Drop the connection before the handler runs.
    pub fn drop_before(route: impl Into<String>) -> Self {
        Self {
            route: route.into(),
            action: FaultAction::DropBeforeProcessing,
            times: 1,
        }
    }

    /// Run the handler, then drop the connection without answering.
    pub fn drop_after(route: impl Into<String>) -> Self {
        Self {
            route: route.into(),
            action: FaultAction::DropAfterProcessing,
            times: 1,
        }
    }

    /// Delay the request, then handle it.
    pub fn delay(route: impl Into<String>, by: Duration) -> Self {
        Self {
            route: route.into(),
            action: FaultAction::Delay {
                millis: u64::try_from(by.as_millis()).unwrap_or(u64::MAX),
            },
            times: 1,
        }
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

/// The active faults, first added first applied.
#[derive(Debug, Default)]
pub struct FaultTable {
    active: AtomicUsize,
    faults: Mutex<Vec<Fault>>,
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

    /// Takes one use of the first fault matching `key`.
    pub fn take(&self, key: &str) -> Option<FaultAction> {
        if self.active.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut faults = self.faults.lock().ok()?;
        let index = faults.iter().position(|f| f.matches(key))?;
        let action = faults[index].action.clone();
        match faults[index].times {
            0 => {}
            1 => {
                faults.remove(index);
            }
            n => faults[index].times = n - 1,
        }
        self.active.store(faults.len(), Ordering::Release);
        Some(action)
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
    let Some(action) = state.faults.take(&key) else {
        return next.run(request).await;
    };
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
    }
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
}
