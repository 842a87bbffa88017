//! Server lookups and updates: find by id or name (novaclient's `find_resource`), list
//! filters, update, and the errors Nova gives for a missing server or a wrong state.

use integration_tests::{TestCloud, created_id, wait_options};
use nova_core::Error;
use nova_v2::{CreateServer, ServerAction, ServerQuery, ServerStatus, ServerWaitExt, UpdateServer};

#[tokio::test]
async fn find_by_name_is_ambiguous_for_two_servers_until_one_is_renamed() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(2).await;
    let client = cloud.compute("latest").await;
    let servers = client.servers();
    let flavor = cloud.flavor().await;
    let image = cloud.image_id().await;
    let name = created.name("twin");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let mut request = CreateServer::new(&name, flavor.id.clone()).image(&image);
        if let Some(networks) = cloud.networks(client.microversion()) {
            request = request.networks(networks);
        }
        let id = created_id(servers.create(&request).await.expect("created").value);
        created.server(&id);
        ids.push(id);
    }
    for id in &ids {
        servers
            .wait_for_status(id, ServerStatus::Active, &wait_options())
            .await
            .expect("active");
    }

    let listed = servers
        .list(
            &ServerQuery::new()
                .name(format!("^{}", created.prefix()))
                .status(ServerStatus::Active),
        )
        .await
        .expect("list")
        .value;
    let mut listed_ids: Vec<String> = listed.items.into_iter().map(|s| s.id).collect();
    listed_ids.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(listed_ids, expected, "the name filter finds both");

    match servers.find(&name).await {
        Err(Error::Ambiguous { candidates, .. }) => {
            let mut candidates = candidates;
            candidates.sort();
            assert_eq!(candidates, expected);
        }
        other => panic!("two servers share the name: {other:?}"),
    }
    let by_id = servers.find(&ids[0]).await.expect("an id is exact");
    assert_eq!(by_id.value.id, ids[0]);

    let renamed = created.name("single");
    servers
        .update(&ids[1], &UpdateServer::new().name(&renamed))
        .await
        .expect("rename");
    assert_eq!(
        servers.find(&name).await.expect("unique now").value.id,
        ids[0]
    );
    assert_eq!(
        servers.find(&renamed).await.expect("by new name").value.id,
        ids[1]
    );

    // Nova's state check: starting an ACTIVE server is a 409.
    let error = servers
        .action(&ids[0], &ServerAction::Start)
        .await
        .expect_err("start needs SHUTOFF");
    match &error {
        Error::Conflict(fault) => {
            assert!(fault.message.contains(&ids[0]), "{}", fault.message);
            assert!(fault.request_id.is_some());
        }
        other => panic!("expected a 409, got {other:?}"),
    }
}

#[tokio::test]
async fn a_missing_server_is_not_found_by_id_or_by_name() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("latest").await;
    let servers = client.servers();
    let missing = uuid::Uuid::new_v4().to_string();
    match servers.get(&missing).await {
        Err(Error::NotFound(fault)) => {
            assert!(fault.message.contains(&missing), "{}", fault.message);
            assert_eq!(fault.status.as_u16(), 404);
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    let name = format!("{}-nobody", integration_tests::run_prefix());
    match servers.find(&name).await {
        Err(Error::NotFoundByName {
            kind,
            name: looked_up,
        }) => {
            assert_eq!(kind, "server");
            assert_eq!(looked_up, name);
        }
        other => panic!("expected NotFoundByName, got {other:?}"),
    }
    let deleted = servers.delete(&missing).await;
    assert!(matches!(deleted, Err(Error::NotFound(_))), "{deleted:?}");
}
