use super::*;
use crate::test_support::{FakeTransport, json};

const NOVA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/openstack-reference/nova/versions/"
);
const KEYSTONE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/openstack-reference/keystone/admin/"
);

fn read(path: String) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
fn v(major: u16, minor: u16) -> MicroVersion {
    MicroVersion::new(major, minor)
}

#[test]
fn nova_root_list() {
    let docs = parse_versions(&read(format!("{NOVA}versions-get-resp.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (docs[0].id.as_str(), &docs[0].status, docs[0].range()),
        ("v2.0", &VersionStatus::Deprecated, None)
    );
    assert_eq!(docs[1].status, VersionStatus::Current);
    assert_eq!(
        docs[1].range(),
        Some(VersionRange {
            min: v(2, 1),
            max: v(2, 104)
        })
    );
    assert_eq!(
        docs[1].self_link.as_deref(),
        Some("http://openstack.example.com/v2.1/")
    );
    assert_eq!(docs[1].major(), Some(2));
    assert_eq!(choose(docs, None).map(|d| d.id), Some("v2.1".to_owned()));
}

#[test]
fn nova_single_documents() {
    let d = parse_version_document(&read(format!("{NOVA}v21-version-get-resp.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (d.min_version, d.max_version),
        (Some(v(2, 1)), Some(v(2, 104)))
    );
    let d = parse_version_document(&read(format!("{NOVA}v2-version-get-resp.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (d.id.as_str(), d.range()),
        ("v2.0", None),
        "empty strings: no microversions"
    );
    assert!(parse_version_document(&read(format!("{NOVA}versions-get-resp.json"))).is_err());
}

#[test]
fn keystone_values_shape_and_bad_documents() {
    let docs = parse_versions(&read(format!("{KEYSTONE}identity-versions-response.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!docs.is_empty());
    assert!(matches!(
        parse_versions(b"<html></html>"),
        Err(Error::Decode { .. })
    ));
    assert!(matches!(parse_versions(b"{}"), Err(Error::Decode { .. })));
    match parse_versions(br#"{"version": {"id": "v2.1", "version": "2.01", "min_version": "2.1"}}"#)
    {
        Err(Error::InvalidVersion { input, .. }) => assert_eq!(input, "2.01"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn candidates_for_catalog_urls() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "http://h/compute/v2.1",
            &[
                "http://h/compute/v2.1",
                "http://h/compute/v2.1/",
                "http://h/compute/",
            ],
        ),
        (
            "http://h:8774/v2.1/6f70656e737461636b20342065766572",
            &[
                "http://h:8774/v2.1/6f70656e737461636b20342065766572",
                "http://h:8774/v2.1/",
                "http://h:8774/",
            ],
        ),
        (
            "http://h:8774/v2/6f70",
            &[
                "http://h:8774/v2/6f70",
                "http://h:8774/v2/",
                "http://h:8774/",
            ],
        ),
        (
            "http://h/compute/v2.1/",
            &["http://h/compute/v2.1/", "http://h/compute/"],
        ),
        ("http://h:8774", &["http://h:8774", "http://h:8774/"]),
    ];
    for (endpoint, expected) in cases {
        assert_eq!(version_root_candidates(endpoint), expected, "{endpoint}");
    }
}

#[tokio::test]
async fn project_id_in_the_endpoint_falls_back_to_the_version_root() {
    let t = FakeTransport::new(
        "http://h/compute/v2.1/6f70656e737461636b20342065766572",
        |req| {
            Ok(match req.path.as_str() {
                "http://h/compute/v2.1/" => json(
                    200,
                    r#"{"version": {"id": "v2.1", "status": "CURRENT", "version": "2.96", "min_version": "2.1"}}"#,
                ),
                _ => json(
                    404,
                    r#"{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}"#,
                ),
            })
        },
    );
    let found = discover(t.as_ref()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.range.map(|r| r.max), Some(v(2, 96)));
    assert_eq!(found.document_url, "http://h/compute/v2.1/");
    let sent = t.requests();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(
        |r| r.method == Method::GET && r.headers.get("x-openstack-nova-api-version").is_none()
    ));
}

#[tokio::test]
async fn root_list_is_used_when_only_it_answers() {
    let t = FakeTransport::new("http://h/compute/v2.1", |req| {
        Ok(match req.path.as_str() {
            "http://h/compute/" => json(
                200,
                &String::from_utf8_lossy(
                    &std::fs::read(format!("{NOVA}versions-get-resp.json")).unwrap_or_default(),
                ),
            ),
            _ => json(404, "{}"),
        })
    });
    let found = discover(t.as_ref()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (found.document.id.as_str(), found.range.map(|r| r.max)),
        ("v2.1", Some(v(2, 104)))
    );
    assert_eq!(t.requests().len(), 3);
}

#[tokio::test]
async fn unauthorized_stops_discovery_and_failures_are_listed() {
    let t = FakeTransport::new("http://h/compute/v2.1", |_| {
        Ok(json(
            401,
            r#"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#,
        ))
    });
    assert!(matches!(
        discover(t.as_ref()).await,
        Err(Error::Unauthorized(_))
    ));
    assert_eq!(t.requests().len(), 1);

    let t = FakeTransport::new("http://h/compute/v2.1", |_| Ok(json(503, "")));
    match discover(t.as_ref()).await {
        Err(Error::Discovery { endpoint, reason }) => {
            assert_eq!(endpoint, "http://h/compute/v2.1");
            assert_eq!(reason.matches("HTTP 503").count(), 3, "{reason}");
        }
        other => panic!("{other:?}"),
    }
}
