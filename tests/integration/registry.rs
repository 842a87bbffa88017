//! The major-version registry as a normal binary sees it: nova-v2 is found for
//! major 2 because this binary links it (`use nova_v2 as _;` in main.rs).

use std::sync::Arc;

use integration_tests::TestCloud;
use nova_core::{Client, Error, MicroVersion, Registry};

#[test]
fn major_2_is_registered_once_by_nova_v2() {
    let registry = Registry::global();
    assert_eq!(registry.majors(), vec![2]);
    assert_eq!(registry.duplicates().count(), 0);
    let v2 = registry.get(2).expect("major 2 is registered");
    assert_eq!(v2.min, MicroVersion::new(2, 1));
    assert!(
        v2.max >= MicroVersion::new(2, 104),
        "nova-v2 supports up to {}",
        v2.max
    );
}

#[tokio::test]
async fn client_new_dispatches_to_the_v2_client_which_talks_to_the_cloud() {
    let cloud = TestCloud::start().await;
    let client =
        Client::new("2.60", Arc::new(cloud.compute_adapter())).expect("2.60 is a v2 version");
    assert_eq!(client.microversion(), MicroVersion::new(2, 60));
    let flavors = client
        .flavors()
        .list(&Default::default())
        .await
        .expect("flavor list");
    assert_eq!(flavors.microversion, MicroVersion::new(2, 60));
    assert!(!flavors.value.items.is_empty(), "the cloud has flavors");
}

#[tokio::test]
async fn client_new_refuses_latest_and_unknown_majors_with_clear_errors() {
    let cloud = TestCloud::start().await;
    let transport = Arc::new(cloud.compute_adapter());
    let latest =
        Client::new("2.latest", transport.clone()).expect_err("latest must be resolved first");
    assert!(
        matches!(latest, Error::LatestNotResolved { .. }),
        "{latest:?}"
    );
    assert!(latest.to_string().contains("negotiate"), "{latest}");

    let unknown = Client::new("3.0", transport.clone()).expect_err("no major 3 in this binary");
    match &unknown {
        Error::UnknownMajor { major, registered } => {
            assert_eq!(*major, 3);
            assert_eq!(registered, &vec![2]);
        }
        other => panic!("expected UnknownMajor, got {other:?}"),
    }

    let malformed = Client::new("v2.1", transport).expect_err("v2.1 is not Nova's grammar");
    assert!(
        malformed.to_string().contains("v2.1"),
        "the error quotes the input: {malformed}"
    );
}
