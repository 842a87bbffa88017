//! nova-dashboard: a small web dashboard for launching and watching servers, on keystone-auth,
//! nova-core and nova-v2. It is Horizon's Launch Instance and its instance list, served as
//! HTML from one binary: log in, list instances with live status, launch, show, start, stop,
//! reboot and delete.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use nova_dashboard::{DashboardConfig, LoginMode};
//! let mut base = keystone_auth::CloudConfig::default();
//! base.auth.auth_url = Some("http://127.0.0.1:5000/v3".into());
//! let dashboard = nova_dashboard::start(DashboardConfig::new(LoginMode::Form(base)), "127.0.0.1:0").await?;
//! println!("open {}", dashboard.url());
//! # Ok(()) }
//! ```
//!
//! Security: the Keystone token stays in the server process; the browser holds one opaque
//! random cookie (HttpOnly, SameSite=Strict, Secure when configured); every form carries a
//! CSRF token; every page is sent with a strict Content-Security-Policy; every string from
//! the cloud is escaped by the templates.

pub mod cloud;
pub mod error;
pub mod form;
pub mod launch;
pub mod pages;
pub mod security;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use keystone_auth::CloudConfig;
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

use cloud::CloudConnection;
use session::{SessionLimits, SessionStore};

/// How users log in.
#[derive(Debug, Clone)]
pub enum LoginMode {
    /// A login form; these settings (auth URL, region, interface, TLS) are completed with
    /// what the user types (credentials and scope; never the URL).
    Form(CloudConfig),
    /// Single-user local mode: every browser session uses this cloud's credentials (as
    /// `--os-cloud NAME` gives them); the login page only asks to continue.
    Cloud(CloudConfig),
}

/// How the dashboard runs.
#[derive(Debug, Clone)]
pub struct DashboardConfig {
    /// How users log in.
    pub login: LoginMode,
    /// Session lifetimes and count.
    pub sessions: SessionLimits,
    /// Send cookies with `Secure` (when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Servers per page of the instance list (Horizon's default is 20).
    pub page_size: u32,
    /// The largest page a `limit=` query may ask for.
    pub max_page_size: u32,
    /// Milliseconds between live status polls of a row in transition.
    pub poll_interval_ms: u32,
    /// Polls of one row before the page stops polling it.
    pub max_polls: u32,
}

impl DashboardConfig {
    /// Defaults for `login`.
    pub fn new(login: LoginMode) -> Self {
        Self {
            login,
            sessions: SessionLimits::default(),
            secure_cookies: false,
            page_size: 20,
            max_page_size: 1000,
            poll_interval_ms: 2000,
            max_polls: 300,
        }
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// The configuration.
    pub config: DashboardConfig,
    /// The sessions.
    pub sessions: SessionStore,
    /// The one connection of single-user mode, made on first use.
    pub single_user: Mutex<Option<Arc<CloudConnection>>>,
}

/// Shared state.
pub type SharedState = Arc<AppState>;

impl AppState {
    /// State for `config`.
    pub fn new(config: DashboardConfig) -> Self {
        let sessions = SessionStore::new(config.sessions);
        Self {
            config,
            sessions,
            single_user: Mutex::new(None),
        }
    }
}

/// The routes.
pub fn router(state: SharedState) -> Router {
    Router::new()
        .route("/", get(pages::instances::root))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/instances", get(pages::instances::list))
        .route("/instances/{id}", get(pages::detail::show))
        .route("/instances/{id}/row", get(pages::instances::row_handler))
        .route("/instances/{id}/summary", get(pages::detail::summary))
        .route(
            "/instances/{id}/delete",
            get(pages::detail::confirm_delete).post(pages::detail::delete),
        )
        .route("/instances/{id}/action", post(pages::detail::action))
        .route(
            "/launch",
            get(pages::launch::show).post(pages::launch::submit),
        )
        .route("/keypairs", post(pages::launch::import_keypair))
        .route("/static/dashboard.css", get(pages::assets::css))
        .route("/static/dashboard.js", get(pages::assets::js))
        .fallback(pages::assets::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// A running dashboard. Stops when dropped.
#[derive(Debug)]
pub struct RunningDashboard {
    addr: SocketAddr,
    url: String,
    state: SharedState,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningDashboard {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state (sessions and their clock, for tests).
    pub fn state(&self) -> &SharedState {
        &self.state
    }

    /// Stops serving.
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }

    /// Waits until the server task ends (after [`RunningDashboard::shutdown`] or an error).
    pub async fn wait(mut self) {
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }
}

impl Drop for RunningDashboard {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.task.abort();
    }
}

/// Binds `addr` (e.g. `127.0.0.1:8080`, or port 0 for any) and serves in the current runtime.
pub async fn start(config: DashboardConfig, addr: &str) -> std::io::Result<RunningDashboard> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(AppState::new(config));
    let app = router(Arc::clone(&state));
    let (shutdown, mut receiver) = watch::channel(false);
    let task = tokio::spawn(async move {
        let stop = async move {
            while receiver.changed().await.is_ok() {
                if *receiver.borrow() {
                    break;
                }
            }
        };
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::error!(%error, "the dashboard stopped");
        }
    });
    let url = format!("http://{addr}");
    tracing::info!(%url, "nova-dashboard listening");
    Ok(RunningDashboard {
        addr,
        url,
        state,
        shutdown,
        task,
    })
}
