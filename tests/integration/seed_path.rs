//! The seed path: what Horizon's Launch Instance does, then every action the server
//! supports, then delete, at the newest version both sides speak, and the same boot at older
//! microversions where the server view looks different.

use std::collections::BTreeMap;

use integration_tests::{TestCloud, created_id, wait_options};
use nova_core::compute::ComputeClient;
use nova_core::{Error, MicroVersion};
use nova_v2::{
    BdmDestinationType, BdmSourceType, BlockDeviceMappingV2, CreateImage, CreateKeypair,
    CreateServer, DiskConfig, RebootType, RebuildServer, SchedulerHints, ServerAction,
    ServerFlavor, ServerStatus, ServerWaitExt, UpdateServer,
};
use secrecy::ExposeSecret;

use crate::PUBLIC_KEY;

async fn wait(client: &dyn ComputeClient, id: &str, status: ServerStatus) {
    let server = client
        .servers()
        .wait_for_status(id, status.clone(), &wait_options())
        .await
        .unwrap_or_else(|e| panic!("waiting for {status}: {e}"));
    assert_eq!(server.status, status);
}

#[tokio::test]
async fn seed_path_launch_instance_every_action_and_delete() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute("latest").await;
    let version = client.microversion();
    assert!(version >= MicroVersion::new(2, 90), "negotiated {version}");
    if let Some(mock) = cloud.mock() {
        assert!(mock.count("POST /identity/v3/auth/tokens").await >= 1);
    }

    // What the Launch Instance dialog loads first.
    let flavor = client
        .flavors()
        .find(&cloud.flavor().await.name)
        .await
        .expect("the flavor is found by name")
        .value;
    let image = cloud.image_id().await;
    let zones = client.availability_zones().list().await.expect("zones");
    let zone = zones
        .value
        .iter()
        .find(|z| z.state.available)
        .map(|z| z.name.clone())
        .expect("an available zone");
    let limits = client.limits().get().await.expect("limits");
    assert!(limits.value.absolute.max_total_instances.is_some());
    let key_name = created.name("key");
    created.keypair(&key_name);
    let keypair = client
        .keypairs()
        .create(&CreateKeypair::new(&key_name).public_key(PUBLIC_KEY))
        .await
        .expect("keypair imported");
    assert_eq!(keypair.value.name, key_name);

    // Horizon's Launch Instance, all of it.
    let name = created.name("web-1");
    let mut request = CreateServer::new(&name, flavor.id.clone())
        .image(&image)
        .key_name(&key_name)
        .availability_zone(zone)
        .user_data(b"#!/bin/sh\necho hello\n".to_vec())
        .metadata("role", "web")
        .min_count(1)
        .max_count(1)
        .config_drive(true)
        .disk_config(DiskConfig::Auto)
        .admin_pass("s3cret-pass")
        .access_ipv4("10.1.1.1".parse().expect("ip"))
        .description("the web server")
        .tag("web")
        .hostname("web-1")
        .block_device_mapping_v2(
            BlockDeviceMappingV2::new(BdmSourceType::Image)
                .uuid(&image)
                .destination_type(BdmDestinationType::Local)
                .boot_index(0)
                .delete_on_termination(true),
        )
        .scheduler_hints(SchedulerHints::default().other("foo", serde_json::json!("bar")));
    if let Some(group) = cloud.security_group() {
        request = request.security_group(group);
    }
    if let Some(networks) = cloud.networks(version) {
        request = request.networks(networks);
    }
    let servers = client.servers();
    let response = servers.create(&request).await.expect("created");
    assert!(response.request_id.is_some(), "request id recorded");
    assert_eq!(response.microversion, version);
    let id = created_id(response.value);
    created.server(&id);

    wait(&*client, &id, ServerStatus::Active).await;
    let shown = servers.get(&id).await.expect("show");
    assert!(shown.request_id.is_some());
    let server = shown.value;
    assert_eq!(server.name, name);
    assert_eq!(server.description.as_deref(), Some("the web server"));
    assert_eq!(server.metadata.get("role").map(String::as_str), Some("web"));
    assert_eq!(server.key_name.as_deref(), Some(key_name.as_str()));
    assert_eq!(server.access_ipv4.as_deref(), Some("10.1.1.1"));
    assert_eq!(server.tags.as_deref(), Some(&["web".to_string()][..]));
    assert_eq!(
        server.image.as_ref().and_then(|i| i.id()),
        Some(image.as_str())
    );
    match &server.flavor {
        Some(ServerFlavor::Embedded(embedded)) => {
            assert_eq!(
                embedded.original_name.as_deref(),
                Some(flavor.name.as_str())
            );
            assert_eq!(embedded.ram, Some(flavor.ram));
        }
        other => panic!("from 2.47 the flavor is embedded: {other:?}"),
    }
    assert!(
        !format!("{server:?}").contains("s3cret-pass"),
        "adminPass never shows in Debug"
    );
    let found = servers.find(&name).await.expect("find by name");
    assert_eq!(found.value.id, id);

    let renamed = created.name("web-1b");
    let updated = servers
        .update(
            &id,
            &UpdateServer::new().name(&renamed).description("renamed"),
        )
        .await
        .expect("update");
    assert_eq!(updated.value.name, renamed);
    assert_eq!(updated.value.description.as_deref(), Some("renamed"));

    // Each action, waiting for the state it leads to.
    let mut steps: Vec<(ServerAction, ServerStatus)> = vec![
        (ServerAction::Reboot(RebootType::Soft), ServerStatus::Active),
        (ServerAction::Reboot(RebootType::Hard), ServerStatus::Active),
        (ServerAction::Stop, ServerStatus::Shutoff),
        (ServerAction::Start, ServerStatus::Active),
        (ServerAction::Pause, ServerStatus::Paused),
        (ServerAction::Unpause, ServerStatus::Active),
        (ServerAction::Suspend, ServerStatus::Suspended),
        (ServerAction::Resume, ServerStatus::Active),
        (
            ServerAction::Lock {
                reason: Some("maintenance".into()),
            },
            ServerStatus::Active,
        ),
    ];
    for (action, target) in steps.drain(..) {
        act(&*client, &id, &action, target).await;
    }
    let locked = servers.get(&id).await.expect("show locked").value;
    assert_eq!(locked.locked, Some(true));
    assert_eq!(locked.locked_reason.as_deref(), Some("maintenance"));
    act(&*client, &id, &ServerAction::Unlock, ServerStatus::Active).await;
    assert_eq!(
        servers.get(&id).await.expect("show").value.locked,
        Some(false)
    );
    let rescue_pass = servers.rescue(&id, None, None).await.expect("rescue");
    assert!(
        !rescue_pass.value.expose_secret().is_empty(),
        "a generated rescue password"
    );
    wait(&*client, &id, ServerStatus::Rescue).await;
    steps.push((ServerAction::Unrescue, ServerStatus::Active));
    match cloud.resize_flavor().await {
        Some(bigger) => {
            let resize = || ServerAction::Resize {
                flavor_ref: bigger.id.clone(),
                disk_config: None,
            };
            steps.push((resize(), ServerStatus::VerifyResize));
            steps.push((ServerAction::RevertResize, ServerStatus::Active));
            steps.push((resize(), ServerStatus::VerifyResize));
            steps.push((ServerAction::ConfirmResize, ServerStatus::Active));
        }
        None => eprintln!("{}: no bigger flavor, resize not tried", cloud.name()),
    }
    steps.push((ServerAction::Shelve, ServerStatus::ShelvedOffloaded));
    steps.push((
        ServerAction::Unshelve {
            availability_zone: None,
            host: None,
        },
        ServerStatus::Active,
    ));
    for (action, target) in steps {
        act(&*client, &id, &action, target).await;
    }
    if let Some(bigger) = cloud.resize_flavor().await {
        let resized = servers.get(&id).await.expect("show resized").value;
        let original = resized.flavor.as_ref().and_then(|f| f.original_name());
        assert_eq!(original, Some(bigger.name.as_str()), "the confirmed flavor");
    }

    let rebuilt = servers
        .rebuild(
            &id,
            &RebuildServer::new(&image)
                .name(created.name("web-1c"))
                .description("rebuilt")
                .key_name(&key_name),
        )
        .await
        .expect("rebuild");
    assert_eq!(rebuilt.value.name, created.name("web-1c"));
    wait(&*client, &id, ServerStatus::Active).await;

    let snapshot = servers
        .create_image(&id, &CreateImage::new(created.name("snap")))
        .await
        .expect("createImage");
    assert!(!snapshot.value.is_empty(), "the new image id");
    created.image(&snapshot.value);
    wait(&*client, &id, ServerStatus::Active).await;

    let mut items = BTreeMap::new();
    items.insert("env".to_owned(), "prod".to_owned());
    servers
        .set_metadata(&id, &items)
        .await
        .expect("set metadata");
    let metadata = servers.metadata(&id).await.expect("metadata").value;
    assert_eq!(metadata.get("env").map(String::as_str), Some("prod"));
    assert_eq!(
        metadata.get("role").map(String::as_str),
        Some("web"),
        "kept"
    );
    servers
        .delete_metadata(&id, "env")
        .await
        .expect("delete item");
    let metadata = servers.metadata(&id).await.expect("metadata").value;
    assert!(!metadata.contains_key("env"), "{metadata:?}");

    servers.add_tag(&id, "blue").await.expect("add tag");
    let tags = servers.tags(&id).await.expect("tags").value;
    assert!(tags.contains(&"blue".to_owned()), "{tags:?}");
    servers.delete_tag(&id, "blue").await.expect("delete tag");
    let tags = servers
        .set_tags(&id, &["a".to_owned(), "b".to_owned()])
        .await
        .expect("set tags")
        .value;
    assert_eq!(tags, vec!["a".to_owned(), "b".to_owned()]);

    servers
        .console_output(&id, Some(10))
        .await
        .expect("console");
    servers.password(&id).await.expect("password");
    client
        .server_interfaces()
        .list(&id)
        .await
        .expect("interfaces");
    client.server_volumes().list(&id).await.expect("volumes");

    servers.delete(&id).await.expect("delete");
    servers
        .wait_for_delete(&id, &wait_options())
        .await
        .expect("gone");
    let after = servers.get(&id).await;
    assert!(matches!(after, Err(Error::NotFound(_))), "{after:?}");
    client
        .keypairs()
        .delete(&key_name)
        .await
        .expect("keypair deleted");
}

/// Sends one action and waits for the status it leads to.
async fn act(client: &dyn ComputeClient, id: &str, action: &ServerAction, target: ServerStatus) {
    let name = action.name();
    client
        .servers()
        .action(id, action)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    wait(client, id, target).await;
}

/// Boot, show, list, a few actions and delete at an older microversion, checking the view
/// of that version: the flavor as an id with links (below 2.47) and no description (below
/// 2.19).
async fn seed_path_at(version: &str) {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(1).await;
    let client = cloud.compute(version).await;
    let negotiated = client.microversion();
    assert_eq!(negotiated.to_string(), version);
    let flavor = cloud.flavor().await;
    let image = cloud.image_id().await;
    let name = created.name("old");
    let mut request = CreateServer::new(&name, flavor.id.clone())
        .image(&image)
        .metadata("role", "old");
    if let Some(networks) = cloud.networks(negotiated) {
        request = request.networks(networks);
    }
    let servers = client.servers();
    let response = servers.create(&request).await.expect("created");
    assert_eq!(response.microversion, negotiated);
    let id = created_id(response.value);
    created.server(&id);
    wait(&*client, &id, ServerStatus::Active).await;

    let server = servers.get(&id).await.expect("show").value;
    assert_eq!(server.name, name);
    match &server.flavor {
        Some(ServerFlavor::Reference {
            id: flavor_id,
            links,
        }) => {
            assert_eq!(flavor_id, &flavor.id);
            assert!(!links.is_empty(), "the flavor reference has links");
        }
        other => panic!("below 2.47 the flavor is a reference: {other:?}"),
    }
    if negotiated < MicroVersion::new(2, 19) {
        assert_eq!(server.description, None, "no description below 2.19");
    }
    if negotiated < MicroVersion::new(2, 26) {
        assert_eq!(server.tags, None, "no tags below 2.26");
    }
    if negotiated < MicroVersion::new(2, 9) {
        assert_eq!(server.locked, None, "no locked below 2.9");
    }
    assert_eq!(server.metadata.get("role").map(String::as_str), Some("old"));

    let page = servers
        .list(&nova_v2::ServerQuery::new().name(format!("^{}", created.prefix())))
        .await
        .expect("list")
        .value;
    assert_eq!(
        page.items.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec![id.as_str()]
    );

    act(
        &*client,
        &id,
        &ServerAction::Reboot(RebootType::Soft),
        ServerStatus::Active,
    )
    .await;
    act(&*client, &id, &ServerAction::Stop, ServerStatus::Shutoff).await;
    act(&*client, &id, &ServerAction::Start, ServerStatus::Active).await;
    act(
        &*client,
        &id,
        &ServerAction::Lock { reason: None },
        ServerStatus::Active,
    )
    .await;
    act(&*client, &id, &ServerAction::Unlock, ServerStatus::Active).await;

    servers.delete(&id).await.expect("delete");
    servers
        .wait_for_delete(&id, &wait_options())
        .await
        .expect("gone");
}

#[tokio::test]
async fn seed_path_at_2_1_shows_the_flavor_as_a_reference_and_no_description() {
    seed_path_at("2.1").await;
}

#[tokio::test]
async fn seed_path_at_2_46_the_last_version_with_a_flavor_reference() {
    seed_path_at("2.46").await;
}
