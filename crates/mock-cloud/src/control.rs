//! The control powers tests use, in process; `/_mock/...` exposes the same
//! over HTTP (see [`crate::control_http`]).

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::echo::EchoRecord;
use crate::faults::Fault;
use crate::state::SharedState;

/// In-process control of a running mock cloud.
#[derive(Clone)]
pub struct Control {
    state: SharedState,
}

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Control")
            .field("base_url", &self.state.urls.base)
            .finish_non_exhaustive()
    }
}

impl Control {
    pub(crate) fn new(state: SharedState) -> Self {
        Self { state }
    }

    /// The whole shared state (stores, counters, faults, clock).
    pub fn state(&self) -> &SharedState {
        &self.state
    }

    /// Requests seen for a route template, e.g. `"POST /identity/v3/auth/tokens"`.
    pub fn count(&self, route: &str) -> u64 {
        self.state.counters.get(route)
    }

    /// Every non-zero counter.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.state.counters.snapshot()
    }

    /// Sets every counter back to zero.
    pub fn reset_counts(&self) {
        self.state.counters.reset();
    }

    /// Adds a fault (see [`Fault`]).
    pub fn add_fault(&self, fault: Fault) {
        self.state.faults.add(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Faults not used up yet.
    pub fn faults(&self) -> Vec<Fault> {
        self.state.faults.list()
    }

    /// Revokes every token issued so far; returns how many.
    pub fn revoke_all_tokens(&self) -> usize {
        self.state.keystone.tokens.revoke_all()
    }

    /// Lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, ttl: Duration) {
        self.state.keystone.tokens.set_ttl(ttl);
    }

    /// Current lifetime of new tokens.
    pub fn token_ttl(&self) -> Duration {
        self.state.keystone.tokens.ttl()
    }

    /// Moves the mock's clock forward (tokens expire accordingly).
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// How far the clock has been moved.
    pub fn clock_offset(&self) -> Duration {
        self.state.clock.offset()
    }

    /// Requests recorded by `/_mock/echo`, oldest first.
    pub fn echo_log(&self) -> Vec<EchoRecord> {
        self.state.echo.records()
    }

    /// Forgets the echo log.
    pub fn clear_echo_log(&self) {
        self.state.echo.clear();
    }
}
