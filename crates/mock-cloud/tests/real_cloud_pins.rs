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

// ---- identity read API, keypair fingerprints, server lists (issue 22 items 1, 2, 5) ----

async fn project_token(cloud: &MockCloud, user: &str, password: &str, project: &str) -> String {
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

async fn admin_token(cloud: &MockCloud) -> String {
    project_token(cloud, "admin", "admin-password", "admin").await
}

async fn get_json(cloud: &MockCloud, token: &str, path: &str) -> (StatusCode, Value) {
    let response = client()
        .get(format!("{}{path}", cloud.url()))
        .header("X-Auth-Token", token)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.expect("json body"))
}

/// Keystone 30 as admin: `GET /v3/projects?name=admin` is the one project
/// with `description`, `parent_id` = its domain, `is_domain: false`, `tags`,
/// `options` and a `links.self`; the collection's `links` echo the query in
/// `self` with `next` and `previous` null.
#[tokio::test]
async fn keystone_lists_projects_by_name_for_admin() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = admin_token(&cloud).await;
    let (status, body) = get_json(&cloud, &token, "/identity/v3/projects?name=admin").await;
    assert_eq!(status, StatusCode::OK);
    let projects = body["projects"].as_array().expect("projects");
    assert_eq!(projects.len(), 1, "{body}");
    let project = &projects[0];
    assert_eq!(project["name"], "admin");
    assert_eq!(project["domain_id"], "default");
    assert_eq!(project["parent_id"], "default");
    assert_eq!(project["is_domain"], false);
    assert_eq!(project["enabled"], true);
    assert_eq!(
        project["description"],
        "Bootstrap project for initializing the cloud."
    );
    assert_eq!(project["tags"], serde_json::json!([]));
    assert_eq!(project["options"], serde_json::json!({}));
    let id = project["id"].as_str().expect("id");
    assert_eq!(
        project["links"]["self"],
        format!("{}/identity/v3/projects/{id}", cloud.url()).as_str()
    );
    assert_eq!(
        body["links"],
        serde_json::json!({
            "next": null,
            "previous": null,
            "self": format!("{}/identity/v3/projects?name=admin", cloud.url()),
        })
    );
    assert!(body.get("truncated").is_none(), "{body}");
}

/// Keystone 30 pages by id: `?limit=1` gives the lowest id, `truncated: true`
/// and a `next` link carrying `limit` and the last id as `marker`; an unknown
/// marker is 404 `Marker X could not be found.`
#[tokio::test]
async fn keystone_pages_projects_by_limit_and_marker() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = admin_token(&cloud).await;
    let (_, all) = get_json(&cloud, &token, "/identity/v3/projects").await;
    let mut ids: Vec<String> = all["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_string())
        .collect();
    let listed = ids.clone();
    ids.sort();
    assert_eq!(listed, ids, "projects come in id order");
    let (status, page) = get_json(&cloud, &token, "/identity/v3/projects?limit=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["projects"][0]["id"], ids[0].as_str());
    assert_eq!(page["truncated"], true);
    assert_eq!(
        page["links"]["next"],
        format!(
            "{}/identity/v3/projects?limit=1&marker={}",
            cloud.url(),
            ids[0]
        )
        .as_str()
    );
    let (status, missing) = get_json(&cloud, &token, "/identity/v3/projects?marker=nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing["error"]["message"],
        "Marker nope could not be found."
    );
}

/// Keystone 30's default policy for a member: listing projects, roles or
/// role assignments is 403 naming the rule; its own project, its own user,
/// its domain and `GET /v3/users/{self}/projects` are allowed; another
/// project is 403 too (the policy is checked before the lookup).
#[tokio::test]
async fn keystone_lets_a_member_read_only_what_its_default_policy_allows() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    for (path, rule) in [
        ("/identity/v3/projects", "identity:list_projects"),
        ("/identity/v3/roles", "identity:list_roles"),
        (
            "/identity/v3/role_assignments",
            "identity:list_role_assignments",
        ),
        (
            "/identity/v3/projects/a1d2e3f4a5b64c7d8e9f0a1b2c3d4e5f",
            "identity:get_project",
        ),
        ("/identity/v3/projects/admin", "identity:get_project"),
    ] {
        let (status, body) = get_json(&cloud, &token, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(
            body["error"]["message"],
            format!("You are not authorized to perform the requested action: {rule}.").as_str(),
            "{path}"
        );
    }
    let demo_project = mock_cloud::config::seed::DEMO_PROJECT_ID;
    let demo_user = mock_cloud::config::seed::DEMO_USER_ID;
    let (status, own) = get_json(
        &cloud,
        &token,
        &format!("/identity/v3/projects/{demo_project}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["project"]["name"], "demo");
    let (status, me) = get_json(&cloud, &token, &format!("/identity/v3/users/{demo_user}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["name"], "demo");
    assert_eq!(me["user"]["password_expires_at"], Value::Null);
    let (status, domain) = get_json(&cloud, &token, "/identity/v3/domains/default").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(domain["domain"]["description"], "The default domain");
    let (status, mine) = get_json(
        &cloud,
        &token,
        &format!("/identity/v3/users/{demo_user}/projects"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = mine["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["demo"]);
}

/// Keystone 30 as admin: users filtered by name, roles by name (bootstrap
/// roles are `immutable`, global: `domain_id` null), and role assignments
/// with `include_names` carry the names and domains of user, role and scope,
/// with an `assignment` link; an unknown project id is 404 `Could not find
/// project: X.`
#[tokio::test]
async fn keystone_shows_users_roles_and_named_role_assignments_to_admin() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = admin_token(&cloud).await;
    let (_, users) = get_json(&cloud, &token, "/identity/v3/users?name=demo").await;
    assert_eq!(users["users"].as_array().map(Vec::len), Some(1), "{users}");
    assert_eq!(users["users"][0]["domain_id"], "default");
    assert_eq!(users["users"][0]["enabled"], true);
    let (_, roles) = get_json(&cloud, &token, "/identity/v3/roles?name=member").await;
    let role = &roles["roles"][0];
    assert_eq!(role["name"], "member");
    assert_eq!(role["domain_id"], Value::Null);
    assert_eq!(role["description"], Value::Null);
    assert_eq!(role["options"], serde_json::json!({"immutable": true}));
    let demo_project = mock_cloud::config::seed::DEMO_PROJECT_ID;
    let (status, assignments) = get_json(
        &cloud,
        &token,
        &format!(
            "/identity/v3/role_assignments?include_names&scope.project.id={demo_project}&user.id={}",
            mock_cloud::config::seed::DEMO_USER_ID
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first = &assignments["role_assignments"][0];
    assert_eq!(first["user"]["name"], "demo");
    assert_eq!(first["user"]["domain"]["name"], "Default");
    assert_eq!(first["scope"]["project"]["name"], "demo");
    assert_eq!(first["scope"]["project"]["domain"]["id"], "default");
    let role_id = first["role"]["id"].as_str().expect("role id");
    assert!(first["role"]["name"].is_string());
    assert_eq!(
        first["links"]["assignment"],
        format!(
            "{}/identity/v3/projects/{demo_project}/users/{}/roles/{role_id}",
            cloud.url(),
            mock_cloud::config::seed::DEMO_USER_ID
        )
        .as_str()
    );
    let (status, missing) = get_json(&cloud, &token, "/identity/v3/projects/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["error"]["message"], "Could not find project: nope.");
}

// ---- server list order and deletion (issue 22 item 5, issue 16 item 6) ----

async fn compute_latest(
    cloud: &MockCloud,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client()
        .request(method, format!("{}/{path}", cloud.compute_url()))
        .header("X-Auth-Token", token)
        .header("OpenStack-API-Version", "compute 2.1");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("compute request");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn boot(cloud: &MockCloud, token: &str, name: &str) -> String {
    let body = serde_json::json!({"server": {
        "name": name, "flavorRef": "1", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b"}});
    let (status, created) =
        compute_latest(cloud, token, reqwest::Method::POST, "servers", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{created}");
    created["server"]["id"].as_str().expect("id").to_string()
}

fn listed_ids(body: &Value) -> Vec<String> {
    body["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect()
}

/// Nova 34 lists servers `created_at` desc then row id desc (newest first,
/// also within one second), and a `marker` continues after that server; a
/// server whose DELETE was accepted is gone from every list at once (the
/// fake driver finishes before the next request), though a GET by id may
/// still show it `deleting`.
#[tokio::test]
async fn nova_lists_newest_first_and_drops_a_deleted_server_at_once() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let mut booted = Vec::new();
    for name in ["one", "two", "three"] {
        booted.push(boot(&cloud, &token, name).await);
    }
    let (status, list) =
        compute_latest(&cloud, &token, reqwest::Method::GET, "servers", None).await;
    assert_eq!(status, StatusCode::OK);
    let newest_first: Vec<String> = booted.iter().rev().cloned().collect();
    assert_eq!(listed_ids(&list), newest_first);
    let (_, page) = compute_latest(
        &cloud,
        &token,
        reqwest::Method::GET,
        &format!("servers?limit=1&marker={}", booted[2]),
        None,
    )
    .await;
    assert_eq!(listed_ids(&page), [booted[1].clone()]);
    let (status, _) = compute_latest(
        &cloud,
        &token,
        reqwest::Method::DELETE,
        &format!("servers/{}", booted[1]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in ["servers", "servers/detail"] {
        let (_, list) = compute_latest(&cloud, &token, reqwest::Method::GET, path, None).await;
        assert_eq!(
            listed_ids(&list),
            [booted[2].clone(), booted[0].clone()],
            "{path}"
        );
    }
}

// ---- keypair import fingerprints (issue 22 item 2) ----

const PIN_SSH_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfSGbGFLvFx7BHLZXhL8a6Od4OC4xj3P3ezx7EBc7gV pin";

const PIN_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBcDCCARegAwIBAgIUONY+0aHSj391w5eHxtxOFVJ4IcMwCgYIKoZIzj0EAwIw
DjEMMAoGA1UEAwwDcGluMB4XDTI2MTIwNzExMzUwMVoXDTM2MTIwNDExMzUwMVow
DjEMMAoGA1UEAwwDcGluMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwoNYivCS
GLRzJy+TH4T8dH+q+Bzhg1Z2+J3hFrBW7pt7soIY/PCkFdGoHvgSdHryBDrGyYDR
/hVSWAGwwS/AWKNTMFEwHQYDVR0OBBYEFO/xTLu2Kie/9rKQ3Ol9wgsR5EbfMB8G
A1UdIwQYMBaAFO/xTLu2Kie/9rKQ3Ol9wgsR5EbfMA8GA1UdEwEB/wQFMAMBAf8w
CgYIKoZIzj0EAwIDRwAwRAIgbrpYt0pNqQauQrwrmgNXTvLd1KA1+JiFDgUbCS13
qMsCIANgQT3dmNN5kBJWMCB3eL50uI9nFL7unid1AdMYTDI4
-----END CERTIFICATE-----
";

/// Nova 34 (`nova.crypto.generate_fingerprint` / `generate_x509_fingerprint`,
/// run from the conformance venv on these two keys) fingerprints an imported
/// ssh key as the MD5 of its decoded blob (what `ssh-keygen -l -E md5`
/// prints) and an x509 certificate as the SHA-1 of its DER, both as
/// colon-separated lowercase hex; a key that does not decode is 400.
#[tokio::test]
async fn nova_fingerprints_imported_keys_as_md5_and_x509_as_sha1() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let import = |name: &'static str, key: &'static str, kind: &'static str| {
        let cloud = &cloud;
        let token = &token;
        async move {
            let response = client()
                .post(format!("{}/os-keypairs", cloud.compute_url()))
                .header("X-Auth-Token", token)
                .header("OpenStack-API-Version", "compute 2.2")
                .json(&serde_json::json!({"keypair": {
                    "name": name, "public_key": key, "type": kind}}))
                .send()
                .await
                .expect("keypair request");
            let status = response.status();
            let body: Value = response.json().await.expect("json");
            (status, body)
        }
    };
    let (status, ssh) = import("pin-ssh", PIN_SSH_KEY, "ssh").await;
    assert_eq!(status, StatusCode::CREATED, "{ssh}");
    assert_eq!(
        ssh["keypair"]["fingerprint"],
        "24:0e:e5:82:d5:9c:cd:de:92:bc:72:93:19:37:85:ec"
    );
    let (status, x509) = import("pin-x509", PIN_CERT, "x509").await;
    assert_eq!(status, StatusCode::CREATED, "{x509}");
    assert_eq!(
        x509["keypair"]["fingerprint"],
        "fc:da:e3:7f:5d:26:d4:03:43:80:f9:ad:37:99:27:f5:a0:62:dd:a0"
    );
    let (status, bad) = import("pin-bad", "ssh-rsa !!!not-base64", "ssh").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    assert_eq!(
        bad["badRequest"]["message"],
        "Keypair data is invalid: failed to generate fingerprint"
    );
}

/// Nova 34 (2.96, conformance cloud, 2026-12-07) answered each of these creates 400 with
/// exactly this `badRequest` message: schema errors of the block device mappings and the
/// scheduler hints, then the controller's own mapping checks. What `nova boot` would send
/// for `--block-device source=volume` (no id), `--block-device-mapping '=x'` /
/// `'vda=::::'`, and hints with the wrong shape.
#[tokio::test]
async fn malformed_block_devices_and_hints_are_refused_as_nova_34_refuses_them() {
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .expect("mock starts");
    let token = demo_token(&cloud).await;
    let image = "70a599e0-31e7-49b7-b260-868f441e862b";
    let cases = [
        (
            serde_json::json!({"block_device_mapping_v2": [{"source_type": "volume", "destination_type": "volume", "boot_index": 0}]}),
            serde_json::json!({}),
            "Block Device Mapping is Invalid: Missing device UUID.",
        ),
        (
            serde_json::json!({"block_device_mapping_v2": [{"source_type": "blank", "uuid": "abc", "destination_type": "local", "volume_size": 1, "boot_index": 0}]}),
            serde_json::json!({}),
            "Block Device Mapping is Invalid: Invalid device UUID.",
        ),
        (
            serde_json::json!({"block_device_mapping_v2": [{"source_type": "image", "uuid": image, "destination_type": "local", "boot_index": 0}]}),
            serde_json::json!({}),
            "Block Device Mapping is Invalid: Mapping image to local is not supported.",
        ),
        (
            serde_json::json!({"block_device_mapping_v2": [{"source_type": "volume", "uuid": "a b", "destination_type": "volume", "boot_index": 0}]}),
            serde_json::json!({}),
            "Invalid input for field/attribute uuid. Value: a b. 'a b' does not match '^[a-zA-Z0-9._-]*$'",
        ),
        (
            serde_json::json!({"block_device_mapping": [{"device_name": "", "volume_id": "x"}]}),
            serde_json::json!({}),
            "Invalid input for field/attribute volume_id. Value: x. 'x' is not a 'uuid'",
        ),
        (
            serde_json::json!({"block_device_mapping": [{"device_name": "vda", "volume_id": ""}]}),
            serde_json::json!({}),
            "Invalid input for field/attribute volume_id. Value: . '' is not a 'uuid'",
        ),
        (
            serde_json::json!({"block_device_mapping": [{"device_name": "vda"}]}),
            serde_json::json!({}),
            "Block Device Mapping is Invalid: Unrecognized legacy format.",
        ),
        (
            serde_json::json!({"block_device_mapping": [{"device_name": "vda", "volume_id": image}],
                "block_device_mapping_v2": [{"source_type": "blank", "destination_type": "local", "volume_size": 1}]}),
            serde_json::json!({}),
            "Using different block_device_mapping syntaxes is not allowed in the same request.",
        ),
        (
            serde_json::json!({}),
            serde_json::json!({"os:scheduler_hints": {"group": "x"}}),
            "Invalid input for field/attribute group. Value: x. 'x' is not valid under any of the given schemas",
        ),
        (
            serde_json::json!({}),
            serde_json::json!({"os:scheduler_hints": {"same_host": ["x"]}}),
            "Invalid input for field/attribute 0. Value: x. 'x' is not a 'uuid'",
        ),
    ];
    for (server_extra, top_extra, expected) in cases {
        let mut server = serde_json::json!({"name": "probe", "flavorRef": "1", "networks": "none"});
        for (k, v) in server_extra.as_object().expect("object") {
            server[k] = v.clone();
        }
        let mut body = serde_json::json!({"server": server});
        for (k, v) in top_extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        let (status, answer) = compute(
            &cloud,
            &token,
            "2.96",
            reqwest::Method::POST,
            "/servers",
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(answer["badRequest"]["message"], expected, "{body}");
        assert_eq!(answer["badRequest"]["code"], 400);
    }
}
