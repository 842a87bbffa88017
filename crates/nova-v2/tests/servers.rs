//! nova-v2 over real HTTP against mock-cloud: the seed path, pagination, version gating and
//! boot failures (issue 4's "Done when").

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use keystone_auth::{Adapter, DomainRef, EndpointFilter, Password, Scope, Session, UserRef};
use mock_cloud::{MockCloud, MockConfig};
use nova_core::compute::ComputeClient;
use nova_core::{Client, Error, MicroVersion, Requested, Transport};
use nova_v2::{
    BdmSourceType, BlockDeviceMappingV2, CreateImage, CreateKeypair, CreateServer,
    CreateServerResult, DiskConfig, Networks, RebootType, RebuildServer, SchedulerHints,
    ServerAction, ServerQuery, ServerStatus, ServerWaitExt, UpdateServer, VirtualClock,
    WaitOptions,
};

const CIRROS: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@example";

async fn start() -> MockCloud {
    MockCloud::start(MockConfig::default())
        .await
        .expect("mock cloud starts")
}

/// Password auth as demo, catalog lookup of `compute`: what Horizon's session does.
fn transport(cloud: &MockCloud) -> Arc<dyn Transport> {
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        "demo-password",
    )
    .scope(Scope::project_name("demo", DomainRef::name("Default")));
    let session = Session::builder(plugin)
        .app_name("nova-v2-tests")
        .build()
        .expect("session");
    Arc::new(Adapter::new(session, EndpointFilter::new("compute")))
}

fn instant() -> WaitOptions {
    WaitOptions::new()
        .timeout(Duration::from_secs(120))
        .clock(Arc::new(VirtualClock::new()))
}

async fn wait(client: &dyn ComputeClient, id: &str, status: ServerStatus) {
    let server = client
        .servers()
        .wait_for_status(id, status.clone(), &instant())
        .await
        .unwrap_or_else(|e| panic!("waiting for {status}: {e}"));
    assert_eq!(server.status, status);
}

fn created_id(result: CreateServerResult) -> String {
    match result {
        CreateServerResult::Server(s) => s.id,
        other => panic!("expected a server, got {other:?}"),
    }
}

#[tokio::test]
async fn seed_path_launch_instance_lifecycle_and_delete() {
    let cloud = start().await;
    let client = Client::negotiate(Requested::Latest, transport(&cloud))
        .await
        .expect("negotiated");
    let version = client.microversion();
    assert!(version >= MicroVersion::new(2, 90), "negotiated {version}");
    assert!(cloud.count("POST /identity/v3/auth/tokens") >= 1);

    let flavor = client.flavors().find("m1.small").await.expect("flavor");
    let zones = client.availability_zones().list().await.expect("zones");
    let zone = zones.value.first().map(|z| z.name.clone()).expect("a zone");
    let limits = client.limits().get().await.expect("limits");
    assert!(limits.value.absolute.max_total_instances.is_some());
    let keypair = client
        .keypairs()
        .create(&CreateKeypair::new("demo-key").public_key(PUBLIC_KEY))
        .await
        .expect("keypair");
    assert_eq!(keypair.value.name, "demo-key");
    assert_eq!(
        client
            .keypairs()
            .list()
            .await
            .expect("keypairs")
            .value
            .len(),
        1
    );

    // Horizon's Launch Instance, all of it.
    let request = CreateServer::new("web-1", flavor.value.id.clone())
        .image(CIRROS)
        .key_name("demo-key")
        .availability_zone(zone)
        .security_group("default")
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
        .networks(Networks::Auto)
        .block_device_mapping_v2(
            BlockDeviceMappingV2::new(BdmSourceType::Image)
                .uuid(CIRROS)
                .boot_index(0)
                .delete_on_termination(true),
        )
        .scheduler_hints(SchedulerHints::default().other("foo", serde_json::json!("bar")));
    let created = client.servers().create(&request).await.expect("created");
    assert!(created.request_id.is_some(), "request id recorded");
    assert_eq!(created.microversion, version);
    assert_eq!(cloud.count("POST /compute/v2.1/servers"), 1);
    let id = created_id(created.value);

    wait(&*client, &id, ServerStatus::Active).await;
    let shown = client.servers().get(&id).await.expect("show");
    assert_eq!(shown.value.name, "web-1");
    assert_eq!(shown.value.description.as_deref(), Some("the web server"));
    assert_eq!(
        shown.value.metadata.get("role").map(String::as_str),
        Some("web")
    );
    assert!(shown.request_id.is_some());
    let found = client.servers().find("web-1").await.expect("find by name");
    assert_eq!(found.value.id, id);

    let servers = client.servers();
    let updated = servers
        .update(
            &id,
            &UpdateServer::new().name("web-1b").description("renamed"),
        )
        .await
        .expect("update");
    assert_eq!(updated.value.name, "web-1b");

    // Each action, waiting for the state it leads to.
    let steps: Vec<(ServerAction, ServerStatus)> = vec![
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
        (ServerAction::Unlock, ServerStatus::Active),
        (
            ServerAction::Rescue {
                admin_pass: None,
                image_ref: None,
            },
            ServerStatus::Rescue,
        ),
        (ServerAction::Unrescue, ServerStatus::Active),
        (
            ServerAction::Resize {
                flavor_ref: "3".into(),
                disk_config: None,
            },
            ServerStatus::VerifyResize,
        ),
        (ServerAction::ConfirmResize, ServerStatus::Active),
        (
            ServerAction::Resize {
                flavor_ref: "2".into(),
                disk_config: None,
            },
            ServerStatus::VerifyResize,
        ),
        (ServerAction::RevertResize, ServerStatus::Active),
        (ServerAction::Shelve, ServerStatus::ShelvedOffloaded),
        (
            ServerAction::Unshelve {
                availability_zone: None,
                host: None,
            },
            ServerStatus::Active,
        ),
    ];
    for (action, target) in steps {
        let name = action.name();
        servers
            .action(&id, &action)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        wait(&*client, &id, target).await;
    }

    let rebuilt = servers
        .rebuild(
            &id,
            &RebuildServer::new(CIRROS)
                .name("web-1c")
                .description("rebuilt")
                .key_name("demo-key"),
        )
        .await
        .expect("rebuild");
    assert_eq!(rebuilt.value.name, "web-1c");
    wait(&*client, &id, ServerStatus::Active).await;

    let image = servers
        .create_image(&id, &CreateImage::new("web-snap"))
        .await
        .expect("createImage");
    assert!(!image.value.is_empty());

    let mut items = BTreeMap::new();
    items.insert("env".to_owned(), "prod".to_owned());
    servers
        .set_metadata(&id, &items)
        .await
        .expect("set metadata");
    let metadata = servers.metadata(&id).await.expect("metadata").value;
    assert_eq!(metadata.get("env").map(String::as_str), Some("prod"));
    servers
        .delete_metadata(&id, "env")
        .await
        .expect("delete item");
    assert!(
        !servers
            .metadata(&id)
            .await
            .expect("metadata")
            .value
            .contains_key("env")
    );

    servers.add_tag(&id, "blue").await.expect("add tag");
    assert!(
        servers
            .tags(&id)
            .await
            .expect("tags")
            .value
            .contains(&"blue".to_owned())
    );
    servers.delete_tag(&id, "blue").await.expect("delete tag");
    servers
        .set_tags(&id, &["a".to_owned(), "b".to_owned()])
        .await
        .expect("set tags");

    servers
        .console_output(&id, Some(10))
        .await
        .expect("console");
    servers.password(&id).await.expect("password");
    servers.interfaces(&id).await.expect("interfaces");
    servers.volume_attachments(&id).await.expect("volumes");

    servers.delete(&id).await.expect("delete");
    servers
        .wait_for_delete(&id, &instant())
        .await
        .expect("gone");
    assert!(matches!(servers.get(&id).await, Err(Error::NotFound(_))));
    client
        .keypairs()
        .delete("demo-key")
        .await
        .expect("keypair deleted");
}

#[tokio::test]
async fn keypairs_with_and_without_a_public_key() {
    let cloud = start().await;
    let client = Client::new("2.91", transport(&cloud)).expect("client at 2.91");
    let keypairs = client.keypairs();
    let generated = keypairs
        .create(&CreateKeypair::new("generated"))
        .await
        .expect("generated keypair");
    assert!(
        generated.value.private_key.is_some(),
        "Nova returns the private key"
    );
    assert!(!format!("{:?}", generated.value).contains("PRIVATE KEY"));
    let imported = keypairs
        .create(&CreateKeypair::new("imported").public_key(PUBLIC_KEY))
        .await
        .expect("imported keypair");
    assert!(imported.value.private_key.is_none());
    let shown = keypairs.get("imported").await.expect("get").value;
    assert_eq!(shown.public_key.as_deref(), Some(PUBLIC_KEY));
    let names: Vec<String> = keypairs
        .list()
        .await
        .expect("list")
        .value
        .into_iter()
        .map(|k| k.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    keypairs.delete("generated").await.expect("delete");
    assert!(matches!(
        keypairs.get("generated").await,
        Err(Error::NotFound(_))
    ));

    // From 2.92 Nova no longer generates keys: refused before sending.
    let client = Client::new("2.92", transport(&cloud)).expect("client at 2.92");
    cloud.reset_counts();
    let err = client
        .keypairs()
        .create(&CreateKeypair::new("nope"))
        .await
        .expect_err("needs a public key");
    assert!(matches!(err, Error::InvalidInput { .. }));
    assert_eq!(cloud.count("POST /compute/v2.1/os-keypairs"), 0);
}

#[tokio::test]
async fn listing_2500_servers_yields_each_exactly_once() {
    let cloud = start().await;
    let nova = &cloud.control().state().nova;
    nova.set_instance_quota(None, 5000);
    let seeded = nova.seed_servers(2500, "bulk", "demo");
    assert_eq!(seeded.len(), 2500);

    let client = Client::negotiate(Requested::Latest, transport(&cloud))
        .await
        .expect("negotiated");
    cloud.reset_counts();
    let all: Vec<_> = client
        .servers()
        .list_all(ServerQuery::new().limit(1000))
        .try_collect()
        .await
        .expect("listed");
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 2500);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 2500, "no server twice");
    let mut expected: Vec<&str> = seeded.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    // 1000 + 1000 + 500: three pages.
    assert_eq!(cloud.count("GET /compute/v2.1/servers/detail"), 3);
}

#[tokio::test]
async fn a_gated_field_at_a_too_low_version_sends_nothing() {
    let cloud = start().await;
    let client = Client::new("2.1", transport(&cloud)).expect("client at 2.1");
    cloud.reset_counts();
    let request = CreateServer::new("old", "1")
        .image(CIRROS)
        .description("needs 2.19");
    let err = client.servers().create(&request).await.expect_err("gated");
    match &err {
        Error::FieldNotSupported {
            field, negotiated, ..
        } => {
            assert_eq!(*field, "description");
            assert_eq!(*negotiated, MicroVersion::new(2, 1));
        }
        other => panic!("expected FieldNotSupported, got {other:?}"),
    }
    assert!(!err.may_have_reached_server());
    let tags = CreateServer::new("old", "1").image(CIRROS).tag("t");
    assert!(client.servers().create(&tags).await.is_err());
    assert_eq!(cloud.count("POST /compute/v2.1/servers"), 0);
    assert_eq!(
        cloud.counts().values().sum::<u64>(),
        0,
        "{:?}",
        cloud.counts()
    );
}

#[tokio::test]
async fn a_boot_that_ends_in_error_returns_the_fault() {
    let cloud = start().await;
    let client = Client::negotiate(Requested::Latest, transport(&cloud))
        .await
        .expect("negotiated");
    let request = CreateServer::new("doomed", "1")
        .image(CIRROS)
        .networks(Networks::None)
        .metadata("mock:boot-fault", "No valid host was found.");
    let id = created_id(client.servers().create(&request).await.expect("202").value);
    let err = client
        .servers()
        .wait_for_status(&id, ServerStatus::Active, &instant())
        .await
        .expect_err("boot fails");
    match err {
        Error::ServerFault {
            id: failed,
            status,
            message,
        } => {
            assert_eq!(failed, id);
            assert_eq!(status, "ERROR");
            assert_eq!(message, "No valid host was found.");
        }
        other => panic!("expected ServerFault, got {other:?}"),
    }
}
