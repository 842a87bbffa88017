//! Benchmark programs for `cargo xtask bench`: the same OpenStack Compute calls made
//! through this workspace's crates (`bench-ours`) and through bare reqwest + serde_json
//! (`bench-baseline`), plus `bench-measure`, which runs one program and reports its wall
//! time, CPU time and peak RSS.
//!
//! Both programs take a scenario name as their only argument, read the cloud from the
//! `OS_*` variables and their knobs from `BENCH_*` variables ([`Settings`]), and print
//! one JSON line ([`Outcome`]) that says what they did, so the caller can check they
//! did the same work.
//!
//! ```
//! use nova_bench::{Outcome, Scenario};
//!
//! let scenario: Scenario = "list".parse().unwrap_or(Scenario::Version);
//! assert_eq!(scenario, Scenario::List);
//! let line = Outcome::new(scenario, 10_000).to_json_line();
//! assert_eq!(Outcome::from_json_line(&line), Some(Outcome::new(Scenario::List, 10_000)));
//! ```

mod allocations;
mod entry;
mod measure;
mod scenario;
mod settings;

pub use allocations::allocations_so_far;
pub use entry::run_main;
pub use measure::Measurement;
pub use scenario::{Outcome, Scenario};
pub use settings::{Error, Settings};
