use super::*;
use crate::test_support::{FAKE_V2, FakeTransport, fake_nova, json};

fn v(major: u16, minor: u16) -> MicroVersion {
    MicroVersion::new(major, minor)
}

fn registry() -> Registry {
    Registry::new()
        .with(FAKE_V2)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn new_mirrors_get_client_class_and_version() {
    let nova = fake_nova(v(2, 1), v(2, 104));
    let reg = registry();
    let c = Client::new_with_registry("2.60", nova.clone(), &reg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.microversion(), v(2, 60));
    let c = Client::new_with_registry("2.0", nova.clone(), &reg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.microversion(), v(2, 0));

    for latest in ["latest", "2.latest"] {
        match Client::new_with_registry(latest, nova.clone(), &reg) {
            Err(e @ Error::LatestNotResolved { .. }) => {
                assert!(e.to_string().contains("Client::negotiate"), "{e}");
                assert!(e.to_string().contains(latest), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
    match Client::new_with_registry("4.1", nova.clone(), &reg) {
        Err(e @ Error::UnknownMajor { .. }) => {
            assert_eq!(
                e.to_string(),
                "no compute client is registered for major version 4 (registered: 2)"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Client::new_with_registry("2.105", nova.clone(), &reg),
        Err(Error::VersionNotAvailable { .. })
    ));
    assert!(matches!(
        Client::new_with_registry("v2.1", nova.clone(), &reg),
        Err(Error::InvalidVersion { .. })
    ));
    assert!(matches!(
        Client::new_with_registry("2", nova.clone(), &reg),
        Err(Error::InvalidVersion { .. })
    ));
    assert!(nova.requests().is_empty(), "Client::new does no I/O");
}

#[test]
fn new_uses_the_global_inventory_registry() {
    let nova = fake_nova(v(2, 1), v(2, 104));
    let c = Client::new("91.3", nova.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.microversion(), v(91, 3));
    assert!(matches!(
        Client::new("90.1", nova.clone()),
        Err(Error::DuplicateMajor { major: 90, .. })
    ));
}

#[tokio::test]
async fn negotiate_latest_picks_the_highest_shared_version() {
    let reg = registry();
    for (server_max, expected) in [(v(2, 104), v(2, 104)), (v(2, 60), v(2, 60))] {
        let nova = fake_nova(v(2, 1), server_max);
        let c = Client::negotiate_with_registry(Requested::Latest, nova.clone(), &reg).await;
        assert_eq!(c.map(|c| c.microversion()).ok(), Some(expected));
        let c =
            Client::negotiate_with_registry(Requested::MajorLatest(2), nova.clone(), &reg).await;
        assert_eq!(c.map(|c| c.microversion()).ok(), Some(expected));
        // discovery: the endpoint itself answered, nothing else was sent
        let paths: Vec<String> = nova.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, vec!["http://nova.test/compute/v2.1"; 2]);
    }
}

#[tokio::test]
async fn negotiate_exact_outside_the_server_range_fails_before_sending() {
    let nova = fake_nova(v(2, 1), v(2, 60));
    match Client::negotiate_with_registry(Requested::Exact(v(2, 61)), nova.clone(), &registry())
        .await
    {
        Err(Error::VersionNotAvailable {
            requested,
            client,
            server,
            ..
        }) => {
            assert_eq!(requested, Requested::Exact(v(2, 61)));
            assert_eq!(client.max, v(2, 104));
            assert_eq!(server.map(|s| s.max), Some(v(2, 60)));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        nova.requests()
            .iter()
            .all(|r| r.path.starts_with("http://nova.test/compute/v2.1"))
    );
    assert!(matches!(
        Client::negotiate_with_registry(Requested::MajorLatest(3), nova, &registry()).await,
        Err(Error::UnknownMajor { major: 3, .. })
    ));
}

#[tokio::test]
async fn negotiate_with_cache_discovers_once_per_endpoint() {
    let nova = fake_nova(v(2, 1), v(2, 90));
    let cache = DiscoveryCache::new();
    let reg = registry();
    for _ in 0..3 {
        let c = Client::negotiate_with_cache(Requested::Latest, nova.clone(), &reg, &cache).await;
        assert_eq!(c.map(|c| c.microversion()).ok(), Some(v(2, 90)));
    }
    assert_eq!(nova.requests().len(), 1);
    assert_eq!(
        cache
            .get("http://nova.test/compute/v2.1")
            .and_then(|s| s.range)
            .map(|r| r.max),
        Some(v(2, 90))
    );
}

#[tokio::test]
async fn legacy_server_without_microversions_negotiates_major_only() {
    let t = FakeTransport::new(
        "http://nova.test:8774/v2/6f70656e737461636b20342065766572",
        |req| {
            Ok(match req.path.as_str() {
                "http://nova.test:8774/v2/" => json(
                    200,
                    r#"{"version": {"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", "links": []}}"#,
                ),
                _ => json(
                    404,
                    r#"{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}"#,
                ),
            })
        },
    );
    let c = Client::negotiate_with_registry(Requested::Latest, t.clone(), &registry()).await;
    assert_eq!(c.map(|c| c.microversion()).ok(), Some(v(2, 0)));
    assert!(matches!(
        Client::negotiate_with_registry(Requested::Exact(v(2, 1)), t, &registry()).await,
        Err(Error::VersionNotAvailable { server: None, .. })
    ));
}

#[test]
fn resolve_latest_prefers_the_highest_usable_major() {
    fn three(conn: Connection) -> Box<dyn ComputeClient> {
        crate::test_support::mock_client(conn)
    }
    let reg = registry()
        .with(ClientRegistration {
            major: 3,
            min: v(3, 0),
            max: v(3, 4),
            name: "fake-v3",
            factory: three,
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let doc = crate::discovery::parse_versions(br#"{"version": {"id": "v2.1", "status": "CURRENT", "version": "2.104", "min_version": "2.1"}}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let server = ServerVersions {
        endpoint: "e".into(),
        document_url: "e".into(),
        range: doc[0].range(),
        document: doc[0].clone(),
    };
    let (r, version) =
        Client::resolve(Requested::Latest, &reg, &server).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.name, version),
        ("fake-v2", v(2, 104)),
        "v3 does not intersect the server"
    );
}
