//! Shared rig of the reliability tests (the fault matrix, hostile input, the
//! leak and trust tests): a mock-cloud with room for many servers, sessions
//! whose backoff sleeps are recorded instead of waited, and the mock's fault
//! powers over its control API.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use integration_tests::TestCloud;
use keystone_auth::clock::RecordingSleeper;
use keystone_auth::{Adapter, Request, RetryPolicy, Session, SessionBuilder, StaticToken};
use mock_cloud::{Fault, MockConfig};
use nova_core::Client;
use nova_core::compute::ComputeClient;
use nova_core::types::{CreateServer, Networks};
use serde_json::Value;

/// `GET /servers/{id}`.
pub const GET_SERVER: &str = "GET /compute/v2.1/servers/{id}";
/// `GET /servers/detail` (a listing).
pub const LIST: &str = "GET /compute/v2.1/servers/detail";
/// `POST /servers`.
pub const CREATE: &str = "POST /compute/v2.1/servers";
/// Keystone's token route.
pub const TOKENS: &str = "POST /identity/v3/auth/tokens";
/// The microversion the matrix speaks.
pub const VERSION: &str = "2.60";
/// Image `cirros-0.6.2` of the mock's seed.
pub const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
/// Flavor `m1.tiny` of the mock's seed.
pub const FLAVOR: &str = "1";

/// A mock-cloud, its fault powers, and the sleeper of the sessions made here.
pub struct Rig {
    /// The cloud (keeps the in-process mock alive).
    pub cloud: TestCloud,
    /// The control API.
    pub powers: Powers,
    /// Records every backoff the sessions asked for; returns at once.
    pub sleeper: Arc<RecordingSleeper>,
}

impl Rig {
    /// A mock-cloud with quotas large enough for the long runs, or `None`
    /// (the test is skipped) when the suite targets a real cloud.
    pub async fn start() -> Option<Rig> {
        let mut config = MockConfig::default();
        config.nova.instance_quota = 100_000;
        config.nova.cores_quota = 100_000;
        config.nova.ram_quota = u32::MAX / 2;
        Self::start_with(config).await
    }

    /// Like [`Rig::start`] with a given configuration.
    pub async fn start_with(config: MockConfig) -> Option<Rig> {
        let cloud = TestCloud::start_mock(config).await?;
        let url = cloud.mock()?.url().to_string();
        Some(Rig {
            cloud,
            powers: Powers::new(&url),
            sleeper: Arc::new(RecordingSleeper::new()),
        })
    }

    /// A session builder for the demo user whose backoff goes to the
    /// recording sleeper (so retries cost no wall-clock time).
    pub fn session_builder(&self) -> SessionBuilder {
        self.cloud
            .config()
            .session_builder()
            .expect("the mock configuration names an auth method")
            .app_name("reliability-tests")
            .sleeper(self.sleeper.clone())
            .retry_policy(RetryPolicy::default())
    }

    /// A session with the default retry rules.
    pub fn session(&self) -> Session {
        self.session_builder().build().expect("session builds")
    }

    /// The compute adapter of `session`.
    pub fn adapter(&self, session: Session) -> Adapter {
        Adapter::new(session, self.cloud.config().endpoint_filter("compute"))
    }

    /// A compute client at [`VERSION`] over `session` (no discovery request).
    pub fn compute_over(&self, session: Session) -> Box<dyn ComputeClient> {
        Client::new(VERSION, Arc::new(self.adapter(session))).expect("2.60 is a valid version")
    }

    /// A compute client at [`VERSION`] over a new session.
    pub fn compute(&self) -> Box<dyn ComputeClient> {
        self.compute_over(self.session())
    }

    /// Total backoff sleeps requested so far.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeper.slept()
    }

    /// Requests seen on `route`.
    pub async fn count(&self, route: &str) -> u64 {
        self.cloud.mock().expect("mock").count(route).await
    }

    /// Zeroes the mock's request counters.
    pub async fn reset_counts(&self) {
        self.cloud.mock().expect("mock").reset_counts().await;
    }

    /// Servers in the mock.
    pub async fn server_count(&self) -> u64 {
        self.cloud.mock().expect("mock").server_count().await
    }

    /// Creates one server without faults (for the read tests) and returns its id.
    pub async fn seed_server(&self, name: &str) -> String {
        let created = self
            .compute()
            .servers()
            .create(&create_request(name))
            .await
            .expect("a create without faults succeeds");
        created.value.id
    }
}

/// The create request every reliability test sends.
pub fn create_request(name: &str) -> CreateServer {
    CreateServer::new(name, FLAVOR)
        .image(IMAGE)
        .networks(Networks::Auto)
}

/// The mock's fault powers over its control API (`/_mock/...`).
pub struct Powers {
    base: String,
    http: Session,
}

impl Powers {
    fn new(base: &str) -> Powers {
        let http = Session::builder(StaticToken::new("control-api-needs-no-token"))
            .app_name("reliability-tests")
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("plain HTTP session builds");
        Powers {
            base: base.trim_end_matches('/').to_string(),
            http,
        }
    }

    async fn call(&self, request: Request) -> Value {
        let response = self
            .http
            .send(request.authenticated(false))
            .await
            .expect("the mock's control API answers")
            .error_for_status()
            .expect("the control call succeeds");
        if response.body.is_empty() {
            Value::Null
        } else {
            response.json().expect("control API answers JSON")
        }
    }

    fn at(&self, path: &str) -> String {
        format!("{}/_mock{path}", self.base)
    }

    /// Adds a fault.
    pub async fn add(&self, fault: Fault) {
        self.call(Request::post(self.at("/faults")).json(&fault))
            .await;
    }

    /// Removes every fault.
    pub async fn clear(&self) {
        self.call(Request::delete(self.at("/faults"))).await;
    }

    /// Seeds probabilistic faults.
    pub async fn seed(&self, seed: u64) {
        self.call(Request::put(self.at("/faults/seed")).json(&serde_json::json!({ "seed": seed })))
            .await;
    }

    /// Faults fired so far, per `"METHOD /route action"`.
    pub async fn fired(&self) -> BTreeMap<String, u64> {
        serde_json::from_value(self.call(Request::get(self.at("/faults/fired"))).await)
            .expect("a map of numbers")
    }

    /// Expires every token now; returns how many.
    pub async fn expire_tokens(&self) -> u64 {
        self.call(Request::post(self.at("/tokens/expire"))).await["expired"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Every token the mock issued and did not revoke.
    pub async fn issued_tokens(&self) -> Vec<String> {
        serde_json::from_value(self.call(Request::get(self.at("/tokens"))).await["tokens"].clone())
            .expect("a list of token ids")
    }

    /// Drops a service type from the catalog of new tokens.
    pub async fn remove_catalog_service(&self, service_type: &str) -> u64 {
        self.call(Request::delete(
            self.at(&format!("/catalog/{service_type}")),
        ))
        .await["removed"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Makes the compute version documents answer 404.
    pub async fn hide_version_documents(&self) {
        self.call(Request::post(self.at("/compute/versions/hide")))
            .await;
    }
}
