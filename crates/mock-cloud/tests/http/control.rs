//! The control API: counters, faults, tokens, clock, redirect and echo, in
//! process and over HTTP.

use std::time::Duration;

use mock_cloud::{Fault, FaultAction};
use serde_json::{Value, json};

use crate::support::*;

const TOKENS: &str = "POST /identity/v3/auth/tokens";

fn demo_request() -> Value {
    password_request(demo_user(), "demo-password", Some(demo_project_scope()))
}

#[tokio::test]
async fn counters_count_per_route_and_reset() {
    let cloud = cloud().await;
    let client = client();
    demo_token(&client, &cloud).await;
    demo_token(&client, &cloud).await;
    client.get(cloud.compute_url()).send().await.expect("send");
    assert_eq!(cloud.count(TOKENS), 2);
    assert_eq!(cloud.count("GET /compute/v2.1"), 1);
    assert_eq!(cloud.count("GET /compute/v2.1/"), 0);

    let over_http: Value = client
        .get(format!("{}/_mock/counters", cloud.url()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(over_http, json!({TOKENS: 2, "GET /compute/v2.1": 1}));
    assert_eq!(cloud.counts().len(), 2, "control routes are not counted");

    let response = client
        .post(format!("{}/_mock/counters/reset", cloud.url()))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 204);
    assert_eq!(cloud.count(TOKENS), 0);
    demo_token(&client, &cloud).await;
    assert_eq!(cloud.count(TOKENS), 1);
    cloud.reset_counts();
    assert!(cloud.counts().is_empty());
}

#[tokio::test]
async fn status_fault_answers_n_times_then_passes() {
    let cloud = cloud().await;
    let client = client();
    cloud
        .control()
        .add_fault(Fault::status(TOKENS, 503).retry_after(2).times(2));
    for _ in 0..2 {
        let response = post_tokens(&client, &cloud, &demo_request()).await;
        assert_eq!(response.status(), 503);
        assert_eq!(header(&response, "retry-after").as_deref(), Some("2"));
        assert!(header(&response, "x-openstack-request-id").is_some());
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], 503);
    }
    assert_eq!(
        post_tokens(&client, &cloud, &demo_request()).await.status(),
        201
    );
    assert_eq!(cloud.count(TOKENS), 3);
    assert!(cloud.control().faults().is_empty());
}

#[tokio::test]
async fn status_fault_on_compute_uses_nova_body_or_html() {
    let cloud = cloud().await;
    let client = client();
    cloud
        .control()
        .add_fault(Fault::status("GET /compute/v2.1", 429).retry_after(5));
    cloud
        .control()
        .add_fault(Fault::status("GET /compute/v2.1", 502).html());
    let response = client.get(cloud.compute_url()).send().await.expect("send");
    assert_eq!(response.status(), 429);
    assert_eq!(header(&response, "retry-after").as_deref(), Some("5"));
    assert!(header(&response, "x-compute-request-id").is_some());
    assert_eq!(
        response.json::<Value>().await.expect("json"),
        json!({"overLimit": {"code": 429, "message": "Too Many Requests", "retryAfter": "5"}})
    );
    let response = client.get(cloud.compute_url()).send().await.expect("send");
    assert_eq!(response.status(), 502);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/html")
    );
    assert!(response.text().await.expect("text").starts_with("<html>"));
    assert_eq!(
        client
            .get(cloud.compute_url())
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
}

/// Sends one token request through `fault`: the connection closes without an answer, and
/// `issued` tokens exist afterwards (0: the handler never ran, 1: it ran). The next request
/// passes.
async fn dropped_connection(fault: Fault, issued: usize) {
    let cloud = cloud().await;
    let client = client();
    cloud.control().add_fault(fault);
    let result = client
        .post(format!("{}/auth/tokens", cloud.auth_url()))
        .json(&demo_request())
        .send()
        .await;
    assert!(
        result.is_err(),
        "the connection must close without an answer"
    );
    assert_eq!(cloud.control().revoke_all_tokens(), issued, "tokens issued");
    assert_eq!(cloud.count(TOKENS), 1);
    assert_eq!(
        post_tokens(&client, &cloud, &demo_request()).await.status(),
        201
    );
}

#[tokio::test]
async fn drop_before_processing_closes_without_running_the_handler() {
    dropped_connection(Fault::drop_before(TOKENS), 0).await;
}

#[tokio::test]
async fn drop_after_processing_runs_the_handler_but_never_answers() {
    dropped_connection(Fault::drop_after(TOKENS), 1).await;
}

#[tokio::test]
async fn delay_fault_then_normal_answer() {
    let cloud = cloud().await;
    let client = client();
    cloud
        .control()
        .add_fault(Fault::delay("GET /identity/v3", Duration::from_millis(20)).times(2));
    for _ in 0..3 {
        let response = client.get(cloud.auth_url()).send().await.expect("send");
        assert_eq!(response.status(), 200);
    }
    assert!(cloud.control().faults().is_empty());
    assert_eq!(cloud.count("GET /identity/v3"), 3);
}

#[tokio::test]
async fn faults_over_http() {
    let cloud = cloud().await;
    let client = client();
    let url = format!("{}/_mock/faults", cloud.url());
    let response = client
        .post(&url)
        .json(&json!({"route": "* /identity/v3", "action": "status", "status": 500, "times": 0}))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 201);
    let listed: Vec<Fault> = client
        .get(&url)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(listed.len(), 1);
    assert!(matches!(
        listed[0].action,
        FaultAction::Status { status: 500, .. }
    ));
    for _ in 0..3 {
        assert_eq!(
            client
                .get(cloud.auth_url())
                .send()
                .await
                .expect("send")
                .status(),
            500
        );
    }
    assert_eq!(
        client.delete(&url).send().await.expect("send").status(),
        204
    );
    assert_eq!(
        client
            .get(cloud.auth_url())
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
    let response = client
        .post(&url)
        .json(&json!({"route": "GET /x", "action": "explode"}))
        .send()
        .await
        .expect("send");
    assert!(response.status().is_client_error());
}

#[tokio::test]
async fn revocation_ttl_and_clock_over_http() {
    let cloud = cloud().await;
    let client = client();
    let probe = format!("{}/os-probe", cloud.compute_url());
    let token = demo_token(&client, &cloud).await;
    let status = |token: String| {
        let client = client.clone();
        let probe = probe.clone();
        async move {
            client
                .get(&probe)
                .header("X-Auth-Token", token)
                .send()
                .await
                .expect("send")
                .status()
        }
    };
    assert_eq!(status(token.clone()).await, 404);
    let revoked: Value = client
        .post(format!("{}/_mock/tokens/revoke", cloud.url()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(revoked, json!({"revoked": 1}));
    assert_eq!(status(token).await, 401);

    let ttl_url = format!("{}/_mock/tokens/ttl", cloud.url());
    let response = client
        .put(&ttl_url)
        .json(&json!({"seconds": 60}))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 204);
    let ttl: Value = client
        .get(&ttl_url)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(ttl, json!({"seconds": 60}));
    let (token, body) = issue(&client, &cloud, &demo_request()).await;
    let t = &body["token"];
    let parse =
        |k: &str| chrono::DateTime::parse_from_rfc3339(t[k].as_str().expect("time")).expect("time");
    assert_eq!((parse("expires_at") - parse("issued_at")).num_seconds(), 60);
    assert_eq!(status(token.clone()).await, 404);
    let advanced: Value = client
        .post(format!("{}/_mock/clock/advance", cloud.url()))
        .json(&json!({"seconds": 61}))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(advanced["offset_seconds"], 61);
    assert_eq!(status(token).await, 401, "expired by the mock clock");
    cloud.control().set_token_ttl(Duration::from_secs(3600));
    assert_eq!(cloud.control().token_ttl(), Duration::from_secs(3600));
}

#[tokio::test]
async fn redirect_and_echo_show_what_a_client_sends() {
    let cloud = crate::support::cloud().await;
    let other = crate::support::cloud().await;
    let client = client();
    let target = format!("{}/_mock/echo/landing?x=1", other.url());
    let response = client
        .get(format!(
            "{}/_mock/redirect?to={}&status=307",
            cloud.url(),
            encode(&target)
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 307);
    assert_eq!(
        header(&response, "location").as_deref(),
        Some(target.as_str())
    );
    let response = client
        .get(format!(
            "{}/_mock/redirect?to={}&status=200",
            cloud.url(),
            encode(&target)
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 400);

    let echoed: Value = client
        .post(&target)
        .header("X-Auth-Token", "visible-token")
        .body("{}")
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/_mock/echo/landing?x=1");
    let log = other.control().echo_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].header("x-auth-token"), Some("visible-token"));
    let over_http: Value = client
        .get(format!("{}/_mock/echo/log", other.url()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(over_http.as_array().map(Vec::len), Some(1));
    assert!(cloud.control().echo_log().is_empty());
    client
        .delete(format!("{}/_mock/echo/log", other.url()))
        .send()
        .await
        .expect("send");
    assert!(other.control().echo_log().is_empty());
}

#[tokio::test]
async fn dropping_the_cloud_stops_it() {
    let cloud = cloud().await;
    let client = client();
    let url = cloud.auth_url().to_owned();
    assert_eq!(client.get(&url).send().await.expect("send").status(), 200);
    drop(cloud);
    let mut refused = false;
    for _ in 0..50 {
        if crate::support::client().get(&url).send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the port still answers after drop");
}

#[tokio::test]
async fn counts_and_faults_use_route_templates() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    let route = "GET /compute/v2.1/servers/{id}";
    cloud.control().add_fault(Fault::status(route, 503));
    let first = format!(
        "{}/servers/9d2e7f0c-1b4a-4c3d-8e5f-6a7b8c9d0e1f",
        cloud.compute_url()
    );
    let second = format!(
        "{}/servers/00000000-0000-4000-8000-000000000000",
        cloud.compute_url()
    );
    let response = client
        .get(&first)
        .header("X-Auth-Token", &token)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 503);
    let response = client
        .get(&second)
        .header("X-Auth-Token", &token)
        .send()
        .await
        .expect("send");
    assert_ne!(response.status(), 503, "the fault fired once");
    assert_eq!(cloud.count(route), 2);
    assert!(
        cloud
            .counts()
            .keys()
            .any(|k| k.starts_with("GET /compute/v2.1/servers/{"))
    );
}
