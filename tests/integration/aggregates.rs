//! Host aggregates (admin): create, show, update, delete, hosts, metadata, image caching
//! (2.81+), `uuid` from 2.41, Nova's errors, and the 403 a non-admin gets. Needs the mock's
//! admin user; skipped against another cloud.

use std::collections::BTreeMap;

use integration_tests::TestCloud;
use nova_core::Error;
use nova_v2::{CreateAggregate, UpdateAggregate};

fn message(error: &Error) -> String {
    match error {
        Error::BadRequest(f) | Error::Forbidden(f) | Error::NotFound(f) | Error::Conflict(f) => {
            f.message.clone()
        }
        other => panic!("expected an HTTP fault, got {other:?}"),
    }
}

#[tokio::test]
async fn an_aggregate_gains_hosts_and_metadata_and_is_deleted_only_when_empty() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.41").await else {
        return;
    };
    let host = cloud.compute_hosts(&*admin).await[0].clone();
    // Names unique to the run: a real cloud keeps what an earlier failed run left.
    let names = cloud.resources(0).await;
    let (rack_1, rack_2) = (names.name("rack-1"), names.name("rack-2"));
    let aggregates = admin.aggregates();
    let created = aggregates
        .create(&CreateAggregate::new(&rack_1).availability_zone("london"))
        .await
        .expect("created")
        .value;
    assert!(created.uuid.is_some(), "uuid from 2.41");
    assert!(
        created.hosts.is_none(),
        "the create answer has no hosts, as Nova"
    );
    assert_eq!(created.availability_zone.as_deref(), Some("london"));
    let id = created.id;

    let error = aggregates
        .create(&CreateAggregate::new(&rack_1))
        .await
        .expect_err("duplicate name");
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    assert_eq!(
        message(&error),
        format!("Aggregate {rack_1} already exists.")
    );

    let with_host = aggregates.add_host(id, &host).await.expect("add").value;
    assert_eq!(with_host.host_list(), [host.as_str()]);
    let error = aggregates.add_host(id, &host).await.expect_err("twice");
    assert_eq!(
        message(&error),
        format!("Aggregate {id} already has host {host}.")
    );
    let error = aggregates
        .add_host(id, "nowhere")
        .await
        .expect_err("no host");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(message(&error), "Compute host nowhere could not be found.");

    let items: BTreeMap<String, Option<String>> = [
        ("ssd".to_owned(), Some("true".to_owned())),
        ("gpu".to_owned(), Some("1".to_owned())),
    ]
    .into();
    aggregates.set_metadata(id, &items).await.expect("set");
    let unset: BTreeMap<String, Option<String>> = [("gpu".to_owned(), None)].into();
    let updated = aggregates
        .set_metadata(id, &unset)
        .await
        .expect("unset")
        .value;
    let metadata = updated.metadata.expect("metadata");
    assert_eq!(metadata.get("ssd").map(String::as_str), Some("true"));
    assert!(
        !metadata.contains_key("gpu"),
        "a null value removes the key"
    );
    assert_eq!(
        metadata.get("availability_zone").map(String::as_str),
        Some("london")
    );

    let renamed = aggregates
        .update(id, &UpdateAggregate::new().name(&rack_2))
        .await
        .expect("renamed")
        .value;
    assert_eq!(renamed.name, rack_2);
    let listed = aggregates.list().await.expect("list").value;
    assert!(listed.iter().any(|a| a.id == id && a.name == rack_2));

    let error = aggregates.delete(id).await.expect_err("not empty");
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert!(message(&error).contains("Host aggregate is not empty"));
    aggregates.remove_host(id, &host).await.expect("removed");
    let error = aggregates.remove_host(id, &host).await.expect_err("gone");
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    aggregates.delete(id).await.expect("deleted when empty");
    let error = aggregates.get(id).await.expect_err("deleted");
    assert_eq!(
        message(&error),
        format!("Aggregate {id} could not be found.")
    );
}

#[tokio::test]
async fn uuid_is_hidden_below_2_41_and_image_caching_needs_2_81() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.81").await else {
        return;
    };
    let Some(old) = cloud.admin_compute("2.40").await else {
        return;
    };
    let id = admin
        .aggregates()
        .create(&CreateAggregate::new("cache-agg"))
        .await
        .expect("created")
        .value
        .id;
    let shown = old.aggregates().get(id).await.expect("get").value;
    assert!(shown.uuid.is_none(), "no uuid below 2.41");
    assert!(shown.availability_zone.is_none());

    let image = cloud.image_id().await;
    let error = old
        .aggregates()
        .cache_images(id, std::slice::from_ref(&image))
        .await
        .expect_err("2.40");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    admin
        .aggregates()
        .cache_images(id, &[image])
        .await
        .expect("cache requested");
    let error = admin
        .aggregates()
        .cache_images(id, &["7c5ff84a-c901-4733-adf8-06875e265080".to_owned()])
        .await
        .expect_err("unknown image");
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    admin.aggregates().delete(id).await.expect("deleted");
}

#[tokio::test]
async fn a_non_admin_gets_novas_policy_error() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let demo = cloud.compute("latest").await;
    let error = demo.aggregates().list().await.expect_err("admin only");
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert_eq!(
        message(&error),
        "Policy doesn't allow os_compute_api:os-aggregates:index to be performed."
    );
    let error = demo
        .aggregates()
        .create(&CreateAggregate::new("mine"))
        .await
        .expect_err("admin only");
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
}
