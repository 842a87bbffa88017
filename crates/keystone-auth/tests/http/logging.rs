//! A full run with TRACE logging captured: no password, token or secret
//! appears in the output.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use http::{HeaderMap, Method};
use keystone_auth::{Adapter, ApplicationCredential, EndpointFilter, Token};
use mock_cloud::{Fault, seed};
use secrecy::ExposeSecret;
use tracing_subscriber::fmt::MakeWriter;

use super::support::{FLAVORS, cloud, demo_password, session};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs (once) a process-wide TRACE subscriber writing into a buffer.
/// Global rather than thread-scoped so events from every runtime thread and
/// every callsite are captured; other tests running meanwhile add their own
/// (also secret-free) lines.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(capture.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        capture
    })
}

#[tokio::test]
async fn trace_output_of_a_full_run_has_no_secrets() {
    let capture = capture();

    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let compute = Adapter::new(s.clone(), EndpointFilter::new("compute"));
    let mut tokens = Vec::new();
    // authenticate, list, retry after a 503, re-auth after revocation
    cloud.control().add_fault(Fault::status(FLAVORS, 503));
    compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap();
    tokens.push(
        s.access_info()
            .await
            .unwrap()
            .token()
            .expose_secret()
            .to_owned(),
    );
    cloud.control().revoke_all_tokens();
    compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap();
    tokens.push(
        s.access_info()
            .await
            .unwrap()
            .token()
            .expose_secret()
            .to_owned(),
    );
    // a POST with a body, and a server create carrying adminPass
    let mut json = HeaderMap::new();
    json.insert("content-type", "application/json".parse().unwrap());
    compute
        .send(
            Method::POST,
            "os-keypairs",
            json.clone(),
            Some(Bytes::from_static(br#"{"keypair": {"name": "logged"}}"#)),
        )
        .await
        .unwrap();
    compute
        .send(
            Method::POST,
            "servers",
            json,
            Some(Bytes::from_static(
                br#"{"server": {"name": "s", "flavorRef": "1", "imageRef": "x", "adminPass": "root-pass-123"}}"#,
            )),
        )
        .await
        .unwrap();
    // token and application credential plugins
    let rescoped = session(Token::new(cloud.auth_url(), tokens[1].clone()));
    tokens.push(
        rescoped
            .access_info()
            .await
            .unwrap()
            .token()
            .expose_secret()
            .to_owned(),
    );
    let appcred = session(ApplicationCredential::by_id(
        cloud.auth_url(),
        seed::DEMO_APPCRED_ID,
        seed::DEMO_APPCRED_SECRET,
    ));
    tokens.push(
        appcred
            .access_info()
            .await
            .unwrap()
            .token()
            .expose_secret()
            .to_owned(),
    );
    // errors are logged too
    let bad = session(keystone_auth::Password::new(
        cloud.auth_url(),
        keystone_auth::UserRef::id(seed::DEMO_USER_ID),
        "wrong-secret-pw",
    ));
    let err = bad.access_info().await.unwrap_err();
    tracing::error!("{err} / {err:?}");
    tracing::debug!("{s:?} {compute:?}");

    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("REQ: curl -g -i -X POST"), "logging happened");
    assert!(text.contains("{SHA256}"), "tokens are logged hashed");
    assert!(text.contains("RESP: [201]"));
    assert!(
        text.contains("\"password\":\"***\""),
        "passwords are masked in bodies"
    );
    let mut secrets: Vec<String> = vec![
        seed::DEMO_PASSWORD.into(),
        seed::DEMO_APPCRED_SECRET.into(),
        "root-pass-123".into(),
        "wrong-secret-pw".into(),
    ];
    secrets.extend(tokens.iter().cloned());
    for secret in &secrets {
        assert!(!secret.is_empty());
        assert!(
            !text.contains(secret.as_str()),
            "secret {secret:?} leaked into the log"
        );
    }
}

#[tokio::test]
async fn trace_output_of_oidc_logins_has_no_provider_or_keystone_secrets() {
    use keystone_auth::Oidc;
    use mock_cloud::oidc::oidc_seed;
    let capture = capture();
    let mut config = mock_cloud::MockConfig::default();
    config.oidc.device.pending_polls = 1;
    let cloud = mock_cloud::MockCloud::start(config).await.unwrap();
    let scope = keystone_auth::Scope::project_id(seed::DEMO_PROJECT_ID);
    let password = Oidc::password(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        oidc_seed::USERNAME,
        oidc_seed::PASSWORD,
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url())
    .scope(scope.clone());
    let device = Oidc::device_authorization(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
    )
    .client_secret(oidc_seed::CLIENT_SECRET)
    .discovery_endpoint(cloud.oidc().discovery_url())
    .scope(scope);
    let mut tokens = Vec::new();
    for plugin in [password, device] {
        let s = session(plugin);
        let access = s.access_info().await.unwrap();
        tokens.push(access.token().expose_secret().to_owned());
        tracing::debug!("{s:?} {access:?}");
    }
    let wrong = Oidc::password(
        cloud.auth_url(),
        oidc_seed::IDENTITY_PROVIDER,
        oidc_seed::PROTOCOL,
        oidc_seed::CLIENT_ID,
        oidc_seed::USERNAME,
        "wrong-idp-password",
    )
    .client_secret("wrong-client-secret")
    .access_token_endpoint(cloud.oidc().token_url());
    let err = session(wrong).access_info().await.unwrap_err();
    tracing::error!("{err} / {err:?}");
    // what the provider issued and what the client sent it, as the provider recorded it
    let mut secrets: Vec<String> = vec![
        oidc_seed::PASSWORD.into(),
        oidc_seed::CLIENT_SECRET.into(),
        "wrong-idp-password".into(),
        "wrong-client-secret".into(),
    ];
    for request in cloud.received() {
        if let Some((_, bearer)) = request
            .headers
            .iter()
            .find(|(n, v)| n == "authorization" && v.starts_with("Bearer "))
        {
            secrets.push(bearer.trim_start_matches("Bearer ").to_owned());
        }
    }
    for request in cloud.oidc().received() {
        for pair in request.body.split('&') {
            if let Some(code) = pair.strip_prefix("device_code=") {
                secrets.push(code.to_owned());
            }
        }
    }
    assert!(
        secrets.len() >= 7,
        "bearers and the device code were found: {secrets:?}"
    );
    secrets.extend(tokens);
    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("/oidc/token"),
        "the provider exchange was logged"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "secret {secret:?} leaked into the log"
        );
    }
}
