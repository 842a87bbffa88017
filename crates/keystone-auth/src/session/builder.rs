//! [`SessionBuilder`]: timeouts, TLS, retries, identification and test hooks.

use std::path::PathBuf;
use std::sync::{Arc, Once};
use std::time::Duration;

use http::header::HeaderValue;
use url::Url;

use crate::clock::{Clock, Sleeper, SystemClock, TokioSleeper};
use crate::error::{Error, Result};
use crate::plugin::AuthPlugin;
use crate::session::Session;
use crate::session::auth_state::AuthState;
use crate::session::retry::RetryPolicy;
use crate::session::timings::Timings;
use crate::session::wire::HttpCore;

/// The default re-authentication margin (keystoneauth's `STALE_TOKEN_DURATION`).
pub const DEFAULT_REAUTH_MARGIN: Duration = Duration::from_secs(30);
/// The default limit on a response body.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;
/// The default number of redirects followed.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default idle-read timeout: the longest wait for the next bytes of a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest CA or client-certificate file read.
pub const MAX_TLS_FILE: u64 = 1024 * 1024;

/// Builds a [`Session`].
#[derive(Debug)]
pub struct SessionBuilder {
    plugin: Arc<dyn AuthPlugin>,
    app_name: Option<String>,
    app_version: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    read_timeout: Duration,
    retry: RetryPolicy,
    reauth_margin: Duration,
    max_response_body: usize,
    max_redirects: u32,
    global_request_id: Option<String>,
    ca_file: Option<PathBuf>,
    insecure: bool,
    client_cert: Option<(PathBuf, PathBuf)>,
    collect_timings: bool,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    trusted: Vec<Url>,
}

impl SessionBuilder {
    /// A builder for `plugin` with the defaults.
    pub fn new(plugin: Arc<dyn AuthPlugin>) -> Self {
        Self {
            plugin,
            app_name: None,
            app_version: None,
            timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            retry: RetryPolicy::default(),
            reauth_margin: DEFAULT_REAUTH_MARGIN,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            global_request_id: None,
            ca_file: None,
            insecure: false,
            client_cert: None,
            collect_timings: false,
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(TokioSleeper),
            trusted: Vec::new(),
        }
    }

    /// Names the application in the `User-Agent` (`<app> keystone-auth/<v>`).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// The application's version, shown as `<app>/<version>`.
    pub fn app_version(mut self, version: impl Into<String>) -> Self {
        self.app_version = Some(version.into());
        self
    }

    /// Whole-request deadline: connect, send, read the body, and every retry of the
    /// request with the waits between them (a `Retry-After` longer than what is left is
    /// not waited for). None by default; the connect and idle-read timeouts always apply.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Connect timeout (default 30 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Idle-read timeout: the longest wait for the next bytes of a response (default 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The retry rules.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Re-authenticate when the token expires within this margin (default 30 s).
    pub fn reauth_margin(mut self, margin: Duration) -> Self {
        self.reauth_margin = margin;
        self
    }

    /// The largest response body accepted (default 64 MiB); larger ones
    /// fail with [`Error::BodyTooLarge`].
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// How many redirects to follow (default 10).
    pub fn max_redirects(mut self, n: u32) -> Self {
        self.max_redirects = n;
        self
    }

    /// A global request id sent as `X-OpenStack-Request-Id` on every request
    /// (OpenStack expects `req-<uuid4>`).
    pub fn global_request_id(mut self, id: impl Into<String>) -> Self {
        self.global_request_id = Some(id.into());
        self
    }

    /// Trust the CA certificates in this PEM file (in addition to the system's).
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Do not verify server certificates (dangerous; like `OS_INSECURE`).
    pub fn insecure(mut self, yes: bool) -> Self {
        self.insecure = yes;
        self
    }

    /// Present this client certificate and key (PEM files).
    pub fn client_cert(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.client_cert = Some((cert.into(), key.into()));
        self
    }

    /// Record the timing of every request ([`Session::timings`]).
    pub fn collect_timings(mut self, yes: bool) -> Self {
        self.collect_timings = yes;
        self
    }

    /// The clock used for token expiry (tests inject a manual one).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The sleeper used for backoff (tests inject an instant one).
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Allow the token to be sent to this URL's origin.
    pub fn trusted_origin(mut self, url: Url) -> Self {
        self.trusted.push(url);
        self
    }

    /// The `User-Agent` value.
    fn user_agent(&self) -> String {
        let ours = format!("keystone-auth/{}", env!("CARGO_PKG_VERSION"));
        match (&self.app_name, &self.app_version) {
            (Some(name), Some(version)) => format!("{name}/{version} {ours}"),
            (Some(name), None) => format!("{name} {ours}"),
            _ => ours,
        }
    }

    /// Builds the session (reads the TLS files now).
    pub fn build(self) -> Result<Session> {
        install_crypto_provider();
        let user_agent = HeaderValue::from_str(&self.user_agent()).map_err(|_| {
            Error::InvalidRequest("the application name is not a valid header value".into())
        })?;
        let global_request_id = self
            .global_request_id
            .as_deref()
            .map(HeaderValue::from_str)
            .transpose()
            .map_err(|_| {
                Error::InvalidRequest("the global request id is not a valid header value".into())
            })?;
        if self.insecure {
            tracing::warn!(
                "TLS certificate verification is disabled (insecure mode): any server can \
                 impersonate the cloud and read the credentials and token"
            );
        }
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .tls_danger_accept_invalid_certs(self.insecure);
        if let Some(path) = &self.ca_file {
            let pem = read(path)?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|source| {
                Error::ClientSetup {
                    reason: format!("{} holds no usable PEM certificate", path.display()),
                    source: Some(source),
                }
            })?;
            if certs.is_empty() {
                return Err(Error::ClientSetup {
                    reason: format!("{} holds no PEM certificate", path.display()),
                    source: None,
                });
            }
            for cert in certs {
                client = client.add_root_certificate(cert);
            }
        }
        if let Some((cert, key)) = &self.client_cert {
            let mut pem = read(cert)?;
            pem.push(b'\n');
            pem.extend(read(key)?);
            let identity =
                reqwest::Identity::from_pem(&pem).map_err(|source| Error::ClientSetup {
                    reason: format!(
                        "client certificate {} and key {} are not usable PEM",
                        cert.display(),
                        key.display()
                    ),
                    source: Some(source),
                })?;
            client = client.identity(identity);
        }
        let client = client.build().map_err(|source| Error::ClientSetup {
            reason: "the HTTP client could not be built".into(),
            source: Some(source),
        })?;
        let core = HttpCore {
            client,
            user_agent,
            global_request_id,
            max_body: self.max_response_body,
            retry: self.retry,
            max_redirects: self.max_redirects,
            timeout: self.timeout,
            clock: self.clock,
            sleeper: self.sleeper,
            timings: self.collect_timings.then(Timings::default),
        };
        let trusted = self
            .trusted
            .iter()
            .map(Url::origin)
            .filter(|o| o.is_tuple())
            .collect();
        Ok(Session::from_parts(
            self.plugin,
            core,
            AuthState::new(self.reauth_margin),
            trusted,
        ))
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>> {
    crate::local_file::read_bounded(path, MAX_TLS_FILE)
}

/// Installs rustls' ring provider as the process default, once; another
/// provider already installed is fine.
fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _already_installed = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::StaticToken;

    #[test]
    fn user_agent_names_the_app_and_us() {
        let b = SessionBuilder::new(Arc::new(StaticToken::new("t")));
        assert_eq!(
            b.user_agent(),
            format!("keystone-auth/{}", env!("CARGO_PKG_VERSION"))
        );
        let b = b.app_name("nova-cli").app_version("1.2");
        assert_eq!(
            b.user_agent(),
            format!("nova-cli/1.2 keystone-auth/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn missing_ca_file_is_a_typed_error() {
        let err = Session::builder(StaticToken::new("t"))
            .ca_file("/nonexistent/ca.pem")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::ReadFile { .. }), "{err:?}");
    }

    #[test]
    fn garbage_ca_file_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate").unwrap();
        let err = Session::builder(StaticToken::new("t"))
            .ca_file(&path)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::ClientSetup { .. }), "{err:?}");
    }

    #[test]
    fn debug_of_session_masks_the_token() {
        let s = Session::builder(StaticToken::new("static-secret-token"))
            .build()
            .unwrap();
        assert!(!format!("{s:?}").contains("static-secret-token"));
    }
}
