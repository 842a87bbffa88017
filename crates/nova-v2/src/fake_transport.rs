//! A scripted in-memory `Transport` for unit tests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use http::{HeaderValue, Method, StatusCode};
use nova_core::{Connection, HttpRequest, HttpResponse, MicroVersion, Transport, TransportError};
use serde_json::Value;

/// One scripted answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            body,
            headers: Vec::new(),
        }
    }
    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

type Route = (Method, String, VecDeque<Reply>);

/// Answers requests from scripted replies, matched by method and path prefix; records
/// every request. The last reply of a route repeats.
#[derive(Debug, Default)]
pub(crate) struct FakeTransport {
    routes: Mutex<Vec<Route>>,
    seen: Mutex<Vec<HttpRequest>>,
    version: Mutex<Option<MicroVersion>>,
}

impl FakeTransport {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub(crate) fn on(&self, method: Method, path_prefix: &str, reply: Reply) {
        let mut routes = self.routes.lock().expect("routes");
        if let Some((_, _, q)) = routes
            .iter_mut()
            .find(|(m, p, _)| *m == method && p == path_prefix)
        {
            q.push_back(reply);
        } else {
            routes.push((method, path_prefix.to_owned(), VecDeque::from([reply])));
        }
    }

    pub(crate) fn requests(&self) -> Vec<HttpRequest> {
        self.seen.lock().expect("seen").clone()
    }

    /// The JSON body of the last request sent.
    pub(crate) fn last_body(&self) -> serde_json::Value {
        let request = self.requests().pop().expect("a request");
        serde_json::from_slice(&request.body.expect("a body")).expect("json body")
    }

    pub(crate) fn connection(self: &Arc<Self>, major: u16, minor: u16) -> Connection {
        let v = MicroVersion::new(major, minor);
        *self.version.lock().expect("version") = Some(v);
        Connection::new(self.clone(), v)
    }
}

#[async_trait]
impl Transport for FakeTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.seen.lock().expect("seen").push(request.clone());
        let mut routes = self.routes.lock().expect("routes");
        // Longest matching prefix wins.
        let route = routes
            .iter_mut()
            .filter(|(m, p, _)| *m == request.method && request.path.starts_with(p.as_str()))
            .max_by_key(|(_, p, _)| p.len());
        let reply = match route {
            Some((_, _, q)) if q.len() > 1 => q.pop_front(),
            Some((_, _, q)) => q.front().cloned(),
            None => None,
        };
        let reply = reply.unwrap_or_else(|| {
            Reply::json(
                404,
                serde_json::json!({"itemNotFound": {"code": 404, "message": "no route"}}),
            )
        });
        let body = if reply.body.is_null() {
            bytes::Bytes::new()
        } else {
            bytes::Bytes::from(reply.body.to_string())
        };
        let mut response = HttpResponse::new(reply.status, body);
        if let Some(v) = *self.version.lock().expect("version")
            && let Ok(h) = HeaderValue::from_str(&v.to_string())
        {
            response.headers.insert("x-openstack-nova-api-version", h);
        }
        response.headers.insert(
            "x-openstack-request-id",
            HeaderValue::from_static("req-fake"),
        );
        for (name, value) in reply.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                response.headers.insert(name, v);
            }
        }
        Ok(response)
    }

    async fn endpoint(&self) -> Result<String, TransportError> {
        Ok("http://fake/compute/v2.1".to_owned())
    }
}
