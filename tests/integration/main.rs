//! The integration suite: one test binary that runs against mock-cloud
//! (started in-process for each test by default) or against the cloud named by
//! `OS_CLOUD` / `OS_*` variables. See the `integration_tests` crate docs.
//!
//! Tests that need mock-cloud's special powers (counters, faults, clock,
//! seeding) call `cloud.mock()` and return early, printing `SKIPPED`, when the
//! target is a real cloud.

// Links nova-v2 into this binary so its `inventory` registration for major
// version 2 is present: the line every program that only names nova-core needs.
use nova_v2 as _;

mod auth;
mod negotiation;
mod registry;
