//! Shared helpers: a reqwest client, clouds, tokens.

use mock_cloud::{MockCloud, MockConfig};
use reqwest::Client;
use serde_json::{Value, json};

/// The Keystone 401 body (testdata/openstack-reference/constructed/keystone/error-401-unauthorized.json).
pub const KEYSTONE_401: &str = include_str!(
    "../../../../testdata/openstack-reference/constructed/keystone/error-401-unauthorized.json"
);

pub use crate::common::client;

pub async fn cloud() -> MockCloud {
    MockCloud::start(MockConfig::default())
        .await
        .expect("start")
}

pub fn password_request(user: Value, password: &str, scope: Option<Value>) -> Value {
    let mut user = user;
    user["password"] = json!(password);
    let mut body =
        json!({"auth": {"identity": {"methods": ["password"], "password": {"user": user}}}});
    if let Some(scope) = scope {
        body["auth"]["scope"] = scope;
    }
    body
}

pub fn demo_user() -> Value {
    json!({"name": "demo", "domain": {"name": "Default"}})
}

pub fn demo_project_scope() -> Value {
    json!({"project": {"name": "demo", "domain": {"name": "Default"}}})
}

pub async fn post_tokens(client: &Client, cloud: &MockCloud, body: &Value) -> reqwest::Response {
    client
        .post(format!("{}/auth/tokens", cloud.auth_url()))
        .json(body)
        .send()
        .await
        .expect("send")
}

/// Issues a token and returns (token id, body).
pub async fn issue(client: &Client, cloud: &MockCloud, body: &Value) -> (String, Value) {
    let response = post_tokens(client, cloud, body).await;
    assert_eq!(response.status(), 201, "token request refused");
    let token = header(&response, "x-subject-token").expect("X-Subject-Token");
    (token, response.json().await.expect("json"))
}

pub async fn demo_token(client: &Client, cloud: &MockCloud) -> String {
    issue(
        client,
        cloud,
        &password_request(demo_user(), "demo-password", Some(demo_project_scope())),
    )
    .await
    .0
}

pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

pub fn all_headers(response: &reqwest::Response, name: &str) -> Vec<String> {
    response
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}

/// `req-` followed by a hyphenated UUID4.
pub fn is_request_id(text: &str) -> bool {
    let Some(uuid) = text.strip_prefix("req-") else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.len() == 5
        && groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        && groups[2].starts_with('4')
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`
pub fn is_keystone_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 27
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && b[26] == b'Z'
        && b[20..26].iter().all(u8::is_ascii_digit)
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
