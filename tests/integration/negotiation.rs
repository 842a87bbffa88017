//! Version discovery and negotiation against the cloud's version document.

use integration_tests::TestCloud;
use keystone_auth::{HeaderMap, Method};
use mock_cloud::MockConfig;
use nova_core::{Client, Error, MicroVersion, Requested};
use std::sync::Arc;

#[tokio::test]
async fn latest_negotiates_to_the_servers_maximum() {
    let cloud = TestCloud::start().await;
    let adapter = cloud.compute_adapter();
    let versions = nova_core::discover(&adapter)
        .await
        .expect("version document");
    let range = versions.range.expect("Nova has microversions");
    assert_eq!(range.min, MicroVersion::new(2, 1));
    let client = cloud.compute("latest").await;
    assert_eq!(client.microversion(), range.max.min(nova_v2::MAX_VERSION));
    if cloud.mock().is_some() {
        assert_eq!(client.microversion(), MicroVersion::new(2, 104));
    }
}

#[tokio::test]
async fn latest_negotiates_down_to_an_older_server() {
    let Some(cloud) = TestCloud::start_mock(
        MockConfig::default().max_microversion("2.60".parse().expect("2.60")),
    )
    .await
    else {
        return;
    };
    let client = cloud.compute("latest").await;
    assert_eq!(client.microversion(), MicroVersion::new(2, 60));
    let flavors = client
        .flavors()
        .list(&Default::default())
        .await
        .expect("flavor list at 2.60");
    assert_eq!(
        flavors.microversion,
        MicroVersion::new(2, 60),
        "the result says which version produced it"
    );
}

#[tokio::test]
async fn an_explicit_version_outside_the_servers_range_fails_before_any_compute_call() {
    let cloud = TestCloud::start_exclusive().await;
    let requested = Requested::Exact(MicroVersion::new(2, 999));
    if let Some(mock) = cloud.mock() {
        mock.reset_counts().await;
    }
    let error = Client::negotiate(requested, Arc::new(cloud.compute_adapter()))
        .await
        .expect_err("2.999 is beyond every server");
    assert!(
        matches!(error, Error::VersionNotAvailable { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("2.999") && message.contains("2.1"),
        "all ranges are named: {message}"
    );
    if let Some(mock) = cloud.mock() {
        assert_eq!(mock.count("GET /compute/v2.1/flavors").await, 0);
        assert_eq!(mock.count("GET /compute/v2.1/servers").await, 0);
    }
}

#[tokio::test]
async fn the_server_answers_406_for_an_unsupported_version_and_echoes_it() {
    let cloud = TestCloud::start().await;
    let adapter = cloud.compute_adapter();
    let mut headers = HeaderMap::new();
    headers.insert(
        "OpenStack-API-Version",
        "compute 2.999".parse().expect("header"),
    );
    headers.insert(
        "X-OpenStack-Nova-API-Version",
        "2.999".parse().expect("header"),
    );
    let response = adapter
        .send(Method::GET, "flavors", headers, None)
        .await
        .expect("an answer");
    assert_eq!(response.status.as_u16(), 406);
    let body = response.text();
    assert!(
        body.contains("Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is"),
        "{body}"
    );
    let echoed = response
        .headers
        .get("OpenStack-API-Version")
        .and_then(|v| v.to_str().ok());
    assert_eq!(echoed, Some("compute 2.999"));
    assert!(
        response.request_id().is_some(),
        "Nova answers with a request id"
    );
}

#[tokio::test]
async fn every_result_carries_its_microversion_and_request_id() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("2.47").await;
    let flavors = client
        .flavors()
        .list_detail(&Default::default())
        .await
        .expect("flavor details");
    assert_eq!(flavors.microversion, MicroVersion::new(2, 47));
    let id = flavors.request_id.as_deref().expect("a request id");
    assert!(id.starts_with("req-"), "{id}");
}
