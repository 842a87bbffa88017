//! `cargo xtask integration`: the `tests/` suite against the mock-cloud binary
//! (started and always stopped here) or against a cloud from `clouds.yaml`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{self, TestCounts};

/// How long the mock-cloud binary may take to start listening.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long it may take to stop after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Entry point for `cargo xtask integration [--cloud NAME]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let (result, counts) = match args {
        [] => against_mock_binary(),
        [flag, name] if flag == "--cloud" => against_cloud(name),
        _ => return Err("usage: cargo xtask integration [--cloud NAME]".to_string()),
    };
    println!(
        "integration: {} passed, {} failed",
        counts.passed, counts.failed
    );
    result
}

/// The suite command: the one integration test binary of the `tests/` crate.
fn suite() -> Command {
    process::cargo(&[
        "test",
        "--locked",
        "-p",
        "integration-tests",
        "--test",
        "integration",
    ])
}

/// Runs the suite against a named cloud from clouds.yaml (`OS_CLOUD`).
fn against_cloud(name: &str) -> (Result<(), String>, TestCounts) {
    let mut command = suite();
    command.env("OS_CLOUD", name).env_remove("MOCK_CLOUD_URL");
    process::run_tests(command)
}

/// Builds and starts the mock-cloud binary, runs the suite against it through
/// `OS_*` variables, and stops it on every exit path.
pub fn against_mock_binary() -> (Result<(), String>, TestCounts) {
    if let Err(message) = process::run(process::cargo(&[
        "build",
        "--locked",
        "-p",
        "mock-cloud",
        "--bin",
        "mock-cloud",
    ])) {
        return (Err(message), TestCounts::default());
    }
    let mock = match MockProcess::start() {
        Ok(mock) => mock,
        Err(message) => return (Err(message), TestCounts::default()),
    };
    let mut command = suite();
    for (key, value) in mock.os_env() {
        command.env(key, value);
    }
    let outcome = process::run_tests(command);
    let stopped = mock.stop();
    match (outcome, stopped) {
        ((Ok(()), counts), Err(message)) => (Err(message), counts),
        (outcome, _) => outcome,
    }
}

/// A running mock-cloud child process. Dropping it stops the process; its
/// stdin is a pipe, so it also exits by itself if this process dies.
/// Shared with `cargo xtask bench`, which starts the release binary.
pub(crate) struct MockProcess {
    child: Option<Child>,
    url: String,
    log: PathBuf,
}

impl MockProcess {
    fn start() -> Result<MockProcess, String> {
        let binary = process::target_dir().join("debug").join("mock-cloud");
        Self::start_binary(&binary, "mock-cloud")
    }

    /// Starts `binary` (a mock-cloud build) with its ready file and log named after `name`
    /// in the target directory's `xtask/`, and waits until it listens.
    pub(crate) fn start_binary(binary: &Path, name: &str) -> Result<MockProcess, String> {
        let dir = process::target_dir().join("xtask");
        std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {dir:?}: {error}"))?;
        let ready_file = dir.join(format!("{name}.ready"));
        let log = dir.join(format!("{name}.log"));
        let _ = std::fs::remove_file(&ready_file);
        let log_file = std::fs::File::create(&log)
            .map_err(|error| format!("cannot create {log:?}: {error}"))?;
        let log_err = log_file
            .try_clone()
            .map_err(|error| format!("cannot open {log:?}: {error}"))?;
        let mut command = Command::new(binary);
        command
            .args(["--port", "0", "--exit-on-stdin-eof", "--ready-file"])
            .arg(&ready_file)
            .stdin(Stdio::piped())
            .stdout(log_file)
            .stderr(log_err);
        process::show(&command);
        let child = command
            .spawn()
            .map_err(|error| format!("cannot start {binary:?}: {error}"))?;
        let pid = child.id();
        let mut mock = MockProcess {
            child: Some(child),
            url: String::new(),
            log,
        };
        mock.url = mock.wait_ready(&ready_file)?;
        println!("mock-cloud (pid {pid}) ready at {}", mock.url);
        Ok(mock)
    }

    /// Waits, bounded, until the ready file names the listening URL.
    fn wait_ready(&mut self, ready_file: &Path) -> Result<String, String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!(
                        "mock-cloud exited before it was ready ({status}); log:\n{}",
                        self.log_tail()
                    ));
                }
            }
            if let Ok(url) = std::fs::read_to_string(ready_file) {
                let url = url.trim().to_string();
                if !url.is_empty() {
                    return Ok(url);
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!(
            "mock-cloud was not ready within {READY_TIMEOUT:?}; log:\n{}",
            self.log_tail()
        ))
    }

    fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.log) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The process id, while it runs.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The environment that points the suite at this mock cloud (its seeded demo user).
    pub(crate) fn os_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("OS_AUTH_URL", format!("{}/identity/v3", self.url)),
            ("OS_AUTH_TYPE", "password".to_string()),
            ("OS_USERNAME", "demo".to_string()),
            ("OS_PASSWORD", "demo-password".to_string()),
            ("OS_PROJECT_NAME", "demo".to_string()),
            ("OS_USER_DOMAIN_NAME", "Default".to_string()),
            ("OS_PROJECT_DOMAIN_NAME", "Default".to_string()),
            ("OS_REGION_NAME", "RegionOne".to_string()),
            ("OS_INTERFACE", "public".to_string()),
            ("MOCK_CLOUD_URL", self.url.clone()),
        ]
    }

    /// Stops the process (SIGTERM, then SIGKILL after a timeout) and checks it is gone.
    pub(crate) fn stop(mut self) -> Result<(), String> {
        self.stop_child()
    }

    fn stop_child(&mut self) -> Result<(), String> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = child.id();
        // Closing stdin asks the mock to exit; SIGTERM does too.
        drop(child.stdin.take());
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            match child.try_wait() {
                Ok(Some(status)) => {
                    println!("mock-cloud (pid {pid}) stopped ({status})");
                    return Ok(());
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(error) => return Err(format!("cannot wait for mock-cloud: {error}")),
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        Err(format!(
            "mock-cloud (pid {pid}) did not stop within {STOP_TIMEOUT:?} and was killed"
        ))
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        if let Err(message) = self.stop_child() {
            eprintln!("xtask: {message}");
        }
    }
}
