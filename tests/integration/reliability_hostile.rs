//! Hostile responses: bodies far over the size limit (refused, not buffered
//! without bound), deeply nested JSON, invalid UTF-8; on reads, on error
//! bodies, on version documents and on token responses. Each gives a typed
//! error, never a panic, and is not retried.

use std::sync::Arc;

use mock_cloud::Fault;
use nova_core::types::ServerQuery;
use nova_core::{Client, Error, Requested};

use crate::fault_matrix::error_chain;
use crate::reliability_support::{GET_SERVER, LIST, Rig, TOKENS};

/// A small limit, so the tests move little data.
const LIMIT: usize = 1024 * 1024;

#[tokio::test]
async fn a_huge_body_is_refused_with_an_error_not_buffered() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("huge-target").await;
    let session = rig
        .session_builder()
        .max_response_body(LIMIT)
        .build()
        .expect("session");
    let compute = rig.compute_over(session);
    for (declared, bytes) in [(true, 1u64 << 40), (false, 8 * LIMIT as u64)] {
        rig.reset_counts().await;
        rig.powers
            .add(Fault::huge_body(GET_SERVER, bytes, declared))
            .await;
        let error = compute
            .servers()
            .get(&id)
            .await
            .expect_err("a body over the limit is refused");
        let chain = error_chain(&error);
        assert!(
            chain.contains("larger than the limit of 1048576 bytes"),
            "declared length {declared}: {chain}"
        );
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert_eq!(rig.count(GET_SERVER).await, 1, "not retried");
        rig.powers.clear().await;
    }
    // The default limit also applies: a declared terabyte is refused at once.
    rig.powers
        .add(Fault::huge_body(GET_SERVER, 1 << 40, true))
        .await;
    let error = rig
        .compute()
        .servers()
        .get(&id)
        .await
        .expect_err("refused under the default limit");
    assert!(
        error_chain(&error).contains("larger than the limit"),
        "{error:?}"
    );
}

/// `depth` nested arrays (or objects, with `object`).
fn nested(depth: usize, object: bool) -> Vec<u8> {
    let (open, close): (&[u8], &[u8]) = if object {
        (b"{\"a\":", b"}")
    } else {
        (b"[", b"]")
    };
    let mut out = Vec::with_capacity(depth * (open.len() + close.len()));
    for _ in 0..depth {
        out.extend_from_slice(open);
    }
    out.extend_from_slice(b"1");
    for _ in 0..depth {
        out.extend_from_slice(close);
    }
    out
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("nested-target").await;
    let compute = rig.compute();
    for object in [false, true] {
        let body = nested(100_000, object);
        rig.powers
            .add(Fault::respond(
                GET_SERVER,
                200,
                Some("application/json"),
                body.clone(),
            ))
            .await;
        let error = compute.servers().get(&id).await.expect_err("not a server");
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert!(error.to_string().len() < 600, "{error}");

        // ...in an error body too: a typed status error, the message short.
        rig.powers
            .add(Fault::respond(LIST, 500, Some("application/json"), body))
            .await;
        let error = compute
            .servers()
            .list(&ServerQuery::default())
            .await
            .expect_err("a 500");
        assert!(matches!(error, Error::Server(_)), "{error:?}");
        assert!(error.to_string().len() < 600, "{error}");
        rig.powers.clear().await;
    }
    // ...and in a token response.
    rig.powers
        .add(Fault::respond(
            TOKENS,
            201,
            Some("application/json"),
            nested(100_000, true),
        ))
        .await;
    let error = rig.session().access_info().await.expect_err("not a token");
    assert!(
        matches!(error, keystone_auth::Error::InvalidTokenResponse { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn invalid_utf8_is_a_typed_error_with_a_readable_message() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("utf8-target").await;
    let compute = rig.compute();
    let mut server = br#"{"server": {"id": "x", "name": ""#.to_vec();
    server.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    server.extend_from_slice(br#""}}"#);
    rig.powers
        .add(Fault::respond(
            GET_SERVER,
            200,
            Some("application/json"),
            server,
        ))
        .await;
    let error = compute.servers().get(&id).await.expect_err("not UTF-8");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(error.request_id().is_some(), "{error:?}");

    let mut fault = br#"{"badRequest": {"code": 400, "message": "bad "#.to_vec();
    fault.extend_from_slice(&[0xff, 0xfe]);
    fault.extend_from_slice(br#" input"}}"#);
    rig.powers
        .add(Fault::respond(LIST, 400, Some("application/json"), fault))
        .await;
    let error = compute
        .servers()
        .list(&ServerQuery::default())
        .await
        .expect_err("a 400");
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    // The message is shown (lossily), never the raw bytes or a panic.
    let shown = error.to_string();
    assert!(shown.contains("HTTP 400"), "{shown}");

    let mut html = b"<html><title>502 \xff\xfe Bad Gateway</title></html>".to_vec();
    html.extend_from_slice(&[0xc3, 0x28]);
    rig.powers
        .add(Fault::respond(LIST, 502, Some("text/html"), html).times(10))
        .await;
    let error = compute
        .servers()
        .list(&ServerQuery::default())
        .await
        .expect_err("a 502");
    assert!(matches!(error, Error::Server(_)), "{error:?}");
}

#[tokio::test]
async fn a_hostile_version_document_fails_negotiation_with_a_typed_error() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let adapter = Arc::new(rig.adapter(rig.session()));
    for body in [
        nested(50_000, false),
        b"{\"version\": {\"id\": \"v2.1\", \"version\": \"2.\xff\"}}".to_vec(),
        br#"{"version": {"id": "v2.1", "version": "99999999999999999999.1", "min_version": "2.1"}}"#
            .to_vec(),
        b"<html>not here</html>".to_vec(),
    ] {
        for route in ["GET /compute/v2.1/", "GET /compute/v2.1", "GET /compute/", "GET /compute"] {
            rig.powers
                .add(Fault::respond(
                    route,
                    200,
                    Some("application/json"),
                    body.clone(),
                ))
                .await;
        }
        match Client::negotiate(Requested::Latest, adapter.clone()).await {
            Ok(client) => panic!(
                "negotiated {} from a hostile document",
                client.microversion()
            ),
            Err(error) => assert!(
                matches!(
                    error,
                    Error::Discovery { .. } | Error::InvalidVersion { .. } | Error::Decode { .. }
                ),
                "{error:?}"
            ),
        }
        rig.powers.clear().await;
    }
}
