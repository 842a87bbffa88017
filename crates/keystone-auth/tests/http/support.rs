//! Shared helpers: a running mock cloud and sessions with instant sleeps.

use std::sync::Arc;

use keystone_auth::clock::RecordingSleeper;
use keystone_auth::{DomainRef, Password, Scope, Session, SessionBuilder, UserRef};
use mock_cloud::{MockCloud, MockConfig, seed};

/// The token request route as the mock counts it.
pub const TOKENS: &str = "POST /identity/v3/auth/tokens";
/// The flavor list route.
pub const FLAVORS: &str = "GET /compute/v2.1/flavors";

pub async fn cloud() -> MockCloud {
    MockCloud::start(MockConfig::default())
        .await
        .expect("mock cloud starts")
}

/// User demo (by name in domain Default), scoped to project demo by name.
pub fn demo_password(cloud: &MockCloud) -> Password {
    Password::new(
        cloud.auth_url(),
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        seed::DEMO_PASSWORD,
    )
    .scope(Scope::project_name("demo", DomainRef::name("Default")))
}

/// A builder whose backoff sleeps return at once and are recorded.
pub fn builder(
    plugin: impl keystone_auth::AuthPlugin + 'static,
) -> (SessionBuilder, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::new());
    let builder = Session::builder(plugin).sleeper(sleeper.clone());
    (builder, sleeper)
}

pub fn session(plugin: impl keystone_auth::AuthPlugin + 'static) -> Session {
    builder(plugin).0.build().expect("session builds")
}
