//! Per-request timings, collected on demand (like novaclient's `timings=True`).

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use http::{Method, StatusCode};
use url::Url;

/// How long one HTTP exchange took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTiming {
    /// The method.
    pub method: Method,
    /// The URL.
    pub url: Url,
    /// The status, when a response arrived.
    pub status: Option<StatusCode>,
    /// When it started (by the session's clock).
    pub started_at: DateTime<Utc>,
    /// How long it took until the body was read.
    pub elapsed: Duration,
}

/// The shared list of timings.
#[derive(Debug, Default)]
pub(crate) struct Timings {
    entries: Mutex<Vec<RequestTiming>>,
}

impl Timings {
    pub(crate) fn record(&self, timing: RequestTiming) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.push(timing);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RequestTiming> {
        self.entries.lock().map(|e| e.clone()).unwrap_or_default()
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
