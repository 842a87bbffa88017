//! A stateful mock OpenStack cloud over real HTTP on loopback: Keystone v3
//! under `/identity`, Nova v2.1 under `/compute` (the devstack layout), and a
//! control API under `/_mock` for tests (counters, faults, token revocation,
//! clock, redirect and echo endpoints).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use mock_cloud::{MockCloud, MockConfig};
//!
//! let cloud = MockCloud::start(MockConfig::default()).await?;
//! assert!(cloud.auth_url().ends_with("/identity/v3"));
//! assert!(cloud.compute_url().ends_with("/compute/v2.1"));
//! assert_eq!(cloud.count("POST /identity/v3/auth/tokens"), 0);
//! cloud.control().add_fault(mock_cloud::Fault::status("GET /compute/v2.1/servers", 503));
//! # Ok(())
//! # }
//! ```
//!
//! The cloud stops when the [`MockCloud`] is dropped (or on [`MockCloud::shutdown`]).
//!
//! What is served:
//! - Keystone ([`keystone`]): `GET /identity/` (300), `GET /identity/v3`,
//!   `POST|GET|HEAD|DELETE /identity/v3/auth/tokens` (password, token and
//!   application_credential methods; project, domain, system or no scope).
//! - Nova ([`nova`]): `GET /compute/` and `GET /compute/v2.1[/]` version
//!   documents; everything else under `/compute/v2.1` passes
//!   [`nova::gate::compute_gate`] (token, microversion, Content-Type, request
//!   ids) and reaches [`nova::resources`] with a [`nova::NovaCtx`].
//! - Glance ([`glance`]): `GET /image/v2/images[/{id}]`, the images Nova
//!   knows, so clients can resolve image names (catalog type `image`).
//! - OpenID Connect ([`oidc`]), on its own port (origin): discovery, token
//!   (password, client credentials, authorization code, device grants),
//!   device authorization, introspection; Keystone's
//!   `OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth`
//!   turns its bearer tokens into unscoped federated tokens.
//! - Control ([`control_http`], in process [`Control`]): counters per route
//!   template, [`Fault`]s, token revocation and lifetime, clock, redirect, echo.
//!
//! Requests are counted as `"METHOD /route/{template}"`; parameter names do
//! not matter when reading a counter or naming a fault's route.

mod app;
pub mod clock;
pub mod config;
mod config_file;
pub mod control;
pub mod control_http;
pub mod counters;
pub mod echo;
pub mod error;
pub mod faults;
pub mod glance;
mod idle;
pub mod keystone;
pub mod nova;
pub mod oidc;
pub mod request_id;
pub mod request_log;
pub mod server;
pub mod state;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{
    ConnectionConfig, KeystoneConfig, MockConfig, Secret, TlsConfig, VersionsConfig, seed,
};
pub use control::Control;
pub use echo::EchoRecord;
pub use error::Error;
pub use faults::{Fault, FaultAction};
pub use nova::ApiVersion;
pub use state::{AppState, SharedState};

/// A running mock cloud. Stops when dropped.
pub struct MockCloud {
    state: SharedState,
    control: Control,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
    idp_task: JoinHandle<()>,
}

impl std::fmt::Debug for MockCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockCloud")
            .field("url", &self.state.urls.base)
            .finish_non_exhaustive()
    }
}

impl MockCloud {
    /// Binds `config.bind:config.port` (default `127.0.0.1:0`) and starts
    /// serving in the current Tokio runtime.
    pub async fn start(config: MockConfig) -> std::io::Result<MockCloud> {
        let listener = tokio::net::TcpListener::bind((config.bind, config.port)).await?;
        let local = listener.local_addr()?;
        let host = if local.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            local.ip()
        };
        let addr = SocketAddr::new(host, local.port());
        let tls = config.tls.as_ref().map(server::tls_acceptor).transpose()?;
        let limits = config.connections.clone();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let idp_listener = tokio::net::TcpListener::bind((host, 0)).await?;
        let idp_addr = idp_listener.local_addr()?;
        let state = Arc::new(AppState::with_idp(
            config,
            &format!("{scheme}://{addr}"),
            &format!("{scheme}://{idp_addr}"),
        ));
        let router = app::router(Arc::clone(&state))
            .merge(glance::router(Arc::clone(&state)))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&state),
                record_request,
            ));
        let (shutdown, receiver) = watch::channel(false);
        let idp_task = tokio::spawn(server::serve(
            idp_listener,
            oidc::router(Arc::clone(&state)),
            receiver.clone(),
            tls.clone(),
            limits.clone(),
        ));
        let task = tokio::spawn(server::serve(listener, router, receiver, tls, limits));
        tracing::info!(url = %state.urls.base, "mock cloud listening");
        Ok(MockCloud {
            control: Control::new(Arc::clone(&state)),
            state,
            addr,
            shutdown,
            task,
            idp_task,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.state.urls.base
    }

    /// `http://127.0.0.1:PORT/identity/v3`
    pub fn auth_url(&self) -> &str {
        &self.state.urls.auth
    }

    /// `http://127.0.0.1:PORT/compute/v2.1`
    pub fn compute_url(&self) -> &str {
        &self.state.urls.compute
    }

    /// The OpenID Connect provider: its issuer is `http://127.0.0.1:OTHER_PORT/oidc`
    /// (another origin than Keystone's), its request log, its introspection.
    pub fn oidc(&self) -> &oidc::OidcProvider {
        &self.state.oidc
    }

    /// Every request Keystone, Nova, Glance and the control API read (the
    /// last 512; bodies up to 1 MiB with a `Content-Length`).
    pub fn received(&self) -> Vec<request_log::ReceivedRequest> {
        self.state.received.entries()
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests seen for a route template since the last reset, e.g.
    /// `"POST /identity/v3/auth/tokens"` or `"GET /compute/v2.1/servers/{id}"`.
    pub fn count(&self, route: &str) -> u64 {
        self.control.count(route)
    }

    /// Every non-zero counter.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.control.counts()
    }

    /// Sets every counter back to zero.
    pub fn reset_counts(&self) {
        self.control.reset_counts();
    }

    /// The control powers (faults, tokens, clock, echo log, state).
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// Stops serving: the listener and every open connection are closed.
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
        self.task.abort();
        self.idp_task.abort();
    }
}

impl Drop for MockCloud {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Records each request of the main listener in [`AppState::received`].
async fn record_request(
    axum::extract::State(state): axum::extract::State<SharedState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let request = state.received.record(request).await;
    next.run(request).await
}
