//! issue 21: what an operator switching from python-novaclient 18.13.1 sees, item by item —
//! the `nova` binary run against mock-cloud, each assertion novaclient's output for the
//! same command line.

mod support;
use support::*;

use mock_cloud::seed::DEMO_PROJECT_ID;
use mock_cloud::{MockCloud, MockConfig};

/// The value cell of row `key` in a `| Property | Value |` table (trimmed), if present.
fn cell(table: &str, key: &str) -> Option<String> {
    table.lines().find_map(|line| {
        let mut cells = line.split('|').map(str::trim);
        let _ = cells.next();
        (cells.next() == Some(key)).then(|| cells.next().unwrap_or_default().to_owned())
    })
}

/// Item 1: a private flavor is found by name for `flavor-access-add` and `flavor-delete`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_flavors_are_found_by_name() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    ok(&nova_admin(
        &auth,
        &[
            "flavor-create",
            "--is-public",
            "false",
            "m1.hidden",
            "auto",
            "128",
            "1",
            "1",
        ],
    )
    .await);
    for version in ["2.1", "2.55", "2.latest"] {
        let access = ok(&nova_admin(
            &auth,
            &[
                "--os-compute-api-version",
                version,
                "flavor-access-list",
                "--flavor",
                "m1.hidden",
            ],
        )
        .await);
        assert!(access.contains("Tenant_ID"), "{version}: {access}");
    }
    let added = ok(&nova_admin(&auth, &["flavor-access-add", "m1.hidden", DEMO_PROJECT_ID]).await);
    assert!(added.contains(DEMO_PROJECT_ID), "{added}");
    ok(&nova_admin(&auth, &["flavor-delete", "m1.hidden"]).await);
    let gone = nova_admin(&auth, &["flavor-show", "m1.hidden"]).await;
    let stderr = failed(&gone, 4);
    assert!(
        stderr.contains("No flavor with a name or ID of 'm1.hidden' exists."),
        "{stderr}"
    );
}

/// Item 2: `--all-tenants` with no value, `1` and `0`, as argparse's `nargs='?'`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optional_values_of_list_options() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    seed_demo_servers(&cloud, 1, "theirs");
    for args in [
        &["list", "--all-tenants"][..],
        &["list", "--all-tenants", "1"],
        &["list", "--all-tenants", "--minimal"],
    ] {
        let table = ok(&nova_admin(&auth, args).await);
        assert!(table.contains("theirs-"), "{args:?}: {table}");
    }
    let own = ok(&nova_admin(&auth, &["list", "--all-tenants", "0"]).await);
    assert!(!own.contains("theirs-"), "only admin's own: {own}");
}

/// Item 3: unambiguous prefixes of long options, global and per command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_option_prefixes_are_accepted() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    seed_demo_servers(&cloud, 1, "web");
    let out = nova(&auth, &["--timing", "list", "--minim"]).await;
    let table = ok(&out);
    assert!(table.contains("web-"), "{table}");
    let shown = ok(&nova(
        &auth,
        &["--os-compute-api", "2.1", "flavor-show", "m1.tiny"],
    )
    .await);
    assert_eq!(cell(&shown, "name").as_deref(), Some("m1.tiny"), "{shown}");
}

/// Item 4: `agent-list` is a command that shows Nova's 410 as novaclient does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removed_commands_show_novas_410() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let out = nova_admin(&auth, &["agent-list"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("This command has been deprecated"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "ERROR (ClientException): This resource is no longer available.  \
             No forwarding address is given. (HTTP 410)"
        ),
        "{stderr}"
    );
    let id = boot(&auth, "net-1").await;
    let out = nova_admin(&auth, &["reset-network", &id]).await;
    let stderr = failed(&out, 1);
    assert!(stderr.contains("(HTTP 410)"), "{stderr}");
}

/// Item 5: `boot`'s client-side errors start with novaclient's sentence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boot_validation_errors_start_with_novaclients_message() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let base = ["boot", "--flavor", "m1.tiny", "--image", "cirros-0.6.2"];
    let mut tagged: Vec<&str> = vec!["--os-compute-api-version", "2.31"];
    tagged.extend(base);
    tagged.extend([
        "--block-device",
        "source=blank,dest=volume,size=1,tag=disk1",
        "tagged",
    ]);
    let stderr = failed(&nova(&auth, &tagged).await, 2);
    assert!(
        stderr.starts_with(
            "ERROR (CommandError): 'tag' in block device mapping is not supported in API version 2.31."
        ),
        "{stderr}"
    );
    let mut nic: Vec<&str> = base.to_vec();
    nic.extend(["--nic", "bogus=1", "badnic"]);
    let stderr = failed(&nova(&auth, &nic).await, 2);
    assert!(
        stderr.starts_with("ERROR (CommandError): Invalid nic argument"),
        "{stderr}"
    );
}

/// Item 6: booleans as Python prints them and lists as `json.dumps` does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booleans_and_lists_as_python_prints_them() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "tagged-1").await;
    ok(&nova(
        &auth,
        &[
            "--os-compute-api-version",
            "2.26",
            "server-tag-add",
            &id,
            "t1",
            "t2",
        ],
    )
    .await);
    let shown = ok(&nova(&auth, &["--os-compute-api-version", "2.26", "show", &id]).await);
    assert_eq!(
        cell(&shown, "tags").as_deref(),
        Some("[\"t1\", \"t2\"]"),
        "{shown}"
    );
    assert_eq!(cell(&shown, "locked").as_deref(), Some("False"), "{shown}");
}

/// Item 7: flavor `swap` by microversion, and the embedded flavor flattened from 2.47.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flavor_fields_by_microversion() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let old = ok(&nova(
        &auth,
        &["--os-compute-api-version", "2.74", "flavor-show", "m1.tiny"],
    )
    .await);
    assert_eq!(cell(&old, "swap").as_deref(), Some(""), "{old}");
    let new = ok(&nova(
        &auth,
        &["--os-compute-api-version", "2.75", "flavor-show", "m1.tiny"],
    )
    .await);
    assert_eq!(cell(&new, "swap").as_deref(), Some("0"), "{new}");

    let id = boot(&auth, "flat-1").await;
    let shown = ok(&nova(&auth, &["--os-compute-api-version", "2.47", "show", &id]).await);
    assert_eq!(
        cell(&shown, "flavor:original_name").as_deref(),
        Some("m1.tiny"),
        "{shown}"
    );
    assert!(cell(&shown, "flavor:disk").is_some(), "{shown}");
    assert_eq!(
        cell(&shown, "flavor:extra_specs").as_deref(),
        Some("{}"),
        "{shown}"
    );
    let minimal = ok(&nova(
        &auth,
        &["--os-compute-api-version", "2.47", "show", "--minimal", &id],
    )
    .await);
    assert!(cell(&minimal, "flavor").is_some(), "{minimal}");
    let listed = ok(&nova(
        &auth,
        &[
            "--os-compute-api-version",
            "2.47",
            "list",
            "--fields",
            "flavor:original_name",
        ],
    )
    .await);
    // novaclient's `_format_field_name`: the namespace kept, the rest title-cased.
    assert!(listed.contains("| flavor: Original Name |"), "{listed}");
    assert!(listed.contains("m1.tiny"), "{listed}");
}

/// Item 8: `image-create --show` prints the image with its `--metadata` keys.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_create_show_prints_the_image() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "snap-src").await;
    let shown = ok(&nova(
        &auth,
        &[
            "image-create",
            "--metadata",
            "purpose=test",
            "--show",
            "--poll",
            &id,
            "snap-1",
        ],
    )
    .await);
    assert_eq!(cell(&shown, "name").as_deref(), Some("snap-1"), "{shown}");
    let has_purpose = cell(&shown, "purpose").as_deref() == Some("test")
        || cell(&shown, "metadata purpose").as_deref() == Some("test");
    assert!(has_purpose, "{shown}");
}

/// Item 9: `interface-attach` prints the interface with an `ip_address` row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interface_attach_prints_ip_address() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "if-1").await;
    let shown = ok(&nova(&auth, &["interface-attach", &id]).await);
    assert!(cell(&shown, "port_id").is_some(), "{shown}");
    let ip = cell(&shown, "ip_address").unwrap_or_default();
    assert!(ip.parse::<std::net::IpAddr>().is_ok(), "{shown}");
    assert!(cell(&shown, "fixed_ips").is_none(), "{shown}");
}

/// Item 10: `quota-class-update` at 2.1 with novaclient's full option set; the network ones
/// refused from 2.50.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_class_update_takes_novaclients_options_at_2_1() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let updated = ok(&nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.1",
            "quota-class-update",
            "--floating-ips",
            "11",
            "--fixed-ips",
            "12",
            "--security-groups",
            "13",
            "--security-group-rules",
            "14",
            "--injected-files",
            "6",
            "--injected-file-content-bytes",
            "10241",
            "--injected-file-path-bytes",
            "256",
            "--metadata-items",
            "129",
            "--key-pairs",
            "101",
            "--server-groups",
            "11",
            "--server-group-members",
            "12",
            "--instances",
            "11",
            "--cores",
            "21",
            "--ram",
            "51201",
            "default",
        ],
    )
    .await);
    assert_eq!(updated, "", "novaclient prints nothing");
    let shown = ok(&nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.1",
            "quota-class-show",
            "default",
        ],
    )
    .await);
    assert_eq!(
        cell(&shown, "floating_ips").as_deref(),
        Some("11"),
        "{shown}"
    );
    assert_eq!(
        cell(&shown, "security_group_rules").as_deref(),
        Some("14"),
        "{shown}"
    );
    let refused = nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.50",
            "quota-class-update",
            "--floating-ips",
            "11",
            "default",
        ],
    )
    .await;
    assert!(!refused.status.success(), "refused from 2.50");
}

/// Item 11, found by the differential check against the real cloud (conformance
/// cli-scenarios.toml): `stop`/`start` confirm by name, `reboot` as `name (id)`;
/// `volume-attachments` from 2.89 in novaclient's column order; usage columns in MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn action_confirmations_and_columns_as_novaclient_prints_them() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "diff-1").await;
    let stopped = ok(&nova(&auth, &["stop", "--poll", "diff-1"]).await);
    assert!(
        stopped.contains("Request to stop server diff-1 has been accepted."),
        "{stopped}"
    );
    let started = ok(&nova(&auth, &["start", "--poll", "diff-1"]).await);
    assert!(
        started.contains("Request to start server diff-1 has been accepted."),
        "{started}"
    );
    let rebooted = ok(&nova(&auth, &["reboot", "--poll", "diff-1"]).await);
    assert!(
        rebooted.contains(&format!(
            "Request to reboot server diff-1 ({id}) has been accepted."
        )),
        "{rebooted}"
    );
    let paused = ok(&nova(&auth, &["pause", "diff-1"]).await);
    assert!(!paused.contains("Request to"), "{paused}");
    let attachments = ok(&nova(
        &auth,
        &[
            "--os-compute-api-version",
            "2.96",
            "volume-attachments",
            "diff-1",
        ],
    )
    .await);
    let header = attachments
        .lines()
        .find(|line| line.starts_with('|'))
        .unwrap_or_default();
    let columns: Vec<&str> = header
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        columns,
        [
            "DEVICE",
            "SERVER ID",
            "VOLUME ID",
            "ATTACHMENT ID",
            "BDM UUID",
            "TAG",
            "DELETE ON TERMINATION"
        ],
        "{attachments}"
    );
    let usage = ok(&nova_admin(&auth, &["usage-list"]).await);
    assert!(usage.contains("| RAM MiB-Hours |"), "{usage}");
}
