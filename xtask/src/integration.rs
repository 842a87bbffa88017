//! `cargo xtask integration`: the `tests/` suite against the mock-cloud binary
//! (started and always stopped here) or against a cloud from `clouds.yaml`.

use std::process::Command;

use crate::mock::MockProcess;
use crate::process::{self, TestCounts};

const USAGE: &str = "usage: cargo xtask integration [--cloud NAME [--admin-cloud NAME]]";

/// Entry point for `cargo xtask integration [--cloud NAME [--admin-cloud NAME]]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let (result, counts) = match args {
        [] => against_mock_binary(),
        [flag, name] if flag == "--cloud" => against_cloud(name, None),
        [flag, name, admin_flag, admin] if flag == "--cloud" && admin_flag == "--admin-cloud" => {
            against_cloud(name, Some(admin))
        }
        _ => return Err(USAGE.to_string()),
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

/// Runs the suite against a named cloud from clouds.yaml (`OS_CLOUD`), with the admin
/// tests run as `admin` (another clouds.yaml entry, `NOVA_TEST_ADMIN_CLOUD`) if given.
fn against_cloud(name: &str, admin: Option<&str>) -> (Result<(), String>, TestCounts) {
    let mut command = suite();
    command.env("OS_CLOUD", name).env_remove("MOCK_CLOUD_URL");
    if let Some(admin) = admin {
        command.env("NOVA_TEST_ADMIN_CLOUD", admin);
    }
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
    let binary = process::target_dir().join("debug").join("mock-cloud");
    let mock = match MockProcess::start(&binary, &process::target_dir().join("xtask"), "mock-cloud")
    {
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
