//! [`Session`]: authenticated HTTP for any OpenStack service.

mod auth_state;
mod builder;
mod redirect;
mod request;
mod response;
pub(crate) mod retry;
mod timings;
mod tls;
pub(crate) mod wire;

use std::fmt;
use std::sync::{Arc, RwLock};

use http::header::HeaderValue;
use secrecy::ExposeSecret;
use tracing::debug;
use url::{Origin, Url};

pub use builder::SessionBuilder;
pub use request::Request;
pub use response::Response;
pub use retry::RetryPolicy;
pub use timings::RequestTiming;

use crate::access::AccessInfo;
use crate::catalog::EndpointFilter;
use crate::error::{Error, Result};
use crate::plugin::AuthPlugin;
use auth_state::AuthState;
use redirect::X_AUTH_TOKEN;
use wire::{HttpCore, Outgoing};

/// An authenticated HTTP session. Cheap to clone; clones share one
/// connection pool and one token.
///
/// Every request gets `X-Auth-Token` (only for trusted origins: the auth
/// URL's, the catalog endpoints', and endpoint overrides'), a `User-Agent`,
/// and the optional global request id. The token is renewed before it
/// expires and once after a 401 (single-flight); failures are retried as
/// [`RetryPolicy`] says; redirects are followed without leaking the token.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    plugin: Arc<dyn AuthPlugin>,
    core: HttpCore,
    auth: AuthState,
    trusted: RwLock<Vec<Origin>>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("plugin", &self.inner.plugin)
            .field("user_agent", &self.inner.core.user_agent)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts building a session that authenticates with `plugin`.
    pub fn builder(plugin: impl AuthPlugin + 'static) -> SessionBuilder {
        SessionBuilder::new(Arc::new(plugin))
    }

    pub(crate) fn from_parts(
        plugin: Arc<dyn AuthPlugin>,
        core: HttpCore,
        auth: AuthState,
        trusted: Vec<Origin>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                plugin,
                core,
                auth,
                trusted: RwLock::new(trusted),
            }),
        }
    }

    /// The current access (token and catalog), authenticating if needed.
    pub async fn access_info(&self) -> Result<Arc<AccessInfo>> {
        let (access, _) = self.current_access(None).await?;
        Ok(access)
    }

    /// Forgets the current token; the next request authenticates again.
    pub fn invalidate(&self) {
        self.inner.auth.invalidate();
    }

    /// The URL of the catalog endpoint matching `filter`.
    pub async fn endpoint_for(&self, filter: &EndpointFilter) -> Result<Url> {
        self.access_info().await?.catalog.endpoint_for(filter)
    }

    /// Allows the token to be sent to `url`'s origin (used for endpoint overrides).
    pub fn trust_origin(&self, url: &Url) {
        let origin = url.origin();
        if !origin.is_tuple() {
            return;
        }
        let mut trusted = self
            .inner
            .trusted
            .write()
            .unwrap_or_else(|p| p.into_inner());
        if !trusted.contains(&origin) {
            trusted.push(origin);
        }
    }

    /// The timings collected so far (empty unless
    /// [`SessionBuilder::collect_timings`] was set).
    pub fn timings(&self) -> Vec<RequestTiming> {
        self.inner
            .core
            .timings
            .as_ref()
            .map(|t| t.snapshot())
            .unwrap_or_default()
    }

    /// Clears the collected timings.
    pub fn reset_timings(&self) {
        if let Some(t) = &self.inner.core.timings {
            t.clear();
        }
    }

    /// The plugin.
    pub fn plugin(&self) -> &Arc<dyn AuthPlugin> {
        &self.inner.plugin
    }

    /// Sends `request`. Any HTTP status is `Ok(Response)`; errors are for
    /// requests that got no complete answer (or could not be sent).
    ///
    /// Authenticates first when needed (or when the token expires within the
    /// margin). If the server answers 401 to the token, the session
    /// re-authenticates once (single-flight across concurrent requests) and
    /// replays the request once; a second 401 is returned as the response.
    pub async fn send(&self, request: Request) -> Result<Response> {
        request.check()?;
        let url = parse_http_url(&request.url)?;
        let mut rejected = None;
        loop {
            let mut headers = request.headers.clone();
            let mut generation = None;
            if request.authenticated {
                let (access, g) = self.current_access(rejected).await?;
                if !access.sends_token() {
                    // auth_type none: nothing to send
                } else if self.is_trusted(&url, &access) {
                    if let Some(bearer) = access.bearer() {
                        headers.insert(http::header::AUTHORIZATION, bearer_header(bearer)?);
                    }
                    let mut value =
                        HeaderValue::from_str(access.token().expose_secret()).map_err(|_| {
                            Error::InvalidAuth("the token is not a valid header value".into())
                        })?;
                    value.set_sensitive(true);
                    headers.insert(X_AUTH_TOKEN, value);
                    generation = Some(g);
                } else {
                    debug!(
                        "not sending the token to untrusted origin {}",
                        url.origin().ascii_serialization()
                    );
                }
            }
            let delivered = self
                .inner
                .core
                .send_following_redirects(Outgoing {
                    method: request.method.clone(),
                    url: url.clone(),
                    headers,
                    body: request.body.clone(),
                    timeout: request.timeout,
                    credentials_in_body: false,
                })
                .await?;
            let unauthorized = delivered.response.status == http::StatusCode::UNAUTHORIZED;
            match generation {
                Some(g) if unauthorized && delivered.token_sent && rejected.is_none() => {
                    debug!("401 with the current token: re-authenticating and replaying once");
                    rejected = Some(g);
                }
                _ => return Ok(delivered.response),
            }
        }
    }

    async fn current_access(&self, rejected: Option<u64>) -> Result<(Arc<AccessInfo>, u64)> {
        self.inner
            .auth
            .access(self.inner.plugin.as_ref(), &self.inner.core, rejected)
            .await
    }

    /// Whether `url`'s origin may receive the token: the auth URL's, an endpoint
    /// override's, or a catalog endpoint's. Compared field by field, without building
    /// an `Origin` (which allocates) per request.
    fn is_trusted(&self, url: &Url, access: &AccessInfo) -> bool {
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return false;
        }
        if self
            .inner
            .plugin
            .auth_url()
            .is_some_and(|a| same_origin(a, url))
        {
            return true;
        }
        if self
            .inner
            .trusted
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|origin| origin_is(origin, url))
        {
            return true;
        }
        access
            .catalog
            .endpoint_texts()
            .any(|e| endpoint_has_origin(e, url))
    }
}

/// Whether two URLs have the same tuple origin (scheme, host, port), like
/// `a.origin() == b.origin()` for http(s) URLs.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host().is_some()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn same_host(a: &url::Host<&str>, b: &url::Host<String>) -> bool {
    use url::Host;
    match (a, b) {
        (Host::Domain(a), Host::Domain(b)) => *a == b.as_str(),
        (Host::Ipv4(a), Host::Ipv4(b)) => a == b,
        (Host::Ipv6(a), Host::Ipv6(b)) => a == b,
        _ => false,
    }
}

/// Whether the catalog URL text `endpoint` has `url`'s origin: a text prefix check
/// first (the usual case, no allocation), else a parse.
fn endpoint_has_origin(endpoint: &str, url: &Url) -> bool {
    let origin = &url[url::Position::BeforeScheme..url::Position::AfterPort];
    let endpoint = endpoint.trim();
    if let Some(rest) = endpoint.strip_prefix(origin)
        && (rest.is_empty() || rest.starts_with('/'))
        && url.username().is_empty()
        && url.password().is_none()
    {
        return true;
    }
    Url::parse(endpoint).is_ok_and(|e| same_origin(&e, url))
}

/// Whether `url` has the tuple origin `origin`.
fn origin_is(origin: &url::Origin, url: &Url) -> bool {
    match origin {
        url::Origin::Tuple(scheme, host, port) => {
            url.scheme() == scheme
                && url.host().is_some_and(|h| same_host(&h, host))
                && url.port_or_known_default() == Some(*port)
        }
        url::Origin::Opaque(_) => false,
    }
}

/// `Bearer <access token>`, marked sensitive.
fn bearer_header(token: &secrecy::SecretString) -> Result<HeaderValue> {
    let mut value =
        HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
            Error::InvalidAuth("the OAuth2 access token is not a valid header value".into())
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Parses an absolute http(s) URL.
pub(crate) fn parse_http_url(text: &str) -> Result<Url> {
    let url = Url::parse(text.trim()).map_err(|e| Error::invalid_url(text, e))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid_url(
            text,
            "only http and https URLs are supported",
        ));
    }
    Ok(url)
}
