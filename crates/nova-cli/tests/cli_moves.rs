//! Moving servers from the command line: `migrate`, `live-migration` and its abort,
//! `server-migration-list` / `-show` and `migration-list`, as the mock's admin.

mod support;
use support::*;

use mock_cloud::{MockCloud, MockConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_polls_to_verify_resize_and_migration_list_shows_the_record() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "cold-1").await;

    let refused = failed(&nova(&auth, &["migrate", "cold-1"]).await, 1);
    assert!(refused.contains("os-migrate-server:migrate"), "{refused}");

    ok(&nova_admin(&auth, &["migrate", "--host", "compute-1", "--poll", &id]).await);
    let shown = json(&nova_admin(&auth, &["show", &id, "-f", "json"]).await);
    assert_eq!(shown["status"], "VERIFY_RESIZE");
    assert_eq!(shown["OS-EXT-SRV-ATTR:host"], "compute-1", "{shown}");

    let listed = json(
        &nova_admin(
            &auth,
            &["migration-list", "--instance-uuid", &id, "-f", "json"],
        )
        .await,
    );
    let rows = listed.as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{listed}");
    assert_eq!(rows[0]["Type"], "migration");
    assert_eq!(rows[0]["Status"], "finished");
    assert_eq!(rows[0]["Dest Compute"], "compute-1");
    assert!(rows[0]["UUID"].is_string() && rows[0]["User ID"].is_string());

    let old = json(
        &nova_admin(
            &auth,
            &[
                "--os-compute-api-version",
                "2.1",
                "migration-list",
                "-f",
                "json",
            ],
        )
        .await,
    );
    let first = &old.as_array().expect("rows")[0];
    assert!(
        first.get("Type").is_none() && first.get("Id").is_none(),
        "{first}"
    );
    let gated = failed(
        &nova_admin(
            &auth,
            &[
                "--os-compute-api-version",
                "2.58",
                "migration-list",
                "--limit",
                "1",
            ],
        )
        .await,
        2,
    );
    assert!(gated.contains("limit"), "{gated}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_migration_is_listed_shown_and_aborted() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "live-1").await;

    ok(&nova_admin(&auth, &["live-migration", &id, "compute-1"]).await);
    let listed = json(&nova_admin(&auth, &["server-migration-list", &id, "-f", "json"]).await);
    let rows = listed.as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{listed}");
    assert_eq!(rows[0]["Status"], "running");
    assert_eq!(rows[0]["Dest Compute"], "compute-1");
    let mid = rows[0]["Id"].to_string();

    let shown = json(&nova_admin(&auth, &["server-migration-show", &id, &mid, "-f", "json"]).await);
    assert_eq!(shown["server_uuid"], id.as_str());
    assert_eq!(shown["status"], "running");

    ok(&nova_admin(&auth, &["live-migration-abort", &id, &mid]).await);
    let server = json(&nova_admin(&auth, &["show", &id, "-f", "json"]).await);
    assert_eq!(server["status"], "ACTIVE");
    assert_eq!(server["OS-EXT-SRV-ATTR:host"], "compute-0", "stayed");

    let bad_id = failed(
        &nova_admin(&auth, &["live-migration-abort", &id, "abc"]).await,
        2,
    );
    assert!(bad_id.contains("integer"), "{bad_id}");
    let forced = failed(
        &nova_admin(
            &auth,
            &[
                "--os-compute-api-version",
                "2.68",
                "live-migration",
                "--force",
                &id,
                "compute-1",
            ],
        )
        .await,
        2,
    );
    assert!(forced.contains("force"), "{forced}");
}
