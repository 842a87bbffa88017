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

    /// Makes every token issued so far expire now (earlier than its
    /// `expires_at` said); returns how many.
    pub fn expire_all_tokens(&self) -> usize {
        self.state.keystone.tokens.expire_all(self.state.now())
    }

    /// Removes the services of `service_type` (e.g. `"compute"`) from the
    /// catalog of tokens issued or validated from now on; returns how many.
    pub fn remove_catalog_service(&self, service_type: &str) -> usize {
        self.state.keystone.remove_catalog_service(service_type)
    }

    /// Puts every removed service back in the catalog.
    pub fn restore_catalog(&self) {
        self.state.keystone.restore_catalog();
    }

    /// Makes the compute version documents (`GET /compute[/]`,
    /// `/compute/v2[/]`, `/compute/v2.1[/]`) answer 404 until the faults are
    /// cleared.
    pub fn hide_version_documents(&self) {
        for fault in version_document_faults() {
            self.state.faults.add(fault);
        }
    }

    /// Seeds the generator that decides probabilistic faults.
    pub fn seed_faults(&self, seed: u64) {
        self.state.faults.seed(seed);
    }

    /// Faults fired so far, per `"METHOD /route action"` (see
    /// [`FaultTable::fired`](crate::faults::FaultTable::fired)).
    pub fn faults_fired(&self) -> BTreeMap<String, u64> {
        self.state.faults.fired()
    }

    /// Forgets the tally of fired faults.
    pub fn reset_faults_fired(&self) {
        self.state.faults.reset_fired();
    }

    /// The ids of every token issued and not revoked (for leak checks).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state.keystone.tokens.ids()
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

/// 404 on every compute version document, until cleared.
pub fn version_document_faults() -> Vec<Fault> {
    [
        "GET /compute",
        "GET /compute/",
        "GET /compute/v2",
        "GET /compute/v2/",
        "GET /compute/v2.1",
        "GET /compute/v2.1/",
    ]
    .into_iter()
    .map(|route| {
        Fault::status(route, 404)
            .message("The version document is not reachable (injected).")
            .always()
    })
    .collect()
}
