//! What reached a listener: the head and (small) body of each request, kept
//! so a test can assert that a value never crossed to a server (a Keystone
//! token to the identity provider, a provider secret to Keystone).

use std::sync::Mutex;

use axum::extract::Request;

/// The most requests kept (the oldest are dropped).
const MAX_RECORDED: usize = 512;

/// Bodies longer than this (or without `Content-Length`) are not read
/// for the log; the request passes through untouched.
const MAX_RECORDED_BODY: u64 = 1024 * 1024;

/// A request a listener read.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers, names lowercase.
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy); empty when not recorded.
    pub body: String,
}

impl ReceivedRequest {
    /// The whole request as text, to search for a value that must not be there.
    pub fn text(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!(
            "{} {}\n{}\n\n{}",
            self.method,
            self.path,
            headers.join("\n"),
            self.body
        )
    }
}

/// A bounded log of [`ReceivedRequest`]s.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<ReceivedRequest>>,
}

impl RequestLog {
    /// Every request recorded, oldest first.
    pub fn entries(&self) -> Vec<ReceivedRequest> {
        self.entries.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Forgets the recorded requests.
    pub fn clear(&self) {
        if let Ok(mut r) = self.entries.lock() {
            r.clear();
        }
    }

    /// Records `request` and hands it back (its body re-assembled when read).
    pub async fn record(&self, request: Request) -> Request {
        let (parts, body) = request.into_parts();
        let small = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|len| len <= MAX_RECORDED_BODY);
        let (body, text) = if small {
            let limit = usize::try_from(MAX_RECORDED_BODY).unwrap_or(usize::MAX);
            let bytes = axum::body::to_bytes(body, limit).await.unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (axum::body::Body::from(bytes), text)
        } else {
            (body, String::new())
        };
        let entry = ReceivedRequest {
            method: parts.method.to_string(),
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: text,
        };
        if let Ok(mut r) = self.entries.lock() {
            if r.len() >= MAX_RECORDED {
                r.remove(0);
            }
            r.push(entry);
        }
        Request::from_parts(parts, body)
    }
}
