//! Migration records: `/servers/{id}/migrations` (in-progress live migrations: list and
//! show 2.23+, force complete 2.22+, abort 2.24+) and `/os-migrations` (fields per
//! microversion, filters, paging with `migrations_links` from 2.59). Admin-only by default:
//! these run as the mock's admin (skipped against a real cloud).

use futures::TryStreamExt;
use integration_tests::{TestCloud, wait_for};
use nova_core::Error;
use nova_core::compute::ComputeClient;
use nova_v2::{
    LiveMigrateServer, Migration, MigrationQuery, MigrationStatus, MigrationType, ServerStatus,
};

/// The `/os-migrations` records of server `id`, as `admin` sees them (also used by
/// `server_moves`).
pub(crate) async fn migrations_of(admin: &dyn ComputeClient, id: &str) -> Vec<Migration> {
    admin
        .migrations()
        .list(&MigrationQuery::new().instance_uuid(id))
        .await
        .expect("os-migrations")
        .value
        .items
}

/// Starts a live migration of server `id` as `admin`: the id of its running record.
async fn start_live_migration(admin: &dyn ComputeClient, id: &str) -> u64 {
    let sm = admin.server_migrations();
    sm.live_migrate(id, &LiveMigrateServer::new())
        .await
        .expect("live migrate");
    running_migration(admin, id).await.id
}

/// The in-progress migration of server `id` once it is `running`: real Nova answers the
/// live-migrate action at once and the record goes `queued`, `preparing`, then `running`
/// (mock-cloud's is running at once). Bounded: 30 s.
pub(crate) async fn running_migration(
    admin: &dyn ComputeClient,
    id: &str,
) -> nova_core::types::ServerMigration {
    let sm = admin.server_migrations();
    for _ in 0..300 {
        let listed = sm.list(id).await.expect("list").value;
        // Past queued/preparing; mock-cloud may show its record in another in-progress state.
        if let Some(running) = listed.into_iter().find(|m| {
            !matches!(
                m.status,
                MigrationStatus::Queued | MigrationStatus::Preparing | MigrationStatus::Accepted
            )
        }) {
            return running;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the live migration of {id} was not running within 30 s");
}

/// Waits (bounded: 30 s) until the newest `/os-migrations` record of server `id` has
/// `status`: real Nova finishes a migration after the action's answer.
pub(crate) async fn wait_migration_status(
    admin: &dyn ComputeClient,
    id: &str,
    status: MigrationStatus,
) -> Vec<Migration> {
    for _ in 0..300 {
        let records = migrations_of(admin, id).await;
        if records.first().is_some_and(|m| m.status == status) {
            return records;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the newest migration of {id} did not reach {status:?} within 30 s");
}

#[tokio::test]
async fn a_running_live_migration_is_listed_shown_and_aborted_back_to_its_host() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.80").await else {
        return;
    };
    let Some(_hosts) = cloud.require_compute_hosts(&*admin, 2).await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.80", "migrant").await;
    let source = admin.servers().get(&id).await.expect("get").value.host;
    let sm = admin.server_migrations();

    sm.live_migrate(&id, &LiveMigrateServer::new())
        .await
        .expect("live migrate");
    let running = &running_migration(&*admin, &id).await;
    let listed = sm.list(&id).await.expect("list").value;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(running.server_uuid, id);
    // Nova's fake virt driver reports no memory progress; mock-cloud does.
    if cloud.mock().is_some() {
        assert!(running.memory_total_bytes.is_some_and(|m| m > 0));
    }
    assert!(running.uuid.is_some(), "uuid from 2.59");
    assert!(
        running.user_id.is_some() && running.project_id.is_some(),
        "2.80"
    );
    assert!(running.extra.is_empty(), "{:?}", running.extra);
    let shown = sm.get(&id, running.id).await.expect("show").value;
    assert_eq!(shown.id, running.id);
    assert_eq!(shown.source_compute, source);

    sm.abort(&id, running.id).await.expect("abort");
    wait_migration_status(&*admin, &id, MigrationStatus::Cancelled).await;
    let after = wait_for(&*admin, &id, ServerStatus::Active).await;
    assert_eq!(after.host, source, "stays on its source host");
    assert!(sm.list(&id).await.expect("list").value.is_empty());
    match sm.get(&id, running.id).await {
        Err(Error::NotFound(fault)) => assert!(fault.message.contains("not in progress")),
        other => panic!("show of a cancelled migration: {other:?}"),
    }
    match sm.abort(&id, running.id).await {
        Err(Error::Conflict(fault)) => assert!(
            fault.message.contains("abort live migration"),
            "{}",
            fault.message
        ),
        other => panic!("abort of an idle server: {other:?}"),
    }
}

#[tokio::test]
async fn force_complete_ends_the_migration_and_aborting_an_old_record_is_400() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.24").await else {
        return;
    };
    let Some(_hosts) = cloud.require_compute_hosts(&*admin, 2).await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.24", "migrant").await;
    let sm = admin.server_migrations();

    let first = start_live_migration(&*admin, &id).await;
    sm.force_complete(&id, first).await.expect("force complete");
    // Mock-cloud ends it at the server's next GET, real Nova when the driver is done.
    wait_for(&*admin, &id, ServerStatus::Active).await;
    wait_migration_status(&*admin, &id, MigrationStatus::Completed).await;

    sm.live_migrate(&id, &LiveMigrateServer::new())
        .await
        .expect("second");
    match sm.abort(&id, first).await {
        Err(Error::BadRequest(fault)) => assert_eq!(
            fault.message,
            format!(
                "Migration {first} state of instance {id} is completed. Cannot abort live \
                 migration while the migration is in this state."
            )
        ),
        other => panic!("abort of a completed migration: {other:?}"),
    }
    match sm.force_complete(&id, 999_999).await {
        Err(Error::BadRequest(fault)) => assert_eq!(
            fault.message,
            format!("Migration 999999 not found for instance {id}")
        ),
        other => panic!("force complete of no migration: {other:?}"),
    }
    wait_for(&*admin, &id, ServerStatus::Active).await;
}

#[tokio::test]
async fn os_migrations_fields_follow_the_microversion_and_pages_link_from_2_59() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("latest").await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.80", "migrant").await;
    for _ in 0..2 {
        admin
            .server_migrations()
            .live_migrate(&id, &LiveMigrateServer::new())
            .await
            .expect("live migrate");
        wait_for(&*admin, &id, ServerStatus::Active).await;
    }

    let v21 = cloud.admin_compute("2.1").await.expect("admin");
    let old = migrations_of(&*v21, &id).await;
    assert_eq!(old.len(), 2);
    assert!(
        old.iter()
            .all(|m| m.migration_type.is_none() && m.uuid.is_none())
    );
    assert!(old[0].id < old[1].id, "oldest first below 2.59");

    let v223 = cloud.admin_compute("2.23").await.expect("admin");
    let typed = migrations_of(&*v223, &id).await;
    assert!(
        typed
            .iter()
            .all(|m| m.migration_type == Some(MigrationType::LiveMigration) && m.uuid.is_none())
    );

    let v259 = cloud.admin_compute("2.59").await.expect("admin");
    let query = MigrationQuery::new().instance_uuid(&id).limit(1);
    let page = v259.migrations().list(&query).await.expect("page").value;
    assert_eq!(page.items.len(), 1);
    assert!(page.next.is_some(), "a full page links to the next");
    assert!(page.items[0].id > old[0].id, "newest first from 2.59");
    let all: Vec<Migration> = v259
        .migrations()
        .list_all(query)
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|m| m.uuid.is_some() && m.user_id.is_none()));
    match v259
        .migrations()
        .list(&MigrationQuery::new().marker("no-such-marker"))
        .await
    {
        Err(Error::BadRequest(fault)) => {
            assert_eq!(fault.message, "Marker no-such-marker could not be found.")
        }
        other => panic!("bad marker: {other:?}"),
    }

    let by_type = admin
        .migrations()
        .list(
            &MigrationQuery::new()
                .instance_uuid(&id)
                .migration_type(MigrationType::Migration),
        )
        .await
        .expect("filtered")
        .value;
    assert!(by_type.items.is_empty(), "no cold migration of this server");
    let mine = migrations_of(&*admin, &id).await;
    let user = mine[0].user_id.clone().expect("2.80 user");
    let by_user = admin
        .migrations()
        .list(&MigrationQuery::new().instance_uuid(&id).user_id(user))
        .await
        .expect("by user")
        .value;
    assert_eq!(by_user.items.len(), 2);
}

#[tokio::test]
async fn non_admins_are_refused_and_old_versions_are_gated_before_sending() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let demo = cloud.compute("2.80").await;
    match demo.migrations().list(&MigrationQuery::new()).await {
        Err(Error::Forbidden(fault)) => assert_eq!(
            fault.message,
            "Policy doesn't allow os_compute_api:os-migrations:index to be performed."
        ),
        other => panic!("demo os-migrations: {other:?}"),
    }
    // Of an existing server: real Nova looks the server up before the policy check.
    let (_created, _owner, id) = cloud.active_server("2.80", "mine").await;
    match demo.server_migrations().list(&id).await {
        Err(Error::Forbidden(_)) => {}
        other => panic!("demo server migrations: {other:?}"),
    }
    let old = cloud.compute("2.21").await;
    let e = old
        .server_migrations()
        .force_complete("any", 1)
        .await
        .expect_err("2.22+");
    assert!(matches!(e, Error::VersionNotSupported { .. }), "{e:?}");
    let e = old
        .migrations()
        .list(&MigrationQuery::new().changes_since("2020-01-01T00:00:00Z"))
        .await
        .expect_err("changes-since is 2.59+");
    assert!(matches!(e, Error::FieldNotSupported { .. }), "{e:?}");
}

#[tokio::test]
async fn a_resize_is_recorded_as_a_resize_migration_until_reverted() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.23").await else {
        return;
    };
    let Some(bigger) = cloud.resize_flavor().await else {
        return;
    };
    let (_created, demo, id) = cloud.active_server("2.23", "migrant").await;
    demo.servers()
        .action(
            &id,
            &nova_v2::ServerAction::Resize {
                flavor_ref: bigger.id.clone(),
                disk_config: None,
            },
        )
        .await
        .expect("resize");
    wait_for(&*demo, &id, ServerStatus::VerifyResize).await;
    let resizes = admin
        .migrations()
        .list(
            &MigrationQuery::new()
                .instance_uuid(&id)
                .migration_type(MigrationType::Resize),
        )
        .await
        .expect("list")
        .value
        .items;
    assert_eq!(resizes.len(), 1, "{resizes:?}");
    assert_eq!(resizes[0].status, MigrationStatus::Finished);
    // With two hosts the scheduler may pick either (`allow_resize_to_same_host`).
    assert!(resizes[0].dest_compute.is_some(), "{resizes:?}");
    assert_ne!(
        resizes[0].old_instance_type_id, resizes[0].new_instance_type_id,
        "the flavor changes"
    );
    demo.servers()
        .action(&id, &nova_v2::ServerAction::RevertResize)
        .await
        .expect("revert");
    wait_for(&*demo, &id, ServerStatus::Active).await;
    assert_eq!(
        migrations_of(&*admin, &id).await[0].status,
        MigrationStatus::Reverted
    );
}

#[tokio::test]
async fn a_live_migration_that_ended_unobserved_is_completed_when_the_next_one_starts() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.24").await else {
        return;
    };
    let Some(_hosts) = cloud.require_compute_hosts(&*admin, 2).await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.24", "migrant").await;
    let sm = admin.server_migrations();
    let first = start_live_migration(&*admin, &id).await;
    // the server lands while only its GETs are watched
    wait_for(&*admin, &id, ServerStatus::Active).await;
    sm.live_migrate(&id, &LiveMigrateServer::new())
        .await
        .expect("second");
    let running = sm.list(&id).await.expect("list").value;
    assert_eq!(running.len(), 1, "only the second runs: {running:?}");
    assert_ne!(running[0].id, first);
    wait_for(&*admin, &id, ServerStatus::Active).await;
}
