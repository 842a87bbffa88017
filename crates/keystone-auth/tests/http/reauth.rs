//! Proactive and 401-driven re-authentication, single-flight.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use http::{HeaderMap, Method, StatusCode};
use keystone_auth::clock::ManualClock;
use keystone_auth::{Adapter, EndpointFilter};

use super::support::{FLAVORS, TOKENS, builder, cloud, demo_password, session};

#[tokio::test]
async fn renews_before_expiry_by_the_injected_clock() {
    let cloud = cloud().await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let s = builder(demo_password(&cloud))
        .0
        .clock(clock.clone())
        .build()
        .unwrap();
    let compute = Adapter::new(s.clone(), EndpointFilter::new("compute"));
    let get = || compute.send(Method::GET, "flavors", HeaderMap::new(), None);
    assert_eq!(get().await.unwrap().status, StatusCode::OK);
    assert_eq!(cloud.count(TOKENS), 1);
    let ttl = cloud.control().token_ttl();
    // still outside the 30 s margin: no renewal
    let advance = |by: Duration| {
        clock.advance(by);
        cloud.control().advance_clock(by);
    };
    advance(ttl - Duration::from_secs(60));
    assert_eq!(get().await.unwrap().status, StatusCode::OK);
    assert_eq!(cloud.count(TOKENS), 1);
    // inside the margin: renewed before sending
    advance(Duration::from_secs(45));
    assert_eq!(get().await.unwrap().status, StatusCode::OK);
    assert_eq!(cloud.count(TOKENS), 2);
    assert_eq!(cloud.count(FLAVORS), 3, "no request was answered 401");
}

#[tokio::test]
async fn configurable_margin() {
    let cloud = cloud().await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let s = builder(demo_password(&cloud))
        .0
        .clock(clock.clone())
        .reauth_margin(Duration::from_secs(600))
        .build()
        .unwrap();
    s.access_info().await.unwrap();
    let by = cloud.control().token_ttl() - Duration::from_secs(599);
    clock.advance(by);
    cloud.control().advance_clock(by);
    s.access_info().await.unwrap();
    assert_eq!(cloud.count(TOKENS), 2);
}

#[tokio::test]
async fn a_401_causes_one_reauth_and_a_replay() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let compute = Adapter::new(s, EndpointFilter::new("compute"));
    let get = || compute.send(Method::GET, "flavors", HeaderMap::new(), None);
    assert_eq!(get().await.unwrap().status, StatusCode::OK);
    assert!(cloud.control().revoke_all_tokens() >= 1);
    assert_eq!(get().await.unwrap().status, StatusCode::OK);
    assert_eq!(cloud.count(TOKENS), 2);
    assert_eq!(cloud.count(FLAVORS), 3, "one 401 then one replay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_requests_meeting_a_revoked_token_reauth_once() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let compute = Adapter::new(s, EndpointFilter::new("compute"));
    compute.endpoint().await.unwrap();
    assert_eq!(cloud.count(TOKENS), 1);
    cloud.control().revoke_all_tokens();
    let requests = (0..100).map(|_| {
        let compute = compute.clone();
        tokio::spawn(async move {
            compute
                .send(Method::GET, "flavors", HeaderMap::new(), None)
                .await
        })
    });
    for result in futures::future::join_all(requests).await {
        assert_eq!(result.unwrap().unwrap().status, StatusCode::OK);
    }
    assert_eq!(cloud.count(TOKENS), 2, "exactly one new token request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_requests_meeting_an_expired_token_reauth_once() {
    let cloud = cloud().await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let s = builder(demo_password(&cloud))
        .0
        .clock(clock.clone())
        .build()
        .unwrap();
    let compute = Adapter::new(s, EndpointFilter::new("compute"));
    compute.endpoint().await.unwrap();
    let by = cloud.control().token_ttl() + Duration::from_secs(1);
    clock.advance(by);
    cloud.control().advance_clock(by);
    let requests = (0..100).map(|_| {
        let compute = compute.clone();
        tokio::spawn(async move {
            compute
                .send(Method::GET, "flavors", HeaderMap::new(), None)
                .await
        })
    });
    for result in futures::future::join_all(requests).await {
        assert_eq!(result.unwrap().unwrap().status, StatusCode::OK);
    }
    assert_eq!(cloud.count(TOKENS), 2, "exactly one new token request");
    assert_eq!(cloud.count(FLAVORS), 100);
}

#[tokio::test]
async fn a_client_clock_far_ahead_does_not_cause_a_token_per_request() {
    let cloud = cloud().await;
    let skewed = Utc::now() + chrono::Duration::hours(5);
    let clock = Arc::new(ManualClock::new(skewed));
    let s = builder(demo_password(&cloud))
        .0
        .clock(clock.clone())
        .build()
        .unwrap();
    let compute = Adapter::new(s, EndpointFilter::new("compute"));
    for _ in 0..5 {
        let response = compute
            .send(Method::GET, "flavors", HeaderMap::new(), None)
            .await
            .unwrap();
        assert_eq!(response.status, StatusCode::OK);
    }
    assert_eq!(cloud.count(TOKENS), 1);
    // the lifetime still counts on our clock
    clock.advance(cloud.control().token_ttl());
    cloud.control().advance_clock(cloud.control().token_ttl());
    compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(cloud.count(TOKENS), 2);
}
