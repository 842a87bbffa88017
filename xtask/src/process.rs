//! Running cargo and other programs, printing each command line first.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to the workspace
/// root when relative), else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(PathBuf::from(dir)),
        _ => workspace_root().join("target"),
    }
}

/// A `cargo` command run from the workspace root.
pub fn cargo(args: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(workspace_root());
    command
}

/// Prints a command line the way a person would type it.
pub fn show(command: &Command) {
    let program = command.get_program().to_string_lossy();
    let program = if program.ends_with("cargo") {
        "cargo".into()
    } else {
        program
    };
    let args: Vec<String> = command
        .get_args()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let envs: Vec<String> = command
        .get_envs()
        .filter_map(|(key, value)| {
            let key = key.to_string_lossy();
            value.map(|value| {
                let value = value.to_string_lossy();
                if key.contains("PASSWORD") || key.contains("SECRET") || key.contains("TOKEN") {
                    format!("{key}=***")
                } else {
                    format!("{key}={value}")
                }
            })
        })
        .collect();
    let prefix = if envs.is_empty() {
        String::new()
    } else {
        format!("{} ", envs.join(" "))
    };
    println!("+ {prefix}{program} {}", args.join(" "));
}

/// Runs a command to completion, inheriting the terminal.
pub fn run(mut command: Command) -> Result<(), String> {
    show(&command);
    let status = command
        .status()
        .map_err(|error| format!("could not start {:?}: {error}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", command.get_program()))
    }
}

/// Counts from the libtest summary lines (`test result: ok. 3 passed; 0 failed; 1 ignored; ...`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests that were ignored.
    pub ignored: u64,
}

impl TestCounts {
    /// Adds the counts of one `test result:` line, if `line` is one.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            if let (Some(number), Some(label)) = (words.next(), words.next())
                && let Ok(number) = number.parse::<u64>()
            {
                match label {
                    "passed" => self.passed += number,
                    "failed" => self.failed += number,
                    "ignored" => self.ignored += number,
                    _ => {}
                }
            }
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: TestCounts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Runs a `cargo test` command, echoing its output and counting the results.
pub fn run_tests(mut command: Command) -> (Result<(), String>, TestCounts) {
    show(&command);
    command.stdout(Stdio::piped());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            return (
                Err(format!("could not start cargo: {error}")),
                TestCounts::default(),
            );
        }
    };
    let mut counts = TestCounts::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            counts.add_line(&line);
        }
    }
    let result = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("cargo test failed ({status})")),
        Err(error) => Err(format!("cargo test did not finish: {error}")),
    };
    (result, counts)
}

#[cfg(test)]
mod tests {
    use super::TestCounts;

    #[test]
    fn counts_libtest_summary_lines() {
        let mut counts = TestCounts::default();
        counts.add_line("test result: ok. 12 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        counts.add_line(
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        counts.add_line("running 4 tests");
        assert_eq!(
            counts,
            TestCounts {
                passed: 15,
                failed: 1,
                ignored: 2
            }
        );
    }
}
