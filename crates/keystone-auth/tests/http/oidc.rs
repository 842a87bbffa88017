//! OpenID Connect federation over HTTP: the mock provider on its own origin,
//! the mock Keystone's OS-FEDERATION auth, the rescope; and what must never
//! cross between the two.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use keystone_auth::{
    AccessTokenType, DeviceCode, DomainRef, Error, ErrorKind, Oidc, OidcError, Scope, Session,
};
use mock_cloud::oidc::{DeviceDecision, oidc_seed};
use mock_cloud::{Fault, MockCloud, MockConfig, seed};
use secrecy::ExposeSecret;

use super::support::{TOKENS, builder, cloud, session};

const FEDERATED: &str =
    "POST /identity/v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth";
const DISCOVERY: &str = "GET /oidc/.well-known/openid-configuration";
const IDP_TOKEN: &str = "POST /oidc/token";
const IDP_DEVICE: &str = "POST /oidc/device";

fn demo_scope() -> Scope {
    Scope::project_name("demo", DomainRef::name("Default"))
}

fn password_plugin(cloud: &MockCloud) -> Oidc {
    Oidc::password(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        oidc_seed::USERNAME,
        oidc_seed::PASSWORD,
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url())
    .scope(demo_scope())
}

/// The provider saw no Keystone token (nor `X-Auth-Token`), and Keystone
/// saw neither the client secret nor the user's provider password.
fn assert_nothing_crossed(cloud: &MockCloud, keystone_tokens: &[&str]) {
    let idp = cloud.oidc().received();
    assert!(!idp.is_empty(), "the provider was asked");
    for request in &idp {
        assert!(
            request.headers.iter().all(|(n, _)| n != "x-auth-token"),
            "{}",
            request.text()
        );
        for token in keystone_tokens {
            assert!(!request.text().contains(token), "{}", request.text());
        }
    }
    let keystone = cloud.received();
    assert!(!keystone.is_empty(), "Keystone was asked");
    for request in &keystone {
        let text = request.text();
        assert!(!text.contains(oidc_seed::CLIENT_SECRET), "{text}");
        assert!(!text.contains(oidc_seed::PASSWORD), "{text}");
        assert!(!text.contains("Basic "), "{text}");
    }
}

#[tokio::test]
async fn password_grant_discovers_logs_in_and_rescopes_to_the_project() {
    let cloud = cloud().await;
    assert_ne!(
        url::Url::parse(cloud.oidc().issuer()).unwrap().origin(),
        url::Url::parse(cloud.auth_url()).unwrap().origin(),
        "the provider is on another origin"
    );
    let s = session(password_plugin(&cloud));
    let access = s.access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    assert_eq!(access.user.as_ref().unwrap().id, seed::DEMO_USER_ID);
    assert!(
        access.role_names().contains(&"member"),
        "{:?}",
        access.roles
    );
    assert_eq!(cloud.count(DISCOVERY), 1);
    assert_eq!(cloud.count(IDP_TOKEN), 1);
    assert_eq!(cloud.count(FEDERATED), 1);
    assert_eq!(cloud.count(TOKENS), 1, "one rescope");
    // client_secret_basic at the provider, the password grant in the body
    let token_request = cloud
        .oidc()
        .received()
        .into_iter()
        .find(|r| r.path == "/oidc/token")
        .unwrap();
    let auth = token_request
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(auth.starts_with("Basic "), "{auth}");
    assert!(token_request.body.contains("grant_type=password"));
    assert!(!token_request.body.contains("client_secret"));
    // Keystone got the access token as a bearer
    let federated = cloud
        .received()
        .into_iter()
        .find(|r| r.path.contains("OS-FEDERATION"))
        .unwrap();
    assert!(
        federated
            .headers
            .iter()
            .any(|(n, v)| n == "authorization" && v.starts_with("Bearer idp-")),
        "{}",
        federated.text()
    );
    let scoped = access.token().expose_secret().to_owned();
    assert_nothing_crossed(&cloud, &[&scoped]);
}

#[tokio::test]
async fn client_credentials_with_an_explicit_token_endpoint_skips_discovery() {
    let cloud = cloud().await;
    let plugin = Oidc::client_credentials(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .access_token_endpoint(cloud.oidc().token_url())
    .scope(Scope::project_id(seed::DEMO_PROJECT_ID));
    let access = session(plugin).access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    assert_eq!(cloud.count(DISCOVERY), 0);
    assert_eq!(cloud.count(IDP_TOKEN), 1);
    assert!(
        cloud.oidc().received()[0]
            .body
            .contains("grant_type=client_credentials")
    );
    assert_nothing_crossed(&cloud, &[access.token().expose_secret()]);
}

#[tokio::test]
async fn without_a_scope_the_unscoped_federated_token_is_the_result() {
    let cloud = cloud().await;
    let plugin = Oidc::client_credentials(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url())
    .access_token_type(AccessTokenType::IdToken);
    let access = session(plugin).access_info().await.unwrap();
    assert!(access.project.is_none());
    assert_eq!(cloud.count(FEDERATED), 1);
    assert_eq!(cloud.count(TOKENS), 0);
}

/// A client credentials grant over a bare TCP connection.
async fn client_credentials_by_hand(cloud: &MockCloud) -> serde_json::Value {
    use base64::Engine;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = url::Url::parse(&cloud.oidc().token_url()).expect("the bare token request works");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        oidc_seed::CLIENT_ID,
        oidc_seed::CLIENT_SECRET
    ));
    let body = "grant_type=client_credentials&scope=openid";
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Basic {basic}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        url.path(),
        url.host_str().expect("the bare token request works"),
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect((
        url.host_str().expect("the bare token request works"),
        url.port().expect("the bare token request works"),
    ))
    .await
    .expect("the bare token request works");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the bare token request works");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .expect("the bare token request works");
    let text = String::from_utf8(response).expect("the bare token request works");
    let (_, json) = text
        .split_once("\r\n\r\n")
        .expect("the bare token request works");
    serde_json::from_str(json).expect("the bare token request works")
}

#[tokio::test]
async fn access_token_plugin_never_asks_the_provider() {
    let cloud = cloud().await;
    // a token obtained elsewhere (here: straight from the provider)
    let answer = client_credentials_by_hand(&cloud).await;
    let token = answer["access_token"].as_str().unwrap().to_owned();
    let before = cloud.oidc().received().len();
    let plugin = Oidc::access_token(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        token.clone(),
    )
    .scope(demo_scope());
    assert!(!format!("{plugin:?}").contains(&token));
    let access = session(plugin).access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    assert_eq!(cloud.oidc().received().len(), before);
    // an access token the provider never issued: Keystone's 401
    let forged = Oidc::access_token(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        "idp-forged-token",
    );
    let err = session(forged).access_info().await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED), "{err}");
}

#[tokio::test]
async fn authorization_code_grant_exchanges_the_code() {
    let cloud = cloud().await;
    let plugin = Oidc::authorization_code(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        oidc_seed::AUTHORIZATION_CODE,
        "http://localhost:8080/callback",
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url())
    .scope(demo_scope());
    let access = session(plugin).access_info().await.unwrap();
    assert_eq!(access.user.as_ref().unwrap().id, seed::DEMO_USER_ID);
    let wrong = Oidc::authorization_code(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        "some-other-code",
        "http://localhost:8080/callback",
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .access_token_endpoint(cloud.oidc().token_url());
    let err = session(wrong).access_info().await.unwrap_err();
    assert_eq!(oauth_error(&err), Some("invalid_grant"), "{err}");
}

fn device_cloud_config(decision: DeviceDecision) -> MockConfig {
    let mut config = MockConfig::default();
    config.oidc.device.interval_secs = 3;
    config.oidc.device.expires_in_secs = 30;
    config.oidc.device.pending_polls = 2;
    config.oidc.device.slow_down_at_poll = Some(2);
    config.oidc.device.decision = decision;
    config
}

fn device_plugin(cloud: &MockCloud, shown: Arc<Mutex<Vec<DeviceCode>>>) -> Oidc {
    Oidc::device_authorization(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::PUBLIC_CLIENT_ID,
    )
    .discovery_endpoint(cloud.oidc().discovery_url())
    .scope(demo_scope())
    .on_device_code(move |code| shown.lock().expect("not poisoned").push(code.clone()))
}

#[tokio::test]
async fn device_flow_polls_at_the_interval_and_slows_down_when_told() {
    let cloud = MockCloud::start(device_cloud_config(DeviceDecision::Approve))
        .await
        .unwrap();
    let shown = Arc::new(Mutex::new(Vec::new()));
    let (builder, sleeper) = builder(device_plugin(&cloud, shown.clone()));
    let access = builder.build().unwrap().access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    // poll 1 pending, wait 3; poll 2 slow_down, wait 3 + 5; poll 3 approved
    assert_eq!(
        sleeper.slept(),
        [Duration::from_secs(3), Duration::from_secs(8)]
    );
    assert_eq!(cloud.count(IDP_DEVICE), 1);
    assert_eq!(cloud.count(IDP_TOKEN), 3);
    let shown = shown.lock().unwrap();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].verification_uri.ends_with("/oidc/activate"));
    assert_eq!(shown[0].user_code.len(), 9);
    // the public client sends its id in the body, and no Authorization
    for request in cloud
        .oidc()
        .received()
        .iter()
        .filter(|r| r.method == "POST")
    {
        assert!(request.body.contains("client_id=nova-cli-public"));
        assert!(request.headers.iter().all(|(n, _)| n != "authorization"));
    }
    assert_nothing_crossed(&cloud, &[access.token().expose_secret()]);
}

#[tokio::test]
async fn device_flow_denied_is_a_typed_error() {
    let cloud = MockCloud::start(device_cloud_config(DeviceDecision::Deny))
        .await
        .unwrap();
    let (builder, _) = builder(device_plugin(&cloud, Arc::default()));
    let err = builder.build().unwrap().access_info().await.unwrap_err();
    assert!(
        matches!(&err, Error::Oidc(e) if matches!(**e, OidcError::DeviceAuthorizationDenied { .. })),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(cloud.count(FEDERATED), 0);
}

#[tokio::test]
async fn device_flow_never_approved_stops_when_the_code_expires() {
    let mut config = device_cloud_config(DeviceDecision::Never);
    config.oidc.device.expires_in_secs = 10;
    let cloud = MockCloud::start(config).await.unwrap();
    let (builder, sleeper) = builder(device_plugin(&cloud, Arc::default()));
    let err = builder.build().unwrap().access_info().await.unwrap_err();
    assert!(
        matches!(&err, Error::Oidc(e) if matches!(**e, OidcError::DeviceCodeExpired { .. })),
        "{err:?}"
    );
    // 10 s of lifetime: waits of 3 and 3 + 5 fit (11 > 10 stops before the third)
    let total: Duration = sleeper.slept().iter().sum();
    assert!(total <= Duration::from_secs(10), "{:?}", sleeper.slept());
    assert_eq!(cloud.count(IDP_TOKEN), 2);
}

fn oauth_error(err: &Error) -> Option<&str> {
    match err {
        Error::Oidc(e) => e.oauth_error(),
        _ => None,
    }
}

#[tokio::test]
async fn provider_refusals_carry_the_oauth_error_code() {
    let cloud = cloud().await;
    let wrong_password = Oidc::password(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        oidc_seed::USERNAME,
        "not-her-password",
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url());
    let err = session(wrong_password).access_info().await.unwrap_err();
    assert_eq!(oauth_error(&err), Some("invalid_grant"), "{err}");
    assert_eq!(err.status(), Some(http::StatusCode::BAD_REQUEST));
    assert_eq!(err.kind(), ErrorKind::Http);
    assert!(!err.to_string().contains("not-her-password"), "{err}");

    let wrong_secret = password_plugin(&cloud).client_secret("not-the-client-secret");
    let err = session(wrong_secret).access_info().await.unwrap_err();
    assert_eq!(oauth_error(&err), Some("invalid_client"), "{err}");
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert!(!format!("{err} {err:?}").contains("not-the-client-secret"));
    assert_eq!(cloud.count(FEDERATED), 0, "Keystone never asked");
}

#[tokio::test]
async fn an_unreachable_provider_is_a_typed_error() {
    let cloud = cloud().await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let plugin = password_plugin(&cloud)
        .discovery_endpoint(format!("http://{closed}/.well-known/openid-configuration"));
    let err = session(plugin).access_info().await.unwrap_err();
    assert!(
        matches!(&err, Error::Oidc(e) if matches!(**e, OidcError::Unreachable { .. })),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Connect);
    assert!(!err.may_have_reached_server());
    assert_eq!(cloud.count(FEDERATED), 0);
}

#[tokio::test]
async fn a_bad_discovery_document_is_a_typed_error() {
    let cloud = cloud().await;
    cloud
        .control()
        .add_fault(Fault::corrupt_body(DISCOVERY).always());
    let err = session(password_plugin(&cloud))
        .access_info()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Oidc(e) if matches!(**e, OidcError::InvalidDiscovery { .. })),
        "{err:?}"
    );
    cloud.control().clear_faults();
    cloud.control().add_fault(
        Fault::respond(
            DISCOVERY,
            200,
            Some("application/json"),
            br#"{"issuer": "x", "grant_types_supported": ["client_credentials"]}"#.to_vec(),
        )
        .always(),
    );
    let err = session(password_plugin(&cloud))
        .access_info()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Oidc(e) if matches!(**e, OidcError::GrantNotSupported { grant: "password", .. })),
        "{err:?}"
    );
    cloud.control().clear_faults();
    cloud.control().add_fault(
        Fault::respond(DISCOVERY, 200, Some("application/json"), b"{}".to_vec()).always(),
    );
    let err = session(password_plugin(&cloud))
        .access_info()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Oidc(e) if matches!(**e, OidcError::EndpointNotConfigured { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("access_token_endpoint"), "{err}");
    assert_eq!(cloud.count(IDP_TOKEN), 0);
}

#[tokio::test]
async fn an_unmapped_user_gets_keystones_401_and_a_wrong_idp_its_404() {
    let mut config = MockConfig::default();
    config.oidc.users[0].groups.clear();
    let cloud = MockCloud::start(config).await.unwrap();
    let err = session(password_plugin(&cloud))
        .access_info()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED), "{err}");
    assert_eq!(cloud.count(FEDERATED), 1);
    assert_eq!(cloud.count(TOKENS), 0);
    let other = Oidc::password(
        cloud.auth_url(),
        "no-such-idp",
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        oidc_seed::USERNAME,
        oidc_seed::PASSWORD,
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url());
    let err = session(other).access_info().await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND), "{err}");
}

#[tokio::test]
async fn cloud_config_builds_the_plugin_from_os_variables() {
    let cloud = cloud().await;
    let env: std::collections::HashMap<String, String> = [
        ("OS_AUTH_URL", cloud.auth_url().to_owned()),
        ("OS_AUTH_TYPE", "v3oidcpassword".into()),
        ("OS_IDENTITY_PROVIDER", oidc_seed::IDENTITY_PROVIDER.into()),
        ("OS_PROTOCOL", oidc_seed::PROTOCOL.into()),
        ("OS_CLIENT_ID", oidc_seed::CLIENT_ID.into()),
        ("OS_CLIENT_SECRET", oidc_seed::CLIENT_SECRET.into()),
        ("OS_DISCOVERY_ENDPOINT", cloud.oidc().discovery_url()),
        ("OS_OPENID_SCOPE", "openid profile groups".into()),
        ("OS_USERNAME", oidc_seed::USERNAME.into()),
        ("OS_PASSWORD", oidc_seed::PASSWORD.into()),
        ("OS_PROJECT_NAME", "demo".into()),
        ("OS_PROJECT_DOMAIN_NAME", "Default".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let config = keystone_auth::CloudConfig::from_env_map(&env);
    let s: Session = config.session_builder().unwrap().build().unwrap();
    let access = s.access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    let token_request = cloud
        .oidc()
        .received()
        .into_iter()
        .find(|r| r.path == "/oidc/token")
        .unwrap();
    assert!(
        token_request.body.contains("scope=openid+profile+groups"),
        "{}",
        token_request.body
    );
}
