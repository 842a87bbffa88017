//! Endpoint selection from the mock's catalog, and the Adapter.

use http::{HeaderMap, Method, StatusCode};
use keystone_auth::{Adapter, EndpointFilter, Error, Interface};

use super::support::{FLAVORS, cloud, demo_password, session};

#[tokio::test]
async fn adapter_finds_compute_in_the_catalog() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let compute = Adapter::new(
        s.clone(),
        EndpointFilter::new("compute").region("RegionOne"),
    );
    assert_eq!(
        compute.endpoint().await.unwrap().as_str(),
        cloud.compute_url()
    );
    let internal = Adapter::new(
        s.clone(),
        EndpointFilter::new("compute").interfaces([Interface::Internal, Interface::Public]),
    );
    assert!(internal.endpoint().await.is_ok());

    for path in ["flavors", "/flavors", "flavors?limit=1"] {
        let response = compute
            .send(Method::GET, path, HeaderMap::new(), None)
            .await
            .unwrap();
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{path}: {}",
            response.text()
        );
        let body: serde_json::Value = response.json().unwrap();
        assert!(body["flavors"].is_array(), "{body}");
    }
    assert_eq!(cloud.count(FLAVORS), 3);
}

#[tokio::test]
async fn no_match_names_the_filter_and_lists_the_catalog() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let wrong_region = Adapter::new(
        s.clone(),
        EndpointFilter::new("compute").region("RegionTwo"),
    );
    let err = wrong_region.endpoint().await.unwrap_err();
    assert!(matches!(err, Error::EndpointNotFound { .. }));
    let text = err.to_string();
    assert!(text.contains("region 'RegionTwo'"), "{text}");
    assert!(text.contains("compute"), "{text}");
    assert!(text.contains("identity"), "{text}");
    assert!(text.contains("public@RegionOne"), "{text}");
    let missing = Adapter::new(s, EndpointFilter::new("volumev3"));
    let err = missing
        .send(Method::GET, "volumes", HeaderMap::new(), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("service type 'volumev3'"), "{err}");
    assert!(!err.may_have_reached_server());
}

#[tokio::test]
async fn default_headers_and_user_agent_reach_the_server() {
    let cloud = cloud().await;
    let (builder, _) = super::support::builder(demo_password(&cloud));
    let s = builder
        .app_name("nova-cli")
        .global_request_id("req-6f1c2a4e-52a4-4f3e-9c3b-2a1f0e9d8c7b")
        .collect_timings(true)
        .build()
        .unwrap();
    let echo = Adapter::new(s.clone(), EndpointFilter::new("compute"))
        .with_endpoint_override(format!("{}/_mock", cloud.url()))
        .with_default_header("X-OpenStack-Nova-API-Version", "2.60");
    let response = echo
        .send(Method::GET, "echo/x", HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    let log = cloud.control().echo_log();
    let record = log.last().unwrap();
    assert_eq!(record.header("x-openstack-nova-api-version"), Some("2.60"));
    assert_eq!(
        record.header("x-openstack-request-id"),
        Some("req-6f1c2a4e-52a4-4f3e-9c3b-2a1f0e9d8c7b")
    );
    let agent = record.header("user-agent").unwrap();
    assert!(agent.starts_with("nova-cli keystone-auth/"), "{agent}");
    assert!(
        record.header("x-auth-token").is_some(),
        "override origin is trusted"
    );
    let timings = s.timings();
    assert!(
        timings
            .iter()
            .any(|t| t.method == Method::POST && t.status == Some(StatusCode::CREATED))
    );
    assert!(
        timings
            .iter()
            .any(|t| t.url.path() == "/_mock/echo/x" && t.status == Some(StatusCode::OK))
    );
    s.reset_timings();
    assert!(s.timings().is_empty());
}

#[tokio::test]
async fn response_body_limit_is_enforced() {
    let cloud = cloud().await;
    let (builder, _) = super::support::builder(demo_password(&cloud));
    let s = builder.max_response_body(64 * 1024).build().unwrap();
    s.access_info().await.unwrap();
    let tiny = super::support::builder(demo_password(&cloud))
        .0
        .max_response_body(16)
        .build()
        .unwrap();
    let err = tiny.access_info().await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 16, .. }),
        "{err:?}"
    );
    assert!(err.may_have_reached_server());
}
