//! Redirects: followed by us, the token never crosses to another origin.

use http::{HeaderMap, Method, StatusCode};
use keystone_auth::{Adapter, EndpointFilter, Request};

use super::support::{cloud, demo_password, session};

fn encode(url: &str) -> String {
    url::form_urlencoded::byte_serialize(url.as_bytes()).collect()
}

#[tokio::test]
async fn same_origin_redirect_keeps_the_token() {
    let cloud = cloud().await;
    let s = session(demo_password(&cloud));
    let target = format!("{}/_mock/echo/same", cloud.url());
    let response = s
        .send(Request::get(format!(
            "{}/_mock/redirect?to={}",
            cloud.url(),
            encode(&target)
        )))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.url.as_str(), target);
    let log = cloud.control().echo_log();
    assert!(log.last().unwrap().header("x-auth-token").is_some());
}

#[tokio::test]
async fn cross_origin_redirect_drops_the_token() {
    let cloud = cloud().await;
    let other = super::support::cloud().await;
    let s = session(demo_password(&cloud));
    for status in [302, 307] {
        let target = format!("{}/_mock/echo/elsewhere", other.url());
        let response = s
            .send(Request::get(format!(
                "{}/_mock/redirect?to={}&status={status}",
                cloud.url(),
                encode(&target)
            )))
            .await
            .unwrap();
        assert_eq!(response.status, StatusCode::OK, "{status}");
        let log = other.control().echo_log();
        let record = log.last().unwrap();
        assert_eq!(record.path, "/_mock/echo/elsewhere");
        assert!(
            record.header("x-auth-token").is_none(),
            "{status}: {record:?}"
        );
    }
}

#[tokio::test]
async fn absolute_url_to_an_untrusted_origin_gets_no_token() {
    let cloud = cloud().await;
    let other = super::support::cloud().await;
    let compute = Adapter::new(
        session(demo_password(&cloud)),
        EndpointFilter::new("compute"),
    );
    let response = compute
        .send(
            Method::GET,
            &format!("{}/_mock/echo/next", other.url()),
            HeaderMap::new(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        other
            .control()
            .echo_log()
            .last()
            .unwrap()
            .header("x-auth-token")
            .is_none()
    );
    // while an absolute URL on the trusted origin does get it
    compute
        .send(
            Method::GET,
            &format!("{}/_mock/echo/next", cloud.url()),
            HeaderMap::new(),
            None,
        )
        .await
        .unwrap();
    assert!(
        cloud
            .control()
            .echo_log()
            .last()
            .unwrap()
            .header("x-auth-token")
            .is_some()
    );
}

#[tokio::test]
async fn redirect_chains_are_bounded() {
    let cloud = cloud().await;
    let mut url = format!("{}/_mock/echo/end", cloud.url());
    for _ in 0..5 {
        url = format!("{}/_mock/redirect?to={}", cloud.url(), encode(&url));
    }
    let strict = super::support::builder(demo_password(&cloud))
        .0
        .max_redirects(3)
        .build()
        .unwrap();
    let err = strict.send(Request::get(url.clone())).await.unwrap_err();
    assert!(
        matches!(err, keystone_auth::Error::TooManyRedirects { limit: 3, .. }),
        "{err:?}"
    );
    let response = session(demo_password(&cloud))
        .send(Request::get(url))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.url.path(), "/_mock/echo/end");
}
