//! The dashboard's handlers over HTTP against an in-process mock cloud: every form, the CSRF
//! checks, session expiry and logout, escaping of hostile text from the cloud.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use keystone_auth::CloudConfig;
use mock_cloud::{Fault, MockConfig, seed};
use nova_dashboard::LoginMode;
use nova_dashboard::cloud::CloudConnection;
use nova_v2::{CreateServer, Networks};
use support::{Client, hidden_value, start, start_with};

const PUBLIC_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBl2Nq1zQvUPCfxM8kcA2zH4lY2hP6kRkF5UWTq6cY7d test@dashboard";

/// A compute connection of the demo user, for arranging what the test needs.
async fn demo_api(cloud: &mock_cloud::MockCloud) -> CloudConnection {
    connect_as(cloud, "demo", seed::DEMO_PASSWORD).await
}

/// A compute connection of `user` (in the project of the same name).
async fn connect_as(cloud: &mock_cloud::MockCloud, user: &str, password: &str) -> CloudConnection {
    let env: HashMap<String, String> = [
        ("OS_AUTH_URL", cloud.auth_url()),
        ("OS_USERNAME", user),
        ("OS_PASSWORD", password),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_PROJECT_NAME", user),
        ("OS_PROJECT_DOMAIN_NAME", "Default"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    CloudConnection::connect(CloudConfig::from_env_map(&env))
        .await
        .unwrap_or_else(|e| panic!("{}", e.user_message()))
}

/// Polls the row fragment (bounded) until the row shows `status`; returns the row.
async fn wait_for_row(client: &mut Client, id: &str, status: &str) -> String {
    for _ in 0..30 {
        let row = client.get(&format!("/instances/{id}/row")).await;
        assert_eq!(row.status, 200, "{}", row.body);
        if row.body.contains(&format!("data-status=\"{status}\"")) {
            return row.body;
        }
    }
    panic!("server {id} never showed {status}");
}

fn server_id_from(location: &str) -> String {
    location
        .strip_prefix("/instances/")
        .unwrap_or_else(|| panic!("not a server page: {location}"))
        .to_owned()
}

#[tokio::test]
async fn login_form_sets_safe_cookies_and_logout_revokes_the_token() {
    let (cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    // Not logged in: every page goes to the login form; fragments answer 401.
    assert_eq!(client.get("/instances").await.location(), "/login");
    assert_eq!(client.get("/instances/x/row").await.status, 401);

    let form = client.get("/login").await;
    assert!(form.body.contains("<label for=\"password\">"));
    assert!(
        form.set_cookies()
            .iter()
            .any(|c| c.starts_with("nova_dashboard_login=")
                && c.contains("HttpOnly; SameSite=Strict"))
    );
    client.login_demo().await;
    let session = client
        .cookies
        .get("nova_dashboard_session")
        .cloned()
        .unwrap_or_default();
    assert_eq!(session.len(), 64, "an opaque random id");
    assert!(!client.cookies.contains_key("nova_dashboard_login"));

    let list = client.get("/instances").await;
    assert_eq!(list.status, 200);
    assert!(
        list.header("content-security-policy")
            .contains("script-src 'self'")
    );
    assert!(
        list.header("content-security-policy")
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(list.header("x-content-type-options"), "nosniff");
    assert!(list.header("server-timing").contains("nova;dur="));
    assert!(list.body.contains("demo @ demo"));
    // No token, password or token digest in the page.
    for token in cloud.control().issued_tokens() {
        assert!(!list.body.contains(&token));
    }
    assert!(!list.body.contains(seed::DEMO_PASSWORD));

    // Logout needs the CSRF token.
    let csrf = list.csrf();
    assert_eq!(client.post("/logout", &[]).await.status, 403);
    assert_eq!(
        client
            .post("/logout", &[("csrf", "0".repeat(64).as_str())])
            .await
            .status,
        403
    );
    let out = client.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location(), "/login");
    assert!(!client.cookies.contains_key("nova_dashboard_session"));
    assert_eq!(
        cloud.count("DELETE /identity/v3/auth/tokens"),
        1,
        "{:?}",
        cloud.counts()
    );
    // The old cookie is dead even when replayed.
    client
        .cookies
        .insert("nova_dashboard_session".into(), session);
    assert_eq!(client.get("/instances").await.location(), "/login");
}

#[tokio::test]
async fn login_csrf_and_bad_credentials_are_refused_without_echoing_the_secret() {
    let (cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    // No login cookie / wrong token: refused before Keystone is asked.
    let csrf = client.get("/login").await.csrf();
    let forged = client
        .post(
            "/login",
            &[
                ("csrf", "forged"),
                ("username", "demo"),
                ("password", "x"),
                ("project", "demo"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(cloud.count("POST /identity/v3/auth/tokens"), 0);
    let mut stranger = Client::new(&dashboard);
    assert_eq!(
        stranger.post("/login", &[("csrf", &csrf)]).await.status,
        403
    );

    let csrf = client.get("/login").await.csrf();
    let wrong = client
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "demo"),
                ("password", "hunter2-wrong"),
                ("project", "demo"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("could not log in"), "{}", wrong.body);
    assert!(!wrong.body.contains("hunter2-wrong"));
    assert!(
        wrong.body.contains("value=\"demo\""),
        "the user name is kept"
    );
    assert!(!client.cookies.contains_key("nova_dashboard_session"));

    // A missing field is named.
    let csrf = hidden_value(&wrong.body, "csrf").unwrap_or_default();
    let missing = client
        .post("/login", &[("csrf", &csrf), ("username", "demo")])
        .await;
    assert_eq!(missing.status, 400);
    assert!(
        missing.body.contains("Password: is required"),
        "{}",
        missing.body
    );
}

#[tokio::test]
async fn application_credential_login_works() {
    let (_cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    let csrf = client.get("/login").await.csrf();
    let done = client
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("method", "application_credential"),
                ("credential_id", seed::DEMO_APPCRED_ID),
                ("credential_secret", seed::DEMO_APPCRED_SECRET),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(client.get("/instances").await.status, 200);
}

#[tokio::test]
async fn single_user_mode_continues_with_the_configured_cloud() {
    let cloud = mock_cloud::MockCloud::start(MockConfig::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let env: HashMap<String, String> = [
        ("OS_AUTH_URL", cloud.auth_url()),
        ("OS_USERNAME", "demo"),
        ("OS_PASSWORD", seed::DEMO_PASSWORD),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_PROJECT_NAME", "demo"),
        ("OS_PROJECT_DOMAIN_NAME", "Default"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let config =
        nova_dashboard::DashboardConfig::new(LoginMode::Cloud(CloudConfig::from_env_map(&env)));
    let dashboard = nova_dashboard::start(config, "127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut client = Client::new(&dashboard);
    let form = client.get("/login").await;
    assert!(form.body.contains("Single-user mode"));
    assert!(!form.body.contains("name=\"password\""));
    let done = client.post("/login", &[("csrf", &form.csrf())]).await;
    assert_eq!(done.location(), "/instances");
    let csrf = client.csrf().await;
    client.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(
        cloud.count("DELETE /identity/v3/auth/tokens"),
        0,
        "the shared token stays"
    );
    // A second login reuses the one connection.
    let form = client.get("/login").await;
    client.post("/login", &[("csrf", &form.csrf())]).await;
    assert_eq!(cloud.count("POST /identity/v3/auth/tokens"), 1);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let (_cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    assert_eq!(client.get("/instances").await.status, 200);
    dashboard
        .state()
        .sessions
        .advance_clock(Duration::from_secs(29 * 60));
    assert_eq!(
        client.get("/instances").await.status,
        200,
        "used within the idle time"
    );
    dashboard
        .state()
        .sessions
        .advance_clock(Duration::from_secs(31 * 60));
    assert_eq!(client.get("/instances").await.location(), "/login");
    assert_eq!(client.get("/instances/any/row").await.status, 401);
    assert!(dashboard.state().sessions.is_empty());
}

#[tokio::test]
async fn a_session_in_use_still_ends_after_its_absolute_lifetime() {
    let (_cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    // Used every 25 minutes (within the idle time) for 11 hours 40 minutes: still valid.
    for _ in 0..28 {
        dashboard
            .state()
            .sessions
            .advance_clock(Duration::from_secs(25 * 60));
        assert_eq!(client.get("/instances").await.status, 200);
    }
    // Past 12 hours since login: gone, although it was used 25 minutes ago.
    dashboard
        .state()
        .sessions
        .advance_clock(Duration::from_secs(25 * 60));
    assert_eq!(client.get("/instances").await.location(), "/login");
    assert!(client.get("/login").await.body.contains("form"));
}

#[tokio::test]
async fn launch_with_every_step_creates_the_server_the_form_describes() {
    let (cloud, dashboard) = start().await;
    let api = demo_api(&cloud).await;
    let group = api
        .compute
        .server_groups()
        .create(&nova_v2::CreateServerGroup::new(
            "web-group",
            nova_v2::ServerGroupPolicy::AntiAffinity,
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .value;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;

    // Import a key pair from the launch page.
    let launch = client.get("/launch").await;
    assert_eq!(launch.status, 200, "{}", launch.body);
    let csrf = launch.csrf();
    for step in [
        "Details",
        "Source",
        "Flavor",
        "Networks",
        "Security groups",
        "Key pair",
        "Configuration",
        "Server groups and scheduler hints",
        "Metadata and tags",
    ] {
        assert!(
            launch.body.contains(&format!("<legend>{step}</legend>")),
            "{step}"
        );
    }
    assert!(
        launch.body.contains("cirros-0.6.2"),
        "images from the image service"
    );
    assert!(launch.body.contains("web-group"));
    assert!(launch.body.contains("left"), "quota from limits");
    let imported = client
        .post(
            "/keypairs",
            &[
                ("csrf", &csrf),
                ("keypair_name", "my-key"),
                ("public_key", PUBLIC_KEY),
            ],
        )
        .await;
    assert_eq!(imported.location(), "/launch");
    let launch = client.get("/launch").await;
    assert!(launch.body.contains("Key pair my-key imported."));
    assert!(
        launch
            .body
            .contains("<option value=\"my-key\">my-key</option>")
    );

    let image = "70a599e0-31e7-49b7-b260-868f441e862b";
    let created = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", "web-1"),
                ("description", "from the dashboard"),
                ("count", "1"),
                ("image", image),
                ("source", "image"),
                ("flavor", "1"),
                ("network_mode", "auto"),
                ("key_name", "my-key"),
                ("user_data", "#!/bin/sh\r\necho hello\r\n"),
                ("disk_config", "AUTO"),
                ("config_drive", "on"),
                ("server_group", &group.id),
                ("hints", "build_near_host_ip=10.0.0.1\ncidr=/24"),
                ("metadata", "role=web\nowner=team-a"),
                ("tags", "web, blue"),
                ("hostname", "web-one"),
                ("admin_pass", "s3cret-admin-pass"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let id = server_id_from(created.location());
    let detail = client.get(created.location()).await;
    assert!(
        detail.body.contains("Launch requested (request req-"),
        "{}",
        detail.body
    );
    assert!(detail.body.contains("data-status=\"BUILD\""));
    assert!(
        detail.body.contains("data-poll=\"/instances/"),
        "the status block polls while BUILD"
    );
    assert!(!detail.body.contains("s3cret-admin-pass"));
    wait_for_row(&mut client, &id, "ACTIVE").await;

    let server = api
        .compute
        .servers()
        .get(&id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .value;
    assert_eq!(server.name, "web-1");
    assert_eq!(server.key_name.as_deref(), Some("my-key"));
    assert_eq!(server.description.as_deref(), Some("from the dashboard"));
    assert_eq!(server.hostname.as_deref(), Some("web-one"));
    assert_eq!(server.metadata.get("role").map(String::as_str), Some("web"));
    let mut tags = server.tags.clone().unwrap_or_default();
    tags.sort();
    assert_eq!(tags, vec!["blue", "web"]);
    assert_eq!(
        server.server_groups.clone().unwrap_or_default(),
        vec![group.id.clone()]
    );
    let admin = connect_as(&cloud, "admin", seed::ADMIN_PASSWORD).await;
    let as_admin = admin
        .compute
        .servers()
        .get(&id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .value;
    let user_data = as_admin.user_data.clone().unwrap_or_default();
    assert_eq!(
        user_data, "IyEvYmluL3NoCmVjaG8gaGVsbG8K",
        "CRLF from the textarea sent as LF, base64"
    );

    // The detail page: fields, request ids of the actions, then the actions.
    let detail = client.get(&format!("/instances/{id}")).await;
    assert!(detail.body.contains("data-status=\"ACTIVE\""));
    assert!(detail.body.contains("<td>create</td>"), "{}", detail.body);
    assert!(detail.body.contains("Request ID of this page"));
    let csrf = detail.csrf();
    assert_eq!(
        client
            .post(&format!("/instances/{id}/action"), &[("action", "stop")])
            .await
            .status,
        403
    );
    let stopped = client
        .post(
            &format!("/instances/{id}/action"),
            &[("csrf", &csrf), ("action", "stop")],
        )
        .await;
    assert_eq!(stopped.location(), format!("/instances/{id}"));
    assert!(
        client
            .get(stopped.location())
            .await
            .body
            .contains("Stop requested")
    );
    wait_for_row(&mut client, &id, "SHUTOFF").await;
    client
        .post(
            &format!("/instances/{id}/action"),
            &[("csrf", &csrf), ("action", "start")],
        )
        .await;
    wait_for_row(&mut client, &id, "ACTIVE").await;
    client
        .post(
            &format!("/instances/{id}/action"),
            &[("csrf", &csrf), ("action", "reboot")],
        )
        .await;
    let rebooted = wait_for_row(&mut client, &id, "ACTIVE").await;
    // Rows and the summary of a server acted on keep polling for a while, even when Nova
    // shows no task state (yet); afterwards they stop.
    assert!(rebooted.contains("data-poll="), "{rebooted}");
    dashboard
        .state()
        .sessions
        .advance_clock(nova_dashboard::pages::detail::WATCH_AFTER_ACTION + Duration::from_secs(1));
    let settled = client.get(&format!("/instances/{id}/row")).await.body;
    assert!(!settled.contains("data-poll="), "{settled}");
    let summary = client.get(&format!("/instances/{id}/summary")).await.body;
    assert!(!summary.contains("data-poll="), "{summary}");
    let bogus = client
        .post(
            &format!("/instances/{id}/action"),
            &[("csrf", &csrf), ("action", "explode")],
        )
        .await;
    assert_eq!(bogus.status, 400);
    assert!(bogus.body.contains("Action: must be"));

    // Delete: a confirmation page, then the POST with the CSRF token.
    let confirm = client.get(&format!("/instances/{id}/delete")).await;
    assert!(confirm.body.contains("Delete instance web-1?"));
    assert_eq!(
        client
            .post(&format!("/instances/{id}/delete"), &[])
            .await
            .status,
        403
    );
    assert_eq!(cloud.count("DELETE /compute/v2.1/servers/{id}"), 0);
    let deleted = client
        .post(
            &format!("/instances/{id}/delete"),
            &[("csrf", &confirm.csrf())],
        )
        .await;
    assert_eq!(deleted.location(), "/instances");
    assert!(client.get("/instances").await.body.contains("Deletion of"));
    let mut gone = false;
    for _ in 0..5 {
        if client
            .get(&format!("/instances/{id}/row"))
            .await
            .body
            .contains("Deleted.")
        {
            gone = true;
            break;
        }
    }
    assert!(gone, "the row says the server is gone");
}

#[tokio::test]
async fn launch_errors_name_the_field_and_keep_what_was_typed() {
    let (cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    let csrf = client.get("/launch").await.csrf();
    let page = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", ""),
                ("flavor", "1"),
                ("image", "x"),
                ("user_data", "echo kept"),
            ],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("Instance name: is required"),
        "{}",
        page.body
    );
    assert!(page.body.contains("echo kept"));
    let page = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", "a"),
                ("flavor", "1"),
                ("image", "x"),
                ("metadata", "no equals sign"),
            ],
        )
        .await;
    assert!(
        page.body
            .contains("Metadata: &quot;no equals sign&quot; is not KEY=VALUE"),
        "{}",
        page.body
    );
    let page = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", "a"),
                ("flavor", "1"),
                ("image", "x"),
                ("count", "1000"),
            ],
        )
        .await;
    assert!(page.body.contains("Count: must be between 1 and 100"));
    let page = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", "a"),
                ("flavor", "1"),
                ("image", "x"),
                ("source", "volume"),
                ("volume_size", "1"),
            ],
        )
        .await;
    assert!(
        page.body
            .contains("Boot source: this cloud has no block-storage service")
    );
    assert_eq!(
        cloud.count("POST /compute/v2.1/servers"),
        0,
        "nothing invalid was sent"
    );

    // Nova's own refusal (an unknown flavor) is shown with its request id.
    let page = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", "a"),
                ("flavor", "no-such-flavor"),
                ("image", "70a599e0-31e7-49b7-b260-868f441e862b"),
            ],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("Request ID: <code>req-"),
        "{}",
        page.body
    );

    // Without the CSRF token nothing is created.
    let forged = client
        .post("/launch", &[("name", "a"), ("flavor", "1"), ("image", "x")])
        .await;
    assert_eq!(forged.status, 403);
    let forged = client
        .post(
            "/keypairs",
            &[("keypair_name", "k"), ("public_key", PUBLIC_KEY)],
        )
        .await;
    assert_eq!(forged.status, 403);
    // Nor with a valid token of another session.
    let mut other = Client::new(&dashboard);
    other.login_demo().await;
    let others_token = other.csrf().await;
    let forged = client
        .post(
            "/launch",
            &[
                ("csrf", others_token.as_str()),
                ("name", "a"),
                ("flavor", "1"),
                ("image", "70a599e0-31e7-49b7-b260-868f441e862b"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(cloud.count("POST /compute/v2.1/servers"), 1);
    assert_eq!(cloud.count("POST /compute/v2.1/os-keypairs"), 0);
}

#[tokio::test]
async fn fields_the_microversion_cannot_carry_are_disabled_with_the_reason() {
    let mock = MockConfig::default().max_microversion(mock_cloud::ApiVersion(2, 18));
    let (cloud, dashboard) = start_with(mock, |_| {}).await;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    let launch = client.get("/launch").await;
    assert!(launch.body.contains("compute 2.18"));
    assert!(
        launch
            .body
            .contains("name=\"description\" value=\"\" disabled"),
        "{}",
        launch.body
    );
    assert!(
        launch
            .body
            .contains("Not available: needs compute API version &gt;=2.19; this cloud speaks 2.18")
    );
    assert!(launch.body.contains("name=\"tags\" value=\"\" disabled"));
    assert!(
        launch
            .body
            .contains("name=\"network_mode\" value=\"default\" checked"),
        "auto/none need 2.37"
    );
    // A forged post of a disabled field is refused by name, before anything is sent.
    let csrf = launch.csrf();
    let page = client
        .post(
            "/launch",
            &[
                ("csrf", &csrf),
                ("name", "a"),
                ("flavor", "1"),
                ("image", "x"),
                ("description", "d"),
            ],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body
            .contains("Description: needs compute API version &gt;=2.19")
    );
    assert_eq!(cloud.count("POST /compute/v2.1/servers"), 0);
}

#[tokio::test]
async fn hostile_names_and_fault_messages_are_escaped() {
    let (cloud, dashboard) = start().await;
    let api = demo_api(&cloud).await;
    let name = "<script>alert('name')</script>";
    let fault = "<img src=x onerror=alert('fault')>";
    let request = CreateServer::new(name, "1")
        .image("70a599e0-31e7-49b7-b260-868f441e862b")
        .networks(Networks::Auto)
        .metadata("mock:boot-fault", fault)
        .metadata("note", "<i>value</i>");
    let created = api
        .compute
        .servers()
        .create(&request)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .value;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    let list = client.get("/instances").await;
    assert!(
        list.body
            .contains("&lt;script&gt;alert('name')&lt;/script&gt;"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("<script>alert"));
    let row = wait_for_row(&mut client, &created.id, "ERROR").await;
    assert!(!row.contains(name));
    let detail = client.get(&format!("/instances/{}", created.id)).await;
    assert!(
        detail
            .body
            .contains("&lt;img src=x onerror=alert('fault')&gt;"),
        "{}",
        detail.body
    );
    assert!(!detail.body.contains("<img"));
    assert!(!detail.body.contains("<b>key</b>") && !detail.body.contains("<i>value</i>"));
    assert!(!detail.body.contains("<script>alert"));
}

#[tokio::test]
async fn a_hostile_clouds_html_error_page_is_never_rendered_as_html() {
    let (cloud, dashboard) = start().await;
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    let hostile = "<!DOCTYPE html><html><head><title><script>alert('title')</script></title></head>\
                   <body><h1>Proxy</h1><script>alert('body')</script><form action=\"https://evil.invalid\"></form></body></html>";
    cloud.control().add_fault(Fault::respond(
        "GET /compute/v2.1/servers/detail",
        500,
        Some("text/html"),
        hostile,
    ));
    let page = client.get("/instances").await;
    assert_eq!(page.status, 502);
    assert!(
        page.body
            .contains("&lt;script&gt;alert('title')&lt;/script&gt; (HTML error page)"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("evil.invalid"));
    assert!(!page.body.contains("<h1>Proxy"));

    // The same through a JSON fault message and through a fragment.
    let json = r#"{"computeFault": {"code": 500, "message": "<script>alert('json')</script>"}}"#;
    cloud.control().add_fault(Fault::respond(
        "GET /compute/v2.1/servers/{id}",
        500,
        Some("application/json"),
        json,
    ));
    let fragment = client.get("/instances/some-id/row").await;
    assert_eq!(fragment.status, 502);
    assert!(fragment.header("content-type").starts_with("text/plain"));
    cloud.control().add_fault(Fault::respond(
        "GET /compute/v2.1/servers/{id}",
        500,
        Some("application/json"),
        json,
    ));
    let detail = client.get("/instances/some-id").await;
    assert!(
        detail
            .body
            .contains("&lt;script&gt;alert('json')&lt;/script&gt;"),
        "{}",
        detail.body
    );
    assert!(!detail.body.contains("<script>alert"));
}

#[tokio::test]
async fn filters_and_marker_paging() {
    let mut mock = MockConfig::default();
    mock.nova.instance_quota = 100;
    mock.nova.cores_quota = 100;
    mock.nova.ram_quota = 1_000_000;
    let (cloud, dashboard) = start_with(mock, |_| {}).await;
    let api = demo_api(&cloud).await;
    let request = CreateServer::new("batch", "1")
        .image("70a599e0-31e7-49b7-b260-868f441e862b")
        .networks(Networks::Auto)
        .min_count(5)
        .max_count(5);
    api.compute
        .servers()
        .create(&request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let odd = CreateServer::new("odd-one", "1")
        .image("70a599e0-31e7-49b7-b260-868f441e862b")
        .networks(Networks::Auto);
    api.compute
        .servers()
        .create(&odd)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut client = Client::new(&dashboard);
    client.login_demo().await;

    let first = client.get("/instances?limit=4").await;
    assert_eq!(first.body.matches("<tr id=\"server-").count(), 4);
    let next = first
        .body
        .split("id=\"next-page\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .replace("&amp;", "&");
    assert!(next.contains("marker="), "{next}");
    let second = client.get(&next).await;
    assert_eq!(second.body.matches("<tr id=\"server-").count(), 2);
    assert!(!second.body.contains("id=\"next-page\""));
    assert!(second.body.contains("First page"));

    let filtered = client.get("/instances?name=odd").await;
    assert_eq!(filtered.body.matches("<tr id=\"server-").count(), 1);
    assert!(filtered.body.contains("odd-one"));
    let building = client.get("/instances?status=BUILD").await;
    assert_eq!(building.body.matches("<tr id=\"server-").count(), 6);
    assert_eq!(
        building.body.matches("data-poll=\"/instances/").count(),
        6,
        "rows in BUILD poll"
    );
    let none = client.get("/instances?status=SHUTOFF").await;
    assert!(none.body.contains("No instances."));
}

/// The instance list at 1,000 servers: every row rendered, and `Server-Timing` reporting the
/// list call and the rendering separately (printed; no wall-clock assertion).
#[tokio::test]
async fn the_instances_page_renders_a_thousand_servers() {
    let mut mock = MockConfig::default();
    mock.nova.instance_quota = 1100;
    mock.nova.cores_quota = 1100;
    mock.nova.ram_quota = 1100 * 512;
    let (cloud, dashboard) = start_with(mock, |_| {}).await;
    let api = demo_api(&cloud).await;
    for batch in 0..2 {
        let request = CreateServer::new(format!("bulk-{batch}"), "1")
            .image("70a599e0-31e7-49b7-b260-868f441e862b")
            .networks(Networks::Auto)
            .min_count(500)
            .max_count(500);
        api.compute
            .servers()
            .create(&request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut client = Client::new(&dashboard);
    client.login_demo().await;
    for round in 0..3 {
        let page = client.get("/instances?limit=1000").await;
        assert_eq!(page.status, 200);
        assert_eq!(page.body.matches("<tr id=\"server-").count(), 1000);
        let timing = page.header("server-timing").to_owned();
        assert!(
            timing.contains("nova;dur=") && timing.contains("render;dur="),
            "{timing}"
        );
        println!(
            "round {round}: 1000 servers, {} bytes, Server-Timing: {timing}",
            page.body.len()
        );
    }
}
