//! The integration suite: one test binary that runs against mock-cloud
//! (started in-process for each test by default), the mock-cloud binary
//! (`cargo xtask integration`), or the cloud named by `OS_CLOUD` / `OS_*`
//! variables (a real Keystone + Nova). See the `integration_tests` crate docs.
//!
//! Every test passes against all three. Checks that need mock-cloud's special
//! powers (counters, faults, seeding) run under `if let Some(mock) = cloud.mock()`;
//! tests that cannot run at all without them call `cloud.require_mock(why)` (or
//! `TestCloud::start_mock`) and return early, printing `SKIPPED <test>: <why>`, against a
//! real cloud. Admin tests take `cloud.admin_compute(..)`; tests of what users are refused
//! run `as_member()`; both skip, naming what to set, where the target has no such user.

// Links nova-v2 into this binary so its `inventory` registration for major
// version 2 is present: the line every program that only names nova-core needs.
use nova_v2 as _;

mod aggregates;
mod auth;
mod auth_methods;
mod availability_zones;
mod consoles;
mod errors;
mod fault_matrix;
mod flavor_admin;
mod flavors;
mod hostile_server;
mod hypervisors;
mod instance_actions;
mod keypairs;
mod migrations;
mod negotiation;
mod pagination;
mod quotas;
mod registry;
mod reliability_hostile;
mod reliability_secrets;
mod reliability_support;
mod reliability_trust;
mod seed_path;
mod server_admin_actions;
mod server_attachments;
mod server_diagnostics;
mod server_extras;
mod server_groups;
mod server_moves;
mod servers;
mod services;
mod usage;
mod usage_audit;
mod user_keypairs;

/// An ed25519 public key to import (its private half was thrown away).
pub const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGeM802xhgjruIM/YebCp+vhrI2UlMzZVEM+CQMdG1AI it@example";
