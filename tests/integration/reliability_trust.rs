//! The token never leaves the auth URL's and the catalog's origins: an
//! absolute `next` URL or a redirect to another origin is followed without
//! it, and nova-v2's pagination never follows a `next` link off its endpoint.
//! TLS is verified by default; a CA file or insecure mode (with a warning)
//! let a self-signed certificate through.

use std::sync::{Arc, Mutex};

use keystone_auth::{HeaderMap, Method};
use mock_cloud::{Fault, MockCloud, MockConfig};
use nova_core::types::ServerQuery;
use secrecy::ExposeSecret;

use crate::reliability_support::{LIST, Rig};

/// A second cloud on another port: another origin, recording what reaches it.
async fn elsewhere() -> MockCloud {
    MockCloud::start(MockConfig::default())
        .await
        .expect("second mock starts")
}

#[tokio::test]
async fn an_absolute_next_url_to_another_origin_gets_no_token() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let other = elsewhere().await;
    let session = rig.session();
    let token = session
        .access_info()
        .await
        .expect("auth")
        .token()
        .expose_secret()
        .to_string();
    let adapter = rig.adapter(session);
    // Same origin as the catalog endpoint: the token goes.
    let here = format!("{}/_mock/echo/here", rig.powers_url());
    adapter
        .send(Method::GET, &here, HeaderMap::new(), None)
        .await
        .expect("echo");
    // Another origin: followed, without the token.
    let there = format!("{}/_mock/echo/servers/detail?marker=x", other.url());
    let response = adapter
        .send(Method::GET, &there, HeaderMap::new(), None)
        .await
        .expect("echo elsewhere");
    assert_eq!(response.status.as_u16(), 200);
    let seen = other.control().echo_log();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0].header("x-auth-token"),
        None,
        "the token went to another origin"
    );
    assert!(
        !format!("{:?}", seen[0].headers).contains(&token),
        "the token appears in a header sent elsewhere"
    );
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_followed_without_the_token() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let other = elsewhere().await;
    let adapter = rig.adapter(rig.session());
    for status in [301u16, 302, 307, 308] {
        other.control().clear_echo_log();
        let target = format!("{}/_mock/echo/landed", other.url());
        let url = format!(
            "{}/_mock/redirect?status={status}&to={}",
            rig.powers_url(),
            percent_encode(&target)
        );
        let response = adapter
            .send(Method::GET, &url, HeaderMap::new(), None)
            .await
            .expect("redirect followed");
        assert_eq!(response.status.as_u16(), 200, "{status}");
        let seen = other.control().echo_log();
        assert_eq!(seen.len(), 1, "{status}: {seen:?}");
        assert_eq!(
            seen[0].header("x-auth-token"),
            None,
            "{status}: the token followed the redirect to another origin"
        );
    }
    // A token request (credentials in the body) is not redirected elsewhere at all.
    let other_auth = format!("{}/identity/v3", other.url());
    let redirecting_auth = format!(
        "{}/_mock/redirect?status=307&to={}",
        rig.powers_url(),
        percent_encode(&other_auth)
    );
    let plugin = keystone_auth::Password::new(
        redirecting_auth.as_str(),
        keystone_auth::UserRef::name_in_domain("demo", keystone_auth::DomainRef::name("Default")),
        mock_cloud::seed::DEMO_PASSWORD,
    );
    let session = keystone_auth::Session::builder(plugin)
        .build()
        .expect("session");
    let error = session
        .access_info()
        .await
        .expect_err("credentials are not sent to another origin");
    assert!(
        !format!("{error} {error:?}").contains(mock_cloud::seed::DEMO_PASSWORD),
        "{error:?}"
    );
    assert_eq!(
        other.count("POST /identity/v3/auth/tokens"),
        0,
        "the password reached another origin"
    );
}

#[tokio::test]
async fn pagination_never_follows_a_next_link_off_the_endpoint() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let other = elsewhere().await;
    let id = rig.seed_server("page-one").await;
    let next = format!(
        "{}/compute/v2.1/servers/detail?limit=1&marker={id}",
        other.url()
    );
    let page = serde_json::json!({
        "servers": [{"id": id, "name": "page-one", "status": "ACTIVE"}],
        "servers_links": [{"rel": "next", "href": next}],
    });
    rig.powers
        .add(Fault::respond(
            LIST,
            200,
            Some("application/json"),
            page.to_string(),
        ))
        .await;
    let compute = rig.compute();
    let mut stream = compute.servers().list_all(ServerQuery::default());
    let mut seen = Vec::new();
    use futures::StreamExt;
    while let Some(server) = stream.next().await {
        seen.push(server.expect("listing").id);
        assert!(seen.len() < 100, "pagination is bounded");
    }
    assert!(seen.contains(&id), "{seen:?}");
    let other_counts = other.counts();
    assert!(
        other_counts.is_empty(),
        "a request went to the other origin: {other_counts:?}"
    );
}

impl Rig {
    /// The mock's base URL (`http://127.0.0.1:PORT`).
    fn powers_url(&self) -> String {
        self.cloud.mock().expect("mock").url().to_string()
    }
}

/// Percent-encodes a URL for a query value.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Log lines captured by a test subscriber.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("capture lock")).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Captures every event at trace level on this thread until the guard drops
/// (tests using it run on a current-thread runtime, so every task's logs,
/// the in-process mock's included, are captured).
pub fn capture_trace() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

/// A self-signed certificate for 127.0.0.1 and localhost, written as PEM
/// files: (directory guard, certificate path, key path).
fn self_signed() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("certificate generated");
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).expect("write cert");
    std::fs::write(&key, certified.key_pair.serialize_pem()).expect("write key");
    (dir, cert, key)
}

#[tokio::test]
async fn tls_is_verified_by_default_and_a_ca_file_or_insecure_mode_opens_it() {
    let (_dir, cert, key) = self_signed();
    let Some(rig) = Rig::start_with(MockConfig::default().tls(&cert, &key)).await else {
        return;
    };
    let auth_url = rig.cloud.config().auth.auth_url.clone();
    assert!(
        auth_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        "{auth_url:?}"
    );

    // Default: the self-signed certificate is refused, nothing authenticates.
    let error = rig
        .session_builder()
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("an unknown certificate authority is refused");
    let chain = crate::fault_matrix::error_chain(&error);
    assert!(!error.may_have_reached_server(), "{chain}");
    assert!(
        chain.to_lowercase().contains("certificate") || chain.contains("connect"),
        "{chain}"
    );

    // With the CA file: verified, works end to end.
    let session = rig
        .session_builder()
        .ca_file(&cert)
        .build()
        .expect("session with the CA file");
    let compute = rig.compute_over(session);
    compute
        .servers()
        .list(&ServerQuery::default())
        .await
        .expect("HTTPS with the CA file");

    // Insecure: works, and says so.
    let (captured, guard) = capture_trace();
    let session = rig
        .session_builder()
        .insecure(true)
        .build()
        .expect("insecure session");
    drop(guard);
    let compute = rig.compute_over(session);
    compute
        .servers()
        .list(&ServerQuery::default())
        .await
        .expect("HTTPS without verification");
    let logs = captured.text();
    assert!(
        logs.contains("WARN") && logs.contains("verification is disabled"),
        "insecure mode warns: {logs}"
    );
}
