//! The fault matrix: every fault mock-cloud can inject, on a read (GET one
//! server, list servers) and on a create, through the public crates
//! (nova-v2 over keystone-auth). For each: no panic; a typed error carrying
//! the request id when the server sent one; retries only where safe and
//! bounded (attempts counted on the mock); the waited-for result when the
//! fault is transient. Then: one re-authentication for many concurrent
//! requests with an expired token, a failed re-authentication shared by the
//! waiters, a catalog without compute, unreachable version documents, and 500
//! creates under random resets, 429s and 503s where nothing is created twice
//! and nothing is lost silently.
//!
//! Backoff goes to a recording sleeper, so retries cost no wall-clock time.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use mock_cloud::Fault;
use nova_core::compute::ComputeClient;
use nova_core::types::ServerQuery;
use nova_core::{Client, Error, Requested};

use crate::reliability_support::{CREATE, GET_SERVER, LIST, Rig, TOKENS, create_request};

/// What one call is expected to do under a fault.
#[derive(Clone, Copy, Debug)]
enum Outcome {
    /// It succeeds (the fault was transient and the retry safe).
    Ok,
    /// It fails with an error this accepts.
    Err(fn(&Error) -> bool),
}

/// The expectation for one call.
#[derive(Clone, Copy, Debug)]
struct Expect {
    outcome: Outcome,
    /// Requests the mock must see for this call (1 = no retry).
    attempts: u64,
    /// The error must carry the server's request id.
    request_id: bool,
}

const fn ok(attempts: u64) -> Expect {
    Expect {
        outcome: Outcome::Ok,
        attempts,
        request_id: false,
    }
}

const fn err(kind: fn(&Error) -> bool, attempts: u64, request_id: bool) -> Expect {
    Expect {
        outcome: Outcome::Err(kind),
        attempts,
        request_id,
    }
}

/// One row of the matrix: a fault, and what a read and a create do under it.
struct Case {
    name: &'static str,
    fault: fn(&str) -> Fault,
    read: Expect,
    create: Expect,
    /// Servers the faulted create leaves on the mock.
    created: u64,
}

fn unavailable(e: &Error) -> bool {
    matches!(e, Error::ServiceUnavailable(_))
}
fn server_error(e: &Error) -> bool {
    matches!(e, Error::Server(_))
}
fn rate_limited(e: &Error) -> bool {
    matches!(e, Error::RateLimited(_))
}
fn html_gateway(e: &Error) -> bool {
    matches!(e, Error::Server(f) if f.body_kind == nova_core::BodyKind::Html && f.status.as_u16() == 502)
}
/// The connection was lost after the request was sent: it may have been processed.
fn lost_connection(e: &Error) -> bool {
    matches!(e, Error::Transport(t) if t.may_have_reached_server())
}
/// A body that does not decode: `Decode` on a read, `MayHaveBeenCreated` (wrapping the
/// decode error) on a create that the server answered with success.
fn undecodable(e: &Error) -> bool {
    match e {
        Error::Decode { .. } => true,
        Error::MayHaveBeenCreated { source, .. } => matches!(**source, Error::Decode { .. }),
        _ => false,
    }
}

fn matrix() -> Vec<Case> {
    vec![
        Case {
            name: "503 twice",
            fault: |r| Fault::status(r, 503).times(2),
            read: ok(3),
            create: err(unavailable, 1, true),
            created: 0,
        },
        Case {
            name: "502 twice",
            fault: |r| Fault::status(r, 502).times(2),
            read: ok(3),
            create: err(server_error, 1, true),
            created: 0,
        },
        Case {
            name: "504 twice",
            fault: |r| Fault::status(r, 504).times(2),
            read: ok(3),
            create: err(server_error, 1, true),
            created: 0,
        },
        Case {
            name: "503 until cleared",
            fault: |r| Fault::status(r, 503).always(),
            read: err(unavailable, 4, true),
            create: err(unavailable, 1, true),
            created: 0,
        },
        Case {
            name: "429 with Retry-After",
            fault: |r| Fault::status(r, 429).retry_after(2),
            read: ok(2),
            create: err(rate_limited, 1, true),
            created: 0,
        },
        Case {
            name: "429 without Retry-After, twice",
            fault: |r| Fault::status(r, 429).times(2),
            read: ok(3),
            create: err(rate_limited, 1, true),
            created: 0,
        },
        Case {
            name: "429 until cleared",
            fault: |r| Fault::status(r, 429).always(),
            read: err(rate_limited, 4, true),
            create: err(rate_limited, 1, true),
            created: 0,
        },
        Case {
            name: "reset before processing",
            fault: |r| Fault::drop_before(r),
            read: ok(2),
            create: err(lost_connection, 1, false),
            created: 0,
        },
        Case {
            name: "reset after processing",
            fault: |r| Fault::drop_after(r),
            read: ok(2),
            create: err(lost_connection, 1, false),
            created: 1,
        },
        Case {
            name: "reset until cleared",
            fault: |r| Fault::drop_before(r).always(),
            read: err(lost_connection, 4, false),
            create: err(lost_connection, 1, false),
            created: 0,
        },
        Case {
            name: "truncated JSON",
            fault: |r| Fault::truncate_body(r),
            read: err(undecodable, 1, true),
            create: err(undecodable, 1, true),
            created: 1,
        },
        Case {
            name: "corrupt JSON",
            fault: |r| Fault::corrupt_body(r),
            read: err(undecodable, 1, true),
            create: err(undecodable, 1, true),
            created: 1,
        },
        Case {
            name: "connection cut mid-body",
            fault: |r| Fault::cut_body(r),
            read: ok(2),
            create: err(lost_connection, 1, false),
            created: 1,
        },
        Case {
            name: "HTML 502 from a proxy, once",
            fault: |r| Fault::html_page(r, 502),
            read: ok(2),
            create: err(html_gateway, 1, false),
            created: 0,
        },
        Case {
            name: "HTML 502 from a proxy, until cleared",
            fault: |r| Fault::html_page(r, 502).always(),
            read: err(html_gateway, 4, false),
            create: err(html_gateway, 1, false),
            created: 0,
        },
        Case {
            name: "HTML page with 200",
            fault: |r| Fault::html_page(r, 200),
            read: err(undecodable, 1, false),
            create: err(undecodable, 1, false),
            created: 0,
        },
    ]
}

/// Checks one call's result against `expect`; returns whether it succeeded.
fn check<T: std::fmt::Debug>(
    case: &str,
    what: &str,
    result: &nova_core::Result<T>,
    expect: Expect,
    attempts: u64,
) {
    assert_eq!(
        attempts, expect.attempts,
        "{case} / {what}: the mock saw {attempts} attempts, expected {}; result {result:?}",
        expect.attempts
    );
    match (expect.outcome, result) {
        (Outcome::Ok, Ok(_)) => {}
        (Outcome::Ok, Err(e)) => panic!("{case} / {what}: expected success, got {e:?}"),
        (Outcome::Err(_), Ok(v)) => panic!("{case} / {what}: expected an error, got {v:?}"),
        (Outcome::Err(kind), Err(e)) => {
            assert!(kind(e), "{case} / {what}: unexpected error kind {e:?}");
            if expect.request_id {
                let id = e.request_id().unwrap_or_else(|| {
                    panic!("{case} / {what}: the error lost the request id: {e:?}")
                });
                assert!(id.starts_with("req-"), "{case} / {what}: {id}");
                if e.fault().is_some() {
                    // HTTP errors print it, as novaclient does.
                    assert!(e.to_string().contains(id), "{case} / {what}: {e}");
                }
            }
            // Display stays one readable line, never a whole page.
            let shown = e.to_string();
            assert!(
                shown.len() < 600 && !shown.contains('\n'),
                "{case}: {shown}"
            );
        }
    }
}

#[tokio::test]
async fn every_fault_on_reads_and_creates() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let compute = rig.compute();
    let id = rig.seed_server("matrix-read-target").await;
    let mut rows = Vec::new();
    for (n, case) in matrix().into_iter().enumerate() {
        // GET one server
        rig.reset_counts().await;
        rig.powers.add((case.fault)(GET_SERVER)).await;
        let got = compute.servers().get(&id).await;
        check(
            case.name,
            "GET server",
            &got,
            case.read,
            rig.count(GET_SERVER).await,
        );
        if let Ok(server) = &got {
            assert_eq!(server.value.id, id, "{}: the waited-for server", case.name);
        }
        rig.powers.clear().await;

        // list servers
        rig.reset_counts().await;
        rig.powers.add((case.fault)(LIST)).await;
        let listed = compute.servers().list(&ServerQuery::default()).await;
        check(case.name, "list", &listed, case.read, rig.count(LIST).await);
        if let Ok(page) = &listed {
            assert!(
                page.value.items.iter().any(|s| s.id == id),
                "{}: the listing holds the server",
                case.name
            );
        }
        rig.powers.clear().await;

        // create
        let before = rig.server_count().await;
        rig.reset_counts().await;
        rig.powers.add((case.fault)(CREATE)).await;
        let created = compute
            .servers()
            .create(&create_request(&format!("matrix-{n}")))
            .await;
        check(
            case.name,
            "create",
            &created,
            case.create,
            rig.count(CREATE).await,
        );
        rig.powers.clear().await;
        let after = rig.server_count().await;
        assert_eq!(
            after - before,
            case.created,
            "{}: servers created by one create call",
            case.name
        );
        if let Err(e) = &created {
            // A create that left a server behind must say it may have.
            if case.created > 0 {
                assert!(e.may_have_reached_server(), "{}: {e:?}", case.name);
            }
        }
        rows.push(format!(
            "{:<38} read: {:<7} create: {}",
            case.name,
            if got.is_ok() { "ok" } else { "error" },
            match &created {
                Ok(_) => "ok".to_string(),
                Err(e) => format!("error ({})", short_kind(e)),
            }
        ));
    }
    println!("fault matrix:\n  {}", rows.join("\n  "));
    // Backoff honoured Retry-After (2 s) and was bounded.
    let sleeps = rig.sleeps();
    assert!(sleeps.contains(&Duration::from_secs(2)), "{sleeps:?}");
    assert!(sleeps.iter().all(|d| *d <= Duration::from_secs(60)));
}

fn short_kind(e: &Error) -> String {
    let debug = format!("{e:?}");
    debug
        .split(['(', ' ', '{'])
        .next()
        .unwrap_or("?")
        .to_string()
}

#[tokio::test]
async fn a_delay_past_the_timeout_is_a_timeout_not_a_retry() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("slow-read-target").await;
    let session = rig
        .session_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("session");
    let compute = rig.compute_over(session);
    compute.servers().get(&id).await.expect("warm-up read");

    rig.reset_counts().await;
    rig.powers
        .add(Fault::delay(GET_SERVER, Duration::from_secs(2)))
        .await;
    let read = compute
        .servers()
        .get(&id)
        .await
        .expect_err("the read times out");
    assert!(read.may_have_reached_server(), "{read:?}");
    assert!(
        format!("{read:?}").contains("Timeout"),
        "a typed timeout: {read:?}"
    );
    assert_eq!(rig.count(GET_SERVER).await, 1, "a timeout is not re-sent");

    rig.powers
        .add(Fault::delay(CREATE, Duration::from_secs(2)))
        .await;
    let create = compute
        .servers()
        .create(&create_request("slow-create"))
        .await
        .expect_err("the create times out");
    assert!(
        create.may_have_reached_server(),
        "a timed-out create may have been created: {create:?}"
    );
    assert_eq!(rig.count(CREATE).await, 1, "a create is never re-sent");
}

/// Sends `n` concurrent reads with `compute`; all must succeed.
async fn concurrent_reads(compute: &Arc<dyn ComputeClient>, id: &str, n: usize) {
    let reads = (0..n).map(|_| {
        let compute = Arc::clone(compute);
        let id = id.to_string();
        tokio::spawn(async move { compute.servers().get(&id).await })
    });
    for read in futures::future::join_all(reads).await {
        read.expect("task")
            .expect("every read succeeds after re-authentication");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_requests_with_an_expired_token_reauthenticate_once() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("reauth-target").await;
    let compute: Arc<dyn ComputeClient> = Arc::from(rig.compute());
    compute.servers().get(&id).await.expect("first read");

    for (how, round) in [("expired early", 0), ("revoked", 1)] {
        rig.reset_counts().await;
        if round == 0 {
            assert!(rig.powers.expire_tokens().await >= 1);
        } else {
            assert!(rig.cloud.mock().expect("mock").revoke_tokens().await >= 1);
        }
        concurrent_reads(&compute, &id, 40).await;
        assert_eq!(
            rig.count(TOKENS).await,
            1,
            "token {how}: 40 concurrent requests, one re-authentication"
        );
        let gets = rig.count(GET_SERVER).await;
        assert!(
            (40..=80).contains(&gets),
            "each request is replayed at most once: {gets}"
        );
    }

    // A create with a stale token is replayed once after the 401 (the 401
    // means the create was refused, not processed) and makes one server.
    rig.powers.expire_tokens().await;
    rig.reset_counts().await;
    let before = rig.server_count().await;
    compute
        .servers()
        .create(&create_request("after-expiry"))
        .await
        .expect("the create succeeds after re-authentication");
    assert_eq!(rig.count(TOKENS).await, 1);
    assert_eq!(
        rig.count(CREATE).await,
        2,
        "refused once with 401, then created"
    );
    assert_eq!(rig.server_count().await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_reauthentication_is_shared_by_the_waiting_requests() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("shared-failure-target").await;
    let compute: Arc<dyn ComputeClient> = Arc::from(rig.compute());
    compute.servers().get(&id).await.expect("first read");

    rig.powers.expire_tokens().await;
    // Keystone fails slowly, so every request is waiting for it.
    rig.powers
        .add(Fault::status(TOKENS, 500).wait(Duration::from_secs(1)))
        .await;
    rig.reset_counts().await;
    let reads = (0..20).map(|_| {
        let compute = Arc::clone(&compute);
        let id = id.clone();
        tokio::spawn(async move { compute.servers().get(&id).await })
    });
    let results: Vec<_> = futures::future::join_all(reads).await;
    let mut failed = 0;
    for result in results {
        let error = result.expect("task").expect_err("authentication failed");
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(500),
            "the failure names Keystone's status: {error:?}"
        );
        assert!(
            !format!("{error:?}").contains(mock_cloud::seed::DEMO_PASSWORD),
            "no password in the error"
        );
        failed += 1;
    }
    assert_eq!(failed, 20);
    assert_eq!(
        rig.count(TOKENS).await,
        1,
        "20 waiting requests share one failed authentication"
    );
    // The next request tries again and succeeds.
    compute
        .servers()
        .get(&id)
        .await
        .expect("Keystone is back: the next request authenticates");
    assert_eq!(rig.count(TOKENS).await, 2);
}

#[tokio::test]
async fn a_catalog_without_compute_is_a_typed_error_before_any_request() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    assert_eq!(rig.powers.remove_catalog_service("compute").await, 1);
    rig.reset_counts().await;
    let compute = rig.compute();
    let read = compute
        .servers()
        .list(&ServerQuery::default())
        .await
        .expect_err("no compute endpoint");
    let create = compute
        .servers()
        .create(&create_request("nowhere"))
        .await
        .expect_err("no compute endpoint");
    for error in [&read, &create] {
        assert!(
            !error.may_have_reached_server(),
            "nothing was sent to compute: {error:?}"
        );
        let chain = error_chain(error);
        assert!(
            chain.contains("compute") && chain.contains("catalog"),
            "the error names the missing service: {chain}"
        );
    }
    assert_eq!(rig.count(LIST).await + rig.count(CREATE).await, 0);
    assert_eq!(rig.server_count().await, 0);
    // A session authenticated before the removal keeps its catalog until
    // its token is renewed; after that the endpoint is gone too.
}

/// The error and all its sources, joined.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

#[tokio::test]
async fn unreachable_version_documents_fail_negotiation_but_not_a_pinned_client() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let id = rig.seed_server("pinned-target").await;
    rig.powers.hide_version_documents().await;
    rig.reset_counts().await;
    let adapter = Arc::new(rig.adapter(rig.session()));
    let error = match Client::negotiate(Requested::Latest, adapter.clone()).await {
        Ok(client) => panic!(
            "negotiated {} without a version document",
            client.microversion()
        ),
        Err(e) => e,
    };
    assert!(
        matches!(error, Error::Discovery { .. }),
        "a typed discovery error: {error:?}"
    );
    let mut discovery_requests = 0;
    for route in [
        "GET /compute",
        "GET /compute/",
        "GET /compute/v2.1",
        "GET /compute/v2.1/",
    ] {
        discovery_requests += rig.count(route).await;
    }
    assert!(
        (1..=8).contains(&discovery_requests),
        "discovery is bounded: {discovery_requests} requests"
    );
    // A client pinned to a version needs no document.
    let pinned = Client::new("2.60", adapter).expect("pinned client");
    pinned.servers().get(&id).await.expect("reads still work");
    pinned
        .servers()
        .create(&create_request("pinned-create"))
        .await
        .expect("creates still work");
}

/// Outcome of one create in the long run.
#[derive(Debug)]
enum CreateOutcome {
    Created(String),
    MayHaveBeenCreated,
    NotCreated,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_creates_under_random_faults_create_nothing_twice_and_lose_nothing() {
    const CREATES: usize = 500;
    const WORKERS: usize = 10;
    let Some(rig) = Rig::start().await else {
        return;
    };
    rig.powers.seed(0x5eed).await;
    for fault in [
        Fault::drop_before(CREATE).percent(4).always(),
        Fault::drop_after(CREATE).percent(4).always(),
        Fault::status(CREATE, 429).percent(4).always(),
        Fault::status(CREATE, 429)
            .retry_after(1)
            .percent(3)
            .always(),
        Fault::status(CREATE, 503).percent(4).always(),
    ] {
        rig.powers.add(fault).await;
    }
    rig.reset_counts().await;
    let compute: Arc<dyn ComputeClient> = Arc::from(rig.compute());
    let workers = (0..WORKERS).map(|w| {
        let compute = Arc::clone(&compute);
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for i in (w..CREATES).step_by(WORKERS) {
                let name = format!("bulk-{i:03}");
                let outcome = match compute.servers().create(&create_request(&name)).await {
                    Ok(created) => CreateOutcome::Created(created.value.id),
                    Err(e) if e.may_have_reached_server() => CreateOutcome::MayHaveBeenCreated,
                    Err(_) => CreateOutcome::NotCreated,
                };
                outcomes.push((name, outcome));
            }
            outcomes
        })
    });
    let mut outcomes: BTreeMap<String, CreateOutcome> = BTreeMap::new();
    for worker in futures::future::join_all(workers).await {
        outcomes.extend(worker.expect("worker task"));
    }
    assert_eq!(outcomes.len(), CREATES);
    let requests = rig.count(CREATE).await;
    let fired = rig.powers.fired().await;
    rig.powers.clear().await;

    // What is on the mock, by name.
    let listing = rig.compute();
    let mut on_mock: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stream = listing.servers().list_all(ServerQuery::default());
    while let Some(server) = stream.next().await {
        let server = server.expect("listing after the run");
        on_mock.entry(server.name).or_default().push(server.id);
    }
    let servers: usize = on_mock.values().map(Vec::len).sum();

    let ok = outcomes
        .values()
        .filter(|o| matches!(o, CreateOutcome::Created(_)))
        .count();
    let maybe = outcomes
        .values()
        .filter(|o| matches!(o, CreateOutcome::MayHaveBeenCreated))
        .count();
    let not_created = CREATES - ok - maybe;
    let fired_with = |action: &str| -> u64 {
        fired
            .iter()
            .filter(|(k, _)| k.ends_with(action))
            .map(|(_, n)| n)
            .sum()
    };
    let drops_after = fired_with("drop_after_processing");
    let faults: u64 = fired.values().sum();
    let maybe_created: BTreeSet<&String> = outcomes
        .iter()
        .filter(|(name, o)| {
            matches!(o, CreateOutcome::MayHaveBeenCreated) && on_mock.contains_key(*name)
        })
        .map(|(name, _)| name)
        .collect();

    println!(
        "500 creates: faults injected {faults} ({fired:?}); requests {requests}; retries {}; \
         servers created {servers}; successful creates {ok}; reported \"may have been created\" \
         {maybe} (of which {} were); reported not created {not_created}",
        requests - CREATES as u64,
        maybe_created.len()
    );

    // Nothing created twice.
    for (name, ids) in &on_mock {
        assert_eq!(ids.len(), 1, "{name} was created {} times", ids.len());
    }
    // Nothing lost silently: every success exists, with the id returned...
    for (name, outcome) in &outcomes {
        match outcome {
            CreateOutcome::Created(id) => assert_eq!(
                on_mock.get(name).map(|ids| ids[0].as_str()),
                Some(id.as_str()),
                "{name} was reported created"
            ),
            // ...and nothing reported as certainly not created exists.
            CreateOutcome::NotCreated => {
                assert!(
                    !on_mock.contains_key(name),
                    "{name} exists but was reported not created"
                )
            }
            CreateOutcome::MayHaveBeenCreated => {}
        }
    }
    // ...and every server on the mock was either a success or reported as
    // "may have been created".
    assert_eq!(servers, ok + maybe_created.len());
    assert!(
        servers <= ok + maybe,
        "servers {servers} > ok {ok} + maybe {maybe}"
    );
    // Exactly: the only creates the client could not report as done are the
    // ones whose answer was lost after processing (a create is never re-sent
    // after it may have been processed).
    assert_eq!(servers as u64, ok as u64 + drops_after);
    // The run did exercise every fault, and retries stayed bounded.
    for action in [
        "drop_before_processing",
        "drop_after_processing",
        "status 429",
        "status 503",
    ] {
        assert!(fired_with(action) > 0, "{action} never fired: {fired:?}");
    }
    assert!(
        requests <= CREATES as u64 * 4,
        "bounded retries: {requests}"
    );
    assert!(ok > CREATES * 3 / 4, "most creates succeed: {ok}");
}
