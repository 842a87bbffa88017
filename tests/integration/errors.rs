//! How failures look: a boot that ends in ERROR, a field the negotiated version does not
//! have, a request Nova refuses.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use integration_tests::{TestCloud, created_id, wait_options};
use nova_core::{Error, MicroVersion};
use nova_v2::{CreateFlavor, CreateServer, ServerStatus, ServerWaitExt};

/// Runs everywhere. Against mock-cloud the boot is told to fail; against a real cloud it fails
/// as Nova makes it fail: an admin's flavor asks for more disk than any compute host has, so
/// the scheduler finds no valid host (disk is not a quota, so the request is accepted first).
#[tokio::test]
async fn a_boot_that_ends_in_error_returns_the_fault() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let mut oversized = None;
    let mut request = match cloud.mock() {
        Some(_) => CreateServer::new(created.name("doomed"), cloud.flavor().await.id)
            .metadata("mock:boot-fault", "No valid host was found."),
        None => {
            let Some(admin) = cloud.admin_compute("2.1").await else {
                return;
            };
            let flavor = admin
                .flavor_admin()
                .create(&CreateFlavor::new(
                    created.name("oversized"),
                    64,
                    1,
                    OVERSIZED_DISK_GB,
                ))
                .await
                .expect("admin creates an oversized flavor")
                .value;
            let id = flavor.id.clone();
            oversized = Some((admin, flavor.id));
            CreateServer::new(created.name("doomed"), id)
        }
    }
    .image(cloud.image_id().await);
    if let Some(networks) = cloud.networks(client.microversion()) {
        request = request.networks(networks);
    }
    let outcome = AssertUnwindSafe(async {
        let servers = client.servers();
        let id = created_id(servers.create(&request).await.expect("202").value);
        created.server(&id);
        let error = servers
            .wait_for_status(&id, ServerStatus::Active, &wait_options())
            .await
            .expect_err("the boot fails");
        match error {
            Error::ServerFault {
                id: failed,
                status,
                message,
            } => {
                assert_eq!(failed, id);
                assert_eq!(status, "ERROR");
                // Nova's NoValidHost with an empty reason: "No valid host was found. ".
                assert_eq!(message.trim_end(), "No valid host was found.");
            }
            other => panic!("expected ServerFault, got {other:?}"),
        }
        let server = servers.get(&id).await.expect("show").value;
        assert_eq!(server.status, ServerStatus::Error);
        assert_eq!(
            server.fault_message().map(str::trim_end),
            Some("No valid host was found.")
        );
    })
    .catch_unwind()
    .await;
    if let Some((admin, flavor)) = oversized {
        admin
            .flavor_admin()
            .delete(&flavor)
            .await
            .expect("admin deletes the oversized flavor");
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// More disk (GB) than any compute host of a test cloud offers (Nova's fake driver: 600,000).
const OVERSIZED_DISK_GB: u64 = 100_000_000;

/// Runs everywhere: the counting transport proves nothing left the client; against the mock
/// its counters prove nothing arrived either.
#[tokio::test]
async fn a_gated_field_at_a_too_low_version_sends_nothing() {
    let cloud = TestCloud::start_exclusive().await;
    let flavor = cloud.flavor().await;
    let image = cloud.image_id().await;
    let (client, transport) = cloud.counted_compute("2.1");
    if let Some(mock) = cloud.mock() {
        mock.reset_counts().await;
    }
    let name = format!("{}-gated", integration_tests::run_prefix());
    let request = CreateServer::new(&name, flavor.id.clone())
        .image(&image)
        .description("needs 2.19");
    let error = client.servers().create(&request).await.expect_err("gated");
    match &error {
        Error::FieldNotSupported {
            field, negotiated, ..
        } => {
            assert_eq!(*field, "description");
            assert_eq!(*negotiated, MicroVersion::new(2, 1));
        }
        other => panic!("expected FieldNotSupported, got {other:?}"),
    }
    assert!(!error.may_have_reached_server());
    let tags = CreateServer::new(&name, flavor.id.clone())
        .image(&image)
        .tag("t");
    let error = client
        .servers()
        .create(&tags)
        .await
        .expect_err("tags need 2.52");
    assert!(
        matches!(error, Error::FieldNotSupported { field: "tags", .. }),
        "{error:?}"
    );
    assert_eq!(transport.sent(), 0, "nothing left the client");
    if let Some(mock) = cloud.mock() {
        assert_eq!(mock.count("POST /compute/v2.1/servers").await, 0);
        let counts = mock.counts().await;
        assert_eq!(counts.values().sum::<u64>(), 0, "{counts:?}");
    }
}

#[tokio::test]
async fn an_unknown_flavor_is_a_400_and_creates_nothing() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let missing = format!("{}-no-flavor", integration_tests::run_prefix());
    let mut request =
        CreateServer::new(created.name("nothing"), missing).image(cloud.image_id().await);
    if let Some(networks) = cloud.networks(client.microversion()) {
        request = request.networks(networks);
    }
    let error = client
        .servers()
        .create(&request)
        .await
        .expect_err("Nova refuses an unknown flavor");
    match &error {
        Error::BadRequest(fault) => {
            assert_eq!(fault.status.as_u16(), 400);
            assert!(fault.request_id.is_some());
        }
        other => panic!("expected a 400, got {other:?}"),
    }
    assert!(error.may_have_reached_server());
}

#[tokio::test]
async fn asking_for_more_servers_than_the_quota_is_a_403_and_creates_nothing() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let limits = client.limits().get().await.expect("limits").value;
    let Some(quota) = limits
        .absolute
        .max_total_instances
        .and_then(|n| u32::try_from(n).ok())
    else {
        eprintln!("{}: no instance quota, nothing to exceed", cloud.name());
        return;
    };
    let too_many = quota + 1;
    let mut request = CreateServer::new(created.name("crowd"), cloud.flavor().await.id)
        .image(cloud.image_id().await)
        .min_count(too_many)
        .max_count(too_many);
    if let Some(networks) = cloud.networks(client.microversion()) {
        request = request.networks(networks);
    }
    let error = client
        .servers()
        .create(&request)
        .await
        .expect_err("the quota refuses it");
    match &error {
        Error::Forbidden(fault) => {
            // Nova names every resource over its limit: "Quota exceeded for instances: ..."
            // (or "cores, instances: ..." with a big flavor).
            assert!(
                fault.message.starts_with("Quota exceeded for")
                    && fault.message.contains("instances"),
                "{}",
                fault.message
            );
        }
        other => panic!("expected a 403, got {other:?}"),
    }
}
