//! Runs the `tests/` integration suite against a cloud named by `OS_*`
//! variables and counts what ran there and what was skipped.
//!
//! A test that cannot run against the target returns early and prints
//! `SKIPPED <test>: <why>` (see `integration_tests::TestCloud`); the suite runs
//! with `--nocapture` so those lines reach this process's stderr pipe. A skipped
//! test is never counted as passed: the summary says run / passed / failed /
//! skipped, and the skips grouped by why.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::process::{self, TestCounts};

/// What one suite run did.
#[derive(Debug, Default, Clone)]
pub struct SuiteOutcome {
    /// libtest's counts (a skipped test counts as passed there).
    pub counts: TestCounts,
    /// The tests that printed `SKIPPED`, each with the first reason it gave.
    pub skipped: BTreeMap<String, String>,
    /// The auth methods tests printed as `EXERCISED auth method: ...`, in order, once each.
    pub auth_methods: Vec<String>,
}

impl SuiteOutcome {
    /// Tests that really ran against the target and passed.
    pub fn ran_and_passed(&self) -> u64 {
        self.counts.passed.saturating_sub(self.skipped.len() as u64)
    }

    /// Tests that really ran against the target (passed or failed).
    pub fn ran(&self) -> u64 {
        self.ran_and_passed() + self.counts.failed
    }

    /// Every test of the run: ran or skipped.
    pub fn total(&self) -> u64 {
        self.ran() + self.skipped.len() as u64
    }

    /// The skipped tests grouped by their reason, most common reason first.
    pub fn skips_by_reason(&self) -> Vec<(String, BTreeSet<String>)> {
        let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (test, why) in &self.skipped {
            groups.entry(why.clone()).or_default().insert(test.clone());
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        groups
    }

    /// `run R (passed P, failed F), skipped S of T (x%)`.
    pub fn summary(&self) -> String {
        let total = self.total().max(1);
        format!(
            "run {} (passed {}, failed {}), skipped {} of {} ({:.0}%)",
            self.ran(),
            self.ran_and_passed(),
            self.counts.failed,
            self.skipped.len(),
            self.total(),
            self.skipped.len() as f64 * 100.0 / total as f64
        )
    }

    /// Reads one line of output.
    pub fn add_line(&mut self, line: &str) {
        self.counts.add_line(line);
        if let Some(method) = line.trim_start().strip_prefix("EXERCISED auth method: ") {
            let method = method.trim().to_string();
            if !method.is_empty() && !self.auth_methods.contains(&method) {
                self.auth_methods.push(method);
            }
        }
        if let Some(rest) = line.trim_start().strip_prefix("SKIPPED ") {
            // `SKIPPED module::test: why` (test paths contain `::`).
            let (name, why) = rest.split_once(": ").unwrap_or((rest, "no reason given"));
            let name = name.trim();
            if !name.is_empty() {
                self.skipped
                    .entry(name.to_string())
                    .or_insert_with(|| why.trim().to_string());
            }
        }
    }
}

/// Runs `cargo test -p integration-tests --test integration` with `env`.
pub fn run(env: &[(&'static str, String)]) -> (Result<(), String>, SuiteOutcome) {
    let mut command = process::cargo(&[
        "test",
        "--locked",
        "-p",
        "integration-tests",
        "--test",
        "integration",
        "--",
        "--nocapture",
    ]);
    // Only `env` names the target: no inherited OS_* or NOVA_TEST_*_CLOUD variable.
    for (key, _) in std::env::vars() {
        if key.starts_with("OS_") || (key.starts_with("NOVA_TEST_") && key.ends_with("_CLOUD")) {
            command.env_remove(key);
        }
    }
    command
        .env_remove("MOCK_CLOUD_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    run_counting(command)
}

/// Runs a `cargo test ... -- --nocapture` command, echoing its output, counting the results
/// and the tests that printed `SKIPPED`.
pub fn run_counting(mut command: Command) -> (Result<(), String>, SuiteOutcome) {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    process::show(&command);
    let mut outcome = SuiteOutcome::default();
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return (Err(format!("could not start cargo: {error}")), outcome),
    };
    let (lines, received) = mpsc::channel::<String>();
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let lines = lines.clone();
        readers.push(std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                let _ = lines.send(line);
            }
        }));
    }
    if let Some(stderr) = child.stderr.take() {
        let lines = lines.clone();
        readers.push(std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                let _ = lines.send(line);
            }
        }));
    }
    drop(lines);
    for line in received {
        outcome.add_line(&line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    let result = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("the suite failed ({status})")),
        Err(error) => Err(format!("the suite did not finish: {error}")),
    };
    (result, outcome)
}

#[cfg(test)]
mod tests {
    use super::SuiteOutcome;

    #[test]
    fn counts_skips_once_per_test() {
        let mut outcome = SuiteOutcome::default();
        outcome.add_line("SKIPPED auth::revoked: mock-only: revokes tokens");
        outcome.add_line("SKIPPED auth::revoked: mock-only: revokes tokens");
        outcome.add_line("SKIPPED auth::other: mock-only: needs its own mock-cloud configuration");
        outcome.add_line(
            "SKIPPED negotiation::low_max: mock-only: needs its own mock-cloud configuration",
        );
        outcome.add_line(
            "test result: FAILED. 10 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        outcome.add_line("EXERCISED auth method: v3totp (cloud `c`)");
        outcome.add_line("EXERCISED auth method: v3totp (cloud `c`)");
        assert_eq!(outcome.auth_methods, ["v3totp (cloud `c`)"]);
        assert_eq!(outcome.skipped.len(), 3);
        assert_eq!(
            outcome.skipped["auth::revoked"],
            "mock-only: revokes tokens"
        );
        assert_eq!(outcome.counts.passed, 10);
        assert_eq!(outcome.ran_and_passed(), 7);
        assert_eq!(outcome.ran(), 8);
        assert_eq!(outcome.total(), 11);
        assert_eq!(
            outcome.summary(),
            "run 8 (passed 7, failed 1), skipped 3 of 11 (27%)"
        );
        let groups = outcome.skips_by_reason();
        assert_eq!(
            groups[0].0,
            "mock-only: needs its own mock-cloud configuration"
        );
        assert_eq!(groups[0].1.len(), 2);
        assert_eq!(groups[1].1.len(), 1);
    }
}
