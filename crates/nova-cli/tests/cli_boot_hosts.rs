//! The boot flags that map onto existing request fields (`--file`, `--swap`, `--ephemeral`,
//! `--access-ip-v4/-v6`, `--host`, `--hypervisor-hostname`), the host-wide loops
//! (`host-evacuate-live`, `host-servers-migrate`, `host-meta`), `ssh`, `--all-tenants` on
//! `delete`/`start`/`stop`, and the completion scripts.

mod support;
use support::*;

use std::process::Output;

use mock_cloud::{MockCloud, MockConfig};

const CREATE_ROUTE: &str = "POST /compute/v2.1/servers";

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nova-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `nova --os-compute-api-version <version> boot --flavor m1.tiny --image cirros-0.6.2
/// <flags...> <name>`, as the mock's admin when `admin`, else as the demo user.
async fn boot_at(auth: &str, admin: bool, version: &str, flags: &[&str], name: &str) -> Output {
    let mut args = vec![
        "--os-compute-api-version",
        version,
        "boot",
        "--flavor",
        "m1.tiny",
        "--image",
        "cirros-0.6.2",
    ];
    args.extend_from_slice(flags);
    args.push(name);
    if admin {
        nova_admin(auth, &args).await
    } else {
        nova(auth, &args).await
    }
}

#[tokio::test]
async fn boot_sends_swap_ephemeral_files_and_access_ips_and_gates_by_version() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let dir = temp_dir("boot");
    let motd = dir.join("motd");
    std::fs::write(&motd, "hello from the host\n").expect("write motd");
    let file_arg = format!("/etc/motd={}", motd.display());

    let out = nova(
        &auth,
        &[
            "--os-compute-api-version",
            "2.56",
            "--debug",
            "boot",
            "--flavor",
            "m1.tiny",
            "--image",
            "cirros-0.6.2",
            "--swap",
            "512",
            "--ephemeral",
            "size=1,format=ext4",
            "--file",
            &file_arg,
            "--access-ip-v4",
            "192.0.2.10",
            "--access-ip-v6",
            "2001:db8::10",
            "vm-flags",
            "-f",
            "json",
        ],
    )
    .await;
    let shown = json(&out);
    assert_eq!(shown["accessIPv4"], "192.0.2.10", "{shown}");
    assert_eq!(shown["accessIPv6"], "2001:db8::10", "{shown}");
    let debug = text(&out.stderr);
    for sent in [
        r#""guest_format":"swap""#,
        r#""volume_size":512"#,
        r#""guest_format":"ext4""#,
        r#""boot_index":-1"#,
        r#""destination_type":"local""#,
        r#""path":"/etc/motd""#,
    ] {
        assert!(debug.contains(sent), "{sent} not in the request:\n{debug}");
    }

    // Version-gated flags fail before anything is created.
    cloud.reset_counts();
    let personality = boot_at(&auth, false, "2.57", &["--file", &file_arg], "vm-late").await;
    let stderr = failed(&personality, 2);
    assert!(stderr.contains("personality"), "{stderr}");
    let host = boot_at(&auth, true, "2.73", &["--host", "compute-0"], "vm-early").await;
    let stderr = failed(&host, 2);
    assert!(stderr.contains("host"), "{stderr}");
    let certs = boot_at(
        &auth,
        false,
        "2.62",
        &["--trusted-image-certificate-id", "cert-1"],
        "vm-certs",
    )
    .await;
    let stderr = failed(&certs, 2);
    assert!(stderr.contains("trusted_image_certificates"), "{stderr}");
    assert_eq!(cloud.count(CREATE_ROUTE), 0);

    // From 2.74 an admin may ask for a host and a node.
    let placed = json(
        &boot_at(
            &auth,
            true,
            "2.74",
            &[
                "--host",
                "compute-0",
                "--hypervisor-hostname",
                "compute-0.example.com",
                "-f",
                "json",
            ],
            "vm-placed",
        )
        .await,
    );
    assert_eq!(placed["OS-EXT-SRV-ATTR:host"], "compute-0", "{placed}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn host_loops_live_migrate_cold_migrate_and_set_metadata_on_every_server() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let ids = seed_demo_servers(&cloud, 3, "loop");

    let meta = nova_admin(
        &auth,
        &["host-meta", "compute-0", "set", "role=web", "tier=1"],
    )
    .await;
    ok(&meta);
    for id in &ids {
        let shown = json(&nova(&auth, &["show", id, "-f", "json"]).await);
        let metadata = shown["metadata"].to_string();
        assert!(metadata.contains("web"), "{id}: {shown}");
    }
    ok(&nova_admin(&auth, &["host-meta", "compute-0", "delete", "role"]).await);
    let shown = json(&nova(&auth, &["show", &ids[2], "-f", "json"]).await);
    assert!(!shown["metadata"].to_string().contains("web"), "{shown}");
    assert!(shown["metadata"].to_string().contains("tier"), "{shown}");

    // --force is 2.30 to 2.67: refused before any server is touched.
    cloud.reset_counts();
    let forced = nova_admin(
        &auth,
        &[
            "host-evacuate-live",
            "--force",
            "--target-host",
            "compute-1",
            "compute-0",
        ],
    )
    .await;
    let stderr = failed(&forced, 2);
    assert!(stderr.contains("force"), "{stderr}");
    assert_eq!(
        cloud.count("POST /compute/v2.1/servers/{id}/action"),
        0,
        "{:?}",
        cloud.counts()
    );

    let live = json(
        &nova_admin(
            &auth,
            &[
                "host-evacuate-live",
                "--max-servers",
                "2",
                "--target-host",
                "compute-1",
                "compute-0",
                "-f",
                "json",
            ],
        )
        .await,
    );
    let rows = live.as_array().expect("rows");
    assert_eq!(rows.len(), 2, "--max-servers 2: {live}");
    for row in rows {
        assert_eq!(row["Live Migration Accepted"], true, "{live}");
        assert_eq!(row["Error Message"], "", "{live}");
    }

    let strict_miss = nova_admin(&auth, &["host-servers-migrate", "--strict", "compute-0"]).await;
    let stderr = failed(&strict_miss, 4);
    assert!(
        stderr.contains("No hypervisor matching 'compute-0' could be found."),
        "{stderr}"
    );

    let cold = json(
        &nova_admin(
            &auth,
            &[
                "host-servers-migrate",
                "--strict",
                "compute-0.example.com",
                "-f",
                "json",
            ],
        )
        .await,
    );
    let rows = cold.as_array().expect("rows");
    assert!(!rows.is_empty(), "a server is left on compute-0: {cold}");
    for row in rows {
        assert!(ids.iter().any(|id| row["Server UUID"] == id.as_str()));
        assert!(row.get("Migration Accepted").is_some(), "{cold}");
    }
}

#[tokio::test]
async fn ssh_runs_the_ssh_program_with_the_picked_address() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let ids = seed_demo_servers(&cloud, 1, "shell");
    let shown = json(&nova(&auth, &["show", &ids[0], "-f", "json"]).await);
    let private = shown["private network"]
        .as_str()
        .expect("a private address")
        .to_owned();

    let bin = temp_dir("ssh-bin");
    let fake = bin.join("ssh");
    std::fs::write(&fake, "#!/bin/sh\necho \"ssh $*\"\n").expect("fake ssh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mut env = env_for(&auth);
    env.push(("PATH", bin.display().to_string()));

    let out = run_with(
        env.clone(),
        &[
            "ssh",
            "--address-type",
            "fixed",
            "--port",
            "2222",
            "-i",
            "/keys/id",
            "--extra-opts",
            "-o StrictHostKeyChecking=no",
            "cloud-user@shell-1",
        ],
    )
    .await;
    let stdout = ok(&out);
    let line = stdout.trim();
    assert!(
        line.starts_with("ssh -4 -p2222 -i /keys/id cloud-user@"),
        "{line}"
    );
    assert!(line.ends_with(" -o StrictHostKeyChecking=no"), "{line}");
    assert!(
        line.contains(&format!("cloud-user@{private} ")),
        "{line} vs {private}"
    );

    // The default is a floating address: the server has none.
    let none = run_with(env, &["ssh", "shell-1"]).await;
    let stderr = failed(&none, 4);
    assert!(
        stderr.contains("type 'floating' of version IPv4 has been found for server 'shell-1'"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(bin);
}

async fn run_with(env: Vec<(&'static str, String)>, args: &[&str]) -> std::process::Output {
    let mut cmd = command_with(env, args);
    tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("nova runs")
}

#[tokio::test]
async fn all_tenants_finds_other_projects_servers_by_name() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let ids = seed_demo_servers(&cloud, 2, "theirs");

    // The admin's own project has no such server.
    let missed = nova_admin(&auth, &["stop", "theirs-1"]).await;
    failed(&missed, 4);

    ok(&nova_admin(&auth, &["stop", "--all-tenants", "--poll", "theirs-1"]).await);
    assert_eq!(status_of(&auth, &ids[0]).await, "SHUTOFF");
    ok(&nova_admin(&auth, &["start", "--all-tenants", "--poll", "theirs-1"]).await);
    assert_eq!(status_of(&auth, &ids[0]).await, "ACTIVE");

    let deleted = nova_admin(
        &auth,
        &["delete", "--all-tenants", "--wait", "theirs-1", "theirs-2"],
    )
    .await;
    let stdout = ok(&deleted);
    assert!(
        stdout.contains("Request to delete server theirs-1 has been accepted."),
        "{stdout}"
    );
    let left = json(&nova(&auth, &["list", "-f", "json"]).await);
    assert_eq!(left.as_array().map(Vec::len), Some(0), "{left}");
}

#[tokio::test]
async fn completion_scripts_print_without_credentials() {
    for (args, marker) in [
        (vec!["completion", "bash"], "_nova()"),
        (vec!["completion", "zsh"], "#compdef nova"),
        (vec!["completion", "fish"], "complete -c nova"),
        (vec!["bash-completion"], "_nova()"),
    ] {
        let out = run_with(Vec::new(), &args).await;
        let stdout = ok(&out);
        assert!(stdout.contains(marker), "{args:?}: {marker}");
        assert!(stdout.contains("host-evacuate-live"), "{args:?}");
    }
}
