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

/// A token for `user` (password `password`) scoped to project `project`.
async fn token_for(cloud: &MockCloud, user: &str, password: &str, project: &str) -> String {
    let body = serde_json::json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"name": "Default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}});
    let response = client()
        .post(format!("{}/identity/v3/auth/tokens", cloud.url()))
        .json(&body)
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), StatusCode::CREATED);
    header(&response, "x-subject-token")
        .expect("X-Subject-Token")
        .to_string()
}

/// One compute request at microversion `version`: its status and JSON body (`Null` if none).
async fn compute(
    cloud: &MockCloud,
    token: &str,
    version: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client()
        .request(method, format!("{}/compute/v2.1{path}", cloud.url()))
        .header("X-Auth-Token", token)
        .header("OpenStack-API-Version", format!("compute {version}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Nova 34 answers the APIs it removed (`os-agents`, `os-cells`, `os-fping`, a server's
/// `os-virtual-interfaces`, the `resetNetwork` action, ...) with webob's `HTTPGone` wrapped in
/// a `computeFault` (410 has no fault name of its own), before any lookup or policy check.
#[tokio::test]
async fn removed_apis_answer_410_gone_as_nova_does() {
    use reqwest::Method;
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let missing = "00000000-0000-0000-0000-000000000000";
    let expected = serde_json::json!({"computeFault": {
        "code": 410,
        "message": "This resource is no longer available.  No forwarding address is given."}});
    for (method, path, body) in [
        (Method::GET, "/os-agents".to_owned(), None),
        (
            Method::POST,
            "/os-agents".to_owned(),
            Some(serde_json::json!({"agent": {}})),
        ),
        (Method::DELETE, "/os-agents/1".to_owned(), None),
        (Method::GET, "/os-cells".to_owned(), None),
        (Method::GET, "/os-fping".to_owned(), None),
        (Method::GET, "/os-certificates/root".to_owned(), None),
        (
            Method::GET,
            "/os-security-group-default-rules".to_owned(),
            None,
        ),
        (
            Method::GET,
            format!("/servers/{missing}/os-virtual-interfaces"),
            None,
        ),
        (
            Method::POST,
            format!("/servers/{missing}/action"),
            Some(serde_json::json!({"resetNetwork": null})),
        ),
    ] {
        for version in ["2.1", "latest"] {
            let (status, body) =
                compute(&cloud, &token, version, method.clone(), &path, body.clone()).await;
            assert_eq!(status, StatusCode::GONE, "{method} {path} at {version}");
            assert_eq!(body, expected, "{method} {path} at {version}");
        }
    }
}

/// novaclient's `quota-class-update` at 2.1 sends every resource it has an option for,
/// `server_groups` and `server_group_members` included; Nova's 2.1 schema takes them all
/// (its view shows the server group ones only from 2.50) and answers 200.
#[tokio::test]
async fn quota_class_update_at_2_1_takes_novaclients_full_option_set() {
    use reqwest::Method;
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = token_for(&cloud, "admin", mock_cloud::seed::ADMIN_PASSWORD, "admin").await;
    let set = serde_json::json!({"quota_class_set": {
        "instances": 11, "cores": 21, "ram": 51201, "floating_ips": 11, "fixed_ips": -1,
        "metadata_items": 129, "injected_files": 6, "injected_file_content_bytes": 10241,
        "injected_file_path_bytes": 256, "key_pairs": 101, "security_groups": 11,
        "security_group_rules": 21, "server_groups": 11, "server_group_members": 11}});
    let (status, body) = compute(
        &cloud,
        &token,
        "2.1",
        Method::PUT,
        "/os-quota-class-sets/default",
        Some(set),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let shown = &body["quota_class_set"];
    assert_eq!(shown["floating_ips"], 11, "{body}");
    assert_eq!(shown["security_group_rules"], 21, "{body}");
    assert_eq!(shown["injected_files"], 6, "{body}");
    assert!(
        shown.get("server_groups").is_none(),
        "not shown at 2.1: {body}"
    );
    let (_, later) = compute(
        &cloud,
        &token,
        "2.50",
        Method::GET,
        "/os-quota-class-sets/default",
        None,
    )
    .await;
    assert_eq!(later["quota_class_set"]["server_groups"], 11, "{later}");

    // From 2.50 the network resources are gone from the schema: a 400.
    let (status, body) = compute(
        &cloud,
        &token,
        "2.50",
        Method::PUT,
        "/os-quota-class-sets/default",
        Some(serde_json::json!({"quota_class_set": {"floating_ips": 10}})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

/// A snapshot (`createImage` with `metadata`) is an image in Glance whose properties are
/// the metadata sent plus what Nova adds (`instance_uuid`, `image_type` `snapshot`, the
/// user and base image), as top-level keys, private to the project.
#[tokio::test]
async fn create_image_metadata_is_readable_back_from_glance() {
    use reqwest::Method;
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let boot = serde_json::json!({"server": {
        "name": "snap-src", "flavorRef": "1",
        "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "networks": "auto"}});
    let (status, created) =
        compute(&cloud, &token, "2.45", Method::POST, "/servers", Some(boot)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{created}");
    let server = created["server"]["id"].as_str().expect("id").to_owned();
    // The mock builds a server over a few reads of it.
    let mut status_now = Value::Null;
    for _ in 0..50 {
        let (_, shown) = compute(
            &cloud,
            &token,
            "2.45",
            Method::GET,
            &format!("/servers/{server}"),
            None,
        )
        .await;
        status_now = shown["server"]["status"].clone();
        if status_now == "ACTIVE" {
            break;
        }
    }
    assert_eq!(status_now, "ACTIVE");
    let (status, body) = compute(
        &cloud,
        &token,
        "2.45",
        Method::POST,
        &format!("/servers/{server}/action"),
        Some(serde_json::json!({"createImage": {
            "name": "snap-1", "metadata": {"purpose": "backup", "tier": "gold"}}})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let image = body["image_id"].as_str().map(str::to_owned);
    let image = image.expect("image_id at 2.45");
    let response = client()
        .get(format!("{}/image/v2/images/{image}", cloud.url()))
        .header("X-Auth-Token", &token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let shown: Value = response.json().await.expect("json");
    assert_eq!(shown["name"], "snap-1", "{shown}");
    assert_eq!(shown["purpose"], "backup", "{shown}");
    assert_eq!(shown["tier"], "gold", "{shown}");
    assert_eq!(shown["instance_uuid"], server.as_str(), "{shown}");
    assert_eq!(shown["image_type"], "snapshot", "{shown}");
    assert_eq!(shown["visibility"], "private", "{shown}");
}
