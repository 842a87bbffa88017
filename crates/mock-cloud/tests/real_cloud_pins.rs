//! Behaviour pinned against the real services (`cargo xtask conformance`
//! runs Keystone 30.0.0, Nova 34.0.0 and Glance 33.0.0 and compares): each
//! test here records what the real service answered and checks the mock
//! answers the same.

mod common;

use common::client;
use mock_cloud::{MockCloud, MockConfig};
use reqwest::StatusCode;
use serde_json::Value;

/// Glance answers `GET /` (here `/image`, its catalog URL) without a token
/// with 300 and `{"versions": [...]}`, one entry `CURRENT`, every `self` link
/// pointing at `<endpoint>/v2/`. Without this document keystoneauth's
/// discovery fails and openstackclient says "The image service ... does not
/// have any supported versions".
#[tokio::test]
async fn glance_version_discovery_is_a_300_without_a_token() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let response = client()
        .get(format!("{}/image", cloud.url()))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::MULTIPLE_CHOICES);
    let body: Value = response.json().await.expect("json");
    let versions = body["versions"].as_array().expect("versions list");
    let current: Vec<&Value> = versions
        .iter()
        .filter(|v| v["status"] == "CURRENT")
        .collect();
    assert_eq!(current.len(), 1, "{body}");
    assert_eq!(current[0]["id"], "v2.17");
    let href = format!("{}/image/v2/", cloud.url());
    for version in versions {
        assert_eq!(version["links"][0]["rel"], "self");
        assert_eq!(version["links"][0]["href"], href.as_str());
    }

    let explicit = client()
        .get(format!("{}/image/versions", cloud.url()))
        .send()
        .await
        .expect("request");
    assert_eq!(explicit.status(), StatusCode::OK);
}

async fn demo_token(cloud: &MockCloud) -> String {
    let body = serde_json::json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "demo", "domain": {"name": "Default"}, "password": "demo-password"}}},
        "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}});
    let response = client()
        .post(format!("{}/identity/v3/auth/tokens", cloud.url()))
        .json(&body)
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), StatusCode::CREATED);
    response
        .headers()
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .expect("X-Subject-Token")
        .to_string()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Nova faults go out through webob with `application/json; charset=UTF-8`;
/// successful responses say plain `application/json`.
#[tokio::test]
async fn nova_faults_say_charset_utf8_and_successes_do_not() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let missing = client()
        .get(format!(
            "{}/compute/v2.1/servers/00000000-0000-0000-0000-000000000000",
            cloud.url()
        ))
        .header("X-Auth-Token", &token)
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(&missing, "content-type"),
        Some("application/json; charset=UTF-8")
    );
    let listed = client()
        .get(format!("{}/compute/v2.1/servers", cloud.url()))
        .header("X-Auth-Token", &token)
        .send()
        .await
        .expect("request");
    assert_eq!(listed.status(), StatusCode::OK);
    assert_eq!(header(&listed, "content-type"), Some("application/json"));
}

/// Keystone's own 401 (a wrong password) carries `Vary: X-Auth-Token` and
/// `WWW-Authenticate`; keystonemiddleware's 401 in front of Nova has no `Vary`.
#[tokio::test]
async fn keystone_401_varies_on_the_token_but_the_compute_401_does_not() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let body = serde_json::json!({"auth": {"identity": {"methods": ["password"],
        "password": {"user": {"name": "demo", "domain": {"name": "Default"},
                              "password": "wrong"}}}}});
    let refused = client()
        .post(format!("{}/identity/v3/auth/tokens", cloud.url()))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(&refused, "vary"), Some("X-Auth-Token"));
    assert!(header(&refused, "www-authenticate").is_some_and(|v| v.starts_with("Keystone uri=")));

    let compute = client()
        .get(format!("{}/compute/v2.1/servers", cloud.url()))
        .send()
        .await
        .expect("request");
    assert_eq!(compute.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(&compute, "vary"), None);
    assert!(header(&compute, "www-authenticate").is_some());
}

/// `PUT /servers` (a path Nova knows, a method it does not route) is the
/// routes mapper's webob 404 page in HTML, with a request id but without
/// microversion headers.
#[tokio::test]
async fn an_unrouted_method_is_webobs_html_404_without_version_headers() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let response = client()
        .put(format!("{}/compute/v2.1/servers", cloud.url()))
        .header("X-Auth-Token", &token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(&response, "content-type"),
        Some("text/html; charset=UTF-8")
    );
    assert_eq!(header(&response, "openstack-api-version"), None);
    assert!(header(&response, "x-compute-request-id").is_some_and(|v| v.starts_with("req-")));
    let text = response.text().await.expect("body");
    assert!(text.contains("<h1>404 Not Found</h1>"), "{text}");
    assert!(text.contains("The resource could not be found."), "{text}");
}
