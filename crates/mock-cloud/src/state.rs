//! The state every handler shares: configuration, identity and compute
//! stores, counters, faults, clock and the echo log.

use std::sync::Arc;

use crate::clock::MockClock;
use crate::config::MockConfig;
use crate::counters::Counters;
use crate::echo::EchoLog;
use crate::faults::FaultTable;
use crate::keystone::KeystoneStore;

pub use crate::nova::{ApiVersion, NovaCtx, fault};

/// The state handlers receive through `State<SharedState>`.
pub type SharedState = Arc<AppState>;

/// The mock cloud's whole state.
pub struct AppState {
    /// The configuration the cloud was started with.
    pub config: MockConfig,
    /// Nova resources (servers, flavors, keypairs, ...).
    pub nova: crate::nova::resources::NovaStore,
    /// Identity: directory and issued tokens.
    pub keystone: KeystoneStore,
    /// Requests seen per route template.
    pub counters: Counters,
    /// Injected faults.
    pub faults: FaultTable,
    /// The mock's clock (real time plus an adjustable offset).
    pub clock: MockClock,
    /// Requests recorded by `/_mock/echo`.
    pub echo: EchoLog,
    /// Where the cloud listens.
    pub urls: Urls,
    /// The OpenID Connect provider (on its own origin).
    pub oidc: crate::oidc::OidcProvider,
    /// What the main listener read.
    pub received: crate::request_log::RequestLog,
}

impl AppState {
    /// Builds the state for a cloud listening at `base_url` (`http://127.0.0.1:PORT`).
    pub fn new(config: MockConfig, base_url: &str) -> Self {
        Self::with_idp(config, base_url, base_url)
    }

    /// [`AppState::new`] with the OpenID Connect provider at `idp_base_url`
    /// (`http://127.0.0.1:OTHER_PORT`; its issuer is `<idp_base_url>/oidc`).
    pub fn with_idp(config: MockConfig, base_url: &str, idp_base_url: &str) -> Self {
        let urls = Urls::new(base_url);
        Self {
            oidc: crate::oidc::OidcProvider::new(&format!(
                "{}/oidc",
                idp_base_url.trim_end_matches('/')
            )),
            received: crate::request_log::RequestLog::default(),
            nova: crate::nova::resources::NovaStore::new(&config.nova),
            keystone: KeystoneStore::new(&config.keystone, &urls),
            counters: Counters::default(),
            faults: FaultTable::default(),
            clock: MockClock::default(),
            echo: EchoLog::default(),
            urls,
            config,
        }
    }

    /// The mock's current time (see [`MockClock`]).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// The cloud's public URLs.
#[derive(Clone, Debug)]
pub struct Urls {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `http://127.0.0.1:PORT/identity`
    pub identity: String,
    /// `http://127.0.0.1:PORT/identity/v3`
    pub auth: String,
    /// `http://127.0.0.1:PORT/compute/v2.1`
    pub compute: String,
    /// `Keystone uri="http://127.0.0.1:PORT/identity/v3"`, ready for `WWW-Authenticate`.
    pub www_authenticate: http::HeaderValue,
}

impl Urls {
    fn new(base: &str) -> Self {
        let base = base.trim_end_matches('/').to_owned();
        let auth = format!("{base}/identity/v3");
        let www_authenticate = http::HeaderValue::from_str(&format!("Keystone uri=\"{auth}\""))
            .unwrap_or_else(|_| http::HeaderValue::from_static("Keystone"));
        Self {
            identity: format!("{base}/identity"),
            compute: format!("{base}/compute/v2.1"),
            auth,
            www_authenticate,
            base,
        }
    }
}
