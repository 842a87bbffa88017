use std::sync::Arc;

use http::{HeaderMap, HeaderValue, Method, StatusCode};

use super::*;
use crate::error::BodyKind;
use crate::test_support::{FakeTransport, echo, fake_nova, json};
use crate::transport::TransportError;

fn v(major: u16, minor: u16) -> MicroVersion {
    MicroVersion::new(major, minor)
}

fn fixed(status: u16, body: &'static str, echoed: Option<&'static str>) -> Arc<FakeTransport> {
    FakeTransport::new("http://nova.test/compute/v2.1", move |_| {
        let r = json(status, body);
        Ok(match echoed {
            Some(e) => echo(r, e),
            None => r,
        })
    })
}

#[tokio::test]
async fn both_microversion_headers_on_every_request() {
    let nova = fake_nova(v(2, 1), v(2, 104));
    let conn = Connection::new(nova.clone(), v(2, 60));
    let r = conn.get::<serde_json::Value>("servers").await;
    let r = r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, v(2, 60));
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.request_id.as_deref(),
        Some("req-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
    );
    assert_eq!(r.value, serde_json::json!({"servers": []}));
    let _ = conn
        .post_raw("servers", &serde_json::json!({"server": {}}))
        .await;
    let _ = conn.delete("servers/x").await;
    let sent = nova.requests();
    assert_eq!(sent.len(), 3);
    for req in &sent {
        assert_eq!(
            req.headers
                .get("openstack-api-version")
                .map(|h| h.as_bytes()),
            Some(&b"compute 2.60"[..])
        );
        assert_eq!(
            req.headers
                .get("x-openstack-nova-api-version")
                .map(|h| h.as_bytes()),
            Some(&b"2.60"[..])
        );
        assert_eq!(
            req.headers.get("accept").map(|h| h.as_bytes()),
            Some(&b"application/json"[..])
        );
    }
    assert_eq!(sent[1].method, Method::POST);
    assert_eq!(
        sent[1].headers.get("content-type").map(|h| h.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(sent[1].body.as_deref(), Some(&br#"{"server":{}}"#[..]));
    assert!(sent[0].headers.get("content-type").is_none());
}

#[tokio::test]
async fn major_only_versions_send_no_header() {
    let nova = fake_nova(v(2, 1), v(2, 104));
    let conn = Connection::new(nova.clone(), v(2, 0));
    let r = conn
        .get::<serde_json::Value>("servers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Nova answered at its default, 2.1, and the response says so.
    assert_eq!(r.microversion, v(2, 1));
    let sent = nova.requests();
    assert!(sent[0].headers.get("openstack-api-version").is_none());
    assert!(
        sent[0]
            .headers
            .get("x-openstack-nova-api-version")
            .is_none()
    );
}

#[tokio::test]
async fn echo_mismatch_is_an_error_by_default_and_a_warning_when_asked() {
    let t = fixed(200, r#"{"servers": []}"#, Some("2.1"));
    let conn = Connection::new(t.clone(), v(2, 60));
    match conn.get::<serde_json::Value>("servers").await {
        Err(Error::MicroversionMismatch { sent, received }) => {
            assert_eq!((sent, received.as_str()), (v(2, 60), "2.1"));
        }
        other => panic!("{other:?}"),
    }
    let warn = conn.clone().with_mismatch_policy(MismatchPolicy::Warn);
    let r = warn
        .get::<serde_json::Value>("servers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.microversion,
        v(2, 1),
        "labelled with what the server used"
    );
}

#[tokio::test]
async fn standard_echo_wins_over_legacy() {
    let t = FakeTransport::new("http://nova.test/compute/v2.1", |_| {
        let mut r = json(200, "{}");
        r.headers.insert(
            OPENSTACK_API_VERSION,
            HeaderValue::from_static("identity 3.0, compute 2.60"),
        );
        r.headers
            .insert(NOVA_API_VERSION, HeaderValue::from_static("2.1"));
        Ok(r)
    });
    let conn = Connection::new(t, v(2, 60));
    let r = conn
        .get::<serde_json::Value>("x")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, v(2, 60));
}

#[tokio::test]
async fn absent_echo_is_accepted_as_the_version_sent() {
    let conn = Connection::new(fixed(200, "{}", None), v(2, 60));
    let r = conn
        .get::<serde_json::Value>("x")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, v(2, 60));
}

#[tokio::test]
async fn errors_map_to_variants_with_fault_details() {
    let nova = fake_nova(v(2, 1), v(2, 104));
    let e = Connection::new(nova.clone(), v(2, 60))
        .get::<serde_json::Value>("servers/nope")
        .await
        .err()
        .unwrap_or_else(|| panic!("expected an error"));
    assert!(e.is_not_found());
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        e.request_id(),
        Some("req-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
    );
    let fault = e.fault().unwrap_or_else(|| panic!("no fault"));
    assert_eq!(
        (fault.method.clone(), fault.path.as_str()),
        (Method::GET, "servers/nope")
    );
    assert_eq!(fault.message, "The resource could not be found.");

    // 406: Nova's message, nothing else needed
    let e = Connection::new(nova, v(2, 200))
        .get::<serde_json::Value>("servers")
        .await
        .err()
        .unwrap_or_else(|| panic!("expected an error"));
    assert!(matches!(e, Error::NotAcceptable(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "version not acceptable: Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.104. (HTTP 406) (Request-ID: req-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)"
    );

    let samples = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/openstack-reference/constructed/nova-errors/"
    );
    for (file, status) in [
        ("conflictingRequest-locked.json", 409),
        ("forbidden-quota.json", 403),
        ("unauthorized-401-keystonemiddleware.json", 401),
    ] {
        let body =
            std::fs::read_to_string(format!("{samples}{file}")).unwrap_or_else(|e| panic!("{e}"));
        let t = FakeTransport::new("http://nova.test/compute/v2.1", move |_| {
            Ok(json(status, &body))
        });
        let e = Connection::new(t, v(2, 60))
            .post_raw("servers/x/action", &serde_json::json!({"os-stop": null}))
            .await;
        let e = e.err().unwrap_or_else(|| panic!("{file}"));
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status), "{file}");
        assert!(e.may_have_reached_server());
    }
}

#[tokio::test]
async fn html_pages_are_reported_as_such() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let t = FakeTransport::new("http://nova.test/compute/v2.1", move |_| {
        let mut r = HttpResponse::new(StatusCode::BAD_GATEWAY, page);
        r.headers
            .insert("content-type", HeaderValue::from_static("text/html"));
        Ok(r)
    });
    let e = Connection::new(t, v(2, 60))
        .get::<serde_json::Value>("servers")
        .await
        .err();
    match e {
        Some(Error::Server(f)) => {
            assert_eq!(f.body_kind, BodyKind::Html);
            assert_eq!(f.message, "502 Bad Gateway (HTML error page)");
        }
        other => panic!("{other:?}"),
    }

    // A 200 with an HTML body (a captive portal, a misrouted endpoint) is a Decode error.
    let t = FakeTransport::new("http://nova.test/compute/v2.1", move |_| {
        Ok(echo(HttpResponse::new(StatusCode::OK, page), "2.60"))
    });
    match Connection::new(t, v(2, 60))
        .get::<serde_json::Value>("servers")
        .await
    {
        Err(e @ Error::Decode { .. }) => {
            let source = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            assert_eq!(source, "the body is HTML page, not JSON");
            let Error::Decode { snippet, .. } = e else {
                unreachable!()
            };
            assert!(snippet.starts_with("<html>"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn decode_errors_are_typed_and_quote_the_body() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Servers {
        servers: Vec<String>,
    }
    let t = fixed(200, r#"{"servers": [1, 2]}"#, Some("2.60"));
    match Connection::new(t, v(2, 60)).get::<Servers>("servers").await {
        Err(Error::Decode {
            what,
            request_id,
            snippet,
            ..
        }) => {
            assert!(what.ends_with("Servers"), "{what}");
            assert_eq!(
                request_id.as_deref(),
                Some("req-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
            );
            assert_eq!(snippet, r#"{"servers": [1, 2]}"#);
        }
        other => panic!("{other:?}"),
    }
    // empty bodies decode as null
    let t = fixed(204, "", Some("2.60"));
    let r: ApiResponse<()> = Connection::new(t, v(2, 60))
        .put("servers/x", &())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn transport_errors_keep_their_reach_flag() {
    let t = FakeTransport::new("http://nova.test/compute/v2.1", |_| {
        Err(TransportError::new("connection refused", false)
            .with_source(std::io::Error::other("refused")))
    });
    let e = Connection::new(t, v(2, 60))
        .get::<serde_json::Value>("servers")
        .await
        .err();
    let e = e.unwrap_or_else(|| panic!("expected an error"));
    assert!(matches!(e, Error::Transport(_)));
    assert!(!e.may_have_reached_server());
    assert_eq!(e.to_string(), "the compute request could not be completed");
    let t = FakeTransport::new("http://nova.test/compute/v2.1", |_| {
        Err(TransportError::new("timed out", true))
    });
    let e = Connection::new(t, v(2, 60)).delete("servers/x").await.err();
    assert!(e.is_some_and(|e| e.may_have_reached_server()));
}

#[test]
fn require_checks_without_io() {
    let t = fixed(200, "{}", None);
    let conn = Connection::new(t.clone(), v(2, 25));
    let tags = VersionReq::parse(">=2.26").unwrap_or_else(|e| panic!("{e}"));
    match conn.require("servers.tags", &tags) {
        Err(Error::VersionNotSupported {
            operation,
            required,
            negotiated,
        }) => {
            assert_eq!(
                (operation, required.to_string(), negotiated),
                ("servers.tags", ">=2.26".to_owned(), v(2, 25))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        conn.require_field("hostname", &VersionReq::parse(">=2.90").unwrap_or_default()),
        Err(Error::FieldNotSupported {
            field: "hostname",
            ..
        })
    ));
    assert!(
        conn.with_microversion(v(2, 26))
            .require("servers.tags", &tags)
            .is_ok()
    );
    assert!(t.requests().is_empty());
}

#[test]
fn echoed_version_reads_like_nova() {
    let mut h = HeaderMap::new();
    assert_eq!(echoed_version(&h), None);
    h.insert(NOVA_API_VERSION, HeaderValue::from_static("2.5, 2.7"));
    assert_eq!(echoed_version(&h).as_deref(), Some("2.7"));
    h.insert(
        OPENSTACK_API_VERSION,
        HeaderValue::from_static("identity 3.0"),
    );
    assert_eq!(
        echoed_version(&h).as_deref(),
        Some("2.7"),
        "no compute entry: legacy"
    );
    h.append(
        OPENSTACK_API_VERSION,
        HeaderValue::from_static("COMPUTE 2.60, compute 2.61"),
    );
    assert_eq!(
        echoed_version(&h).as_deref(),
        Some("2.61"),
        "last compute entry wins"
    );
    assert_eq!(version_headers(v(2, 0)).len(), 0);
    assert_eq!(version_headers(v(2, 104)).len(), 2);
}
