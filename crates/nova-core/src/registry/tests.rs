use super::*;
use crate::test_support::{FAKE_V2, mock_client};

#[test]
fn explicit_registration_and_lookup() {
    let registry = Registry::new()
        .with(FAKE_V2)
        .unwrap_or_else(|e| panic!("{e}"));
    let reg = registry.get(2).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (reg.name, reg.range().to_string()),
        ("fake-v2", "2.1 to 2.104".to_owned())
    );
    assert_eq!(registry.majors(), vec![2]);
    match registry.get(3) {
        Err(Error::UnknownMajor { major, registered }) => {
            assert_eq!((major, registered), (3, vec![2]))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn explicit_duplicate_is_refused_and_changes_nothing() {
    let mut registry = Registry::new();
    registry.register(FAKE_V2).unwrap_or_else(|e| panic!("{e}"));
    let other = ClientRegistration {
        name: "another-v2",
        ..FAKE_V2
    };
    match registry.register(other) {
        Err(Error::DuplicateMajor { major, names }) => {
            assert_eq!((major, names), (2, vec!["another-v2", "fake-v2"]));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(registry.get(2).map(|r| r.name).ok(), Some("fake-v2"));
}

#[test]
fn registration_ranges_are_checked() {
    let wrong_major = ClientRegistration {
        major: 3,
        ..FAKE_V2
    };
    assert!(matches!(
        Registry::new().register(wrong_major),
        Err(Error::InvalidVersion { .. })
    ));
    let reversed = ClientRegistration {
        min: MicroVersion::new(2, 9),
        max: MicroVersion::new(2, 1),
        ..FAKE_V2
    };
    assert!(matches!(
        Registry::new().register(reversed),
        Err(Error::InvalidVersion { .. })
    ));
}

#[test]
fn inventory_duplicates_are_reported_not_resolved_by_link_order() {
    let global = Registry::global();
    match global.get(90) {
        Err(Error::DuplicateMajor { major, names }) => {
            assert_eq!((major, names), (90, vec!["dup-a", "dup-b"]));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(global.get(91).map(|r| r.name).ok(), Some("fake-91"));
    assert!(global.majors().contains(&90) && global.majors().contains(&91));
    assert!(global.registrations().all(|r| r.major != 90));
    assert_eq!(global.duplicates().count(), 1);
    // built once
    assert!(std::ptr::eq(global, Registry::global()));
}

#[test]
fn duplicate_display_names_both() {
    let mut r = Registry::new();
    let _ = r.register(ClientRegistration {
        name: "x",
        factory: mock_client,
        ..FAKE_V2
    });
    let e = r
        .register(FAKE_V2)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        e,
        "more than one compute client is registered for major version 2: fake-v2, x"
    );
}
