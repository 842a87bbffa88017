//! Every plugin and scope against the mock Keystone.

use http::StatusCode;
use keystone_auth::{
    ApplicationCredential, DomainRef, EndpointFilter, Error, ErrorBodyKind, Password, Request,
    Scope, StaticToken, Token, UserRef,
};
use mock_cloud::seed;
use secrecy::ExposeSecret;

use super::support::{FLAVORS, TOKENS, cloud, demo_password, session};

#[tokio::test]
async fn password_by_name_with_project_name_scope() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let access = s.access_info().await.unwrap();
    let project = access.project.as_ref().expect("project scoped");
    assert_eq!(project.id, seed::DEMO_PROJECT_ID);
    assert_eq!(project.name.as_deref(), Some("demo"));
    assert!(
        access.role_names().contains(&"member"),
        "{:?}",
        access.roles
    );
    assert_eq!(access.user.as_ref().unwrap().id, seed::DEMO_USER_ID);
    assert!(access.expires_at.is_some());
    assert!(!access.token().expose_secret().is_empty());
    assert_eq!(
        access
            .catalog
            .endpoint_for(&EndpointFilter::new("compute"))
            .unwrap()
            .as_str(),
        cloud.compute_url()
    );
    // cached: a second call makes no new token request
    s.access_info().await.unwrap();
    assert_eq!(cloud.count(TOKENS), 1);
}

#[tokio::test]
async fn password_by_ids_with_project_id_scope() {
    let cloud = cloud().await;
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::id(seed::DEMO_USER_ID),
        seed::DEMO_PASSWORD,
    )
    .scope(Scope::project_id(seed::DEMO_PROJECT_ID));
    let access = session(plugin).access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
}

#[tokio::test]
async fn password_with_domain_ids() {
    let cloud = cloud().await;
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::name_in_domain("admin", DomainRef::id(seed::DEFAULT_DOMAIN_ID)),
        seed::ADMIN_PASSWORD,
    )
    .scope(Scope::project_name(
        "admin",
        DomainRef::id(seed::DEFAULT_DOMAIN_ID),
    ));
    let access = session(plugin).access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::ADMIN_PROJECT_ID);
    assert!(access.role_names().contains(&"admin"));
}

#[tokio::test]
async fn domain_and_system_scopes() {
    let cloud = cloud().await;
    let admin = || {
        Password::new(
            cloud.auth_url(),
            UserRef::name_in_domain("admin", DomainRef::name("Default")),
            seed::ADMIN_PASSWORD,
        )
    };
    let domain = session(admin().scope(Scope::domain_name("Default")))
        .access_info()
        .await
        .unwrap();
    assert_eq!(
        domain.domain.as_ref().unwrap().id.as_deref(),
        Some(seed::DEFAULT_DOMAIN_ID)
    );
    assert!(domain.project.is_none());
    let by_id = session(admin().scope(Scope::domain_id(seed::DEFAULT_DOMAIN_ID)))
        .access_info()
        .await
        .unwrap();
    assert!(by_id.domain.is_some());
    let system = session(admin().scope(Scope::System))
        .access_info()
        .await
        .unwrap();
    assert!(system.system_scoped);
    assert!(system.project.is_none());
}

#[tokio::test]
async fn unscoped_explicitly_and_by_default() {
    let cloud = cloud().await;
    let plugin = || {
        Password::new(
            cloud.auth_url(),
            UserRef::name_in_domain("demo", DomainRef::name("Default")),
            seed::DEMO_PASSWORD,
        )
    };
    let explicit = session(plugin().scope(Scope::Unscoped))
        .access_info()
        .await
        .unwrap();
    assert!(explicit.project.is_none() && explicit.domain.is_none() && !explicit.system_scoped);
    let implicit = session(plugin()).access_info().await.unwrap();
    assert!(implicit.project.is_none());
}

#[tokio::test]
async fn token_plugin_rescopes_an_existing_token() {
    let cloud = cloud().await;
    let unscoped = session(
        Password::new(
            cloud.auth_url(),
            UserRef::name_in_domain("demo", DomainRef::name("Default")),
            seed::DEMO_PASSWORD,
        )
        .scope(Scope::Unscoped),
    )
    .access_info()
    .await
    .unwrap();
    let plugin = Token::new(cloud.auth_url(), unscoped.token().expose_secret())
        .scope(Scope::project_id(seed::DEMO_PROJECT_ID));
    let scoped = session(plugin).access_info().await.unwrap();
    assert_eq!(scoped.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    assert!(
        scoped.methods.iter().any(|m| m == "token"),
        "{:?}",
        scoped.methods
    );
    assert_ne!(
        scoped.token().expose_secret(),
        unscoped.token().expose_secret()
    );
}

#[tokio::test]
async fn application_credential_by_id_and_by_name() {
    let cloud = cloud().await;
    let by_id = session(ApplicationCredential::by_id(
        cloud.auth_url(),
        seed::DEMO_APPCRED_ID,
        seed::DEMO_APPCRED_SECRET,
    ))
    .access_info()
    .await
    .unwrap();
    assert_eq!(by_id.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    assert_eq!(
        by_id.application_credential.as_ref().unwrap().id,
        seed::DEMO_APPCRED_ID
    );
    let by_name = session(ApplicationCredential::by_name(
        cloud.auth_url(),
        seed::DEMO_APPCRED_NAME,
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        seed::DEMO_APPCRED_SECRET,
    ))
    .access_info()
    .await
    .unwrap();
    assert_eq!(by_name.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
}

#[tokio::test]
async fn static_token_with_endpoint_override() {
    let cloud = cloud().await;
    let real = session(demo_password(&cloud)).access_info().await.unwrap();
    let s = session(StaticToken::new(real.token().expose_secret()));
    let compute = keystone_auth::Adapter::new(s.clone(), EndpointFilter::new("compute"))
        .with_endpoint_override(cloud.compute_url());
    let response = compute
        .send(http::Method::GET, "flavors", http::HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(cloud.count(TOKENS), 1, "the static token needs no Keystone");

    // a bad static token: one 401, one replay, then the 401 is returned
    let bad = keystone_auth::Adapter::new(
        session(StaticToken::new("not-a-token")),
        EndpointFilter::new("compute"),
    )
    .with_endpoint_override(cloud.compute_url());
    let before = cloud.count(FLAVORS);
    let response = bad
        .send(http::Method::GET, "flavors", http::HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(cloud.count(FLAVORS) - before, 2);
    let err = response.error_for_status().unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn wrong_password_is_a_keystone_401() {
    let cloud = cloud().await;
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        "wrong-password",
    );
    let err = session(plugin).access_info().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(err.may_have_reached_server());
    let http = err.http().unwrap();
    assert_eq!(http.body_kind, ErrorBodyKind::Json);
    assert!(err.to_string().contains("requires authentication"), "{err}");
    assert!(!err.to_string().contains("wrong-password"));
    assert!(!format!("{err:?}").contains("wrong-password"));
}

#[tokio::test]
async fn invalid_auth_url_is_reported_without_sending() {
    let plugin = Password::new("not a url", UserRef::id("u"), "p");
    let err = session(plugin).access_info().await.unwrap_err();
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err:?}");
    assert!(!err.may_have_reached_server());
}

#[tokio::test]
async fn session_send_returns_any_status() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let response = s
        .send(Request::get(format!(
            "{}/flavors/does-not-exist",
            cloud.compute_url()
        )))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.request_id().is_some());
    let err = response.error_for_status().unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert!(err.request_id().is_some());
    assert!(err.to_string().contains("could not be found"), "{err}");
}
