//! What `bench-measure` reports about one finished child process.

use serde::{Deserialize, Serialize};

/// Wall time, CPU time and peak RSS of one child process (from `getrusage(RUSAGE_CHILDREN)`
/// of a process that ran only that child).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Wall-clock time from spawn to exit, in milliseconds.
    pub wall_ms: f64,
    /// User CPU time, in milliseconds.
    pub user_ms: f64,
    /// System CPU time, in milliseconds.
    pub sys_ms: f64,
    /// Peak resident set size, in KiB.
    pub max_rss_kib: u64,
    /// Exit code (`-1` when killed by a signal).
    pub exit_code: i32,
}

/// The prefix of the line `bench-measure` prints on standard error.
pub const MEASUREMENT_PREFIX: &str = "bench-measure: ";

impl Measurement {
    /// User plus system CPU time, in milliseconds.
    pub fn cpu_ms(&self) -> f64 {
        self.user_ms + self.sys_ms
    }

    /// The line `bench-measure` prints.
    pub fn to_line(&self) -> String {
        format!(
            "{MEASUREMENT_PREFIX}{}",
            serde_json::to_string(self).unwrap_or_default()
        )
    }

    /// Finds the measurement in a program's standard error.
    pub fn find_in(stderr: &str) -> Option<Self> {
        stderr
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix(MEASUREMENT_PREFIX))
            .and_then(|json| serde_json::from_str(json).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_found_among_other_output() {
        let m = Measurement {
            wall_ms: 12.5,
            user_ms: 3.0,
            sys_ms: 1.0,
            max_rss_kib: 9000,
            exit_code: 0,
        };
        let stderr = format!("warning: something\n{}\n", m.to_line());
        assert_eq!(Measurement::find_in(&stderr), Some(m));
        assert_eq!(m.cpu_ms(), 4.0);
        assert_eq!(Measurement::find_in("no measurement here"), None);
    }
}
