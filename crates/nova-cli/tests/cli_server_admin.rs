//! `nova` server admin commands against the mock: backup, set-password (from standard
//! input, never argv), security groups, the server password, restore, trigger-crash-dump,
//! and rescue/shelve/force-delete.

mod support;
use support::*;

use std::io::Write;
use std::process::Stdio;

use mock_cloud::{MockCloud, MockConfig};

/// Shows `server` (by id: a GET advances the mock's transitions) until it is idle in
/// status `want`.
async fn settles_to(auth: &str, server: &str, want: &str) {
    let mut last = serde_json::Value::Null;
    for _ in 0..10 {
        last = json(&nova(auth, &["show", server, "-f", "json"]).await);
        if last["status"] == want && last["OS-EXT-STS:task_state"].is_null() {
            return;
        }
    }
    panic!("{server} did not settle to {want}: {last}");
}

/// `nova set-password <server>` with `stdin` piped in.
async fn set_password(auth: &str, server: &str, stdin: &'static str) -> std::process::Output {
    let mut cmd = command(auth, &["set-password", server]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("nova runs");
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.as_bytes()).expect("stdin");
        }
        child.wait_with_output().expect("output")
    })
    .await
    .expect("join")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_security_groups_backup_and_state_errors() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "adm-1").await;

    ok(&set_password(&auth, "adm-1", "n3w-Secret\n").await);
    let stderr = failed(&set_password(&auth, "adm-1", "").await, 2);
    assert!(stderr.contains("no password given"), "{stderr}");

    let groups = json(&nova(&auth, &["list-secgroup", "adm-1", "-f", "json"]).await);
    assert_eq!(groups[0]["Name"], "default", "{groups}");
    let stderr = text(&nova(&auth, &["add-secgroup", "adm-1", "nope"]).await.stderr);
    assert!(
        stderr.contains("Security group nope not found."),
        "{stderr}"
    );
    let stderr = text(
        &nova(&auth, &["remove-secgroup", "adm-1", "default"])
            .await
            .stderr,
    );
    assert!(stderr.is_empty(), "{stderr}");
    let groups = json(&nova(&auth, &["list-secgroup", "adm-1", "-f", "json"]).await);
    assert_eq!(groups.as_array().map(Vec::len), Some(0), "{groups}");

    ok(&nova(&auth, &["backup", "adm-1", "nightly", "daily", "2"]).await);
    let refused = nova(&auth, &["backup", "adm-1", "x", "daily", "many"]).await;
    assert_eq!(refused.status.code(), Some(2), "rotation is a number");

    let password = ok(&nova(&auth, &["get-password", "adm-1"]).await);
    assert!(password.trim().is_empty(), "no password set: {password:?}");
    ok(&nova(&auth, &["clear-password", "adm-1"]).await);

    // wait for the backup's task to end, then the state checks
    settles_to(&auth, &id, "ACTIVE").await;
    ok(&nova(&auth, &["trigger-crash-dump", "adm-1"]).await);
    let stderr = failed(&nova(&auth, &["restore", "adm-1"]).await, 1);
    assert!(
        stderr.contains("Cannot 'restore' instance") && stderr.contains("vm_state active"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rescue_unrescue_shelve_unshelve_and_force_delete() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "adm-2").await;

    let rescued = json(
        &nova(
            &auth,
            &["rescue", "--password", "pw-1", "adm-2", "-f", "json"],
        )
        .await,
    );
    // the password the user gave is masked in what the CLI prints
    // (conformance/cli-differences.toml)
    assert_eq!(rescued["adminPass"], "***", "{rescued}");
    settles_to(&auth, &id, "RESCUE").await;
    ok(&nova(&auth, &["unrescue", "adm-2"]).await);
    settles_to(&auth, &id, "ACTIVE").await;

    ok(&nova(&auth, &["shelve", "adm-2"]).await);
    settles_to(&auth, &id, "SHELVED_OFFLOADED").await;
    let stderr = failed(&nova(&auth, &["shelve-offload", "adm-2"]).await, 1);
    assert!(stderr.contains("shelved_offloaded"), "{stderr}");
    ok(&nova(&auth, &["unshelve", "--availability-zone", "nova", "adm-2"]).await);
    settles_to(&auth, &id, "ACTIVE").await;

    ok(&nova(&auth, &["force-delete", "adm-2"]).await);
    let _ = nova(&auth, &["show", &id]).await;
    let gone = nova(&auth, &["show", &id]).await;
    assert!(!gone.status.success(), "deleted");
}
