//! Integration tests: instance actions. Actions are listed newest first; events are shown
//! to everyone from 2.51 (admins always), `updated_at` from 2.58, `hostId` from 2.62 and
//! the paging filters from 2.58 / 2.66.

use integration_tests::{TestCloud, act_and_wait, wait_options};
use nova_core::Error;
use nova_v2::{InstanceActionQuery, ServerAction, ServerStatus, ServerWaitExt};

#[tokio::test]
async fn create_and_stop_are_recorded_newest_first_with_fields_per_version() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let (_created, client, id) = cloud.active_server("2.62", "acts").await;
    act_and_wait(&*client, &id, &ServerAction::Stop, ServerStatus::Shutoff).await;

    let actions = client.instance_actions();
    let page = actions
        .list(&id, &InstanceActionQuery::new())
        .await
        .expect("list")
        .value;
    let names: Vec<&str> = page.items.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(names.first(), Some(&"stop"), "{names:?}");
    assert_eq!(names.last(), Some(&"create"), "{names:?}");
    assert!(
        page.items
            .iter()
            .all(|a| a.updated_at.is_some() && a.instance_uuid == id)
    );

    let old = cloud.compute("2.50").await;
    let listed_old = old
        .instance_actions()
        .list(&id, &InstanceActionQuery::new())
        .await
        .expect("2.50 list")
        .value;
    assert!(listed_old.items.iter().all(|a| a.updated_at.is_none()));
    let stop = &page.items[0];
    let shown_old = old
        .instance_actions()
        .get(&id, &stop.request_id)
        .await
        .expect("show")
        .value;
    assert!(shown_old.events.is_none(), "no events for users below 2.51");

    let shown = actions
        .get(&id, &stop.request_id)
        .await
        .expect("show")
        .value;
    let events = shown.events.expect("events from 2.51");
    assert!(!events.is_empty());
    assert!(
        events
            .iter()
            .all(|e| e.traceback.is_none() && e.host.is_none())
    );
    assert!(
        events.iter().all(|e| e.host_id.is_some()),
        "hostId from 2.62"
    );

    let missing = actions
        .get(&id, "req-00000000-0000-0000-0000-000000000000")
        .await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");

    if let Some(admin) = cloud.admin_compute("2.84").await {
        let as_admin = admin
            .instance_actions()
            .get(&id, &stop.request_id)
            .await
            .expect("admin show")
            .value;
        let events = as_admin.events.expect("events");
        assert!(events.iter().all(|e| e.host.is_some()), "host for admins");
    }
}

#[tokio::test]
async fn actions_page_with_limit_and_marker_from_2_58() {
    let cloud = TestCloud::start().await;
    let (_created, client, id) = cloud.active_server("2.66", "pages").await;
    for action in [ServerAction::Lock { reason: None }, ServerAction::Unlock] {
        client.servers().action(&id, &action).await.expect("action");
    }
    let actions = client.instance_actions();
    let first = actions
        .list(&id, &InstanceActionQuery::new().limit(1))
        .await
        .expect("page 1")
        .value;
    assert_eq!(first.items.len(), 1);
    assert_eq!(first.items[0].action, "unlock");
    assert!(first.next.is_some(), "a full page links the next one");
    let rest = actions
        .list(
            &id,
            &InstanceActionQuery::new().marker(first.items[0].request_id.clone()),
        )
        .await
        .expect("page 2")
        .value;
    let names: Vec<&str> = rest.items.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(names, ["lock", "create"]);
    let none = actions
        .list(
            &id,
            &InstanceActionQuery::new().changes_before("2000-01-01T00:00:00Z"),
        )
        .await
        .expect("changes-before")
        .value;
    assert!(none.items.is_empty());

    let old = cloud.compute("2.65").await;
    let error = old
        .instance_actions()
        .list(
            &id,
            &InstanceActionQuery::new().changes_before("2000-01-01T00:00:00Z"),
        )
        .await
        .expect_err("changes-before needs 2.66");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_deleted_servers_actions_end_with_delete_and_stay_readable_from_2_21() {
    let cloud = TestCloud::start().await;
    let (_created, client, id) = cloud.active_server("2.21", "gone").await;
    client.servers().delete(&id).await.expect("deleted");
    client
        .servers()
        .wait_for_delete(&id, &wait_options())
        .await
        .expect("gone");

    let page = client
        .instance_actions()
        .list(&id, &InstanceActionQuery::new())
        .await
        .expect("a deleted server's actions at 2.21")
        .value;
    let names: Vec<&str> = page.items.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(names, ["delete", "create"], "newest first");

    let old = cloud.compute("2.20").await;
    let before = old
        .instance_actions()
        .list(&id, &InstanceActionQuery::new())
        .await;
    assert!(matches!(before, Err(Error::NotFound(_))), "{before:?}");
}
