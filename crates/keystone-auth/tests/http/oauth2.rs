//! OAuth2 client credentials over HTTP against mock-cloud's Keystone
//! (`/v3/OS-OAUTH2/token`, the demo application credential as the client).

use http::StatusCode;
use keystone_auth::{Adapter, EndpointFilter, Error, OAuth2ClientCredential};
use mock_cloud::seed;
use secrecy::ExposeSecret;

use super::support::{FLAVORS, TOKENS, cloud, session};

const OAUTH2_TOKEN: &str = "POST /identity/v3/OS-OAUTH2/token";

#[tokio::test]
async fn client_credentials_get_an_access_token_that_nova_accepts() {
    let cloud = cloud().await;
    let plugin = OAuth2ClientCredential::new(
        cloud.auth_url(),
        seed::DEMO_APPCRED_ID,
        seed::DEMO_APPCRED_SECRET,
    );
    let s = session(plugin);
    let access = s.access_info().await.unwrap();
    let bearer = access
        .bearer()
        .expect("an OAuth2 access token")
        .expose_secret();
    assert!(!bearer.is_empty());
    assert_eq!(cloud.count(OAUTH2_TOKEN), 1);
    assert_eq!(cloud.count(TOKENS), 1);
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);

    let compute = Adapter::new(s, EndpointFilter::new("compute"));
    let response = compute
        .send(http::Method::GET, "flavors", http::HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(cloud.count(FLAVORS), 1);
    assert!(
        !format!("{access:?}").contains(bearer),
        "Debug masks the access token"
    );
}

#[tokio::test]
async fn the_access_token_alone_is_accepted_as_bearer_like_keystonemiddleware_oauth2_token() {
    let cloud = cloud().await;
    let plugin = OAuth2ClientCredential::new(
        cloud.auth_url(),
        seed::DEMO_APPCRED_ID,
        seed::DEMO_APPCRED_SECRET,
    );
    let access = session(plugin).access_info().await.unwrap();
    let bearer = access.bearer().unwrap().expose_secret().to_owned();
    let state = cloud.control().state();
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        format!("Bearer {bearer}").parse().unwrap(),
    );
    assert!(mock_cloud::nova::gate::admit(state, &headers, "req-1").is_ok());
    headers.insert(
        http::header::AUTHORIZATION,
        "Bearer not-a-token".parse().unwrap(),
    );
    assert!(mock_cloud::nova::gate::admit(state, &headers, "req-2").is_err());
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client() {
    let cloud = cloud().await;
    let plugin = OAuth2ClientCredential::new(
        cloud.auth_url(),
        seed::DEMO_APPCRED_ID,
        "wrong-client-secret",
    );
    let err = session(plugin).access_info().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(!format!("{err} {err:?}").contains("wrong-client-secret"));
}

#[tokio::test]
async fn the_token_endpoint_answers_like_keystone() {
    let cloud = cloud().await;
    let url = format!("{}/OS-OAUTH2/token", cloud.auth_url().trim_end_matches('/'));
    let client = OAuth2Probe::new();
    // no grant_type
    let (status, body, _) = client.post(&url, None, "").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(
        body["error_description"],
        "The parameter grant_type is required."
    );
    // another grant
    let (status, body, _) = client.post(&url, None, "grant_type=password").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
    // no client authentication
    let (status, body, www) = client
        .post(&url, None, "grant_type=client_credentials")
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_description"], "Client authentication failed.");
    assert!(www.is_some_and(|w| w.starts_with("Keystone uri=")));
    // a wrong secret
    let (status, body, _) = client
        .post(
            &url,
            Some((seed::DEMO_APPCRED_ID, "nope")),
            "grant_type=client_credentials",
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(
        body["error_description"],
        "The request you have made requires authentication."
    );
    // an unknown client id: Keystone 30 answers 404 other_error
    let (status, body, _) = client
        .post(&url, Some(("nope", "bad")), "grant_type=client_credentials")
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "other_error");
    // any other method: 405
    let response = client
        .session
        .send(keystone_auth::Request::new(http::Method::GET, &url).authenticated(false))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    // the right one
    let (status, body, _) = client
        .post(
            &url,
            Some((seed::DEMO_APPCRED_ID, seed::DEMO_APPCRED_SECRET)),
            "grant_type=client_credentials",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| !t.is_empty()));
}

#[tokio::test]
async fn an_endpoint_on_another_origin_never_receives_the_secret() {
    let cloud = cloud().await;
    let plugin = OAuth2ClientCredential::new(
        cloud.auth_url(),
        seed::DEMO_APPCRED_ID,
        seed::DEMO_APPCRED_SECRET,
    )
    .endpoint("http://127.0.0.1:9/token");
    let err = session(plugin).access_info().await.unwrap_err();
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err:?}");
    assert_eq!(cloud.count(TOKENS), 0, "nothing was sent");
}

/// Raw form posts to the token endpoint through keystone-auth's session
/// with no auth (a StaticToken would add X-Auth-Token).
struct OAuth2Probe {
    session: keystone_auth::Session,
}

impl OAuth2Probe {
    fn new() -> Self {
        Self {
            session: session(keystone_auth::NoAuth::new()),
        }
    }

    async fn post(
        &self,
        url: &str,
        basic: Option<(&str, &str)>,
        form: &str,
    ) -> (u16, serde_json::Value, Option<String>) {
        use base64::Engine;
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded"
                .parse()
                .expect("a valid header value"),
        );
        if let Some((id, secret)) = basic {
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
            headers.insert(
                http::header::AUTHORIZATION,
                format!("Basic {encoded}")
                    .parse()
                    .expect("a valid header value"),
            );
        }
        let request = keystone_auth::Request::new(http::Method::POST, url)
            .headers(headers)
            .body(form.as_bytes().to_vec())
            .authenticated(false);
        let response = self
            .session
            .send(request)
            .await
            .expect("the token request is answered");
        let www = response
            .headers
            .get(http::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = serde_json::from_slice(&response.body).unwrap_or_default();
        (response.status.as_u16(), body, www)
    }
}
