//! Support for the integration suite in `tests/integration`: which cloud the
//! suite runs against, the mock's special powers when that cloud is
//! mock-cloud, what to boot with there, and cleanup of what a test creates.
//!
//! The target is chosen from the environment, in this order:
//! 1. `MOCK_CLOUD_URL` (+ `OS_*`): a mock-cloud binary started by
//!    `cargo xtask integration`; every test runs, mock powers over HTTP. All tests
//!    share that one mock, so tests that need exact counters take it alone
//!    ([`TestCloud::start_exclusive`]).
//! 2. `OS_CLOUD` or `OS_AUTH_URL`: any real cloud; tests that need mock powers
//!    (counters, faults, clock, seeding) are skipped and print `SKIPPED <test>: <why>`.
//!    Admin tests run there as the admin of [`TestCloud::admin_compute`] (see
//!    `credentials.rs`: `NOVA_TEST_ADMIN_CLOUD`, `NOVA_TEST_MEMBER_CLOUD`).
//! 3. Nothing: a mock-cloud started in-process for each test, so that plain
//!    `cargo test --workspace` runs the whole suite.
//!
//! Flavor, image and network come from the cloud (or `NOVA_TEST_*`, see
//! [`TestCloud::flavor`]), and every test that creates something holds a
//! [`Resources`] that deletes it when the test ends, pass or fail.
//!
//! ```no_run
//! # async fn example() {
//! let cloud = integration_tests::TestCloud::start().await;
//! let compute = cloud.compute("latest").await;
//! let flavor = cloud.flavor().await;
//! println!("{} speaks {} and offers {}", cloud.name(), compute.microversion(), flavor.name);
//! # }
//! ```

mod counting;
mod credentials;
pub mod hostile;
mod hosts;
mod mock_control;
mod picks;
mod resources;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use keystone_auth::{Adapter, CloudConfig, Session};
use mock_cloud::{MockCloud, MockConfig};
use nova_core::compute::ComputeClient;
use nova_core::{Client, MicroVersion, Requested, Transport};
use nova_v2::{
    CreateServer, CreatedServer, Flavor, Server, ServerAction, ServerStatus, ServerWaitExt,
    WaitOptions,
};
use tokio::sync::{OnceCell, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

pub use counting::CountingTransport;
pub use credentials::{ADMIN_CLOUD_VARIABLE, MEMBER_CLOUD_VARIABLE, Role};
pub use mock_control::MockControl;
pub use resources::{Resources, run_prefix};

/// Which kind of cloud the suite talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A mock-cloud started inside this test (one per test).
    InProcessMock,
    /// The mock-cloud binary, shared by every test of the run.
    MockBinary,
    /// Any other cloud: no mock powers.
    Cloud,
}

/// Tests against the shared mock binary hold this lock: shared by most, exclusive for
/// tests that count requests.
static SHARED_MOCK: LazyLock<Arc<RwLock<()>>> = LazyLock::new(|| Arc::new(RwLock::new(())));

/// A test's turn on the shared mock binary.
#[allow(dead_code)] // held for its drop
enum Turn {
    Shared(OwnedRwLockReadGuard<()>),
    Exclusive(OwnedRwLockWriteGuard<()>),
}

/// The cloud one test runs against.
pub struct TestCloud {
    name: String,
    target: Target,
    config: CloudConfig,
    mock: Option<MockControl>,
    flavors: OnceCell<Vec<Flavor>>,
    image: OnceCell<String>,
    /// Keeps an in-process mock alive for the test's duration.
    _in_process: Option<MockCloud>,
    /// This test's turn on a shared mock binary.
    _turn: Option<Turn>,
}

impl TestCloud {
    /// The target named by the environment, or a fresh in-process mock-cloud.
    pub async fn start() -> TestCloud {
        Self::start_with(false).await
    }

    /// Like [`TestCloud::start`], but against the shared mock binary no other test runs
    /// meanwhile, so the mock's request counters are exact. Elsewhere the same as `start`.
    pub async fn start_exclusive() -> TestCloud {
        Self::start_with(true).await
    }

    /// The real cloud named by the environment, or else a fresh in-process mock-cloud
    /// with `config` (for a test whose real-cloud half creates what `config` seeds).
    /// The shared mock binary runs its default seed, which lacks what `config` adds,
    /// so against it the test gets its own in-process mock as well.
    pub async fn start_or_mock(config: MockConfig) -> TestCloud {
        if std::env::var_os("MOCK_CLOUD_URL").is_some() {
            init_tracing();
            return Self::in_process(config).await;
        }
        Self::start_configured(false, config).await
    }

    async fn start_with(exclusive: bool) -> TestCloud {
        Self::start_configured(exclusive, MockConfig::default()).await
    }

    async fn start_configured(exclusive: bool, mock_config: MockConfig) -> TestCloud {
        init_tracing();
        let env: HashMap<String, String> = std::env::vars().collect();
        let external = env.contains_key("OS_CLOUD") || env.contains_key("OS_AUTH_URL");
        if !external {
            return Self::in_process(mock_config).await;
        }
        let config = CloudConfig::from_env().expect("OS_* / clouds.yaml configuration is valid");
        let mock = env
            .get("MOCK_CLOUD_URL")
            .map(|url| MockControl::new(url.trim_end_matches('/')));
        let (target, name) = match (&mock, env.get("OS_CLOUD")) {
            (Some(_), _) => (Target::MockBinary, "mock-cloud (binary)".to_string()),
            (None, Some(cloud)) => (Target::Cloud, format!("cloud `{cloud}`")),
            (None, None) => (Target::Cloud, "cloud from OS_* variables".to_string()),
        };
        let turn = match (target, exclusive) {
            (Target::MockBinary, false) => {
                Some(Turn::Shared(SHARED_MOCK.clone().read_owned().await))
            }
            (Target::MockBinary, true) => {
                Some(Turn::Exclusive(SHARED_MOCK.clone().write_owned().await))
            }
            _ => None,
        };
        TestCloud {
            name,
            target,
            config,
            mock,
            flavors: OnceCell::new(),
            image: OnceCell::new(),
            _in_process: None,
            _turn: turn,
        }
    }

    /// A mock-cloud with a special configuration (for example a lower maximum
    /// microversion), or `None` when the suite targets another cloud: such a
    /// test needs mock powers and is skipped there.
    pub async fn start_mock(config: MockConfig) -> Option<TestCloud> {
        init_tracing();
        if std::env::var_os("OS_CLOUD").is_some() || std::env::var_os("OS_AUTH_URL").is_some() {
            skip_notice("mock-only: needs its own mock-cloud configuration");
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
            target: Target::InProcessMock,
            config,
            mock: Some(MockControl::new(cloud.url())),
            flavors: OnceCell::new(),
            image: OnceCell::new(),
            _in_process: Some(cloud),
            _turn: None,
        }
    }

    /// A short description of the target, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Which kind of cloud this is.
    pub fn target(&self) -> Target {
        self.target
    }

    /// The cloud's configuration (what `OS_*` / clouds.yaml said).
    pub fn config(&self) -> &CloudConfig {
        &self.config
    }

    /// A new session authenticated as the configured user.
    pub fn session(&self) -> Session {
        session_for(&self.config)
    }

    /// An adapter for the compute service of a new session.
    pub fn compute_adapter(&self) -> Adapter {
        Adapter::new(self.session(), self.config.endpoint_filter("compute"))
    }

    /// A compute client negotiated through the registry (`"latest"`, `"2.60"`, ...).
    pub async fn compute(&self, version: &str) -> Box<dyn ComputeClient> {
        self.compute_as(&self.config, version).await
    }

    /// Like [`TestCloud::compute`], logged in with `config` instead of the configured user.
    pub async fn compute_as(&self, config: &CloudConfig, version: &str) -> Box<dyn ComputeClient> {
        let adapter = Adapter::new(session_for(config), config.endpoint_filter("compute"));
        negotiate(Arc::new(adapter), version).await
    }

    /// A compute client at exactly `version` (no negotiation, so no request yet) whose
    /// transport counts every request it sends.
    pub fn counted_compute(
        &self,
        version: &str,
    ) -> (Box<dyn ComputeClient>, Arc<CountingTransport>) {
        let counter = Arc::new(CountingTransport::new(Arc::new(self.compute_adapter())));
        let transport: Arc<dyn Transport> = counter.clone();
        let client = Client::new(version, transport).expect("a valid major-2 version");
        (client, counter)
    }

    /// The mock's powers, or `None` against a real cloud. For a check that only the mock can
    /// make inside a test that otherwise runs everywhere; prints nothing.
    pub fn mock(&self) -> Option<&MockControl> {
        self.mock.as_ref()
    }

    /// The mock's powers for a test that cannot run without them: `None` (and a
    /// `SKIPPED <test>: mock-only: <why>` line) against a real cloud, and the caller returns.
    /// `why` names what no real cloud gives (`"injects faults"`, `"counts requests"`,
    /// `"seeds servers without the API"`, ...).
    pub fn require_mock(&self, why: &str) -> Option<&MockControl> {
        if self.mock.is_none() {
            skip_notice(&format!("mock-only: {why}"));
        }
        self.mock.as_ref()
    }

    /// Somewhere to record what this test creates, deleted when it is dropped. Waits until
    /// `servers` more servers fit in the run's budget (`NOVA_TEST_MAX_SERVERS`, default 8)
    /// so that parallel tests stay within a real project's quota.
    pub async fn resources(&self, servers: u32) -> Resources {
        let cloud = match self.target {
            Target::InProcessMock => None,
            Target::MockBinary | Target::Cloud => Some(self.config.clone()),
        };
        Resources::reserve(cloud, servers).await
    }

    /// One ACTIVE server named after `what`, booted by the configured user with a client at
    /// `version` ([`TestCloud::server_request`], [`TestCloud::boot_active`]): the
    /// [`Resources`] that delete it (keep them alive until the test ends), that client, and the
    /// server's id.
    pub async fn active_server(
        &self,
        version: &str,
        what: &str,
    ) -> (Resources, Box<dyn ComputeClient>, String) {
        let created = self.resources(1).await;
        let client = self.compute(version).await;
        let request = self
            .server_request(&created.name(what), client.microversion())
            .await;
        let id = self.boot_active(&created, &*client, &request).await;
        (created, client, id)
    }

    /// A request to boot one server named `name` with this cloud's flavor
    /// ([`TestCloud::flavor`]) and image ([`TestCloud::image_id`]), and its networks at
    /// `version` ([`TestCloud::networks`]). Callers add whatever else their test needs.
    pub async fn server_request(&self, name: &str, version: MicroVersion) -> CreateServer {
        let flavor = self.flavor().await;
        let mut request = CreateServer::new(name, flavor.id).image(self.image_id().await);
        if let Some(networks) = self.networks(version) {
            request = request.networks(networks);
        }
        request
    }

    /// Creates `request` through `client`, records the server in `created` for clean-up and
    /// waits until it is ACTIVE ([`wait_options`]): its id. Panics if any step fails.
    pub async fn boot_active(
        &self,
        created: &Resources,
        client: &dyn ComputeClient,
        request: &CreateServer,
    ) -> String {
        let id = created_id(
            client
                .servers()
                .create(request)
                .await
                .unwrap_or_else(|e| panic!("{} creates a server: {e}", self.name()))
                .value,
        );
        created.server(&id);
        wait_for(client, &id, ServerStatus::Active).await;
        id
    }
}

fn session_for(config: &CloudConfig) -> Session {
    config
        .session_builder()
        .expect("the configuration names an auth method")
        .app_name("integration-tests")
        .build()
        .expect("session builds")
}

async fn negotiate(transport: Arc<dyn Transport>, version: &str) -> Box<dyn ComputeClient> {
    let requested: Requested = version.parse().expect("a valid requested version");
    Client::negotiate(requested, transport)
        .await
        .expect("negotiation with the compute service succeeds")
}

/// How the suite waits for servers: polls from 100 ms up to 1 s apart, real time, bounded by
/// `NOVA_TEST_WAIT_SECS` (default 120 s).
pub fn wait_options() -> WaitOptions {
    let seconds = std::env::var("NOVA_TEST_WAIT_SECS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(120);
    WaitOptions::new()
        .timeout(Duration::from_secs(seconds))
        .intervals(Duration::from_millis(100), Duration::from_secs(1))
        .backoff_factor(2)
}

/// Waits ([`wait_options`]) until server `id` is in `status`: the server then. Panics on an
/// error, an ERROR status or a timeout.
pub async fn wait_for(client: &dyn ComputeClient, id: &str, status: ServerStatus) -> Server {
    client
        .servers()
        .wait_for_status(id, status.clone(), &wait_options())
        .await
        .unwrap_or_else(|e| panic!("server {id} reaches {status:?}: {e}"))
}

/// Sends `action` to server `id` (which must accept it), then [`wait_for`] `status`.
pub async fn act_and_wait(
    client: &dyn ComputeClient,
    id: &str,
    action: &ServerAction,
    status: ServerStatus,
) -> Server {
    client
        .servers()
        .action(id, action)
        .await
        .unwrap_or_else(|e| panic!("server {id} accepts {action:?}: {e}"));
    wait_for(client, id, status).await
}

/// The id of the server a create answered with.
pub fn created_id(created: CreatedServer) -> String {
    created.id
}

/// Prints why a test did not run against this target: `SKIPPED <test>: <why>`, the line
/// `cargo xtask conformance` counts and groups by `why`.
pub fn skip_notice(why: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    eprintln!("SKIPPED {test}: {why}");
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
