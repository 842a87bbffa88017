//! Keystone v3: token issue for every method and scope, errors, discovery,
//! validation and revocation.

use mock_cloud::seed;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn password_project_scoped_token_looks_like_keystone() {
    let cloud = cloud().await;
    let client = client();
    let response = post_tokens(
        &client,
        &cloud,
        &password_request(demo_user(), "demo-password", Some(demo_project_scope())),
    )
    .await;
    assert_eq!(response.status(), 201);
    let token = header(&response, "x-subject-token").expect("token header");
    assert!(token.len() >= 32);
    assert!(is_request_id(
        &header(&response, "x-openstack-request-id").expect("request id")
    ));
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
    let body: Value = response.json().await.expect("json");
    let t = &body["token"];
    assert!(t.get("id").is_none(), "the token id is never in the body");
    assert_eq!(t["methods"], json!(["password"]));
    assert_eq!(t["user"]["name"], "demo");
    assert_eq!(t["user"]["id"], seed::DEMO_USER_ID);
    assert_eq!(
        t["user"]["domain"],
        json!({"id": "default", "name": "Default"})
    );
    assert_eq!(t["project"]["id"], seed::DEMO_PROJECT_ID);
    assert_eq!(t["project"]["name"], "demo");
    assert_eq!(t["project"]["domain"]["name"], "Default");
    assert_eq!(t["is_domain"], false);
    let roles: Vec<&str> = t["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(roles.contains(&"member"), "{roles:?}");
    assert!(!roles.contains(&"admin"));
    assert!(is_keystone_time(
        t["expires_at"].as_str().expect("expires_at")
    ));
    assert!(is_keystone_time(
        t["issued_at"].as_str().expect("issued_at")
    ));
    assert_eq!(t["audit_ids"].as_array().map(Vec::len), Some(1));

    let catalog = t["catalog"].as_array().expect("catalog");
    let compute = catalog
        .iter()
        .find(|s| s["type"] == "compute")
        .expect("compute service");
    let identity = catalog
        .iter()
        .find(|s| s["type"] == "identity")
        .expect("identity service");
    for service in [compute, identity] {
        let mut interfaces: Vec<&str> = service["endpoints"]
            .as_array()
            .expect("endpoints")
            .iter()
            .map(|e| {
                assert_eq!(e["region"], "RegionOne");
                assert_eq!(e["region_id"], "RegionOne");
                e["interface"].as_str().expect("interface")
            })
            .collect();
        interfaces.sort_unstable();
        assert_eq!(interfaces, ["admin", "internal", "public"]);
    }
    for endpoint in compute["endpoints"].as_array().expect("endpoints") {
        assert_eq!(endpoint["url"], cloud.compute_url());
    }
    assert_eq!(cloud.count("POST /identity/v3/auth/tokens"), 1);
}

#[tokio::test]
async fn password_by_ids_and_token_lifetime() {
    let cloud = cloud().await;
    let client = client();
    let (_, body) = issue(
        &client,
        &cloud,
        &password_request(
            json!({"id": seed::DEMO_USER_ID}),
            "demo-password",
            Some(json!({"project": {"id": seed::DEMO_PROJECT_ID}})),
        ),
    )
    .await;
    let t = &body["token"];
    assert_eq!(t["project"]["name"], "demo");
    let parse = |k: &str| {
        chrono::DateTime::parse_from_rfc3339(t[k].as_str().expect("time")).expect("rfc3339")
    };
    assert_eq!(
        (parse("expires_at") - parse("issued_at")).num_seconds(),
        3600
    );
    // project by name in a domain given by id
    let (_, body) = issue(
        &client,
        &cloud,
        &password_request(
            json!({"name": "demo", "domain": {"id": "default"}}),
            "demo-password",
            Some(json!({"project": {"name": "demo", "domain": {"id": "default"}}})),
        ),
    )
    .await;
    assert_eq!(body["token"]["project"]["id"], seed::DEMO_PROJECT_ID);
}

#[tokio::test]
async fn domain_system_and_unscoped_tokens() {
    let cloud = cloud().await;
    let client = client();
    let admin = json!({"name": "admin", "domain": {"name": "Default"}});
    let (_, body) = issue(
        &client,
        &cloud,
        &password_request(
            admin.clone(),
            "admin-password",
            Some(json!({"domain": {"name": "Default"}})),
        ),
    )
    .await;
    assert_eq!(
        body["token"]["domain"],
        json!({"id": "default", "name": "Default"})
    );
    assert!(body["token"].get("project").is_none());
    assert!(body["token"]["catalog"].is_array());

    let (_, body) = issue(
        &client,
        &cloud,
        &password_request(
            admin.clone(),
            "admin-password",
            Some(json!({"system": {"all": true}})),
        ),
    )
    .await;
    assert_eq!(body["token"]["system"], json!({"all": true}));
    assert_eq!(body["token"]["roles"][0]["name"], "admin");

    for scope in [None, Some(json!("unscoped"))] {
        let (_, body) = issue(
            &client,
            &cloud,
            &password_request(demo_user(), "demo-password", scope),
        )
        .await;
        let t = &body["token"];
        assert!(
            t.get("catalog").is_none(),
            "unscoped tokens have no catalog"
        );
        assert!(t.get("roles").is_none());
        assert!(t.get("project").is_none());
        assert_eq!(t["user"]["name"], "demo");
    }

    // demo has no role on the system, nor on project admin
    for scope in [
        json!({"system": {"all": true}}),
        json!({"project": {"name": "admin", "domain": {"id": "default"}}}),
    ] {
        let response = post_tokens(
            &client,
            &cloud,
            &password_request(demo_user(), "demo-password", Some(scope)),
        )
        .await;
        assert_eq!(response.status(), 401);
    }
}

#[tokio::test]
async fn nocatalog_omits_the_catalog() {
    let cloud = cloud().await;
    let client = client();
    let response = client
        .post(format!("{}/auth/tokens?nocatalog", cloud.auth_url()))
        .json(&password_request(
            demo_user(),
            "demo-password",
            Some(demo_project_scope()),
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("json");
    assert!(body["token"].get("catalog").is_none());
    assert_eq!(body["token"]["project"]["name"], "demo");
}

#[tokio::test]
async fn bad_credentials_get_keystones_401() {
    let cloud = cloud().await;
    let client = client();
    let expected: Value = serde_json::from_str(KEYSTONE_401).expect("sample");
    for body in [
        password_request(demo_user(), "wrong", Some(demo_project_scope())),
        password_request(
            json!({"name": "nobody", "domain": {"name": "Default"}}),
            "x",
            None,
        ),
        password_request(
            json!({"name": "demo", "domain": {"name": "Other"}}),
            "demo-password",
            None,
        ),
        password_request(json!({"id": "no-such-id"}), "demo-password", None),
        password_request(
            demo_user(),
            "demo-password",
            Some(json!({"project": {"id": "missing"}})),
        ),
        json!({"auth": {"identity": {"methods": ["token"], "token": {"id": "not-a-token"}}}}),
    ] {
        let response = post_tokens(&client, &cloud, &body).await;
        assert_eq!(response.status(), 401, "{body}");
        assert_eq!(
            header(&response, "www-authenticate"),
            Some(format!("Keystone uri=\"{}\"", cloud.auth_url()))
        );
        assert!(header(&response, "x-subject-token").is_none());
        let got: Value = response.json().await.expect("json");
        assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn malformed_requests_get_400() {
    let cloud = cloud().await;
    let client = client();
    for body in [
        json!({}),
        json!({"auth": {}}),
        json!({"auth": {"identity": {"methods": []}}}),
        json!({"auth": {"identity": {"methods": ["password"]}}}),
    ] {
        let response = post_tokens(&client, &cloud, &body).await;
        assert_eq!(response.status(), 400, "{body}");
        let got: Value = response.json().await.expect("json");
        assert_eq!(got["error"]["code"], 400);
        assert_eq!(got["error"]["title"], "Bad Request");
    }
    let response = client
        .post(format!("{}/auth/tokens", cloud.auth_url()))
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn application_credentials_by_id_and_by_name() {
    let cloud = cloud().await;
    let client = client();
    let by_id = json!({"auth": {"identity": {"methods": ["application_credential"],
        "application_credential": {"id": seed::DEMO_APPCRED_ID, "secret": seed::DEMO_APPCRED_SECRET}}}});
    let (_, body) = issue(&client, &cloud, &by_id).await;
    let t = &body["token"];
    assert_eq!(t["methods"], json!(["application_credential"]));
    assert_eq!(t["project"]["id"], seed::DEMO_PROJECT_ID);
    assert_eq!(
        t["application_credential"],
        json!({"id": seed::DEMO_APPCRED_ID, "name": "demo-appcred", "restricted": true})
    );
    assert!(t["catalog"].is_array());

    for user in [json!({"id": seed::DEMO_USER_ID}), demo_user()] {
        let by_name = json!({"auth": {"identity": {"methods": ["application_credential"],
            "application_credential": {"name": "demo-appcred", "user": user, "secret": seed::DEMO_APPCRED_SECRET}}}});
        let (_, body) = issue(&client, &cloud, &by_name).await;
        assert_eq!(body["token"]["user"]["name"], "demo");
    }

    let wrong = json!({"auth": {"identity": {"methods": ["application_credential"],
        "application_credential": {"id": seed::DEMO_APPCRED_ID, "secret": "nope"}}}});
    assert_eq!(post_tokens(&client, &cloud, &wrong).await.status(), 401);
}

#[tokio::test]
async fn application_credential_with_a_scope_is_refused_like_keystone() {
    let cloud = cloud().await;
    let client = client();
    let body = json!({"auth": {
        "identity": {"methods": ["application_credential"],
            "application_credential": {"id": seed::DEMO_APPCRED_ID, "secret": seed::DEMO_APPCRED_SECRET}},
        "scope": {"project": {"id": seed::DEMO_PROJECT_ID}}}});
    let response = post_tokens(&client, &cloud, &body).await;
    assert_eq!(response.status(), 401);
    assert!(header(&response, "www-authenticate").is_some());
    let got: Value = response.json().await.expect("json");
    assert_eq!(
        got,
        json!({"error": {
            "code": 401,
            "title": "Unauthorized",
            "message": "Error authenticating with application credential: Application credentials cannot request a scope.",
            "identity": {},
        }})
    );
}

#[tokio::test]
async fn token_method_rescopes_and_keeps_the_expiry() {
    let cloud = cloud().await;
    let client = client();
    let (unscoped, first) = issue(
        &client,
        &cloud,
        &password_request(demo_user(), "demo-password", Some(json!("unscoped"))),
    )
    .await;
    let (rescoped, body) = issue(
        &client,
        &cloud,
        &json!({"auth": {"identity": {"methods": ["token"], "token": {"id": unscoped}},
            "scope": {"project": {"id": seed::DEMO_PROJECT_ID}}}}),
    )
    .await;
    assert_ne!(rescoped, unscoped);
    let t = &body["token"];
    assert_eq!(t["methods"], json!(["token", "password"]));
    assert_eq!(t["project"]["name"], "demo");
    assert_eq!(t["expires_at"], first["token"]["expires_at"]);
    let audit = t["audit_ids"].as_array().expect("audit ids");
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1], first["token"]["audit_ids"][0]);
}

#[tokio::test]
async fn version_documents() {
    let cloud = cloud().await;
    let client = client();
    for path in ["/identity", "/identity/"] {
        let response = client
            .get(format!("{}{path}", cloud.url()))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 300);
        assert_eq!(
            header(&response, "location"),
            Some(format!("{}/", cloud.auth_url()))
        );
        let body: Value = response.json().await.expect("json");
        let v3 = &body["versions"]["values"][0];
        assert_eq!(v3["id"], "v3.14");
        assert_eq!(v3["status"], "stable");
        assert_eq!(v3["links"][0]["href"], format!("{}/", cloud.auth_url()));
    }
    let response = client.get(cloud.auth_url()).send().await.expect("send");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["version"]["id"], "v3.14");
    assert_eq!(
        body["version"]["media-types"][0]["type"],
        "application/vnd.openstack.identity-v3+json"
    );
}

#[tokio::test]
async fn validate_and_revoke_a_token() {
    let cloud = cloud().await;
    let client = client();
    let caller = demo_token(&client, &cloud).await;
    let subject = demo_token(&client, &cloud).await;
    let url = format!("{}/auth/tokens", cloud.auth_url());
    let response = client
        .get(&url)
        .header("X-Auth-Token", &caller)
        .header("X-Subject-Token", &subject)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "x-subject-token").as_deref(),
        Some(subject.as_str())
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token"]["project"]["name"], "demo");

    let response = client
        .get(&url)
        .header("X-Subject-Token", &subject)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 401, "validation needs a token");

    let response = client
        .delete(&url)
        .header("X-Auth-Token", &caller)
        .header("X-Subject-Token", &subject)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 204);
    let response = client
        .get(&url)
        .header("X-Auth-Token", &caller)
        .header("X-Subject-Token", &subject)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["message"], "Failed to validate token");
}
