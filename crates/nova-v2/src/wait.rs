//! Waiting for a server to reach a status, or to disappear.
//!
//! The waiters poll [`ServerApi::get`] with exponential backoff. Time comes from an injected
//! [`Clock`], so tests run instantly with [`VirtualClock`].

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use nova_core::compute::ServerApi;
use nova_core::types::{Server, ServerStatus, TaskState};
use nova_core::{Error, Result};

use crate::find::is_not_found;

/// A source of time for the waiters: a monotonic "now" and a sleep.
#[async_trait]
pub trait Clock: Send + Sync + fmt::Debug {
    /// Time since some fixed start (monotonic).
    fn now(&self) -> Duration;
    /// Sleeps for `duration`.
    async fn sleep(&self, duration: Duration);
}

/// The real clock (tokio's timer; feature `tokio`, on by default).
#[cfg(feature = "tokio")]
#[derive(Debug, Clone)]
pub struct TokioClock {
    start: tokio::time::Instant,
}

#[cfg(feature = "tokio")]
impl Default for TokioClock {
    fn default() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }
}

#[cfg(feature = "tokio")]
#[async_trait]
impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// A clock that only moves when slept on: sleeps return at once. For tests.
#[derive(Debug, Default)]
pub struct VirtualClock {
    nanos: AtomicU64,
    sleeps: std::sync::Mutex<Vec<Duration>>,
}

impl VirtualClock {
    /// A clock at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::SeqCst))
    }
    async fn sleep(&self, duration: Duration) {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(nanos, Ordering::SeqCst);
        if let Ok(mut s) = self.sleeps.lock() {
            s.push(duration);
        }
    }
}

/// What a waiter saw at one poll.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitProgress {
    /// The server status.
    pub status: ServerStatus,
    /// `OS-EXT-STS:task_state`.
    pub task_state: Option<TaskState>,
    /// `progress` in percent, when Nova reports it.
    pub progress: Option<u32>,
    /// Time spent waiting so far.
    pub elapsed: Duration,
}

/// A callback receiving each poll's [`WaitProgress`].
pub type ProgressCallback = Arc<dyn Fn(&WaitProgress) + Send + Sync>;

/// How long and how often to poll.
#[derive(Clone)]
pub struct WaitOptions {
    /// Give up after this long (`Error::WaitTimeout`).
    pub timeout: Duration,
    /// First pause between polls.
    pub initial_interval: Duration,
    /// Longest pause between polls.
    pub max_interval: Duration,
    /// The pause grows by this factor after each poll.
    pub backoff_factor: u32,
    /// Where time comes from.
    pub clock: Arc<dyn Clock>,
    /// Called after every poll.
    pub progress: Option<ProgressCallback>,
    /// Count the target as reached only once `task_state` is idle (null), the api-guide's
    /// sign that an action finished (e.g. a snapshot keeps status ACTIVE while its task
    /// runs). Default `true`.
    pub require_idle: bool,
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("initial_interval", &self.initial_interval)
            .field("max_interval", &self.max_interval)
            .field("backoff_factor", &self.backoff_factor)
            .field("clock", &self.clock)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .field("require_idle", &self.require_idle)
            .finish()
    }
}

/// Default options on tokio's clock (feature `tokio`, on by default).
#[cfg(feature = "tokio")]
impl Default for WaitOptions {
    fn default() -> Self {
        Self::with_clock(Arc::new(TokioClock::default()))
    }
}

impl WaitOptions {
    /// Default options (10 minutes, 1 s to 10 s between polls, tokio's clock).
    #[cfg(feature = "tokio")]
    pub fn new() -> Self {
        Self::default()
    }

    /// Default options (10 minutes, 1 s to 10 s between polls) on `clock`: the
    /// constructor for programs built without the `tokio` feature.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self {
            timeout: Duration::from_secs(600),
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
            backoff_factor: 2,
            clock,
            progress: None,
            require_idle: true,
        }
    }
    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Sets the first and the longest pause between polls.
    pub fn intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max.max(initial);
        self
    }
    /// Sets the backoff factor (at least 1).
    pub fn backoff_factor(mut self, factor: u32) -> Self {
        self.backoff_factor = factor.max(1);
        self
    }
    /// Uses this clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
    /// Whether the target also needs an idle `task_state` (default `true`).
    pub fn require_idle(mut self, yes: bool) -> Self {
        self.require_idle = yes;
        self
    }
    /// Calls `callback` after every poll.
    pub fn on_progress(mut self, callback: impl Fn(&WaitProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }
}

/// The pauses between polls.
struct Backoff<'a> {
    options: &'a WaitOptions,
    next: Duration,
    started: Duration,
}

impl<'a> Backoff<'a> {
    fn new(options: &'a WaitOptions) -> Self {
        Self {
            options,
            next: options.initial_interval,
            started: options.clock.now(),
        }
    }

    fn elapsed(&self) -> Duration {
        self.options.clock.now().saturating_sub(self.started)
    }

    /// Sleeps before the next poll; `false` when the timeout has passed.
    async fn pause(&mut self) -> bool {
        let elapsed = self.elapsed();
        if elapsed >= self.options.timeout {
            return false;
        }
        let remaining = self.options.timeout - elapsed;
        let pause = self.next.min(remaining);
        self.options.clock.sleep(pause).await;
        self.next = self
            .next
            .saturating_mul(self.options.backoff_factor)
            .min(self.options.max_interval);
        true
    }
}

fn report(options: &WaitOptions, server: &Server, elapsed: Duration) {
    if let Some(callback) = &options.progress {
        callback(&WaitProgress {
            status: server.status.clone(),
            task_state: server.task_state.clone(),
            progress: server.progress,
            elapsed,
        });
    }
}

/// Polls until server `id` has status `target` (and, by default, no task in progress).
///
/// Stops at once with `Error::ServerFault` (carrying the server's fault message) when the
/// server goes to ERROR (unless ERROR is the target) or is deleted, and with
/// `Error::WaitTimeout` when `options.timeout` passes.
pub async fn wait_for_status(
    servers: &(impl ServerApi + ?Sized),
    id: &str,
    target: ServerStatus,
    options: &WaitOptions,
) -> Result<Server> {
    let mut backoff = Backoff::new(options);
    loop {
        let server = servers.get(id).await?.value;
        report(options, &server, backoff.elapsed());
        if server.status == target && (!options.require_idle || server.task_state.is_none()) {
            return Ok(server);
        }
        match server.status {
            ServerStatus::Error => {
                return Err(Error::ServerFault {
                    id: id.to_owned(),
                    status: server.status.to_string(),
                    message: server
                        .fault_message()
                        .unwrap_or("the server went to ERROR without a fault message")
                        .to_owned(),
                });
            }
            ServerStatus::Deleted | ServerStatus::SoftDeleted => {
                return Err(Error::ServerFault {
                    id: id.to_owned(),
                    status: server.status.to_string(),
                    message: "the server was deleted while waiting".to_owned(),
                });
            }
            _ => {}
        }
        if !backoff.pause().await {
            return Err(Error::WaitTimeout {
                id: id.to_owned(),
                last_status: format!("{} (waiting for {target})", server.status),
                waited: backoff.elapsed(),
            });
        }
    }
}

/// Polls until `GET /servers/{id}` answers 404. `Error::WaitTimeout` after `options.timeout`.
pub async fn wait_for_delete(
    servers: &(impl ServerApi + ?Sized),
    id: &str,
    options: &WaitOptions,
) -> Result<()> {
    let mut backoff = Backoff::new(options);
    loop {
        let last_status = match servers.get(id).await {
            Ok(resp) => {
                report(options, &resp.value, backoff.elapsed());
                resp.value.status
            }
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) => return Err(e),
        };
        if !backoff.pause().await {
            return Err(Error::WaitTimeout {
                id: id.to_owned(),
                last_status: format!("{last_status} (waiting for deletion)"),
                waited: backoff.elapsed(),
            });
        }
    }
}

/// The waiters as methods on any [`ServerApi`] (including `dyn ServerApi`).
#[async_trait]
pub trait ServerWaitExt: ServerApi {
    /// See [`wait_for_status`].
    async fn wait_for_status(
        &self,
        id: &str,
        target: ServerStatus,
        options: &WaitOptions,
    ) -> Result<Server> {
        wait_for_status(self, id, target, options).await
    }

    /// See [`wait_for_delete`].
    async fn wait_for_delete(&self, id: &str, options: &WaitOptions) -> Result<()> {
        wait_for_delete(self, id, options).await
    }
}

impl<T: ServerApi + ?Sized> ServerWaitExt for T {}
