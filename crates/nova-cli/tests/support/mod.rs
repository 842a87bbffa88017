//! What every CLI test file shares: running `nova` as a child process with a user's `OS_*`
//! variables against an in-process mock-cloud, and reading its output.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub const NOVA: &str = env!("CARGO_BIN_EXE_nova");
pub const TOKEN_ROUTE: &str = "POST /identity/v3/auth/tokens";

/// The environment of a user of the mock's `demo` project.
pub fn env_for(auth_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("OS_AUTH_URL", auth_url.to_owned()),
        ("OS_USERNAME", "demo".to_owned()),
        ("OS_PASSWORD", "demo-password".to_owned()),
        ("OS_PROJECT_NAME", "demo".to_owned()),
        ("OS_USER_DOMAIN_NAME", "Default".to_owned()),
        ("OS_PROJECT_DOMAIN_NAME", "Default".to_owned()),
        ("HOME", "/nonexistent-nova-cli-test-home".to_owned()),
    ]
}

/// The environment of the mock's seeded `admin` user in project `admin`.
pub fn admin_env_for(auth_url: &str) -> Vec<(&'static str, String)> {
    let mut env = env_for(auth_url);
    for (key, value) in &mut env {
        match *key {
            "OS_USERNAME" | "OS_PROJECT_NAME" => *value = "admin".to_owned(),
            "OS_PASSWORD" => *value = mock_cloud::seed::ADMIN_PASSWORD.to_owned(),
            _ => {}
        }
    }
    env
}

/// `nova args...` as the demo user, not yet run.
pub fn command(auth_url: &str, args: &[&str]) -> Command {
    command_with(env_for(auth_url), args)
}

/// `nova args...` with the environment `env`, not yet run.
pub fn command_with(env: Vec<(&'static str, String)>, args: &[&str]) -> Command {
    let mut cmd = Command::new(NOVA);
    cmd.env_clear()
        .envs(env)
        .args(["--poll-interval", "0.02", "--wait-timeout", "30"])
        .args(args)
        .stdin(Stdio::null());
    cmd
}

/// Runs `nova args...` as the demo user without blocking the runtime that serves the mock.
pub async fn nova(auth_url: &str, args: &[&str]) -> Output {
    run(command(auth_url, args)).await
}

/// Runs `nova args...` as the mock's admin (project `admin`).
pub async fn nova_admin(auth_url: &str, args: &[&str]) -> Output {
    run(command_with(admin_env_for(auth_url), args)).await
}

/// Runs `nova args...` with the environment `env`.
pub async fn run_with(env: Vec<(&'static str, String)>, args: &[&str]) -> Output {
    run(command_with(env, args)).await
}

async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("nova runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[track_caller]
pub fn json(out: &Output) -> Value {
    let stdout = ok(out);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

#[track_caller]
pub fn failed(out: &Output, code: i32) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{stderr}",
        text(&out.stdout)
    );
    assert!(
        stderr.starts_with("ERROR ("),
        "one clear error line: {stderr}"
    );
    stderr
}

/// `nova boot` as the demo user with `m1.tiny`, `cirros-0.6.2` and `--nic auto`: the
/// name (and any further options) follow.
pub const DEMO_BOOT: &[&str] = &[
    "boot",
    "--flavor",
    "m1.tiny",
    "--image",
    "cirros-0.6.2",
    "--nic",
    "auto",
];

/// Boots server `name` as the demo user ([`DEMO_BOOT`]), polling until it is ACTIVE:
/// its id.
pub async fn boot(auth: &str, name: &str) -> String {
    let args = [DEMO_BOOT, &["--poll", "-f", "json", name]].concat();
    let booted = json(&nova(auth, &args).await);
    assert_eq!(booted["status"], "ACTIVE", "{booted}");
    booted["id"].as_str().expect("id").to_owned()
}

/// Seeds `count` ACTIVE servers named `<prefix>-<n>` in the mock's `demo` project (no API
/// calls): their ids, oldest first.
pub fn seed_demo_servers(cloud: &mock_cloud::MockCloud, count: usize, prefix: &str) -> Vec<String> {
    cloud
        .control()
        .state()
        .nova
        .seed_servers(count, prefix, "demo")
}

pub async fn status_of(auth: &str, server: &str) -> String {
    let shown = json(&nova(auth, &["show", server, "-f", "json"]).await);
    shown["status"].as_str().unwrap_or_default().to_owned()
}
