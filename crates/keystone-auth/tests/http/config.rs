//! Configuration from the environment and from clouds.yaml, used for real.

use std::collections::HashMap;

use http::{HeaderMap, Method, StatusCode};
use keystone_auth::{Adapter, CloudConfig, ConfigSearch};
use mock_cloud::seed;

use super::support::cloud;

#[tokio::test]
async fn env_variables_give_a_working_session() {
    let cloud = cloud().await;
    let env: HashMap<String, String> = [
        ("OS_AUTH_URL", cloud.auth_url()),
        ("OS_USERNAME", "demo"),
        ("OS_PASSWORD", seed::DEMO_PASSWORD),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_PROJECT_NAME", "demo"),
        ("OS_PROJECT_DOMAIN_ID", "default"),
        ("OS_REGION_NAME", "RegionOne"),
        ("OS_INTERFACE", "public"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let config = CloudConfig::load(&env, &ConfigSearch::default(), None).unwrap();
    let session = config.session_builder().unwrap().build().unwrap();
    let compute = Adapter::new(session, config.endpoint_filter("compute"));
    let response = compute
        .send(Method::GET, "flavors", HeaderMap::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn clouds_yaml_and_secure_yaml_give_a_working_session() {
    let cloud = cloud().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clouds.yaml"),
        format!(
            "clouds:\n  mock:\n    auth:\n      auth_url: {}\n      application_credential_id: {}\n    auth_type: v3applicationcredential\n    region_name: RegionOne\n",
            cloud.auth_url(),
            seed::DEMO_APPCRED_ID
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("secure.yaml"),
        format!(
            "clouds:\n  mock:\n    auth:\n      application_credential_secret: {}\n",
            seed::DEMO_APPCRED_SECRET
        ),
    )
    .unwrap();
    let env: HashMap<String, String> = [("OS_CLOUD".to_owned(), "mock".to_owned())].into();
    let config =
        CloudConfig::load(&env, &ConfigSearch::in_dirs([dir.path().to_owned()]), None).unwrap();
    let session = config.session_builder().unwrap().build().unwrap();
    let access = session.access_info().await.unwrap();
    assert_eq!(access.project.as_ref().unwrap().id, seed::DEMO_PROJECT_ID);
    let compute = Adapter::new(session, config.endpoint_filter("compute"));
    assert_eq!(
        compute.endpoint().await.unwrap().as_str(),
        cloud.compute_url()
    );
}
