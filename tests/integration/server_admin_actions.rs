//! Server admin actions: createBackup (image id in the body from 2.45, `Location` before,
//! rotation), restore of a soft-deleted server, trigger_crash_dump (2.17+), changePassword,
//! clearing the server password, security groups of a server, and floating IPs (only
//! up to 2.43).

use integration_tests::{TestCloud, act_and_wait, wait_for, wait_options};
use mock_cloud::MockConfig;
use nova_core::Error;
use nova_core::compute::ComputeClient;
use nova_v2::{CreateBackup, ServerAction, ServerStatus, ServerWaitExt};
use secrecy::SecretString;

/// Boots one server named after `what` in `security_group` (else the cloud's default group),
/// records it for cleanup and waits until it is idle and ACTIVE.
async fn active_server(
    cloud: &TestCloud,
    created: &integration_tests::Resources,
    client: &dyn ComputeClient,
    what: &str,
    security_group: Option<&str>,
) -> String {
    let mut request = cloud
        .server_request(&created.name(what), client.microversion())
        .await;
    if let Some(group) = security_group
        .map(str::to_owned)
        .or_else(|| cloud.security_group())
    {
        request = request.security_group(group);
    }
    cloud.boot_active(created, client, &request).await
}

fn conflict_message(error: &Error) -> &str {
    match error {
        Error::Conflict(fault) => &fault.message,
        other => panic!("expected a 409, got {other:?}"),
    }
}

#[tokio::test]
async fn create_backup_returns_the_image_id_in_the_body_from_2_45_and_in_location_before() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let new = cloud.compute("2.45").await;
    let old = cloud.compute("2.44").await;
    let id = active_server(&cloud, &created, &*new, "backup", None).await;

    let first = new
        .servers()
        .create_backup(&id, &CreateBackup::new(created.name("bk1"), "daily", 1))
        .await
        .expect("backup at 2.45")
        .value;
    created.image(&first);
    assert!(!first.is_empty());
    wait_for(&*new, &id, ServerStatus::Active).await;
    let second = old
        .servers()
        .create_backup(&id, &CreateBackup::new(created.name("bk2"), "daily", 1))
        .await
        .expect("backup at 2.44 (Location header)")
        .value;
    created.image(&second);
    assert_ne!(first, second, "two backups, two images");

    if let Some(mock) = cloud.mock() {
        let images: Vec<String> = mock.images().await.into_iter().map(|(i, _)| i).collect();
        assert!(images.contains(&second), "the newest backup is kept");
        assert!(
            !images.contains(&first),
            "rotation 1 removed the older daily backup"
        );
    }
}

#[tokio::test]
async fn restore_refuses_an_active_server_and_revives_a_soft_deleted_one() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let id = active_server(&cloud, &created, &*client, "restore", None).await;
    let error = client
        .servers()
        .action(&id, &ServerAction::Restore)
        .await
        .expect_err("an active server is not soft-deleted");
    let message = conflict_message(&error);
    assert!(
        message.contains("Cannot 'restore' instance") && message.contains("vm_state active"),
        "{message}"
    );

    // Soft deletion needs reclaim_instance_interval > 0: a mock of our own.
    let mut config = MockConfig::default();
    config.nova.reclaim_instance_interval = 3600;
    let Some(soft) = TestCloud::start_mock(config).await else {
        return;
    };
    let soft_created = soft.resources(1).await;
    let soft_client = soft.compute("latest").await;
    let id = active_server(&soft, &soft_created, &*soft_client, "soft", None).await;
    soft_client.servers().delete(&id).await.expect("deleted");
    let server = soft_client
        .servers()
        .get(&id)
        .await
        .expect("still there")
        .value;
    assert_eq!(server.status, ServerStatus::SoftDeleted);
    soft_client
        .servers()
        .action(&id, &ServerAction::Restore)
        .await
        .expect("restored");
    let server = soft_client.servers().get(&id).await.expect("get").value;
    assert_eq!(server.status, ServerStatus::Active);

    // Soft-deleted again, then force-deleted: gone for good.
    soft_client.servers().delete(&id).await.expect("deleted");
    soft_client
        .servers()
        .action(&id, &ServerAction::ForceDelete)
        .await
        .expect("force-deleted");
    soft_client
        .servers()
        .wait_for_delete(&id, &wait_options())
        .await
        .expect("gone");
}

#[tokio::test]
async fn trigger_crash_dump_needs_2_17_and_a_running_server() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let id = active_server(&cloud, &created, &*client, "dump", None).await;
    let (old, counter) = cloud.counted_compute("2.16");
    let error = old
        .servers()
        .action(&id, &ServerAction::TriggerCrashDump)
        .await
        .expect_err("2.16");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    assert_eq!(counter.sent(), 0, "a gated action sends nothing");
    client
        .servers()
        .action(&id, &ServerAction::TriggerCrashDump)
        .await
        .expect("crash dump of an active server");

    act_and_wait(&*client, &id, &ServerAction::Stop, ServerStatus::Shutoff).await;
    let error = client
        .servers()
        .action(&id, &ServerAction::TriggerCrashDump)
        .await
        .expect_err("a stopped server cannot dump");
    let message = conflict_message(&error);
    assert!(message.contains("vm_state stopped"), "{message}");
}

#[tokio::test]
async fn change_and_clear_password_of_an_active_server() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let id = active_server(&cloud, &created, &*client, "pw", None).await;
    client
        .servers()
        .change_password(&id, &SecretString::from("n3w-Pass".to_owned()))
        .await
        .expect("password changed");
    client
        .servers()
        .clear_password(&id)
        .await
        .expect("password cleared");
    let error = client
        .servers()
        .change_password(
            "00000000-0000-0000-0000-000000000000",
            &SecretString::from("x".to_owned()),
        )
        .await
        .expect_err("no such server");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
}

#[tokio::test]
async fn security_groups_are_added_listed_and_removed_with_novas_errors() {
    let cloud = TestCloud::start().await;
    if cloud
        .require_mock("needs Neutron security groups (the conformance NeutronFixture answers 500)")
        .is_none()
    {
        return;
    }

    let created = cloud.resources(2).await;
    let client = cloud.compute("latest").await;
    // A server booted with group "web" makes the group known to the mock.
    active_server(&cloud, &created, &*client, "web", Some("web")).await;
    let id = active_server(&cloud, &created, &*client, "sg", Some("default")).await;
    let servers = client.servers();
    let names = |groups: Vec<nova_v2::ServerSecurityGroup>| {
        groups.into_iter().map(|g| g.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(servers.security_groups(&id).await.expect("list").value),
        ["default"]
    );
    servers.add_security_group(&id, "web").await.expect("added");
    let groups = servers.security_groups(&id).await.expect("list").value;
    assert!(groups.iter().all(|g| !g.id.is_empty()));
    assert_eq!(names(groups), ["default", "web"]);
    let server = servers.get(&id).await.expect("get").value;
    assert_eq!(server.security_groups.len(), 2, "the server view follows");

    let error = servers
        .add_security_group(&id, "no-such-group")
        .await
        .expect_err("unknown group");
    match &error {
        Error::NotFound(fault) => {
            assert_eq!(fault.message, "Security group no-such-group not found.")
        }
        other => panic!("expected 404, got {other:?}"),
    }
    servers
        .remove_security_group(&id, "web")
        .await
        .expect("removed");
    let error = servers
        .remove_security_group(&id, "web")
        .await
        .expect_err("not on the server any more");
    match &error {
        Error::BadRequest(fault) => assert!(
            fault.message.contains("not associated with the instance"),
            "{}",
            fault.message
        ),
        other => panic!("expected 400, got {other:?}"),
    }
    assert_eq!(
        names(servers.security_groups(&id).await.expect("list").value),
        ["default"]
    );
}

#[tokio::test]
async fn floating_ips_attach_up_to_2_43_and_the_call_is_refused_from_2_44() {
    let cloud = TestCloud::start().await;
    if cloud
        .require_mock("needs a server with a port and floating IPs (the conformance cloud boots with networks: none)")
        .is_none()
    {
        return;
    }

    let created = cloud.resources(1).await;
    let old = cloud.compute("2.43").await;
    let id = active_server(&cloud, &created, &*old, "fip", None).await;
    let floating_of = |server: &nova_v2::Server| -> Vec<String> {
        server
            .addresses
            .values()
            .flatten()
            .filter(|a| a.ip_type.as_deref() == Some("floating"))
            .map(|a| a.addr.clone())
            .collect()
    };
    old.servers()
        .add_floating_ip(&id, "172.24.4.10", None)
        .await
        .expect("added");
    let server = old.servers().get(&id).await.expect("get").value;
    assert_eq!(floating_of(&server), ["172.24.4.10"]);

    let (new, counter) = cloud.counted_compute("2.44");
    let error = new
        .servers()
        .remove_floating_ip(&id, "172.24.4.10")
        .await
        .expect_err("removed from the API in 2.44");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    assert_eq!(counter.sent(), 0);

    old.servers()
        .remove_floating_ip(&id, "172.24.4.10")
        .await
        .expect("removed");
    let server = old.servers().get(&id).await.expect("get").value;
    assert!(floating_of(&server).is_empty());
    let error = old
        .servers()
        .remove_floating_ip(&id, "172.24.4.10")
        .await
        .expect_err("not associated any more");
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
}
