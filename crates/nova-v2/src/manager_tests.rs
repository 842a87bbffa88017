//! Unit tests of the managers over a scripted transport, and of the waiters over the
//! mockall mock of `ServerApi`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use http::Method;
use nova_core::compute::{FlavorApi, KeypairApi, MockServerApi, ServerApi};
use nova_core::types::*;
use nova_core::{ApiResponse, Error, MicroVersion};
use serde_json::json;

use crate::fake_transport::{FakeTransport, Reply};
use crate::wait::{VirtualClock, WaitOptions, wait_for_delete, wait_for_status};
use crate::{FlavorManager, KeypairManager, ServerManager};

fn server_json(id: &str, name: &str, status: &str) -> serde_json::Value {
    json!({"id": id, "name": name, "status": status, "links": []})
}

#[tokio::test]
async fn gated_field_at_low_version_sends_nothing() {
    let fake = FakeTransport::new();
    let servers = ServerManager::new(fake.connection(2, 1));
    let request = CreateServer::new("a", "1").image("img").tag("blue");
    let err = servers.create(&request).await.expect_err("tags need 2.52");
    match &err {
        Error::FieldNotSupported {
            field, negotiated, ..
        } => {
            assert_eq!(*field, "tags");
            assert_eq!(*negotiated, MicroVersion::new(2, 1));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.may_have_reached_server());
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn network_tag_is_accepted_at_2_32_and_2_42_but_not_2_37() {
    let req = CreateServer::new("a", "1").network(NetworkSpec::network("n").tag("t"));
    for (minor, ok) in [
        (31, false),
        (32, true),
        (36, true),
        (37, false),
        (41, false),
        (42, true),
    ] {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers",
            Reply::json(202, json!({"server": {"id": "s1", "links": []}})),
        );
        let result = ServerManager::new(fake.connection(2, minor))
            .create(&req)
            .await;
        assert_eq!(result.is_ok(), ok, "2.{minor}: {result:?}");
    }
}

#[tokio::test]
async fn missing_networks_from_2_37_and_oversized_user_data_are_refused_locally() {
    let fake = FakeTransport::new();
    let servers = ServerManager::new(fake.connection(2, 37));
    let err = servers
        .create(&CreateServer::new("a", "1"))
        .await
        .expect_err("networks required");
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "networks"));
    let big = CreateServer::new("a", "1")
        .networks(Networks::None)
        .user_data(vec![b'x'; 60_000]);
    let err = servers.create(&big).await.expect_err("too big");
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "user_data"));
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn create_returns_server_with_request_id_and_microversion() {
    let fake = FakeTransport::new();
    fake.on(
        Method::POST,
        "servers",
        Reply::json(
            202,
            json!({"server": {"id": "s1", "adminPass": "pw-secret", "links": []}}),
        ),
    );
    let servers = ServerManager::new(fake.connection(2, 90));
    let resp = servers
        .create(
            &CreateServer::new("a", "1")
                .networks(Networks::Auto)
                .hostname("a"),
        )
        .await
        .expect("created");
    assert_eq!(resp.request_id.as_deref(), Some("req-fake"));
    assert_eq!(resp.microversion, MicroVersion::new(2, 90));
    assert_eq!(resp.value.id, "s1");
    assert!(!format!("{:?}", resp.value).contains("pw-secret"));
    let sent = fake.requests();
    assert_eq!(sent.len(), 1);
    let body: serde_json::Value =
        serde_json::from_slice(sent[0].body.as_deref().unwrap_or_default()).expect("json");
    assert_eq!(body["server"]["networks"], "auto");
    assert_eq!(body["server"]["hostname"], "a");
    assert!(body["server"].get("return_reservation_id").is_none());
}

#[tokio::test]
async fn create_reservation_asks_for_and_returns_the_reservation_id() {
    let fake = FakeTransport::new();
    fake.on(
        Method::POST,
        "servers",
        Reply::json(202, json!({"reservation_id": "r-abc"})),
    );
    let servers = ServerManager::new(fake.connection(2, 90));
    let resp = servers
        .create_reservation(
            &CreateServer::new("a", "1")
                .networks(Networks::Auto)
                .min_count(2),
        )
        .await
        .expect("reserved");
    assert_eq!(resp.value, "r-abc");
    let sent = fake.requests();
    let body: serde_json::Value =
        serde_json::from_slice(sent[0].body.as_deref().unwrap_or_default()).expect("json");
    assert_eq!(body["server"]["return_reservation_id"], true);
    assert_eq!(body["server"]["min_count"], 2);
}

#[tokio::test]
async fn create_image_reads_body_from_2_45_and_location_before() {
    let fake = FakeTransport::new();
    fake.on(
        Method::POST,
        "servers/s1/action",
        Reply::json(202, json!({"image_id": "img-new"})),
    );
    let id = ServerManager::new(fake.connection(2, 45))
        .create_image("s1", &CreateImage::new("snap"))
        .await
        .expect("image");
    assert_eq!(id.value, "img-new");

    let fake = FakeTransport::new();
    fake.on(
        Method::POST,
        "servers/s1/action",
        Reply::json(202, serde_json::Value::Null)
            .header("location", "http://glance/v2/images/img-old"),
    );
    let id = ServerManager::new(fake.connection(2, 44))
        .create_image("s1", &CreateImage::new("snap"))
        .await
        .expect("image");
    assert_eq!(id.value, "img-old");
}

#[tokio::test]
async fn list_all_follows_next_links_and_stops_on_a_repeated_page() {
    let fake = FakeTransport::new();
    fake.on(
        Method::GET,
        "servers/detail?limit=2",
        Reply::json(200, json!({
            "servers": [server_json("1", "a", "ACTIVE"), server_json("2", "b", "ACTIVE")],
            "servers_links": [{"rel": "next", "href": "http://x/v2.1/servers/detail?limit=2&marker=2"}]
        })),
    );
    fake.on(
        Method::GET,
        "servers/detail?limit=2&marker=2",
        Reply::json(200, json!({
            "servers": [server_json("3", "c", "ACTIVE"), server_json("4", "d", "ACTIVE")],
            // A buggy server pointing back at a page already read.
            "servers_links": [{"rel": "next", "href": "http://x/v2.1/servers/detail?limit=2&marker=2"}]
        })),
    );
    let servers = ServerManager::new(fake.connection(2, 1));
    let all: Vec<Server> = servers
        .list_all(ServerQuery::new().limit(2))
        .try_collect()
        .await
        .expect("listed");
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn list_all_falls_back_to_the_marker_when_the_link_has_no_query() {
    let fake = FakeTransport::new();
    fake.on(
        Method::GET,
        "servers/detail?limit=1",
        Reply::json(
            200,
            json!({
                "servers": [server_json("1", "a", "ACTIVE")],
                "servers_links": [{"rel": "next", "href": "http://x/v2.1/servers/detail"}]
            }),
        ),
    );
    fake.on(
        Method::GET,
        "servers/detail?limit=1&marker=1",
        Reply::json(200, json!({"servers": [server_json("2", "b", "ACTIVE")]})),
    );
    let all: Vec<Server> = ServerManager::new(fake.connection(2, 1))
        .list_all(ServerQuery::new().limit(1))
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn find_tries_id_then_unique_name() {
    let fake = FakeTransport::new();
    fake.on(
        Method::GET,
        "servers/detail?name=web",
        Reply::json(
            200,
            json!({"servers": [
                server_json("1", "web", "ACTIVE"),
                server_json("2", "web-2", "ACTIVE")
            ]}),
        ),
    );
    let servers = ServerManager::new(fake.connection(2, 1));
    let found = servers.find("web").await.expect("found");
    assert_eq!(found.value.id, "1");
    let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["servers/web", "servers/detail?name=web"]);

    let fake = FakeTransport::new();
    fake.on(
        Method::GET,
        "servers/detail",
        Reply::json(
            200,
            json!({"servers": [
                server_json("1", "db", "ACTIVE"),
                server_json("2", "db", "ACTIVE")
            ]}),
        ),
    );
    let err = ServerManager::new(fake.connection(2, 1))
        .find("db")
        .await
        .expect_err("ambiguous");
    assert!(matches!(err, Error::Ambiguous { ref candidates, .. } if candidates.len() == 2));
}

#[tokio::test]
async fn flavor_find_by_name_and_keypair_generation_rules() {
    let fake = FakeTransport::new();
    fake.on(
        Method::GET,
        "flavors/detail",
        Reply::json(
            200,
            json!({"flavors": [
                {"id": "1", "name": "m1.tiny", "ram": 512, "vcpus": 1, "disk": 1, "swap": ""},
                {"id": "2", "name": "m1.small", "ram": 2048, "vcpus": 1, "disk": 20, "swap": 0}
            ]}),
        ),
    );
    let flavors = FlavorManager::new(fake.connection(2, 1));
    let f = flavors.find("m1.small").await.expect("flavor");
    assert_eq!((f.value.id.as_str(), f.value.ram), ("2", 2048));
    assert!(matches!(
        flavors.find("m1.huge").await,
        Err(Error::NotFoundByName { .. })
    ));

    let keypairs = KeypairManager::new(fake.connection(2, 92));
    let err = keypairs
        .create(&CreateKeypair::new("k"))
        .await
        .expect_err("needs key");
    assert!(matches!(err, Error::InvalidInput { .. }));
}

#[tokio::test]
async fn tags_need_2_26() {
    let fake = FakeTransport::new();
    let err = ServerManager::new(fake.connection(2, 25))
        .tags("s1")
        .await
        .expect_err("too old");
    assert!(matches!(err, Error::VersionNotSupported { .. }));
    assert!(fake.requests().is_empty());
}

fn reply(status: &str, fault: Option<&str>) -> nova_core::Result<ApiResponse<Server>> {
    let mut v = server_json("s1", "web", status);
    if let Some(m) = fault {
        v["fault"] = json!({"code": 500, "message": m, "created": "2026-01-01T00:00:00Z"});
    }
    v["progress"] = json!(50);
    Ok(ApiResponse {
        value: serde_json::from_value(v).expect("server"),
        status: http::StatusCode::OK,
        request_id: None,
        microversion: MicroVersion::new(2, 1),
        headers: http::HeaderMap::new(),
    })
}

fn scripted(statuses: Vec<(&'static str, Option<&'static str>)>) -> MockServerApi {
    let mut mock = MockServerApi::new();
    let script = Arc::new(Mutex::new(statuses.into_iter()));
    mock.expect_get().returning(move |_| {
        let next = script.lock().expect("script").next();
        match next {
            Some((s, f)) => reply(s, f),
            None => Err(nova_core::Fault::new(http::StatusCode::NOT_FOUND, "gone").into_error()),
        }
    });
    mock
}

#[tokio::test]
async fn waiter_reaches_active_with_backoff_and_progress_using_the_mock() {
    let mock = scripted(vec![
        ("BUILD", None),
        ("BUILD", None),
        ("BUILD", None),
        ("ACTIVE", None),
    ]);
    let clock = Arc::new(VirtualClock::new());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    let options = WaitOptions::new()
        .intervals(Duration::from_secs(1), Duration::from_secs(3))
        .clock(clock.clone())
        .on_progress(move |p| seen2.lock().expect("seen").push(p.status.clone()));
    let server = wait_for_status(&mock, "s1", ServerStatus::Active, &options)
        .await
        .expect("active");
    assert_eq!(server.status, ServerStatus::Active);
    assert_eq!(clock.sleeps(), [1, 2, 3].map(Duration::from_secs).to_vec());
    assert_eq!(seen.lock().expect("seen").len(), 4);
}

#[tokio::test]
async fn waiter_stops_at_once_on_error_with_the_fault() {
    let mock = scripted(vec![
        ("BUILD", None),
        ("ERROR", Some("No valid host was found.")),
    ]);
    let clock = Arc::new(VirtualClock::new());
    let options = WaitOptions::new().clock(clock.clone());
    let err = wait_for_status(&mock, "s1", ServerStatus::Active, &options)
        .await
        .expect_err("fault");
    match err {
        Error::ServerFault {
            message, status, ..
        } => {
            assert_eq!(message, "No valid host was found.");
            assert_eq!(status, "ERROR");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn waiter_times_out_and_delete_waiter_ends_on_404() {
    let mock = scripted(vec![("BUILD", None); 1000]);
    let options = WaitOptions::new()
        .timeout(Duration::from_secs(30))
        .clock(Arc::new(VirtualClock::new()));
    let err = wait_for_status(&mock, "s1", ServerStatus::Active, &options)
        .await
        .expect_err("timeout");
    assert!(matches!(err, Error::WaitTimeout { waited, .. } if waited == Duration::from_secs(30)));

    let mock = scripted(vec![("ACTIVE", None), ("ACTIVE", None)]);
    let options = WaitOptions::new().clock(Arc::new(VirtualClock::new()));
    wait_for_delete(&mock, "s1", &options)
        .await
        .expect("deleted");
}

#[tokio::test]
async fn waiter_waits_for_an_idle_task_state_by_default() {
    let mut mock = MockServerApi::new();
    let polls = Arc::new(Mutex::new(0u32));
    let counter = polls.clone();
    mock.expect_get().returning(move |_| {
        let mut n = counter.lock().expect("polls");
        *n += 1;
        let mut v = server_json("s1", "web", "ACTIVE");
        if *n < 3 {
            v["OS-EXT-STS:task_state"] = json!("image_uploading");
        }
        Ok(ApiResponse {
            value: serde_json::from_value(v).expect("server"),
            status: http::StatusCode::OK,
            request_id: None,
            microversion: MicroVersion::new(2, 1),
            headers: http::HeaderMap::new(),
        })
    });
    let options = WaitOptions::new().clock(Arc::new(VirtualClock::new()));
    let server = wait_for_status(&mock, "s1", ServerStatus::Active, &options)
        .await
        .expect("idle");
    assert!(server.task_state.is_none());
    assert_eq!(*polls.lock().expect("polls"), 3);

    let busy = WaitOptions::new()
        .require_idle(false)
        .clock(Arc::new(VirtualClock::new()));
    *polls.lock().expect("polls") = 0;
    let server = wait_for_status(&mock, "s1", ServerStatus::Active, &busy)
        .await
        .expect("active");
    assert_eq!(server.task_state, Some(TaskState::ImageUploading));
}

#[test]
fn registers_for_major_2_from_2_1_to_2_104() {
    let mut registry = nova_core::Registry::new();
    crate::register(&mut registry).expect("registered");
    let entry = registry.get(2).expect("major 2");
    assert_eq!(entry.name, "nova-v2");
    assert_eq!(entry.min, MicroVersion::new(2, 1));
    assert_eq!(entry.max, MicroVersion::new(2, 104));
    assert!(
        crate::register(&mut registry).is_err(),
        "a second registration is refused"
    );
}

#[tokio::test]
async fn stream_lists_every_page_and_stops_on_a_page_repeating_the_previous_one() {
    let fake = FakeTransport::new();
    let page = |ids: [&str; 2], next: &str| {
        Reply::json(
            200,
            json!({
                "servers": [server_json(ids[0], "a", "ACTIVE"), server_json(ids[1], "b", "ACTIVE")],
                "servers_links": [{"rel": "next", "href": format!("http://x/v2.1/servers/detail?{next}")}]
            }),
        )
    };
    fake.on(
        Method::GET,
        "servers/detail?limit=2&marker=4",
        page(["3", "4"], "limit=2&marker=5"),
    );
    fake.on(
        Method::GET,
        "servers/detail?limit=2&marker=2",
        page(["3", "4"], "limit=2&marker=4"),
    );
    fake.on(
        Method::GET,
        "servers/detail?limit=2",
        page(["1", "2"], "limit=2&marker=2"),
    );
    let all: Vec<Server> = ServerManager::new(fake.connection(2, 1))
        .stream(ServerQuery::new().limit(2))
        .try_collect()
        .await
        .expect("listed");
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    // the third page held only servers of the second: no fourth request
    assert_eq!(fake.requests().len(), 3);
}
