//! The `nova` binary run as a user runs it: a child process with `OS_*` variables, against an
//! in-process mock-cloud on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use mock_cloud::{MockCloud, MockConfig};
use serde_json::Value;

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boot_list_show_actions_and_delete() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();

    // boot by flavor and image *names*, with the options a user gives, and poll to ACTIVE
    let booted = nova(
        &auth,
        &[
            "boot",
            "--flavor",
            "m1.tiny",
            "--image",
            "cirros-0.6.2",
            "--meta",
            "role=web",
            "--nic",
            "auto",
            "--description",
            "made by the CLI test",
            "--tags",
            "a,b",
            "--poll",
            "-f",
            "json",
            "web-1",
        ],
    )
    .await;
    let server = json(&booted);
    assert_eq!(server["status"], "ACTIVE", "{server}");
    assert_eq!(server["name"], "web-1");
    assert_eq!(
        server["image"], "cirros-0.6.2 (70a599e0-31e7-49b7-b260-868f441e862b)",
        "novaclient's `name (id)`"
    );
    assert_eq!(server["metadata"]["role"], "web");
    assert_eq!(server["description"], "made by the CLI test");
    let id = server["id"].as_str().expect("id").to_owned();
    let progress = text(&booted.stderr);
    assert!(
        progress.contains("status BUILD"),
        "progress lines: {progress}"
    );
    assert!(progress.contains("Finished"), "{progress}");

    // list as a table and as JSON parsed back
    let table = ok(&nova(&auth, &["list"]).await);
    assert!(table.starts_with("+--"), "{table}");
    assert!(
        table.contains("| ID ") && table.contains("| Power State |"),
        "{table}"
    );
    assert!(table.contains(&id), "{table}");
    let listed = json(&nova(&auth, &["list", "-f", "json"]).await);
    let rows = listed.as_array().expect("array");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ID"], id.as_str());
    assert_eq!(rows[0]["Status"], "ACTIVE");
    assert_eq!(rows[0]["Power State"], "Running");
    let fields = json(&nova(&auth, &["list", "--fields", "name,status", "-f", "json"]).await);
    assert_eq!(fields[0]["Name"], "web-1", "{fields}");
    let value = ok(&nova(&auth, &["list", "--minimal", "-f", "value"]).await);
    assert_eq!(value.trim(), format!("{id} web-1"));

    // show by name, table form
    let shown = ok(&nova(&auth, &["show", "web-1"]).await);
    assert!(shown.contains("| Property"), "{shown}");
    assert!(
        shown.contains("| status ") && shown.contains("ACTIVE"),
        "{shown}"
    );

    // the actions, each polled to its status
    for (args, status) in [
        (vec!["stop", "--poll", "web-1"], "SHUTOFF"),
        (vec!["start", "--poll", "web-1"], "ACTIVE"),
        (vec!["pause", "--poll", "web-1"], "PAUSED"),
        (vec!["unpause", "--poll", "web-1"], "ACTIVE"),
        (vec!["suspend", "--poll", "web-1"], "SUSPENDED"),
        (vec!["resume", "--poll", "web-1"], "ACTIVE"),
        (vec!["reboot", "--hard", "--poll", "web-1"], "ACTIVE"),
        (
            vec!["resize", "--poll", "web-1", "m1.small"],
            "VERIFY_RESIZE",
        ),
        (vec!["resize-confirm", "web-1"], "ACTIVE"),
        (vec!["rebuild", "--poll", "web-1", "ubuntu-24.04"], "ACTIVE"),
    ] {
        ok(&nova(&auth, &args).await);
        assert_eq!(status_of(&auth, &id).await, status, "after {args:?}");
    }
    ok(&nova(&auth, &["lock", "web-1"]).await);
    let locked = json(&nova(&auth, &["show", &id, "-f", "json"]).await);
    assert_eq!(locked["locked"], true);
    ok(&nova(&auth, &["unlock", "web-1"]).await);

    // metadata and tags
    let meta = json(&nova(&auth, &["meta", "web-1", "set", "tier=1", "-f", "json"]).await);
    assert_eq!(meta["tier"], "1");
    ok(&nova(&auth, &["meta", "web-1", "delete", "role"]).await);
    ok(&nova(&auth, &["server-tag-add", "web-1", "c"]).await);
    let tags = json(&nova(&auth, &["server-tag-list", "web-1", "-f", "json"]).await);
    let tags: Vec<&str> = tags
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["Tag"].as_str())
        .collect();
    assert!(tags.contains(&"c") && tags.contains(&"a"), "{tags:?}");
    ok(&nova(&auth, &["server-tag-delete-all", "web-1"]).await);
    let tags = json(&nova(&auth, &["server-tag-list", "web-1", "-f", "json"]).await);
    assert_eq!(tags, Value::Array(vec![]));

    // console log, snapshot, flavors, limits, zones, versions
    let log = ok(&nova(&auth, &["console-log", "--length", "2", "web-1"]).await);
    assert_eq!(log.lines().count(), 2, "{log}");
    let image = json(
        &nova(
            &auth,
            &["image-create", "--poll", "web-1", "snap-1", "-f", "json"],
        )
        .await,
    );
    assert!(
        image["id"].as_str().is_some_and(|s| !s.is_empty()),
        "{image}"
    );
    let flavors = json(&nova(&auth, &["flavor-list", "-f", "json"]).await);
    assert!(
        flavors
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["Name"] == "m1.small"))
    );
    let flavor = json(&nova(&auth, &["flavor-show", "m1.small", "-f", "json"]).await);
    assert_eq!(flavor["ram"], 2048);
    let limits = json(&nova(&auth, &["limits", "-f", "json"]).await);
    assert!(
        limits
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["Name"] == "Instances" && r["Used"] == 1)),
        "{limits}"
    );
    let zones = ok(&nova(&auth, &["availability-zone-list", "-f", "value"]).await);
    assert_eq!(zones.trim(), "nova available");
    let versions = json(&nova(&auth, &["version-list", "-f", "json"]).await);
    assert!(
        versions
            .as_array()
            .is_some_and(|v| v.iter().any(|d| d["Id"] == "v2.1")),
        "{versions}"
    );

    // delete and wait until it is gone
    let deleted = nova(&auth, &["delete", "--wait", "web-1"]).await;
    assert!(ok(&deleted).contains("Request to delete server web-1 has been accepted."));
    let gone = nova(&auth, &["show", &id]).await;
    let stderr = failed(&gone, 4);
    assert!(stderr.contains(&id), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keypairs_round_trip() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let dir = std::env::temp_dir().join(format!("nova-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let key = dir.join("id.pub");
    std::fs::write(
        &key,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDxcM6ZBoQhvAPGOD7L3X5Nyv2dQ4pc4pUVjXgo9AUXo test@host\n",
    )
    .expect("write key");
    let key_path = key.to_string_lossy().into_owned();
    ok(&nova(&auth, &["keypair-add", "--pub-key", &key_path, "k1"]).await);
    let list = json(&nova(&auth, &["keypair-list", "-f", "json"]).await);
    assert_eq!(list[0]["Name"], "k1", "{list}");
    let shown = json(&nova(&auth, &["keypair-show", "k1", "-f", "json"]).await);
    assert_eq!(shown["name"], "k1");
    ok(&nova(&auth, &["keypair-delete", "k1"]).await);
    failed(&nova(&auth, &["keypair-show", "k1"]).await, 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_output_masks_every_secret() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let admin_pass = "Adm1n-Pass-For-Debug";
    let out = nova(
        &auth,
        &[
            "--debug",
            "boot",
            "--flavor",
            "1",
            "--image",
            "cirros-0.6.2",
            "--admin-pass",
            admin_pass,
            "--poll",
            "dbg-1",
        ],
    )
    .await;
    ok(&out);
    let log = text(&out.stderr);
    assert!(log.contains("curl -g -i -X POST"), "curl lines: {log}");
    assert!(
        log.contains("x-auth-token: {SHA256}"),
        "hashed token: {log}"
    );
    assert!(log.contains("RESP"), "responses are logged: {log}");
    assert!(!log.contains("demo-password"), "password leaked");
    assert!(!log.contains(admin_pass), "adminPass leaked");
    for line in log.lines() {
        for header in ["x-auth-token: ", "x-subject-token: "] {
            if let Some(at) = line.find(header) {
                let rest = &line[at + header.len()..];
                assert!(rest.starts_with("{SHA256}"), "raw token in: {line}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_names_list_candidates() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let out = nova(
        &auth,
        &[
            "boot",
            "--flavor",
            "m1.huge",
            "--image",
            "cirros-0.6.2",
            "x",
        ],
    )
    .await;
    let stderr = failed(&out, 4);
    assert!(stderr.contains("'m1.huge'"), "{stderr}");
    assert!(
        stderr.contains("m1.tiny") && stderr.contains("m1.small"),
        "candidates: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    let out = nova(
        &auth,
        &["boot", "--flavor", "m1.tiny", "--image", "fedora", "x"],
    )
    .await;
    let stderr = failed(&out, 4);
    assert!(
        stderr.contains("'fedora'") && stderr.contains("cirros-0.6.2"),
        "{stderr}"
    );
    assert_eq!(
        cloud.count("POST /compute/v2.1/servers"),
        0,
        "nothing was booted"
    );
    let out = nova(
        &auth,
        &[
            "boot",
            "--flavor",
            "m1.tiny",
            "--image",
            "cirros-0.6.2",
            "--nic",
            "bogus",
            "x",
        ],
    )
    .await;
    failed(&out, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn microversion_errors() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let out = nova(&auth, &["--os-compute-api-version", "abc", "list"]).await;
    let stderr = failed(&out, 2);
    assert!(stderr.contains("\"abc\""), "{stderr}");
    assert_eq!(
        cloud.count(TOKEN_ROUTE),
        0,
        "a malformed version fails before any request"
    );
    let out = nova(&auth, &["--os-compute-api-version", "2.999", "list"]).await;
    let stderr = failed(&out, 3);
    assert!(
        stderr.contains("2.999") && stderr.contains("2.1"),
        "{stderr}"
    );
    // a pinned version inside the range is used as is
    let pinned = nova(
        &auth,
        &["--os-compute-api-version", "2.10", "--debug", "list"],
    )
    .await;
    ok(&pinned);
    assert!(
        text(&pinned.stderr).contains("compute 2.10"),
        "pinned header"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_auth_url_and_missing_config() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let out = nova(&format!("http://127.0.0.1:{port}/identity/v3"), &["list"]).await;
    let stderr = failed(&out, 3);
    assert!(stderr.contains("could not connect"), "{stderr}");
    assert!(!stderr.contains("demo-password"));
    let mut cmd = Command::new(NOVA);
    cmd.env_clear()
        .env("HOME", "/nonexistent-nova-cli-test-home")
        .arg("list");
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("runs");
    failed(&out, 3);
}

/// A refused password is an authentication failure (exit 3, novaclient's
/// `Unauthorized`), found on the first compute request without authenticating
/// up front, and the password is never printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_password_is_unauthorized_exit_3() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let mut env = env_for(cloud.auth_url());
    for (key, value) in &mut env {
        if *key == "OS_PASSWORD" {
            *value = "not-the-demo-password".to_owned();
        }
    }
    let out = run_with(env, &["list"]).await;
    let stderr = failed(&out, 3);
    assert!(stderr.contains("ERROR (Unauthorized)"), "{stderr}");
    assert!(!stderr.contains("not-the-demo-password"), "{stderr}");
    assert!(!text(&out.stdout).contains("not-the-demo-password"));
    assert_eq!(cloud.count(TOKEN_ROUTE), 1, "one token request, no retry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_and_help_do_not_authenticate() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let version = ok(&nova(&auth, &["--version"]).await);
    assert!(version.starts_with("nova "), "{version}");
    let help = ok(&nova(&auth, &["help"]).await);
    assert!(
        help.contains("Exit codes:") && help.contains("130"),
        "{help}"
    );
    let boot_help = ok(&nova(&auth, &["help", "boot"]).await);
    assert!(boot_help.contains("--block-device-mapping"), "{boot_help}");
    assert_eq!(cloud.count(TOKEN_ROUTE), 0);
    let usage = nova(&auth, &["boot"]).await;
    assert_eq!(usage.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timings_table_at_exit() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let out = nova(&auth, &["--timings", "flavor-list", "-f", "json"]).await;
    json(&out);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("| Method |"), "{stderr}");
    assert!(stderr.contains("/identity/v3/auth/tokens"), "{stderr}");
    assert!(stderr.contains("/compute/v2.1/flavors/detail"), "{stderr}");
    assert!(stderr.contains("| Total "), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_waiting_not_the_server() {
    let mut config = MockConfig::default();
    config.nova.build_polls = 100_000;
    let cloud = MockCloud::start(config).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let mut cmd = command(
        &auth,
        &[
            "boot",
            "--flavor",
            "1",
            "--image",
            "cirros-0.6.2",
            "--poll",
            "slow-1",
        ],
    );
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("spawn");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = Vec::new();
        for line in lines.by_ref().take(50) {
            let line = line.unwrap_or_default();
            let waiting = line.contains("status BUILD");
            seen.push(line);
            if waiting {
                break;
            }
        }
        let pid = child.id().to_string();
        let killed = Command::new("kill").args(["-INT", &pid]).status();
        assert!(killed.is_ok_and(|s| s.success()), "kill -INT");
        seen.extend(lines.map_while(Result::ok).take(50));
        let status = child.wait().expect("wait");
        (status, seen.join("\n"))
    })
    .await
    .expect("join");
    let (status, stderr) = out;
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted while waiting"), "{stderr}");
    // the server is still there (still building)
    tokio::time::sleep(Duration::from_millis(10)).await;
    let shown = json(&nova(&auth, &["show", "slow-1", "-f", "json"]).await);
    assert_eq!(shown["status"], "BUILD");
    assert_eq!(cloud.count("DELETE /compute/v2.1/servers/{id}"), 0);
}
