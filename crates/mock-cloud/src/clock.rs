//! The mock's clock: real UTC time plus an offset tests can advance, so token
//! expiry can be tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Real time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub struct MockClock {
    offset_ms: AtomicI64,
}

impl MockClock {
    /// The mock's current time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                Some(old.saturating_add(ms))
            })
            .ok();
    }

    /// How far the clock has been moved from real time.
    pub fn offset(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.offset_ms.load(Ordering::Relaxed)).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward() {
        let clock = MockClock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(7200));
        assert!(clock.now() - before >= chrono::Duration::seconds(7200));
        assert_eq!(clock.offset(), Duration::from_secs(7200));
    }
}
