//! Issue 19 over real HTTP: a scripted hostile Keystone/Nova on loopback
//! ([`integration_tests::hostile`]) and what the library does with it. Each test names the
//! class of the issue it reproduces.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;
use integration_tests::hostile::{HostileServer, Reply, TOKEN, server_json, token_reply};
use keystone_auth::clock::RecordingSleeper;
use keystone_auth::{
    Adapter, DomainRef, EndpointFilter, Password, RetryPolicy, Session, SessionBuilder, TlsFailure,
    UserRef,
};
use mock_cloud::MockConfig;
use nova_core::compute::ComputeClient;
use nova_core::types::{CreateServer, Networks, ServerQuery};
use nova_core::{Client, Connection, MicroVersion};

use crate::fault_matrix::error_chain;
use crate::reliability_support::Rig;

/// The password every session here authenticates with.
const PASSWORD: &str = "hostile-Pa55word-7f3e9c";
/// The bound on a test that must not hang (far above every configured timeout).
const NO_HANG: Duration = Duration::from_secs(60);

fn builder(auth_url: &str) -> SessionBuilder {
    let plugin = Password::new(
        auth_url,
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        PASSWORD,
    );
    Session::builder(plugin)
        .sleeper(Arc::new(RecordingSleeper::new()))
        .retry_policy(RetryPolicy::default())
}

fn compute(session: Session) -> Box<dyn ComputeClient> {
    let adapter = Adapter::new(session, EndpointFilter::new("compute"));
    Client::new("2.60", Arc::new(adapter)).expect("2.60 is a valid version")
}

/// Display, Debug and every source of an error: all a user or a log can see.
fn everything<E: std::error::Error + 'static>(error: &E) -> String {
    format!("{} {error:?}", error_chain(error))
}

// Class 1: secrets echoed by the server are masked by value.
#[tokio::test]
async fn class1_secrets_echoed_by_keystone_or_nova_never_reach_an_error() {
    let keystone = HostileServer::start(|_, _| {
        Reply::json(
            401,
            &serde_json::json!({"error": {"code": 401, "title": "Unauthorized",
                "message": format!("wrong password {PASSWORD} for demo")}}),
        )
    })
    .await;
    let error = builder(&keystone.auth_url())
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("401");
    let text = everything(&error);
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(
        keystone.requests()[0]
            .body
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes()),
        "the password was really sent (the test can fail)"
    );

    let nova = HostileServer::cloud(|_, _| {
        Reply::json(
            400,
            &serde_json::json!({"badRequest": {"code": 400,
                "message": format!("your token {TOKEN} is not welcome")}}),
        )
    })
    .await;
    let error = compute(builder(&nova.auth_url()).build().expect("session"))
        .servers()
        .get("x")
        .await
        .expect_err("400");
    let text = everything(&error);
    assert!(text.contains("is not welcome"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");

    // A password in the auth URL's userinfo.
    let url = keystone
        .auth_url()
        .replace("http://", "http://demo:url-Secret-42@");
    let error = builder(&url)
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("401");
    let text = everything(&error);
    assert!(!text.contains("url-Secret-42"), "{text}");
}

// Class 3: a stalled server, a drip-fed body and a huge Retry-After end within the bounds.
#[tokio::test]
async fn class3_stall_drip_and_retry_after_end_with_a_timeout() {
    let stall = HostileServer::cloud(|_, _| Reply::Stall).await;
    let session = builder(&stall.auth_url())
        .read_timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("session");
    let error = tokio::time::timeout(NO_HANG, compute(session).servers().get("x"))
        .await
        .expect("a stalled server does not hang the client")
        .expect_err("timeout");
    let text = error_chain(&error).to_lowercase();
    assert!(
        text.contains("timed out") || text.contains("timeout"),
        "{text}"
    );

    let drip = HostileServer::cloud(|_, _| Reply::Drip {
        declared: 100_000,
        every: Duration::from_millis(100),
    })
    .await;
    let session = builder(&drip.auth_url())
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("session");
    let error = tokio::time::timeout(NO_HANG, compute(session).servers().get("x"))
        .await
        .expect("a drip-fed body does not outlast the request deadline")
        .expect_err("timeout");
    let text = error_chain(&error).to_lowercase();
    assert!(
        text.contains("timed out") || text.contains("timeout"),
        "{text}"
    );

    let busy = HostileServer::cloud(|_, _| {
        Reply::json(503, &serde_json::json!({})).header("retry-after", "100000")
    })
    .await;
    // The real sleeper: the wait must be cut by the deadline, not slept.
    let session = builder(&busy.auth_url())
        .sleeper(Arc::new(keystone_auth::clock::TokioSleeper))
        .timeout(Duration::from_secs(2))
        .build()
        .expect("session");
    let result = tokio::time::timeout(NO_HANG, compute(session).servers().get("x"))
        .await
        .expect("Retry-After is counted against the deadline");
    assert!(result.is_err(), "503 is an error");
    assert_eq!(
        busy.count("GET", "/compute/v2.1/servers/x"),
        1,
        "not re-sent"
    );
}

// Class 4: devices and big files are refused before reading.
#[tokio::test]
async fn class4_a_device_or_a_huge_ca_file_is_refused_unread() {
    let error = builder("http://127.0.0.1:9/v3")
        .ca_file("/dev/zero")
        .build()
        .expect_err("/dev/zero is not a CA file");
    assert!(
        matches!(error, keystone_auth::Error::NotARegularFile { .. }),
        "{error:?}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'A'; 2 * 1024 * 1024]).expect("write");
    let error = builder("http://127.0.0.1:9/v3")
        .ca_file(&big)
        .build()
        .expect_err("2 MiB CA file");
    assert!(
        matches!(error, keystone_auth::Error::FileTooLarge { .. }),
        "{error:?}"
    );
}

/// A self-signed certificate with CA:TRUE for `names`, as `openssl req -x509` makes it:
/// (directory guard, certificate path, key path).
fn self_signed_ca(names: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
            .expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = params.self_signed(&key).expect("certificate");
    let dir = tempfile::tempdir().expect("temp dir");
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.pem()).expect("write cert");
    std::fs::write(&key_path, key.serialize_pem()).expect("write key");
    (dir, cert_path, key_path)
}

/// The TLS failure kind anywhere in a compute error's chain.
fn tls_kind(error: &(dyn std::error::Error + 'static)) -> Option<TlsFailure> {
    let mut node = Some(error);
    while let Some(current) = node {
        if let Some(keystone_auth::Error::Tls { kind, .. }) =
            current.downcast_ref::<keystone_auth::Error>()
        {
            return Some(*kind);
        }
        node = current.source();
    }
    None
}

// Class 5: the usual self-signed CA:TRUE certificate works as the CA file; failures are typed.
#[tokio::test]
async fn class5_a_self_signed_ca_certificate_works_and_tls_failures_are_typed() {
    let (_dir, cert, key) = self_signed_ca(&["127.0.0.1", "localhost"]);
    let Some(rig) = Rig::start_with(MockConfig::default().tls(&cert, &key)).await else {
        return;
    };
    let compute = rig.compute_over(
        rig.session_builder()
            .ca_file(&cert)
            .build()
            .expect("session with the CA file"),
    );
    compute
        .servers()
        .list(&ServerQuery::default())
        .await
        .expect("the self-signed CA:TRUE certificate is accepted as pinned");

    let error = rig
        .session_builder()
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("unknown issuer without the CA file");
    assert_eq!(
        tls_kind(&error),
        Some(TlsFailure::UnknownIssuer),
        "{error:?}"
    );

    // The same kind of certificate for another name: pinned bytes are not enough.
    drop(rig);
    let (_d3, wrong_cert, wrong_key) = self_signed_ca(&["elsewhere.invalid"]);
    let Some(rig) = Rig::start_with(MockConfig::default().tls(&wrong_cert, &wrong_key)).await
    else {
        return;
    };
    let error = rig
        .session_builder()
        .ca_file(&wrong_cert)
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("a pinned certificate for another host name");
    assert_eq!(
        tls_kind(&error),
        Some(TlsFailure::HostnameMismatch),
        "{error:?}"
    );
}

// Class 6: a 307 of POST /servers to another origin is refused; nothing reaches it.
#[tokio::test]
async fn class6_a_cross_origin_307_of_a_create_sends_no_byte_there() {
    let elsewhere = HostileServer::start(|_, _| Reply::json(202, &serde_json::json!({}))).await;
    let target = format!("{}/compute/v2.1/servers", elsewhere.url());
    let cloud = HostileServer::cloud(move |request, _| {
        if request.method == "POST" {
            Reply::Full {
                status: 307,
                headers: vec![("location".into(), target.clone())],
                body: Vec::new(),
            }
        } else {
            Reply::json(404, &serde_json::json!({}))
        }
    })
    .await;
    let request = CreateServer::new("victim", "1")
        .image("70a599e0-31e7-49b7-b260-868f441e862b")
        .networks(Networks::None)
        .admin_pass("admin-Pass-hostile-1");
    let error = compute(builder(&cloud.auth_url()).build().expect("session"))
        .servers()
        .create(&request)
        .await
        .expect_err("the cross-origin redirect is refused");
    let text = everything(&error);
    assert!(text.contains("another origin"), "{text}");
    assert!(!text.contains("admin-Pass-hostile-1"), "{text}");
    assert_eq!(cloud.count("POST", "/compute/v2.1/servers"), 1, "sent once");
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );
}

// Class 7: protocol oddities give typed errors.
#[tokio::test]
async fn class7_empty_token_expired_token_and_undecodable_create_are_typed() {
    let empty = HostileServer::start(|_, base| token_reply(base, "", None)).await;
    let error = builder(&empty.auth_url())
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("an empty X-Subject-Token");
    assert!(
        matches!(error, keystone_auth::Error::InvalidTokenResponse { .. }),
        "{error:?}"
    );

    let expired =
        HostileServer::start(|_, base| token_reply(base, TOKEN, Some(chrono::Duration::hours(-1))))
            .await;
    let error = builder(&expired.auth_url())
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("a token expired on arrival");
    assert!(
        matches!(error, keystone_auth::Error::TokenExpiredOnArrival { .. }),
        "{error:?}"
    );
    assert_eq!(expired.count("POST", "/identity/v3/auth/tokens"), 1);

    let undecodable = HostileServer::cloud(|_, _| Reply::Full {
        status: 202,
        headers: vec![("x-openstack-request-id".into(), "req-hostile-1".into())],
        body: b"{\"server\": [not json".to_vec(),
    })
    .await;
    let request = CreateServer::new("maybe", "1")
        .image("70a599e0-31e7-49b7-b260-868f441e862b")
        .networks(Networks::None);
    let error = compute(builder(&undecodable.auth_url()).build().expect("session"))
        .servers()
        .create(&request)
        .await
        .expect_err("undecodable 202");
    match &error {
        nova_core::Error::MayHaveBeenCreated { request_id, .. } => {
            assert_eq!(request_id.as_deref(), Some("req-hostile-1"));
        }
        other => panic!("expected MayHaveBeenCreated, got {other:?}"),
    }
}

/// A cloud whose every page holds `per_page` new servers and links to another page; the
/// counter says how many pages were asked for.
async fn endless_pages(per_page: usize) -> (HostileServer, Arc<AtomicUsize>) {
    let page = Arc::new(AtomicUsize::new(0));
    let served = Arc::clone(&page);
    let server = HostileServer::cloud(move |_, base| {
        let n = served.fetch_add(1, Ordering::SeqCst);
        let servers: Vec<_> = (0..per_page)
            .map(|i| server_json(&format!("00000000-0000-0000-{n:04}-{i:012}"), "page"))
            .collect();
        let last = format!("00000000-0000-0000-{n:04}-{:012}", per_page - 1);
        Reply::json(
            200,
            &serde_json::json!({
                "servers": servers,
                "servers_links": [{"rel": "next",
                    "href": format!("{base}/compute/v2.1/servers/detail?marker={last}")}]
            }),
        )
    })
    .await;
    (server, page)
}

/// Drains `stream` (bounded by [`NO_HANG`]): the servers yielded and the error it ended with.
async fn drain(mut stream: nova_core::compute::ServerStream) -> (usize, Option<nova_core::Error>) {
    let mut items = 0;
    loop {
        match tokio::time::timeout(NO_HANG, stream.next())
            .await
            .expect("the stream ends")
        {
            Some(Ok(_)) => items += 1,
            Some(Err(e)) => return (items, Some(e)),
            None => return (items, None),
        }
    }
}

fn server_manager(server: &HostileServer) -> nova_v2::ServerManager {
    let adapter = Adapter::new(
        builder(&server.auth_url()).build().expect("session"),
        EndpointFilter::new("compute"),
    );
    nova_v2::ServerManager::new(Connection::new(Arc::new(adapter), MicroVersion::new(2, 60)))
}

// Class 7: a server that never ends its pages is stopped by the page bound or the item
// bound, whichever comes first, with a typed error and no request past it.
#[tokio::test]
async fn class7_endless_pages_stop_at_the_page_or_the_item_bound() {
    let (endless, pages) = endless_pages(1).await;
    let bound = nova_v2::ListingBound::default().pages(5);
    let (items, last) =
        drain(server_manager(&endless).stream_within(ServerQuery::default(), bound)).await;
    assert!(
        matches!(last, Some(nova_core::Error::TooManyPages { limit: 5 })),
        "{last:?}"
    );
    assert_eq!(items, 5);
    assert_eq!(pages.load(Ordering::SeqCst), 5, "no request past the bound");

    // Long pages: the item bound ends the listing long before the page bound.
    let (endless, pages) = endless_pages(40).await;
    let bound = nova_v2::ListingBound::default().items(100);
    let (items, last) =
        drain(server_manager(&endless).stream_within(ServerQuery::default(), bound)).await;
    assert!(
        matches!(last, Some(nova_core::Error::TooManyItems { limit: 100 })),
        "{last:?}"
    );
    assert_eq!(items, 100, "exactly the bound's items, then the error");
    assert_eq!(
        pages.load(Ordering::SeqCst),
        3,
        "no page past the one holding item 101"
    );
    let text = everything(&last.expect("an error"));
    assert!(text.contains("100 items"), "{text}");
}

// Class 8: a DELETE whose connection drops is re-sent; its 404 is success.
#[tokio::test]
async fn class8_a_resent_delete_answered_404_is_success() {
    let deletes = Arc::new(AtomicUsize::new(0));
    let cloud = {
        let deletes = Arc::clone(&deletes);
        HostileServer::cloud(move |request, _| {
            if request.method != "DELETE" {
                return Reply::json(404, &serde_json::json!({}));
            }
            if deletes.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::Close
            } else {
                Reply::json(
                    404,
                    &serde_json::json!({"itemNotFound": {"code": 404,
                        "message": "Instance x could not be found."}}),
                )
            }
        })
        .await
    };
    compute(builder(&cloud.auth_url()).build().expect("session"))
        .servers()
        .delete("x")
        .await
        .expect("the first DELETE took effect; the 404 of its re-send is success");
    assert_eq!(deletes.load(Ordering::SeqCst), 2, "re-sent once");

    // Not re-sent: a 404 to the first DELETE is still NotFound.
    let gone = HostileServer::cloud(|_, _| {
        Reply::json(
            404,
            &serde_json::json!({"itemNotFound": {"code": 404, "message": "no"}}),
        )
    })
    .await;
    let error = compute(builder(&gone.auth_url()).build().expect("session"))
        .servers()
        .delete("x")
        .await
        .expect_err("a plain 404");
    assert!(matches!(error, nova_core::Error::NotFound(_)), "{error:?}");
}
