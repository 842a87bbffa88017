//! `nova aggregate-*` against the mock as its admin: create, show, hosts, metadata (a bare
//! key unsets), update, cache images, delete; and the 403 a non-admin gets.

mod support;
use support::*;

use mock_cloud::{MockCloud, MockConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aggregate_lifecycle_as_admin() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();

    let created = json(
        &nova_admin(
            &auth,
            &["aggregate-create", "rack-1", "london", "-f", "json"],
        )
        .await,
    );
    assert_eq!(created[0]["Name"], "rack-1", "{created}");
    assert_eq!(created[0]["Availability Zone"], "london");
    assert!(
        created[0]["UUID"].is_string(),
        "UUID column from 2.41: {created}"
    );

    let added = ok(&nova_admin(&auth, &["aggregate-add-host", "rack-1", "compute-0"]).await);
    assert!(
        added.starts_with("Host compute-0 has been successfully added for aggregate 1"),
        "{added}"
    );
    assert!(added.contains("'compute-0'"), "{added}");
    let stderr = failed(
        &nova_admin(&auth, &["aggregate-add-host", "rack-1", "nowhere"]).await,
        4,
    );
    assert!(
        stderr.contains("Compute host nowhere could not be found."),
        "{stderr}"
    );

    ok(&nova_admin(
        &auth,
        &["aggregate-set-metadata", "rack-1", "ssd=true", "gpu=1"],
    )
    .await);
    let shown = ok(&nova_admin(&auth, &["aggregate-set-metadata", "rack-1", "gpu"]).await);
    assert!(
        shown.contains("'ssd=true'") && !shown.contains("gpu"),
        "{shown}"
    );
    let stderr = failed(
        &nova_admin(&auth, &["aggregate-set-metadata", "rack-1", "gpu"]).await,
        2,
    );
    assert!(stderr.contains("does not exist"), "{stderr}");

    let updated = ok(&nova_admin(&auth, &["aggregate-update", "--name", "rack-2", "rack-1"]).await);
    assert!(
        updated.contains("Aggregate 1 has been successfully updated."),
        "{updated}"
    );
    let listed = json(&nova_admin(&auth, &["aggregate-list", "-f", "json"]).await);
    assert_eq!(listed[0]["Name"], "rack-2", "{listed}");

    ok(&nova_admin(&auth, &["aggregate-cache-images", "rack-2", "cirros-0.6.2"]).await);

    let stderr = failed(&nova_admin(&auth, &["aggregate-delete", "rack-2"]).await, 1);
    assert!(stderr.contains("Host aggregate is not empty"), "{stderr}");
    ok(&nova_admin(&auth, &["aggregate-remove-host", "rack-2", "compute-0"]).await);
    let deleted = ok(&nova_admin(&auth, &["aggregate-delete", "rack-2"]).await);
    assert!(
        deleted.contains("Aggregate 1 has been successfully deleted."),
        "{deleted}"
    );
    failed(&nova_admin(&auth, &["aggregate-show", "rack-2"]).await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_admin_is_refused_with_novas_policy_message() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let out = nova(&auth, &["aggregate-list"]).await;
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Policy doesn't allow os_compute_api:os-aggregates:index to be performed."),
        "{stderr}"
    );
}
