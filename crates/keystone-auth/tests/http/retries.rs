//! Retries: what is re-sent, what never is, and how long we wait.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use keystone_auth::{Adapter, EndpointFilter, Error, ErrorBodyKind, Request, RetryPolicy};
use mock_cloud::Fault;

use super::support::{FLAVORS, builder, cloud, demo_password};

const KEYPAIRS: &str = "POST /compute/v2.1/os-keypairs";

#[tokio::test]
async fn get_is_retried_after_two_503s() {
    let cloud = cloud().await;
    let (b, sleeper) = builder(demo_password(&cloud));
    let compute = Adapter::new(b.build().unwrap(), EndpointFilter::new("compute"));
    cloud
        .control()
        .add_fault(Fault::status(FLAVORS, 503).times(2));
    let response = compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(cloud.count(FLAVORS), 3);
    let slept = sleeper.slept();
    assert_eq!(slept.len(), 2, "{slept:?}");
    let policy = RetryPolicy::default();
    assert!(slept[0] >= policy.ceiling(0) / 2 && slept[0] <= policy.ceiling(0));
    assert!(slept[1] >= policy.ceiling(1) / 2 && slept[1] <= policy.ceiling(1));
}

#[tokio::test]
async fn retry_after_is_honoured_and_retries_are_bounded() {
    let cloud = cloud().await;
    let (b, sleeper) = builder(demo_password(&cloud));
    let compute = Adapter::new(
        b.retry_policy(RetryPolicy::default().status_retries(2))
            .build()
            .unwrap(),
        EndpointFilter::new("compute"),
    );
    cloud
        .control()
        .add_fault(Fault::status(FLAVORS, 429).retry_after("7").always());
    let response = compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(cloud.count(FLAVORS), 3, "one try and two retries");
    assert_eq!(sleeper.slept(), vec![Duration::from_secs(7); 2]);
    let err = response.error_for_status().unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn post_is_not_retried_on_503() {
    let cloud = cloud().await;
    let (b, sleeper) = builder(demo_password(&cloud));
    let compute = Adapter::new(b.build().unwrap(), EndpointFilter::new("compute"));
    cloud.control().add_fault(Fault::status(KEYPAIRS, 503));
    let body = Bytes::from_static(br#"{"keypair": {"name": "k503"}}"#);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().unwrap());
    let response = compute
        .send(Method::POST, "os-keypairs", headers, Some(body))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(cloud.count(KEYPAIRS), 1);
    assert!(sleeper.slept().is_empty());
}

#[tokio::test]
async fn post_whose_connection_drops_after_processing_is_not_resent() {
    let cloud = cloud().await;
    let (b, sleeper) = builder(demo_password(&cloud));
    let compute = Adapter::new(b.build().unwrap(), EndpointFilter::new("compute"));
    compute.endpoint().await.unwrap();
    cloud.control().add_fault(Fault::drop_after(KEYPAIRS));
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().unwrap());
    let err = compute
        .send(
            Method::POST,
            "os-keypairs",
            headers,
            Some(Bytes::from_static(br#"{"keypair": {"name": "dropped"}}"#)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.may_have_reached_server());
    assert!(
        err.to_string().contains("may have reached the server"),
        "{err}"
    );
    assert_eq!(cloud.count(KEYPAIRS), 1, "never re-sent");
    assert!(sleeper.slept().is_empty());
    // the server did process it
    let shown = compute
        .send(Method::GET, "os-keypairs/dropped", HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text());
}

#[tokio::test]
async fn connect_failures_are_retried_then_reported_as_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let (b, sleeper) = builder(keystone_auth::StaticToken::new("t"));
    let s = b.build().unwrap();
    let err = s
        .send(Request::post(format!("http://{addr}/compute/v2.1/servers")).body("{}"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(!err.may_have_reached_server());
    assert_eq!(
        sleeper.slept().len(),
        RetryPolicy::default().connect_retries as usize
    );
}

#[tokio::test]
async fn html_error_pages_are_reported_as_html() {
    let cloud = cloud().await;
    let (b, _) = builder(demo_password(&cloud));
    let compute = Adapter::new(
        b.retry_policy(RetryPolicy::none()).build().unwrap(),
        EndpointFilter::new("compute"),
    );
    cloud
        .control()
        .add_fault(Fault::status(FLAVORS, 502).html());
    let err = compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap()
        .error_for_status()
        .unwrap_err();
    let http = err.http().unwrap();
    assert_eq!(http.body_kind, ErrorBodyKind::Html);
    assert!(err.to_string().contains("HTML error page"), "{err}");
    assert!(err.to_string().len() < 500);
}

#[tokio::test]
async fn a_timeout_is_reported_and_not_retried() {
    let cloud = cloud().await;
    let (b, sleeper) = builder(demo_password(&cloud));
    let compute = Adapter::new(b.build().unwrap(), EndpointFilter::new("compute"));
    compute.endpoint().await.unwrap();
    cloud
        .control()
        .add_fault(Fault::delay(FLAVORS, Duration::from_secs(5)));
    let s = compute.session().clone();
    let err = s
        .send(
            Request::get(format!("{}/flavors", cloud.compute_url()))
                .timeout(Duration::from_millis(200)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.may_have_reached_server());
    assert_eq!(cloud.count(FLAVORS), 1);
    assert!(sleeper.slept().is_empty());
}
