//! `nova reset-state`, `nova update`, the state filters of `nova list` and the rebuild
//! flags that unset things, against the mock.

mod support;
use support::*;

use mock_cloud::{MockCloud, MockConfig};

/// The ids `nova list <args>` prints.
async fn listed(auth: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "-f", "json"];
    all.extend_from_slice(args);
    let rows = json(&nova(auth, &all).await);
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r["ID"].as_str().expect("ID").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_state_is_for_admins_and_list_filters_by_vm_state() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let broken = boot(&auth, "rs-broken").await;
    let fine = boot(&auth, "rs-fine").await;

    let stderr = failed(&nova(&auth, &["reset-state", "rs-broken"]).await, 1);
    assert!(
        stderr.contains("Policy doesn't allow os_compute_api:os-admin-actions:reset_state"),
        "{stderr}"
    );
    let several = nova(&auth, &["reset-state", "rs-broken", "rs-fine"]).await;
    assert_eq!(several.status.code(), Some(1));
    let stderr = text(&several.stderr);
    assert!(
        stderr.contains("Reset state for server rs-broken failed")
            && stderr.contains("Reset state for server rs-fine failed")
            && stderr.contains("Unable to reset the state for the specified server(s)."),
        "{stderr}"
    );
    // the admin finds the demo server by name only with --all-tenants
    failed(&nova_admin(&auth, &["reset-state", "rs-broken"]).await, 4);
    ok(&nova_admin(&auth, &["reset-state", "--all-tenants", "rs-broken"]).await);
    let shown = json(&nova(&auth, &["show", &broken, "-f", "json"]).await);
    assert_eq!(shown["status"], "ERROR", "{shown}");

    let errors = listed(&auth, &["--vm-state", "error"]).await;
    assert_eq!(errors, std::slice::from_ref(&broken));
    let old = listed(
        &auth,
        &["--os-compute-api-version", "2.82", "--vm-state", "error"],
    )
    .await;
    assert_eq!(old.len(), 2, "ignored below 2.83 for a member: {old:?}");
    let running = listed(&auth, &["--power-state", "running"]).await;
    assert_eq!(running.len(), 2, "reset-state leaves the power state");
    assert!(listed(&auth, &["--config-drive"]).await.is_empty());
    assert!(
        listed(&auth, &["--task-state", "rebooting", "--key-name", "k"])
            .await
            .is_empty()
    );
    let out = nova(&auth, &["list", "--vm-state", "broken"]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "not one of novaclient's choices"
    );

    ok(&nova_admin(&auth, &["reset-state", "--active", &broken, &fine]).await);
    assert!(listed(&auth, &["--vm-state", "error"]).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_renames_and_clears_the_description_and_rebuild_unsets_the_key() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "upd-1").await;

    ok(&nova(
        &auth,
        &["update", "--name", "upd-2", "--description", "web", "upd-1"],
    )
    .await);
    let shown = json(&nova(&auth, &["show", &id, "-f", "json"]).await);
    assert_eq!(
        (&shown["name"], &shown["description"]),
        (&"upd-2".into(), &"web".into())
    );
    ok(&nova(&auth, &["update", "--description", "", "upd-2"]).await);
    let shown = json(&nova(&auth, &["show", &id, "-f", "json"]).await);
    assert!(shown["description"].is_null(), "{shown}");
    let stderr = failed(
        &nova(
            &auth,
            &[
                "--os-compute-api-version",
                "2.89",
                "update",
                "--hostname",
                "h1",
                "upd-2",
            ],
        )
        .await,
        2,
    );
    assert!(stderr.contains("hostname"), "{stderr}");

    let rebuilt = json(
        &nova(
            &auth,
            &[
                "rebuild",
                "--key-unset",
                "--user-data-unset",
                "--hostname",
                "new-host",
                "--minimal",
                "upd-2",
                "cirros-0.6.2",
                "-f",
                "json",
            ],
        )
        .await,
    );
    assert!(rebuilt["key_name"].is_null(), "{rebuilt}");
    assert_eq!(rebuilt["OS-EXT-SRV-ATTR:hostname"], "new-host", "{rebuilt}");
    let out = nova(
        &auth,
        &[
            "rebuild",
            "--key-unset",
            "--key-name",
            "k",
            "upd-2",
            "cirros-0.6.2",
        ],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "--key-unset conflicts with --key-name"
    );
}
