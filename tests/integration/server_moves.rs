//! Server moves: cold migration (`migrate`, a target host from 2.56) through `RESIZE` to
//! `VERIFY_RESIZE` on another host, then confirm or revert; live migration
//! (`os-migrateLive`) through `MIGRATING` to `ACTIVE` on another host; the errors Nova gives
//! for a bad target host and for non-admins. Moving servers is admin-only by default, so
//! these run as the mock's admin (skipped against a real cloud).

use integration_tests::{TestCloud, act_and_wait, wait_for};
use nova_core::Error;
use nova_core::compute::ComputeClient;
use nova_v2::{
    BlockMigration, LiveMigrateServer, MigrateServer, MigrationStatus, MigrationType, ServerAction,
    ServerStatus,
};

use crate::migrations::{migrations_of, wait_migration_status};

async fn host_of(admin: &dyn ComputeClient, id: &str) -> String {
    admin
        .servers()
        .get(id)
        .await
        .expect("admin get")
        .value
        .host
        .expect("admins see the host")
}

#[tokio::test]
async fn cold_migration_lands_in_verify_resize_on_another_host_and_confirm_confirms_the_record() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.56").await else {
        return;
    };
    let Some(_hosts) = cloud.require_compute_hosts(&*admin, 2).await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.56", "mover").await;
    let source = host_of(&*admin, &id).await;

    admin
        .server_migrations()
        .migrate(&id, &MigrateServer::new())
        .await
        .expect("migrate accepted");
    let first = admin.servers().get(&id).await.expect("get").value;
    assert_eq!(first.status, ServerStatus::Resize, "RESIZE while it moves");
    let moved = wait_for(&*admin, &id, ServerStatus::VerifyResize).await;
    let dest = moved.host.clone().expect("host");
    assert_ne!(dest, source, "landed on another compute host");

    let records = migrations_of(&*admin, &id).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].migration_type, Some(MigrationType::Migration));
    assert_eq!(records[0].status, MigrationStatus::Finished);
    assert_eq!(records[0].source_compute.as_deref(), Some(source.as_str()));
    assert_eq!(records[0].dest_compute.as_deref(), Some(dest.as_str()));

    let active = act_and_wait(
        &*admin,
        &id,
        &ServerAction::ConfirmResize,
        ServerStatus::Active,
    )
    .await;
    assert_eq!(active.host.as_deref(), Some(dest.as_str()), "stays moved");
    let records = migrations_of(&*admin, &id).await;
    assert_eq!(records[0].status, MigrationStatus::Confirmed);
}

#[tokio::test]
async fn cold_migration_to_a_named_host_then_revert_goes_back_and_reverts_the_record() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.56").await else {
        return;
    };
    let Some(hosts) = cloud.require_compute_hosts(&*admin, 2).await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.56", "mover").await;
    let source = host_of(&*admin, &id).await;
    let target = hosts
        .iter()
        .find(|host| **host != source)
        .expect("another host")
        .as_str();
    admin
        .server_migrations()
        .migrate(&id, &MigrateServer::new().host(target))
        .await
        .expect("migrate to a named host");
    let moved = wait_for(&*admin, &id, ServerStatus::VerifyResize).await;
    assert_eq!(moved.host.as_deref(), Some(target));
    let back = act_and_wait(
        &*admin,
        &id,
        &ServerAction::RevertResize,
        ServerStatus::Active,
    )
    .await;
    assert_eq!(back.host.as_deref(), Some(source.as_str()), "back home");
    let records = migrations_of(&*admin, &id).await;
    assert_eq!(records[0].status, MigrationStatus::Reverted);
}

#[tokio::test]
async fn bad_targets_are_400_non_admins_403_and_a_host_below_2_56_never_leaves() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let Some(admin) = cloud.admin_compute("2.56").await else {
        return;
    };
    let (_created, demo, id) = cloud.active_server("2.56", "mover").await;
    let source = host_of(&*admin, &id).await;
    let moves = admin.server_migrations();

    match moves
        .migrate(&id, &MigrateServer::new().host("no-such-host"))
        .await
    {
        Err(Error::BadRequest(fault)) => assert_eq!(
            fault.message,
            "Compute host no-such-host could not be found."
        ),
        other => panic!("unknown host: {other:?}"),
    }
    match moves
        .migrate(&id, &MigrateServer::new().host(&source))
        .await
    {
        Err(Error::BadRequest(fault)) => assert_eq!(
            fault.message,
            "Cannot migrate to the host where the server exists."
        ),
        other => panic!("same host: {other:?}"),
    }
    match moves
        .live_migrate(&id, &LiveMigrateServer::new().host("no-such-host"))
        .await
    {
        Err(Error::BadRequest(fault)) => assert!(fault.message.contains("no-such-host")),
        other => panic!("unknown live target: {other:?}"),
    }
    match demo
        .server_migrations()
        .migrate(&id, &MigrateServer::new())
        .await
    {
        Err(Error::Forbidden(fault)) => assert_eq!(
            fault.message,
            "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed."
        ),
        other => panic!("demo migrate: {other:?}"),
    }
    let old = cloud.admin_compute("2.55").await.expect("admin");
    let e = old
        .server_migrations()
        .migrate(&id, &MigrateServer::new().host("compute-1"))
        .await
        .expect_err("host needs 2.56");
    assert!(matches!(e, Error::FieldNotSupported { field: "host", .. }));
    assert!(migrations_of(&*admin, &id).await.is_empty(), "no move made");
    let still = admin.servers().get(&id).await.expect("get").value;
    assert_eq!(still.status, ServerStatus::Active);
}

#[tokio::test]
async fn live_migration_is_migrating_with_a_running_record_then_active_on_the_new_host() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.80").await else {
        return;
    };
    let Some(_hosts) = cloud.require_compute_hosts(&*admin, 2).await else {
        return;
    };
    let (_created, _demo, id) = cloud.active_server("2.80", "mover").await;
    let source = host_of(&*admin, &id).await;

    admin
        .server_migrations()
        .live_migrate(
            &id,
            &LiveMigrateServer::new().block_migration(BlockMigration::Auto),
        )
        .await
        .expect("live migration accepted");
    crate::migrations::running_migration(&*admin, &id).await;
    let running = migrations_of(&*admin, &id).await;
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].status, MigrationStatus::Running);
    assert_eq!(
        running[0].migration_type,
        Some(MigrationType::LiveMigration)
    );
    assert!(
        running[0].links.is_some(),
        "in-progress live migrations link"
    );
    assert!(running[0].uuid.is_some() && running[0].user_id.is_some());
    let during = admin.servers().get(&id).await.expect("get").value;
    assert_eq!(during.status, ServerStatus::Migrating);
    assert_eq!(
        during.host.as_deref(),
        Some(source.as_str()),
        "not moved yet"
    );

    let done = wait_for(&*admin, &id, ServerStatus::Active).await;
    let dest = done.host.clone().expect("host");
    assert_ne!(dest, source, "moved");
    // Real Nova marks the record completed a moment after the server is active again.
    let finished = wait_migration_status(&*admin, &id, MigrationStatus::Completed).await;
    assert_eq!(finished[0].dest_compute.as_deref(), Some(dest.as_str()));
    assert!(finished[0].links.is_none(), "no link once completed");
}

#[tokio::test]
async fn live_migration_options_are_gated_by_microversion_before_sending() {
    let cloud = TestCloud::start().await;
    let Some(old) = cloud.admin_compute("2.24").await else {
        return;
    };
    let new = cloud.admin_compute("2.68").await.expect("admin");
    let auto = LiveMigrateServer::new().block_migration(BlockMigration::Auto);
    let e = old
        .server_migrations()
        .live_migrate("any", &auto)
        .await
        .expect_err("auto is 2.25+");
    assert!(matches!(e, Error::FieldNotSupported { .. }), "{e:?}");
    let force = LiveMigrateServer::new().host("compute-1").force(true);
    let e = new
        .server_migrations()
        .live_migrate("any", &force)
        .await
        .expect_err("force is gone in 2.68");
    assert!(matches!(e, Error::FieldNotSupported { field: "force", .. }));
    let e = new
        .server_migrations()
        .live_migrate("any", &LiveMigrateServer::new().disk_over_commit(false))
        .await
        .expect_err("disk_over_commit is gone in 2.25");
    assert!(matches!(e, Error::FieldNotSupported { .. }));
    // Below 2.25 the library sends disk_over_commit itself; a missing server is Nova's 404.
    let e = old
        .server_migrations()
        .live_migrate(
            "00000000-0000-0000-0000-000000000000",
            &LiveMigrateServer::new(),
        )
        .await
        .expect_err("no such server");
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
}
