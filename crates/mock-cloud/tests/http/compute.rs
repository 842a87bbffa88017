//! Nova framework: version documents, token checks, microversion headers,
//! request ids, Content-Type.

use std::time::Duration;

use mock_cloud::{ApiVersion, MockCloud, MockConfig};
use serde_json::{Value, json};

use crate::support::*;

/// A path no Nova resource serves: it goes through the same checks, then 404.
const PROBE: &str = "/os-mock-framework-probe";

fn assert_version_headers(response: &reqwest::Response, version: &str) {
    assert_eq!(
        header(response, "openstack-api-version"),
        Some(format!("compute {version}"))
    );
    assert_eq!(
        header(response, "x-openstack-nova-api-version").as_deref(),
        Some(version)
    );
    let vary = all_headers(response, "vary");
    assert!(
        vary.iter().any(|v| v == "OpenStack-API-Version"),
        "{vary:?}"
    );
    assert!(
        vary.iter().any(|v| v == "X-OpenStack-Nova-API-Version"),
        "{vary:?}"
    );
    assert_eq!(vary.len(), 2, "two separate Vary lines: {vary:?}");
}

fn assert_request_ids(response: &reqwest::Response) -> String {
    let id = header(response, "x-openstack-request-id").expect("x-openstack-request-id");
    assert!(is_request_id(&id), "{id}");
    assert_eq!(
        header(response, "x-compute-request-id").as_deref(),
        Some(id.as_str())
    );
    id
}

fn assert_no_version_headers(response: &reqwest::Response) {
    assert!(header(response, "openstack-api-version").is_none());
    assert!(header(response, "x-openstack-nova-api-version").is_none());
    assert!(all_headers(response, "vary").is_empty());
}

async fn get_with(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.header("X-Auth-Token", token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("send")
}

#[tokio::test]
async fn root_version_list_has_no_request_id_and_ignores_headers() {
    let cloud = cloud().await;
    let client = client();
    for path in ["/compute/", "/compute"] {
        let response = get_with(
            &client,
            format!("{}{path}", cloud.url()),
            None,
            &[("OpenStack-API-Version", "compute 2.01")],
        )
        .await;
        assert_eq!(response.status(), 200);
        assert!(header(&response, "x-openstack-request-id").is_none());
        assert!(header(&response, "x-compute-request-id").is_none());
        assert_no_version_headers(&response);
        let body: Value = response.json().await.expect("json");
        let versions = body["versions"].as_array().expect("versions");
        let v21 = versions.iter().find(|v| v["id"] == "v2.1").expect("v2.1");
        assert_eq!(v21["status"], "CURRENT");
        assert_eq!(v21["version"], "2.104");
        assert_eq!(v21["min_version"], "2.1");
        assert_eq!(v21["links"][0]["href"], format!("{}/", cloud.compute_url()));
        let v20 = versions.iter().find(|v| v["id"] == "v2.0").expect("v2.0");
        assert_eq!(v20["status"], "DEPRECATED");
        assert_eq!(v20["version"], "");
    }
}

#[tokio::test]
async fn v21_document_needs_no_token_and_honours_the_headers() {
    let cloud = cloud().await;
    let client = client();
    for url in [
        cloud.compute_url().to_owned(),
        format!("{}/", cloud.compute_url()),
    ] {
        let response = get_with(&client, url.clone(), None, &[]).await;
        assert_eq!(response.status(), 200);
        assert_request_ids(&response);
        assert_version_headers(&response, "2.1");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["version"]["id"], "v2.1");
        assert_eq!(body["version"]["version"], "2.104");
        assert_eq!(body["version"]["min_version"], "2.1");
        assert_eq!(
            body["version"]["media-types"][0]["type"],
            "application/vnd.openstack.compute+json;version=2.1"
        );
        let response = get_with(
            &client,
            url,
            None,
            &[("X-OpenStack-Nova-API-Version", "2.1.0")],
        )
        .await;
        assert_eq!(response.status(), 400);
    }
}

#[tokio::test]
async fn the_served_range_is_configurable() {
    let cloud = MockCloud::start(MockConfig::default().max_microversion(ApiVersion(2, 60)))
        .await
        .expect("start");
    let client = client();
    let body: Value = get_with(&client, format!("{}/", cloud.compute_url()), None, &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["version"]["version"], "2.60");
    let token = demo_token(&client, &cloud).await;
    let url = format!("{}{PROBE}", cloud.compute_url());
    let response = get_with(
        &client,
        url.clone(),
        Some(&token),
        &[("OpenStack-API-Version", "compute latest")],
    )
    .await;
    assert_version_headers(&response, "2.60");
    let response = get_with(
        &client,
        url,
        Some(&token),
        &[("OpenStack-API-Version", "compute 2.61")],
    )
    .await;
    assert_eq!(response.status(), 406);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["computeFault"]["message"],
        "Version 2.61 is not supported by the API. Minimum is 2.1 and maximum is 2.60."
    );
}

#[tokio::test]
async fn microversion_is_negotiated_and_echoed() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    // a path without a handler and a (future) real one get the same treatment
    for path in [PROBE, "/flavors"] {
        let url = format!("{}{path}", cloud.compute_url());
        let cases: [(&[(&str, &str)], &str); 6] = [
            (&[], "2.1"),
            (&[("OpenStack-API-Version", "compute latest")], "2.104"),
            (&[("OpenStack-API-Version", "compute 2.60")], "2.60"),
            (&[("X-OpenStack-Nova-API-Version", "2.5")], "2.5"),
            (
                &[(
                    "OpenStack-API-Version",
                    "identity 3.0, compute 2.3, compute 2.9",
                )],
                "2.9",
            ),
            (
                &[
                    ("OpenStack-API-Version", "compute 2.20"),
                    ("X-OpenStack-Nova-API-Version", "2.30"),
                ],
                "2.20",
            ),
        ];
        for (headers, expected) in cases {
            let response = get_with(&client, url.clone(), Some(&token), headers).await;
            assert_ne!(response.status(), 400, "{headers:?}");
            assert_ne!(response.status(), 401);
            assert_version_headers(&response, expected);
            assert_request_ids(&response);
        }
    }
}

#[tokio::test]
async fn malformed_version_is_400_without_version_headers() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    let url = format!("{}{PROBE}", cloud.compute_url());
    for bad in [
        "2", "2.", "v2.1", "02.1", "2.01", "2.1.0", "2.latest", "Latest", "LATEST",
    ] {
        let value = format!("compute {bad}");
        let response = get_with(
            &client,
            url.clone(),
            Some(&token),
            &[("OpenStack-API-Version", &value)],
        )
        .await;
        assert_eq!(response.status(), 400, "{bad}");
        assert_no_version_headers(&response);
        assert_request_ids(&response);
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body,
            json!({"badRequest": {"code": 400, "message": format!(
                "API Version String {bad} is of invalid format. Must be of format MajorNum.MinorNum."
            )}})
        );
    }
    let sample: Value = serde_json::from_str(include_str!(
        "../../../../testdata/openstack-reference/constructed/nova-errors/badRequest-malformed-microversion.json"
    ))
    .expect("sample");
    let response = get_with(
        &client,
        url,
        Some(&token),
        &[("X-OpenStack-Nova-API-Version", "2.latest")],
    )
    .await;
    assert_eq!(response.json::<Value>().await.expect("json"), sample);
}

#[tokio::test]
async fn out_of_range_version_is_406_and_echoed() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    let url = format!("{}{PROBE}", cloud.compute_url());
    let sample: Value = serde_json::from_str(include_str!(
        "../../../../testdata/openstack-reference/constructed/nova-errors/computeFault-406-unsupported-microversion.json"
    ))
    .expect("sample");
    let response = get_with(
        &client,
        url.clone(),
        Some(&token),
        &[("OpenStack-API-Version", "compute 2.200")],
    )
    .await;
    assert_eq!(response.status(), 406);
    assert_version_headers(&response, "2.200");
    assert_request_ids(&response);
    assert_eq!(response.json::<Value>().await.expect("json"), sample);
    for out in ["2.0", "2.105", "3.0"] {
        let response = get_with(
            &client,
            url.clone(),
            Some(&token),
            &[("X-OpenStack-Nova-API-Version", out)],
        )
        .await;
        assert_eq!(response.status(), 406, "{out}");
        assert_version_headers(&response, out);
    }
}

#[tokio::test]
async fn missing_unknown_expired_and_revoked_tokens_get_401() {
    let cloud = cloud().await;
    let client = client();
    let expected: Value = serde_json::from_str(KEYSTONE_401).expect("sample");
    let url = format!("{}{PROBE}", cloud.compute_url());
    let check = |response: reqwest::Response| async {
        assert_eq!(response.status(), 401);
        assert_eq!(
            header(&response, "www-authenticate"),
            Some(format!("Keystone uri=\"{}\"", cloud.auth_url()))
        );
        assert_request_ids(&response);
        assert_no_version_headers(&response);
        assert_eq!(response.json::<Value>().await.expect("json"), expected);
    };
    check(get_with(&client, url.clone(), None, &[]).await).await;
    check(get_with(&client, url.clone(), Some("bogus"), &[]).await).await;
    // the token check comes before the version check
    check(
        get_with(
            &client,
            url.clone(),
            None,
            &[("OpenStack-API-Version", "compute 2.01")],
        )
        .await,
    )
    .await;

    let token = demo_token(&client, &cloud).await;
    assert_eq!(
        get_with(&client, url.clone(), Some(&token), &[])
            .await
            .status(),
        404
    );
    cloud.control().advance_clock(Duration::from_secs(3601));
    check(get_with(&client, url.clone(), Some(&token), &[]).await).await;

    let token = demo_token(&client, &cloud).await;
    assert_eq!(
        get_with(&client, url.clone(), Some(&token), &[])
            .await
            .status(),
        404
    );
    assert!(cloud.control().revoke_all_tokens() >= 1);
    check(get_with(&client, url, Some(&token), &[]).await).await;
}

#[tokio::test]
async fn unsupported_content_type_is_415() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    let url = format!("{}{PROBE}", cloud.compute_url());
    let response = get_with(
        &client,
        url.clone(),
        Some(&token),
        &[
            ("Content-Type", "application/xml"),
            ("X-OpenStack-Nova-API-Version", "2.10"),
        ],
    )
    .await;
    assert_eq!(response.status(), 415);
    assert_version_headers(&response, "2.10");
    assert_request_ids(&response);
    assert_eq!(
        response.json::<Value>().await.expect("json"),
        json!({"badMediaType": {"code": 415, "message": "Unsupported Content-Type"}})
    );
    for ok in [
        "application/json; charset=UTF-8",
        "text/plain",
        "application/vnd.openstack.compute+json",
    ] {
        let response = get_with(&client, url.clone(), Some(&token), &[("Content-Type", ok)]).await;
        assert_eq!(response.status(), 404, "{ok}");
    }
}

#[tokio::test]
async fn unknown_compute_path_is_item_not_found() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    let response = get_with(
        &client,
        format!("{}{PROBE}", cloud.compute_url()),
        Some(&token),
        &[],
    )
    .await;
    assert_eq!(response.status(), 404);
    assert_version_headers(&response, "2.1");
    assert_eq!(
        response.json::<Value>().await.expect("json"),
        json!({"itemNotFound": {"code": 404, "message": "The resource could not be found."}})
    );
    assert_eq!(cloud.count(&format!("GET /compute/v2.1{PROBE}")), 1);
}

#[tokio::test]
async fn unknown_method_on_a_known_path() {
    let cloud = cloud().await;
    let client = client();
    let token = demo_token(&client, &cloud).await;
    let response = client
        .delete(format!("{}/flavors", cloud.compute_url()))
        .header("X-Auth-Token", &token)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 404);
    assert_request_ids(&response);
    // Real Nova 34.0.0: the routes mapper's HTML 404, no microversion headers
    // (pinned in tests/real_cloud_pins.rs).
    assert_eq!(header(&response, "openstack-api-version"), None);
    let response = client
        .delete(format!("{}/flavors", cloud.compute_url()))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 401);
    let response = client.put(cloud.auth_url()).send().await.expect("send");
    assert_eq!(response.status(), 405);
    assert!(header(&response, "x-openstack-request-id").is_some());
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], 405);
}
