//! Support for the integration suite in `tests/integration`: which cloud the
//! suite runs against, and the mock's special powers when that cloud is
//! mock-cloud.
//!
//! The target is chosen from the environment, in this order:
//! 1. `MOCK_CLOUD_URL` (+ `OS_*`): a mock-cloud binary started by
//!    `cargo xtask integration`; every test runs, mock powers over HTTP.
//! 2. `OS_CLOUD` or `OS_AUTH_URL`: any real cloud; tests that need mock powers
//!    (counters, faults, clock, seeding) are skipped and say so.
//! 3. Nothing: a mock-cloud started in-process for each test, so that plain
//!    `cargo test --workspace` runs the whole suite.
//!
//! ```no_run
//! # async fn example() {
//! let cloud = integration_tests::TestCloud::start().await;
//! let compute = cloud.compute("latest").await;
//! println!("{} speaks {}", cloud.name(), compute.microversion());
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use keystone_auth::{Adapter, CloudConfig, Request, Session, StaticToken};
use mock_cloud::{MockCloud, MockConfig};
use nova_core::compute::ComputeClient;
use nova_core::{Client, Requested};
use serde_json::Value;

/// The cloud one test runs against.
pub struct TestCloud {
    name: String,
    config: CloudConfig,
    mock: Option<MockControl>,
    /// Keeps an in-process mock alive for the test's duration.
    _in_process: Option<MockCloud>,
}

impl TestCloud {
    /// The target named by the environment, or a fresh in-process mock-cloud.
    pub async fn start() -> TestCloud {
        init_tracing();
        let env: HashMap<String, String> = std::env::vars().collect();
        let external = env.contains_key("OS_CLOUD") || env.contains_key("OS_AUTH_URL");
        if external {
            let config =
                CloudConfig::from_env().expect("OS_* / clouds.yaml configuration is valid");
            let mock = env
                .get("MOCK_CLOUD_URL")
                .map(|url| MockControl::new(url.trim_end_matches('/')));
            let name = match (&mock, env.get("OS_CLOUD")) {
                (Some(_), _) => "mock-cloud (binary)".to_string(),
                (None, Some(cloud)) => format!("cloud `{cloud}`"),
                (None, None) => "cloud from OS_* variables".to_string(),
            };
            return TestCloud {
                name,
                config,
                mock,
                _in_process: None,
            };
        }
        Self::in_process(MockConfig::default()).await
    }

    /// A mock-cloud with a special configuration (for example a lower maximum
    /// microversion), or `None` when the suite targets another cloud: such a
    /// test needs mock powers and is skipped there.
    pub async fn start_mock(config: MockConfig) -> Option<TestCloud> {
        init_tracing();
        if std::env::var_os("OS_CLOUD").is_some() || std::env::var_os("OS_AUTH_URL").is_some() {
            skip_notice("needs its own mock-cloud configuration");
            return None;
        }
        Some(Self::in_process(config).await)
    }

    async fn in_process(config: MockConfig) -> TestCloud {
        let cloud = MockCloud::start(config)
            .await
            .expect("mock-cloud starts on 127.0.0.1");
        let env = mock_env(cloud.auth_url());
        let config = CloudConfig::from_env_map(&env);
        TestCloud {
            name: "mock-cloud (in-process)".to_string(),
            config,
            mock: Some(MockControl::new(cloud.url())),
            _in_process: Some(cloud),
        }
    }

    /// A short description of the target, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cloud's configuration (what `OS_*` / clouds.yaml said).
    pub fn config(&self) -> &CloudConfig {
        &self.config
    }

    /// A new session authenticated as the configured user.
    pub fn session(&self) -> Session {
        self.config
            .session_builder()
            .expect("the configuration names an auth method")
            .app_name("integration-tests")
            .build()
            .expect("session builds")
    }

    /// An adapter for the compute service of a new session.
    pub fn compute_adapter(&self) -> Adapter {
        Adapter::new(self.session(), self.config.endpoint_filter("compute"))
    }

    /// A compute client negotiated through the registry (`"latest"`, `"2.60"`, ...).
    pub async fn compute(&self, version: &str) -> Box<dyn ComputeClient> {
        let requested: Requested = version.parse().expect("a valid requested version");
        Client::negotiate(requested, Arc::new(self.compute_adapter()))
            .await
            .expect("negotiation with the compute service succeeds")
    }

    /// The mock's powers, or `None` against a real cloud (the caller skips).
    pub fn mock(&self) -> Option<&MockControl> {
        if self.mock.is_none() {
            skip_notice("needs mock-cloud powers");
        }
        self.mock.as_ref()
    }
}

/// Prints why a test did not run against this target.
fn skip_notice(why: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    eprintln!("SKIPPED {test}: {why}; the target is not mock-cloud");
}

/// `OS_*` variables for the mock's seeded demo user.
pub fn mock_env(auth_url: &str) -> HashMap<String, String> {
    [
        ("OS_AUTH_URL", auth_url),
        ("OS_AUTH_TYPE", "password"),
        ("OS_USERNAME", "demo"),
        ("OS_PASSWORD", mock_cloud::seed::DEMO_PASSWORD),
        ("OS_PROJECT_NAME", "demo"),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_PROJECT_DOMAIN_NAME", "Default"),
        ("OS_REGION_NAME", "RegionOne"),
        ("OS_INTERFACE", "public"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value.to_string()))
    .collect()
}

/// Installs a test-friendly tracing subscriber once (honours `RUST_LOG`).
fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
}

/// mock-cloud's control API (`/_mock/...`), spoken over HTTP so that it works
/// the same for an in-process mock and for the binary.
pub struct MockControl {
    base: String,
    http: Session,
}

impl MockControl {
    fn new(base: &str) -> MockControl {
        let http = Session::builder(StaticToken::new("control-api-needs-no-token"))
            .app_name("integration-tests")
            .build()
            .expect("plain HTTP session builds");
        MockControl {
            base: base.to_string(),
            http,
        }
    }

    /// The mock's base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.base
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

    /// Requests seen per route template (`"POST /compute/v2.1/servers"`).
    pub async fn counts(&self) -> BTreeMap<String, u64> {
        serde_json::from_value(self.call(Request::get(self.at("/counters"))).await)
            .expect("counters are a map of numbers")
    }

    /// Requests seen on one route template (parameter names do not matter).
    pub async fn count(&self, route: &str) -> u64 {
        let wanted = normalize_route(route);
        self.counts()
            .await
            .into_iter()
            .filter(|(key, _)| normalize_route(key) == wanted)
            .map(|(_, n)| n)
            .sum()
    }

    /// Zeroes every counter.
    pub async fn reset_counts(&self) {
        self.call(Request::post(self.at("/counters/reset"))).await;
    }

    /// Adds a fault (mock-cloud's `Fault` JSON).
    pub async fn add_fault(&self, fault: &Value) {
        self.call(Request::post(self.at("/faults")).json(fault))
            .await;
    }

    /// Revokes every token; returns how many.
    pub async fn revoke_tokens(&self) -> u64 {
        self.call(Request::post(self.at("/tokens/revoke"))).await["revoked"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Creates `count` ACTIVE servers in the demo project without the API.
    pub async fn seed_servers(&self, count: usize, name_prefix: &str) -> Value {
        self.call(
            Request::post(self.at("/nova/servers/bulk"))
                .json(&serde_json::json!({ "count": count, "name_prefix": name_prefix })),
        )
        .await
    }

    /// Sets the instance quota of every project.
    pub async fn set_instance_quota(&self, instances: u32) {
        self.call(
            Request::put(self.at("/nova/quota"))
                .json(&serde_json::json!({ "instances": instances })),
        )
        .await;
    }

    /// How many servers exist in the mock.
    pub async fn server_count(&self) -> u64 {
        let value = self
            .call(Request::get(self.at("/nova/servers/count")))
            .await;
        value
            .get("count")
            .and_then(Value::as_u64)
            .or_else(|| value.as_u64())
            .expect("server count is a number")
    }
}

/// `"GET /servers/{server_id}"` and `"GET /servers/{id}"` name the same route.
fn normalize_route(route: &str) -> String {
    let mut out = String::with_capacity(route.len());
    let mut in_param = false;
    for c in route.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}
