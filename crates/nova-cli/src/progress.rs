//! Waiting with a progress report: a rewritten line on a terminal, plain lines (one per
//! change) otherwise, both on stderr. Ctrl-C stops the wait, never the server.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nova_v2::{WaitOptions, WaitProgress};

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// How waits are reported and bounded.
#[derive(Debug, Clone)]
pub struct WaitSettings {
    interval: Duration,
    timeout: Duration,
    terminal: bool,
}

impl WaitSettings {
    /// From the global `--poll-interval` and `--wait-timeout`.
    pub fn from_args(g: &GlobalArgs) -> CliResult<Self> {
        let secs = |v: f64, what: &str| {
            Duration::try_from_secs_f64(v)
                .map_err(|_| CliError::usage(format!("invalid {what} {v}")))
        };
        Ok(Self {
            interval: secs(g.poll_interval, "--poll-interval")?,
            timeout: secs(g.wait_timeout, "--wait-timeout")?,
            terminal: std::io::stderr().is_terminal(),
        })
    }

    /// Wait options whose progress callback reports `action` for `server`.
    pub fn options(&self, action: &str, server: &str) -> (WaitOptions, Reporter) {
        let reporter = Reporter {
            action: format!("{action} {server}"),
            terminal: self.terminal,
            last: Arc::new(Mutex::new(None)),
        };
        let callback = reporter.clone();
        let options = WaitOptions::new()
            .timeout(self.timeout)
            .intervals(self.interval, self.interval.max(Duration::from_secs(5)))
            .backoff_factor(1)
            .on_progress(move |p| callback.report(p));
        (options, reporter)
    }
}

/// Prints progress lines for one wait.
#[derive(Debug, Clone)]
pub struct Reporter {
    action: String,
    terminal: bool,
    last: Arc<Mutex<Option<String>>>,
}

impl Reporter {
    fn report(&self, p: &WaitProgress) {
        let mut line = format!("{}: status {}", self.action, p.status);
        if let Some(task) = &p.task_state {
            line.push_str(&format!(", task {task}"));
        }
        if let Some(progress) = p.progress {
            line.push_str(&format!(", {progress}% complete"));
        }
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let width = last.as_ref().map_or(0, |l| l.chars().count());
            let pad = width.saturating_sub(line.chars().count());
            let _ = write!(err, "\r{line}{}", " ".repeat(pad));
            let _ = err.flush();
        } else if last.as_deref() != Some(line.as_str()) {
            let _ = writeln!(err, "{line}");
        }
        *last = Some(line);
    }

    /// Ends the progress line with `word` (`Finished`, `Stopped waiting`, ...).
    pub fn finish(&self, word: &str) {
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = writeln!(err);
        }
        let _ = writeln!(err, "{word}");
    }
}

/// Runs `wait` until it ends or Ctrl-C arrives; Ctrl-C gives exit 130 and leaves the server.
pub async fn interruptible<T, F>(reporter: &Reporter, what: &str, wait: F) -> CliResult<T>
where
    F: Future<Output = nova_core::Result<T>>,
{
    tokio::select! {
        result = wait => {
            match &result {
                Ok(_) => reporter.finish("Finished"),
                Err(_) => reporter.finish("Error"),
            }
            Ok(result?)
        }
        _ = tokio::signal::ctrl_c() => {
            reporter.finish("Stopped waiting");
            Err(CliError::interrupted(format!(
                "interrupted while waiting for {what}; the request was not cancelled and the server is left as it is"
            )))
        }
    }
}
