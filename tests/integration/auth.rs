//! Identity: the configured user gets a token and a catalog with compute.

use integration_tests::TestCloud;
use keystone_auth::EndpointFilter;
use secrecy::SecretString;

#[tokio::test]
async fn configured_user_gets_a_scoped_token_with_a_compute_endpoint() {
    let cloud = TestCloud::start().await;
    let session = cloud.session();
    let access = session
        .access_info()
        .await
        .expect("authentication succeeds");
    assert!(access.project.is_some(), "the token is project-scoped");
    let expires_at = access.expires_at.expect("Keystone tokens carry expires_at");
    assert!(
        expires_at > chrono::Utc::now(),
        "the token expires in the future: {expires_at}"
    );
    let endpoint = cloud
        .compute_adapter()
        .endpoint()
        .await
        .expect("the catalog has a compute endpoint");
    assert!(endpoint.scheme() == "http" || endpoint.scheme() == "https");
}

#[tokio::test]
async fn wrong_password_is_a_401_that_does_not_repeat_the_password() {
    let cloud = TestCloud::start().await;
    let mut config = cloud.config().clone();
    let wrong = "definitely-not-the-password-7d1f";
    config.auth.password = Some(SecretString::from(wrong));
    let session = config
        .session_builder()
        .expect("plugin")
        .build()
        .expect("session");
    let error = session
        .access_info()
        .await
        .expect_err("a wrong password is refused");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error}");
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(wrong),
        "the error shows the password: {shown}"
    );
}

#[tokio::test]
async fn a_service_missing_from_the_catalog_is_named_with_what_is_offered() {
    let cloud = TestCloud::start().await;
    let session = cloud.session();
    let error = session
        .endpoint_for(&EndpointFilter::new("no-such-service"))
        .await
        .expect_err("no endpoint for an unknown service type");
    let message = error.to_string();
    assert!(message.contains("no-such-service"), "{message}");
    assert!(
        message.contains("compute"),
        "the offered services are listed: {message}"
    );
}
