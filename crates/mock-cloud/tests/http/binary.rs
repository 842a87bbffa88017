//! The `mock-cloud` binary: flags, config file, ready file, printed
//! environment, clean stop on SIGTERM.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_mock-cloud");

/// Kills the child on drop, so a failing test leaves no process behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

async fn wait_for_file(path: &Path) -> String {
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} never appeared", path.display());
}

#[test]
fn help_lists_the_flags() {
    let output = Command::new(BIN).arg("--help").output().expect("run");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--port",
        "--bind",
        "--config",
        "--max-microversion",
        "--ready-file",
    ] {
        assert!(text.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn a_bad_config_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cloud.yaml");
    std::fs::write(&path, "keystone:\n  regoin: typo\n").expect("write");
    let output = Command::new(BIN)
        .arg("--config")
        .arg(&path)
        .output()
        .expect("run");
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("cloud.yaml"), "{text}");
    assert!(text.contains("regoin"), "{text}");
}

#[tokio::test]
async fn binary_serves_prints_env_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ready = dir.path().join("ready");
    let config = dir.path().join("cloud.yaml");
    std::fs::write(
        &config,
        "keystone:\n  token_ttl_secs: 120\nversions:\n  compute_max: \"2.90\"\n",
    )
    .expect("write");
    let child = Command::new(BIN)
        .args(["--port", "0", "--max-microversion", "2.60", "--config"])
        .arg(&config)
        .arg("--ready-file")
        .arg(&ready)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut running = Running(child);
    let url = wait_for_file(&ready).await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let client = client();
    let body: Value = client
        .get(format!("{url}/compute/v2.1/"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["version"]["version"], "2.60",
        "the flag beats the file"
    );
    let auth = format!("{url}/identity/v3/auth/tokens");
    let response = client
        .post(&auth)
        .json(&password_request(
            demo_user(),
            "demo-password",
            Some(demo_project_scope()),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 201);
    let t: Value = response.json().await.expect("json");
    let parse = |k: &str| {
        chrono::DateTime::parse_from_rfc3339(t["token"][k].as_str().expect("time")).expect("time")
    };
    assert_eq!(
        (parse("expires_at") - parse("issued_at")).num_seconds(),
        120
    );

    let pid = running.0.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut exit = None;
    for _ in 0..100 {
        if let Some(status) = running.0.try_wait().expect("wait") {
            exit = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let exit = exit.expect("the binary did not stop on SIGTERM");
    assert!(exit.success(), "{exit:?}");
    assert!(!ready.exists(), "the ready file is removed on exit");

    let mut stdout = String::new();
    if let Some(mut out) = running.0.stdout.take() {
        use std::io::Read;
        out.read_to_string(&mut stdout).expect("read");
    }
    for line in [
        format!("export OS_AUTH_URL={url}/identity/v3"),
        "export OS_USERNAME=demo".to_owned(),
        "export OS_PASSWORD=demo-password".to_owned(),
        "export OS_PROJECT_NAME=demo".to_owned(),
        "export OS_USER_DOMAIN_NAME=Default".to_owned(),
        "export OS_PROJECT_DOMAIN_NAME=Default".to_owned(),
        "export OS_REGION_NAME=RegionOne".to_owned(),
        "export OS_IDENTITY_API_VERSION=3".to_owned(),
    ] {
        assert!(stdout.contains(&line), "missing `{line}` in:\n{stdout}");
    }
    assert!(stdout.contains("clouds:\n  mock:\n"), "{stdout}");
}
