//! TOTP, multi-factor rules and auth receipts over HTTP against mock-cloud's
//! Keystone (user `mfa`: password + totp credential, rule `[password, totp]`).

use std::time::Duration;

use http::StatusCode;
use keystone_auth::{DomainRef, Error, Factor, MultiFactor, Password, Scope, Totp, UserRef};
use mock_cloud::keystone::totp;
use mock_cloud::{MockCloud, MockConfig, seed};
use secrecy::ExposeSecret;

use super::support::{FLAVORS, TOKENS, session};

/// A mock cloud whose seed also holds user `mfa`.
pub async fn mfa_cloud() -> MockCloud {
    let mut config = MockConfig::default();
    seed::add_mfa_user(&mut config.keystone);
    MockCloud::start(config).await.expect("mock cloud starts")
}

fn mfa_user() -> UserRef {
    UserRef::name_in_domain("mfa", DomainRef::name("Default"))
}

fn demo_scope() -> Scope {
    Scope::project_name("demo", DomainRef::name("Default"))
}

/// The passcode user `mfa`'s authenticator shows at the mock's clock.
pub fn passcode_now(cloud: &MockCloud) -> String {
    totp::passcode(seed::MFA_TOTP_SECRET, cloud.control().state().now()).expect("base32 secret")
}

/// A passcode that is neither the current one nor the one before it.
fn wrong_passcode(cloud: &MockCloud) -> String {
    let now = cloud.control().state().now();
    ["000000", "111111", "222222"]
        .into_iter()
        .find(|c| !totp::verify(seed::MFA_TOTP_SECRET, c, now))
        .expect("three codes cannot all be valid")
        .to_owned()
}

fn password_and_totp(cloud: &MockCloud, passcode: &str) -> MultiFactor {
    MultiFactor::new(cloud.auth_url())
        .factor(Factor::password(mfa_user(), seed::MFA_PASSWORD))
        .factor(Factor::totp(mfa_user(), passcode))
        .scope(demo_scope())
}

#[tokio::test]
async fn password_and_totp_in_one_request_satisfy_the_rule() {
    let cloud = mfa_cloud().await;
    let plugin = password_and_totp(&cloud, &passcode_now(&cloud));
    let s = session(plugin);
    let access = s.access_info().await.unwrap();
    let mut methods = access.methods.clone();
    methods.sort();
    assert_eq!(methods, ["password", "totp"]);
    assert_eq!(access.user.as_ref().unwrap().id, seed::MFA_USER_ID);
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    let compute = keystone_auth::Adapter::new(s, keystone_auth::EndpointFilter::new("compute"));
    let response = compute
        .send(http::Method::GET, "flavors", http::HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(cloud.count(TOKENS), 1);
    assert_eq!(cloud.count(FLAVORS), 1);
}

#[tokio::test]
async fn totp_alone_is_a_missing_factor_with_a_receipt() {
    let cloud = mfa_cloud().await;
    let plugin = Totp::new(cloud.auth_url(), mfa_user(), passcode_now(&cloud)).scope(demo_scope());
    let err = session(plugin).access_info().await.unwrap_err();
    let Error::AuthReceiptRequired(receipt) = &err else {
        panic!("expected a receipt, got {err:?}");
    };
    assert_eq!(receipt.methods, ["totp"]);
    assert_eq!(receipt.missing_methods(), ["password"]);
    assert_eq!(receipt.user_id.as_deref(), Some(seed::MFA_USER_ID));
    assert!(err.to_string().contains("missing password"), "{err}");
}

#[tokio::test]
async fn password_alone_gets_a_receipt_and_the_receipt_plus_totp_gets_the_token() {
    let cloud = mfa_cloud().await;
    let first = Password::new(cloud.auth_url(), mfa_user(), seed::MFA_PASSWORD).scope(demo_scope());
    let err = session(first).access_info().await.unwrap_err();
    let Error::AuthReceiptRequired(receipt) = err else {
        panic!("expected a receipt, got {err:?}");
    };
    assert_eq!(receipt.methods, ["password"]);
    assert_eq!(receipt.required_auth_methods, [["password", "totp"]]);
    assert_eq!(receipt.missing_methods(), ["totp"]);
    let expires = receipt.expires_at.expect("receipt expiry");
    let issued_ttl = expires - cloud.control().state().now();
    assert!(
        issued_ttl <= chrono::Duration::seconds(300) && issued_ttl > chrono::Duration::seconds(200),
        "Keystone's receipts live 300 s: {issued_ttl}"
    );
    let receipt_id = receipt.secret().expose_secret().to_owned();
    assert!(!format!("{receipt:?} {receipt}").contains(&receipt_id));

    let second = MultiFactor::new(cloud.auth_url())
        .factor(Factor::totp(mfa_user(), passcode_now(&cloud)))
        .scope(demo_scope())
        .receipt(*receipt);
    let access = session(second).access_info().await.unwrap();
    let mut methods = access.methods.clone();
    methods.sort();
    assert_eq!(methods, ["password", "totp"], "the receipt's method counts");
    assert_eq!(cloud.count(TOKENS), 2);
}

#[tokio::test]
async fn wrong_passcode_is_a_plain_401_without_receipt() {
    let cloud = mfa_cloud().await;
    let wrong = wrong_passcode(&cloud);
    let err = session(password_and_totp(&cloud, &wrong))
        .access_info()
        .await
        .unwrap_err();
    assert!(
        !matches!(err, Error::AuthReceiptRequired(_)),
        "a failed factor gets no receipt: {err:?}"
    );
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(err.to_string().contains("requires authentication"), "{err}");
    assert!(!format!("{err} {err:?}").contains(&wrong));
}

#[tokio::test]
async fn a_passcode_of_an_earlier_window_is_refused() {
    let cloud = mfa_cloud().await;
    let old = passcode_now(&cloud);
    // Keystone accepts the current window and one before it (included_previous_windows = 1)
    cloud.control().advance_clock(Duration::from_secs(90));
    if totp::verify(seed::MFA_TOTP_SECRET, &old, cloud.control().state().now()) {
        return; // the old code happens to equal a current one (1 in 500,000)
    }
    let err = session(password_and_totp(&cloud, &old))
        .access_info()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(!matches!(err, Error::AuthReceiptRequired(_)));
}

#[tokio::test]
async fn an_expired_receipt_is_refused() {
    let cloud = mfa_cloud().await;
    let first = Password::new(cloud.auth_url(), mfa_user(), seed::MFA_PASSWORD).scope(demo_scope());
    let Error::AuthReceiptRequired(receipt) = session(first).access_info().await.unwrap_err()
    else {
        panic!("expected a receipt");
    };
    let receipt_id = receipt.secret().expose_secret().to_owned();
    cloud.control().advance_clock(Duration::from_secs(301));
    let late = MultiFactor::new(cloud.auth_url())
        .factor(Factor::totp(mfa_user(), passcode_now(&cloud)))
        .scope(demo_scope())
        .receipt(*receipt);
    let err = session(late).access_info().await.unwrap_err();
    // Keystone's ReceiptNotFound: a plain 401, raised before the rules are checked
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(!matches!(err, Error::AuthReceiptRequired(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(
        shown.contains("Could not find auth receipt: ***"),
        "{shown}"
    );
    assert!(
        !shown.contains(&receipt_id),
        "Keystone quotes the receipt; the error masks it"
    );
}

#[tokio::test]
async fn a_receipt_of_another_user_is_refused() {
    let mut config = MockConfig::default();
    seed::add_mfa_user(&mut config.keystone);
    let mut other = seed::mfa_user();
    other.id = "0ther0000000000000000000000000000".into();
    other.name = "mfa2".into();
    config.keystone.users.push(other);
    let cloud = MockCloud::start(config).await.unwrap();
    let first = Password::new(cloud.auth_url(), mfa_user(), seed::MFA_PASSWORD);
    let Error::AuthReceiptRequired(receipt) = session(first).access_info().await.unwrap_err()
    else {
        panic!("expected a receipt");
    };
    let stolen = MultiFactor::new(cloud.auth_url())
        .factor(Factor::totp(
            UserRef::name_in_domain("mfa2", DomainRef::name("Default")),
            passcode_now(&cloud),
        ))
        .receipt(*receipt);
    let err = session(stolen).access_info().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(!matches!(err, Error::AuthReceiptRequired(_)), "{err:?}");
}

#[tokio::test]
async fn totp_alone_works_for_a_user_without_rules() {
    let mut config = MockConfig::default();
    let mut user = seed::mfa_user();
    user.options = Default::default();
    config.keystone.users.push(user);
    let cloud = MockCloud::start(config).await.unwrap();
    let plugin = Totp::new(
        cloud.auth_url(),
        UserRef::id(seed::MFA_USER_ID),
        passcode_now(&cloud),
    );
    let access = session(plugin).access_info().await.unwrap();
    assert_eq!(access.methods, ["totp"]);
    // and the rule disabled is the same as no rule
    let mut config = MockConfig::default();
    let mut user = seed::mfa_user();
    user.options.multi_factor_auth_enabled = Some(false);
    config.keystone.users.push(user);
    let cloud = MockCloud::start(config).await.unwrap();
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::id(seed::MFA_USER_ID),
        seed::MFA_PASSWORD,
    );
    assert_eq!(
        session(plugin).access_info().await.unwrap().methods,
        ["password"]
    );
}
