//! Server calls novaclient has beyond the basics: `os-resetState` (admin), single metadata
//! items and replacing all metadata, deleting every tag (2.26+), addresses by network
//! (`/ips`), and the state filters of the server list (admin only before 2.83).

use std::collections::BTreeMap;

use integration_tests::TestCloud;
use keystone_auth::{HeaderMap, Method};
use nova_core::Error;
use nova_core::compute::ComputeClient;
use nova_v2::{
    PowerState, ResetStateTarget, ServerAction, ServerQuery, ServerStatus, TaskState, VmState,
};
use serde_json::{Value, json};

fn fault_message(error: &Error) -> String {
    error
        .fault()
        .map(|f| f.message.clone())
        .unwrap_or_else(|| panic!("expected an HTTP fault, got {error:?}"))
}

/// The ids `query` lists at `client`'s version.
async fn listed(client: &dyn ComputeClient, query: ServerQuery) -> Vec<String> {
    client
        .servers()
        .list(&query)
        .await
        .expect("listed")
        .value
        .items
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[tokio::test]
async fn reset_state_is_admin_only_and_sets_the_vm_state_with_no_task() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let (_created, demo, id) = cloud.active_server("2.1", "reset").await;

    let error = demo
        .servers()
        .action(&id, &ServerAction::ResetState(ResetStateTarget::Error))
        .await
        .expect_err("a member may not reset the state");
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    if cloud.mock().is_some() {
        assert_eq!(
            fault_message(&error),
            "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed."
        );
    }
    let Some(admin) = cloud.admin_compute("2.1").await else {
        return;
    };
    admin
        .servers()
        .action(&id, &ServerAction::ResetState(ResetStateTarget::Error))
        .await
        .expect("admin resets to error");
    let server = admin.servers().get(&id).await.expect("shown").value;
    assert_eq!(server.status, ServerStatus::Error);
    assert_eq!(server.vm_state, Some(VmState::Error));
    assert_eq!(server.task_state, None);
    assert_eq!(
        server.power_state,
        Some(PowerState::Running),
        "the hypervisor is not touched"
    );
    admin
        .servers()
        .action(&id, &ServerAction::ResetState(ResetStateTarget::Active))
        .await
        .expect("admin resets to active");
    let server = demo.servers().get(&id).await.expect("shown").value;
    assert_eq!(server.status, ServerStatus::Active);

    let error = admin
        .servers()
        .action(
            "00000000-0000-0000-0000-000000000000",
            &ServerAction::ResetState(ResetStateTarget::Active),
        )
        .await
        .expect_err("no such server");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
}

#[tokio::test]
async fn single_metadata_items_can_be_read_and_set_and_all_items_replaced() {
    let cloud = TestCloud::start().await;
    let (_created, demo, id) = cloud.active_server("2.1", "meta").await;
    let servers = demo.servers();

    let value = servers
        .set_metadata_item(&id, "color", "blue")
        .await
        .expect("set one")
        .value;
    assert_eq!(value, "blue");
    assert_eq!(
        servers
            .metadata_item(&id, "color")
            .await
            .expect("got")
            .value,
        "blue"
    );
    let error = servers
        .metadata_item(&id, "missing")
        .await
        .expect_err("unset key");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(fault_message(&error), "Metadata item was not found");

    let replacement = BTreeMap::from([("size".to_owned(), "L".to_owned())]);
    let all = servers
        .replace_metadata(&id, &replacement)
        .await
        .expect("replaced")
        .value;
    assert_eq!(all, replacement);
    assert_eq!(
        servers.metadata(&id).await.expect("listed").value,
        replacement,
        "the old item is gone"
    );

    // A body whose key differs from the URL's: 400 "Request body and URI mismatch".
    let mut headers = HeaderMap::new();
    headers.insert(
        "X-OpenStack-Nova-API-Version",
        "2.1".parse().expect("header"),
    );
    headers.insert("Content-Type", "application/json".parse().expect("header"));
    let body = serde_json::to_vec(&json!({"meta": {"other": "x"}})).expect("body");
    let response = cloud
        .compute_adapter()
        .send(
            Method::PUT,
            &format!("servers/{id}/metadata/size"),
            headers,
            Some(body.into()),
        )
        .await
        .expect("an answer");
    assert_eq!(response.status.as_u16(), 400);
    let answer: Value = response.json().expect("JSON");
    assert_eq!(
        answer["badRequest"]["message"], "Request body and URI mismatch",
        "{answer}"
    );
}

#[tokio::test]
async fn deleting_all_tags_empties_them_from_2_26_and_is_refused_before() {
    let cloud = TestCloud::start().await;
    let (_created, client, id) = cloud.active_server("2.26", "tags").await;
    let tags = vec!["a".to_owned(), "b".to_owned()];
    client.servers().set_tags(&id, &tags).await.expect("tagged");
    client
        .servers()
        .delete_all_tags(&id)
        .await
        .expect("all deleted");
    assert!(
        client
            .servers()
            .tags(&id)
            .await
            .expect("tags")
            .value
            .is_empty()
    );
    let old = cloud.compute("2.25").await;
    let error = old.servers().delete_all_tags(&id).await.expect_err("2.25");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn ips_list_the_servers_addresses_by_network_and_404_for_another_network() {
    let cloud = TestCloud::start().await;
    let (_created, client, id) = cloud.active_server("2.1", "ips").await;
    let server = client.servers().get(&id).await.expect("shown").value;
    let ips = client.servers().ips(&id).await.expect("ips").value;
    if cloud.mock().is_some() {
        assert!(!ips.is_empty(), "the mock gives every server an address");
    }
    assert_eq!(
        ips.keys().collect::<Vec<_>>(),
        server.addresses.keys().collect::<Vec<_>>(),
        "the same networks as the server's addresses"
    );
    for (label, addresses) in &ips {
        let expected: Vec<&str> = server.addresses[label]
            .iter()
            .map(|a| a.addr.as_str())
            .collect();
        let got: Vec<&str> = addresses.iter().map(|a| a.addr.as_str()).collect();
        assert_eq!(got, expected, "{label}");
        let one = client
            .servers()
            .ips_by_network(&id, label)
            .await
            .expect("one network")
            .value;
        assert_eq!(&one, addresses);
    }
    let error = client
        .servers()
        .ips_by_network(&id, "no-such-network")
        .await
        .expect_err("not on it");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(
        fault_message(&error),
        "Instance is not a member of specified network"
    );
}

#[tokio::test]
async fn state_filters_apply_for_admins_and_from_2_83_for_members() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.1").await else {
        return;
    };
    let created = cloud.resources(2).await;
    let new = cloud.compute("2.83").await;
    let old = cloud.compute("2.82").await;
    let request = cloud
        .server_request(&created.name("broken"), new.microversion())
        .await;
    let broken = cloud.boot_active(&created, &*new, &request).await;
    let request = cloud
        .server_request(&created.name("fine"), new.microversion())
        .await;
    let fine = cloud.boot_active(&created, &*new, &request).await;
    admin
        .servers()
        .action(&broken, &ServerAction::ResetState(ResetStateTarget::Error))
        .await
        .expect("reset");

    let errors = listed(&*new, ServerQuery::new().vm_state(VmState::Error)).await;
    assert!(
        errors.contains(&broken) && !errors.contains(&fine),
        "{errors:?}"
    );
    let dropped = listed(&*old, ServerQuery::new().vm_state(VmState::Error)).await;
    assert!(
        dropped.contains(&broken) && dropped.contains(&fine),
        "below 2.83 a member's vm_state filter is ignored: {dropped:?}"
    );
    let by_admin = listed(
        &*admin,
        ServerQuery::new()
            .all_tenants(true)
            .vm_state(VmState::Error),
    )
    .await;
    assert!(by_admin.contains(&broken) && !by_admin.contains(&fine));

    // status wins over vm_state, as Nova derives vm_state from it
    let active = listed(
        &*new,
        ServerQuery::new()
            .status(ServerStatus::Active)
            .vm_state(VmState::Error),
    )
    .await;
    assert!(
        active.contains(&fine) && !active.contains(&broken),
        "{active:?}"
    );
    // reset-state leaves the power state: both still run
    let running = listed(&*new, ServerQuery::new().power_state(PowerState::Running)).await;
    assert!(running.contains(&broken) && running.contains(&fine));
    let shut = listed(&*new, ServerQuery::new().power_state(PowerState::Shutdown)).await;
    assert!(shut.is_empty(), "{shut:?}");
    let busy = listed(&*new, ServerQuery::new().task_state(TaskState::Rebooting)).await;
    assert!(busy.is_empty(), "{busy:?}");
    let with_drive = listed(&*new, ServerQuery::new().config_drive(true)).await;
    assert!(
        with_drive.is_empty(),
        "no server has a config drive: {with_drive:?}"
    );
    let no_key = listed(&*new, ServerQuery::new().key_name("no-such-key")).await;
    assert!(no_key.is_empty(), "{no_key:?}");
}
