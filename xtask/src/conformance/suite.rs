//! Runs the `tests/` integration suite against a cloud named by `OS_*`
//! variables and counts what ran there and what was skipped.
//!
//! Tests that need mock-cloud powers return early and print
//! `SKIPPED <test>: ...` (see `integration_tests::TestCloud`); the suite runs
//! with `--nocapture` so those lines reach this process's stderr pipe.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::process::{self, TestCounts};

/// What one suite run did.
#[derive(Debug, Default, Clone)]
pub struct SuiteOutcome {
    /// libtest's counts (a skipped test counts as passed there).
    pub counts: TestCounts,
    /// Names of the tests that printed `SKIPPED`.
    pub skipped: BTreeSet<String>,
}

impl SuiteOutcome {
    /// Tests that really ran against the target and passed.
    pub fn ran_and_passed(&self) -> u64 {
        self.counts.passed.saturating_sub(self.skipped.len() as u64)
    }

    /// Reads one line of output.
    pub fn add_line(&mut self, line: &str) {
        self.counts.add_line(line);
        if let Some(rest) = line.trim_start().strip_prefix("SKIPPED ") {
            // `SKIPPED module::test: why` (test paths contain `::`).
            let name = rest.split(": ").next().unwrap_or(rest).trim();
            if !name.is_empty() {
                self.skipped.insert(name.to_string());
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
    command.env_remove("MOCK_CLOUD_URL").env_remove("OS_CLOUD");
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
        outcome.add_line(
            "SKIPPED auth::revoked: needs mock-cloud powers; the target is not mock-cloud",
        );
        outcome.add_line(
            "SKIPPED auth::revoked: needs mock-cloud powers; the target is not mock-cloud",
        );
        outcome.add_line("SKIPPED auth::other: needs its own mock-cloud configuration");
        outcome.add_line("SKIPPED negotiation::low_max: needs its own mock-cloud configuration");
        outcome.add_line(
            "test result: ok. 10 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        assert_eq!(outcome.skipped.len(), 3);
        assert!(outcome.skipped.contains("auth::revoked"));
        assert_eq!(outcome.counts.passed, 10);
        assert_eq!(outcome.ran_and_passed(), 7);
    }
}
