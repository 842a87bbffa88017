//! Turning the cloud settings into a session, a token and a compute client at the
//! negotiated (or pinned) microversion. Only commands that talk to the cloud get here.

use std::sync::Arc;
use std::time::Duration;

use keystone_auth::{Adapter, CloudConfig, RetryPolicy, Session};
use nova_core::compute::ComputeClient;
use nova_core::{Client, Registry, Requested, Transport, discover};

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::token_cache::TokenCache;
use crate::version_cache::VersionCache;

/// The requested compute version, parsed before any I/O.
pub fn requested_version(text: &str) -> CliResult<Requested> {
    text.trim()
        .parse::<Requested>()
        .map_err(|e| CliError::usage(format!("invalid --os-compute-api-version: {e}")))
}

/// A session for the settings, with the global transport options applied,
/// starting from the cached token when the token cache is on.
pub fn session(
    config: &CloudConfig,
    g: &GlobalArgs,
    cache: Option<&TokenCache>,
) -> CliResult<Session> {
    let plugin = config.auth_plugin()?;
    let plugin = match cache {
        Some(cache) => cache.wrap(plugin),
        None => plugin,
    };
    let mut builder = config
        .session_builder_with(plugin)?
        .app_name("nova-cli")
        .app_version(env!("CARGO_PKG_VERSION"))
        .collect_timings(g.timings)
        .retry_policy(RetryPolicy::default().connect_retries(g.connect_retries));
    let seconds = g.timeout;
    let timeout = Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| CliError::usage(format!("invalid --timeout {seconds}")))?;
    builder = builder.timeout(timeout);
    if config.insecure == Some(true) && !g.no_insecure_warning {
        eprintln!(
            "WARNING: TLS certificate verification is disabled (--insecure / OS_INSECURE): \
             any server can impersonate the cloud and read the credentials and token. \
             --no-insecure-warning silences this."
        );
    }
    Ok(builder.build()?)
}

/// An authenticated connection to the compute service.
pub struct Cloud {
    /// The session (token, timings).
    pub session: Session,
    /// The settings.
    pub config: CloudConfig,
    /// The compute client at the chosen microversion.
    pub compute: Box<dyn ComputeClient>,
    /// The compute adapter (for raw requests such as the version list).
    pub compute_adapter: Arc<Adapter>,
}

impl std::fmt::Debug for Cloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cloud")
            .field("microversion", &self.compute.microversion())
            .finish_non_exhaustive()
    }
}

/// The compute adapter for these settings (the `OS_ENDPOINT` override, else the catalog).
pub fn compute_adapter(session: &Session, config: &CloudConfig) -> Adapter {
    config.adapter_with(session, "compute")
}

/// Authenticates, finds the compute endpoint and negotiates the version.
/// With a token cache, a failed authentication deletes the cache file.
/// With a version cache, the version document comes from there when it was
/// discovered at this endpoint (no request), else it is discovered and saved.
pub async fn connect(
    session: Session,
    config: CloudConfig,
    requested: Requested,
    cache: Option<&TokenCache>,
    versions: Option<&VersionCache>,
) -> CliResult<Cloud> {
    // Authentication happens on the first request; its failure comes back as a
    // transport error of kind `Auth` (exit 3), so nothing is sent up front.
    let adapter = Arc::new(compute_adapter(&session, &config));
    let transport: Arc<dyn Transport> = adapter.clone();
    let compute = match versions {
        None => Client::negotiate(requested, transport).await?,
        Some(versions) => negotiate_cached(requested, transport, versions).await?,
    };
    save_fresh_token(&session, cache).await;
    Ok(Cloud {
        session,
        config,
        compute,
        compute_adapter: adapter,
    })
}

/// Negotiates against the cached version document of the transport's
/// endpoint; when there is none, or it no longer yields a version, discovers
/// (one GET) and saves what was found.
async fn negotiate_cached(
    requested: Requested,
    transport: Arc<dyn Transport>,
    versions: &VersionCache,
) -> CliResult<Box<dyn ComputeClient>> {
    let registry = Registry::global();
    // the endpoint comes from the catalog: no request beyond authentication
    let endpoint = transport.endpoint().await.map_err(nova_core::Error::from)?;
    // a saved document that no longer yields a version is discovered again
    if let Some(saved) = versions.load(&endpoint)
        && let Ok(client) =
            Client::from_discovered(requested, Arc::clone(&transport), registry, &saved)
    {
        return Ok(client);
    }
    let found = discover(transport.as_ref()).await?;
    let client = Client::from_discovered(requested, transport, registry, &found)?;
    versions.store(&found);
    Ok(client)
}

/// Saves the session's token to the cache unless it came from there (a
/// token re-issued after a 401 replaces the rejected one).
pub async fn save_fresh_token(session: &Session, cache: Option<&TokenCache>) {
    let Some(cache) = cache else { return };
    if let Ok(access) = session.access_info().await
        && !access.is_restored()
    {
        cache.store(&access);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_or_are_usage_errors() {
        assert!(matches!(requested_version("latest"), Ok(Requested::Latest)));
        assert!(matches!(requested_version("2.60"), Ok(Requested::Exact(_))));
        let err = requested_version("abc").err().map(|e| e.exit_code());
        assert_eq!(err, Some(2));
    }
}
