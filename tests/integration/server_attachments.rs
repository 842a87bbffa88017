//! Integration tests: server attachments (`os-interface`, `os-volume_attachments`).
//!
//! Attaching needs real ports and volumes, so the attach flows run against mock-cloud only
//! (its rule: any UUID exists except ones starting `00000000-`); the gates run everywhere.

use integration_tests::TestCloud;
use nova_core::Error;
use nova_v2::{AttachInterface, AttachVolume, ServerAction, UpdateVolumeAttachment};

const PORT: &str = "6f6d5a2e-3b1c-4a8e-9f0d-2c1b0a9e8d7c";
const NET: &str = "a1b2c3d4-0000-4000-8000-000000000001";
const MISSING: &str = "00000000-0000-4000-8000-000000000000";

#[tokio::test]
async fn interfaces_attach_show_and_detach_with_tags_from_2_70() {
    let cloud = TestCloud::start().await;
    if cloud
        .require_mock("attaches mock-cloud's seeded network and port ids")
        .is_none()
    {
        return;
    }

    let (_created, client, id) = cloud.active_server("2.70", "nics").await;
    let nics = client.server_interfaces();
    let before = nics.list(&id).await.expect("list").value.len();

    let request = AttachInterface::network(NET)
        .fixed_ip("10.9.8.7")
        .tag("data");
    let nic = nics.attach(&id, &request).await.expect("attach").value;
    assert_eq!(nic.net_id.as_deref(), Some(NET));
    assert_eq!(nic.fixed_ips[0].ip_address, "10.9.8.7");
    assert_eq!(nic.tag.as_deref(), Some("data"));
    let shown = nics.get(&id, &nic.port_id).await.expect("show").value;
    assert_eq!(shown, nic);
    let listed = nics.list(&id).await.expect("list").value;
    assert_eq!(listed.len(), before + 1);
    let server = client.servers().get(&id).await.expect("server").value;
    let all_ips = format!("{:?}", server.addresses);
    assert!(all_ips.contains("10.9.8.7"), "{all_ips}");

    let by_port = nics
        .attach(&id, &AttachInterface::port(PORT))
        .await
        .expect("attach port")
        .value;
    assert_eq!(by_port.port_id, PORT);
    let again = nics.attach(&id, &AttachInterface::port(PORT)).await;
    assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
    let missing = nics.attach(&id, &AttachInterface::port(MISSING)).await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");

    nics.detach(&id, &nic.port_id).await.expect("detach");
    nics.detach(&id, PORT).await.expect("detach port");
    assert_eq!(nics.list(&id).await.expect("list").value.len(), before);
    let gone = nics.get(&id, &nic.port_id).await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");

    // Locked: the owner cannot attach (409).
    client
        .servers()
        .action(&id, &ServerAction::Lock { reason: None })
        .await
        .expect("lock");
    let locked = nics.attach(&id, &AttachInterface::network(NET)).await;
    assert!(matches!(locked, Err(Error::Conflict(_))), "{locked:?}");
    client
        .servers()
        .action(&id, &ServerAction::Unlock)
        .await
        .expect("unlock");
}

#[tokio::test]
async fn attach_fields_newer_than_the_microversion_fail_before_sending() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("2.48").await;
    let tagged = AttachInterface::port(PORT).tag("t");
    let error = client
        .server_interfaces()
        .attach("any-server", &tagged)
        .await
        .expect_err("tag needs 2.49");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    let volume = AttachVolume::new(PORT).delete_on_termination(true);
    let error = client
        .server_volumes()
        .attach("any-server", &volume)
        .await
        .expect_err("delete_on_termination needs 2.79");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    let update = UpdateVolumeAttachment::new(PORT).delete_on_termination(false);
    let error = client
        .server_volumes()
        .update("any-server", PORT, &update)
        .await
        .expect_err("needs 2.85");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    assert!(!error.may_have_reached_server());
}

#[tokio::test]
async fn volumes_attach_by_version_swap_for_admins_only_and_detach() {
    let cloud = TestCloud::start().await;
    if cloud
        .require_mock("attaches mock-cloud's seeded volumes (the conformance cloud has no Cinder)")
        .is_none()
    {
        return;
    }

    let Some(admin) = cloud.admin_compute("2.89").await else {
        return;
    };
    let (_created, client, id) = cloud.active_server("2.79", "vols").await;
    let volumes = client.server_volumes();
    let first = "c0ffee00-1111-4222-8333-444455556666";
    let second = "c0ffee00-1111-4222-8333-777788889999";

    let attached = volumes
        .attach(
            &id,
            &AttachVolume::new(first)
                .tag("db")
                .delete_on_termination(true),
        )
        .await
        .expect("attach")
        .value;
    assert_eq!(attached.volume_id, first);
    assert_eq!(attached.id.as_deref(), Some(first));
    assert_eq!(attached.delete_on_termination, Some(true));
    assert_eq!(attached.tag.as_deref(), Some("db"));
    let device = attached.device.clone().expect("device");
    assert!(device.starts_with("/dev/"), "{device}");

    let twice = volumes.attach(&id, &AttachVolume::new(first)).await;
    assert!(matches!(twice, Err(Error::BadRequest(_))), "{twice:?}");
    let missing = volumes.attach(&id, &AttachVolume::new(MISSING)).await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");

    // 2.89: attachment_id and bdm_uuid instead of id.
    let detail = admin
        .server_volumes()
        .get(&id, first)
        .await
        .expect("show")
        .value;
    assert!(detail.id.is_none());
    assert!(detail.attachment_id.is_some() && detail.bdm_uuid.is_some());
    let old = cloud.compute("2.1").await;
    let listed = old.server_volumes().list(&id).await.expect("list").value;
    let plain = listed
        .iter()
        .find(|v| v.volume_id == first)
        .expect("listed");
    assert!(plain.tag.is_none() && plain.delete_on_termination.is_none());

    // Swapping is admin-only; 2.85 lets the owner change delete_on_termination.
    let swap = UpdateVolumeAttachment::new(second);
    let denied = volumes.update(&id, first, &swap).await;
    assert!(matches!(denied, Err(Error::Forbidden(_))), "{denied:?}");
    let v285 = cloud.compute("2.85").await;
    v285.server_volumes()
        .update(
            &id,
            first,
            &UpdateVolumeAttachment::new(first).delete_on_termination(false),
        )
        .await
        .expect("update delete_on_termination");
    let shown = volumes.get(&id, first).await.expect("show").value;
    assert_eq!(shown.delete_on_termination, Some(false));
    admin
        .server_volumes()
        .update(&id, first, &swap)
        .await
        .expect("admin swaps");
    let now = volumes.list(&id).await.expect("list").value;
    assert!(now.iter().any(|v| v.volume_id == second));
    assert!(!now.iter().any(|v| v.volume_id == first));

    volumes.detach(&id, second).await.expect("detach");
    let gone = volumes.get(&id, second).await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
}
