//! Flavors: the list, the details, one flavor, a lookup by name, and the fields each
//! microversion adds.

use integration_tests::TestCloud;
use keystone_auth::{HeaderMap, Method};
use nova_core::Error;
use serde_json::Value;

#[tokio::test]
async fn flavor_list_details_show_and_find_agree() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("latest").await;
    let flavors = client.flavors();
    let summaries = flavors.list().await.expect("flavor list").value;
    let details = flavors.list_detail().await.expect("flavor details").value;
    assert!(!summaries.is_empty(), "{} lists flavors", cloud.name());
    let mut summary_ids: Vec<&str> = summaries.iter().map(|f| f.id.as_str()).collect();
    let mut detail_ids: Vec<&str> = details.iter().map(|f| f.id.as_str()).collect();
    summary_ids.sort_unstable();
    detail_ids.sort_unstable();
    assert_eq!(
        summary_ids, detail_ids,
        "the list and the details name the same flavors"
    );
    assert!(
        summaries.iter().all(|f| !f.links.is_empty()),
        "every flavor links to itself"
    );

    let chosen = cloud.flavor().await;
    let shown = flavors.get(&chosen.id).await.expect("show").value;
    assert_eq!(shown.id, chosen.id);
    assert_eq!(shown.name, chosen.name);
    assert_eq!(
        (shown.ram, shown.disk, shown.vcpus),
        (chosen.ram, chosen.disk, chosen.vcpus)
    );
    let in_details = details
        .iter()
        .find(|f| f.id == chosen.id)
        .expect("the chosen flavor is in the details");
    assert_eq!(in_details.ram, shown.ram);
    assert_eq!(
        flavors.find(&chosen.name).await.expect("by name").value.id,
        chosen.id
    );
    assert_eq!(
        flavors.find(&chosen.id).await.expect("by id").value.id,
        chosen.id
    );
}

#[tokio::test]
async fn an_unknown_flavor_is_not_found_by_id_or_by_name() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("latest").await;
    let missing = format!("{}-no-flavor", integration_tests::run_prefix());
    let error = client
        .flavors()
        .get(&missing)
        .await
        .expect_err("no such flavor");
    match &error {
        Error::NotFound(fault) => assert!(fault.message.contains(&missing), "{}", fault.message),
        other => panic!("expected a 404, got {other:?}"),
    }
    let error = client
        .flavors()
        .find(&missing)
        .await
        .expect_err("no such flavor");
    assert!(
        matches!(&error, Error::NotFoundByName { kind: "flavor", .. }),
        "{error:?}"
    );
}

/// The raw `GET /flavors/detail` at `version`: each flavor's JSON object.
async fn raw_flavors(cloud: &TestCloud, version: &str) -> Vec<Value> {
    let mut headers = HeaderMap::new();
    let standard = format!("compute {version}");
    headers.insert("OpenStack-API-Version", standard.parse().expect("header"));
    headers.insert(
        "X-OpenStack-Nova-API-Version",
        version.parse().expect("header"),
    );
    let response = cloud
        .compute_adapter()
        .send(Method::GET, "flavors/detail", headers, None)
        .await
        .expect("an answer")
        .error_for_status()
        .expect("flavor details");
    let body: Value = response.json().expect("JSON");
    body["flavors"].as_array().cloned().expect("a flavor list")
}

#[tokio::test]
async fn flavor_description_appears_at_2_55() {
    let cloud = TestCloud::start().await;
    let before = raw_flavors(&cloud, "2.54").await;
    assert!(
        before.iter().all(|f| f.get("description").is_none()),
        "no description below 2.55: {before:?}"
    );
    let after = raw_flavors(&cloud, "2.55").await;
    assert!(
        after.iter().all(|f| f.get("description").is_some()),
        "every flavor has a description (maybe null) from 2.55: {after:?}"
    );
    let client = cloud.compute("2.55").await;
    let typed = client.flavors().list_detail().await.expect("typed").value;
    assert_eq!(typed.len(), after.len());
}
