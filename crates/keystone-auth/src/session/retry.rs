//! When and how long to wait before re-sending: bounded, jittered exponential
//! backoff, and the server's `Retry-After`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use http::{Method, StatusCode};

/// The default total of the waits between one request's attempts.
pub const DEFAULT_MAX_TOTAL_DELAY: Duration = Duration::from_secs(90);

/// The retry rules of a session.
///
/// Connect failures (the request was never sent) are retried for every
/// method; a connection lost after sending only for idempotent methods
/// (GET, HEAD, PUT, DELETE, OPTIONS); both within
/// [`RetryPolicy::connect_retries`]. Timeouts are not re-sent. The statuses in
/// [`RetryPolicy::retry_statuses`] (429, 502, 503, 504) are retried for
/// idempotent methods only, honouring `Retry-After`: a 429 or 503 from a
/// proxy or rate limiter in front of the service does not prove the request
/// went unprocessed, so a POST that may have reached the server is never
/// re-sent, whatever the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Extra attempts after a connection failure (see the rules above).
    pub connect_retries: u32,
    /// Extra attempts after a retriable status.
    pub status_retries: u32,
    /// The first backoff delay; it doubles on each attempt.
    pub base_delay: Duration,
    /// The largest backoff delay.
    pub max_delay: Duration,
    /// The largest `Retry-After` honoured; larger values are cut to this.
    pub max_retry_after: Duration,
    /// The statuses retried for idempotent methods.
    pub retry_statuses: Vec<StatusCode>,
    /// The most one request may spend waiting between its attempts, all retries together;
    /// a retry whose wait would go past it is not made.
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            connect_retries: 3,
            status_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            retry_statuses: vec![
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::BAD_GATEWAY,
                StatusCode::SERVICE_UNAVAILABLE,
                StatusCode::GATEWAY_TIMEOUT,
            ],
            max_total_delay: DEFAULT_MAX_TOTAL_DELAY,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            connect_retries: 0,
            status_retries: 0,
            ..Self::default()
        }
    }

    /// Sets the connect retries.
    pub fn connect_retries(mut self, n: u32) -> Self {
        self.connect_retries = n;
        self
    }

    /// Sets the status retries.
    pub fn status_retries(mut self, n: u32) -> Self {
        self.status_retries = n;
        self
    }

    /// Sets the first backoff delay.
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Sets the largest backoff delay.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// Sets the largest honoured `Retry-After`.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Sets the total retry budget (the waits of one request together).
    pub fn max_total_delay(mut self, d: Duration) -> Self {
        self.max_total_delay = d;
        self
    }

    /// Sets the statuses retried for idempotent methods.
    pub fn retry_statuses(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.retry_statuses = statuses.into_iter().collect();
        self
    }

    /// The un-jittered delay before retry number `attempt` (0-based):
    /// `base * 2^attempt`, at most `max_delay`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.checked_pow(attempt.min(31)).unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The jittered delay before retry number `attempt`: uniform in
    /// `[ceiling/2, ceiling]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let half = ceiling / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// The delay to wait given an optional `Retry-After`: the header value
    /// (capped at `max_retry_after`) when present and valid, else the backoff.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(d) => d.min(self.max_retry_after),
            None => self.backoff(attempt),
        }
    }
}

/// Whether a method may be re-sent after it reached the server.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Parses `Retry-After`: delay-seconds or an HTTP date (relative to `now`;
/// a date in the past means no wait).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Duration::try_from_secs_f64(seconds).ok();
        }
        return None;
    }
    let date = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_bounds() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(2));
        for attempt in 0..40 {
            let ceiling = policy.ceiling(attempt);
            assert!(ceiling <= Duration::from_secs(2));
            for _ in 0..50 {
                let d = policy.backoff(attempt);
                assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d:?}");
            }
        }
        assert_eq!(policy.ceiling(0), Duration::from_millis(100));
        assert_eq!(policy.ceiling(3), Duration::from_millis(800));
        assert_eq!(policy.ceiling(10), Duration::from_secs(2));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn retry_after_is_capped() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(3600))),
            Duration::from_secs(10)
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn only_idempotent_methods() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::DELETE));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::HEAD));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }
}
