//! [`Client`]: building a compute client for a version string, like python-novaclient's
//! `novaclient.client.Client(version, session=...)`.

use std::sync::Arc;

use crate::compute::ComputeClient;
use crate::connection::Connection;
use crate::discovery::{DiscoveryCache, ServerVersions, discover};
use crate::error::{Error, Result};
use crate::microversion::{MicroVersion, Requested};
use crate::negotiation::negotiate;
use crate::registry::{ClientRegistration, Registry};
use crate::transport::Transport;

/// Entry points that build a [`ComputeClient`] through the [`Registry`].
///
/// ```no_run
/// # async fn demo(transport: std::sync::Arc<dyn nova_core::Transport>) -> nova_core::Result<()> {
/// use nova_core::{Client, Requested};
/// // an explicit version: no I/O, like novaclient.client.Client("2.60", session=...)
/// let nova = Client::new("2.60", transport.clone())?;
/// // "latest": ask the server, pick the highest version both sides support
/// let nova = Client::negotiate(Requested::Latest, transport).await?;
/// println!("using {}", nova.microversion());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Client;

impl Client {
    /// Builds the client for an explicit version, without I/O.
    ///
    /// Mirrors novaclient's `_get_client_class_and_version`: the version is parsed (Nova's
    /// grammar), `latest` / `X.latest` are refused with [`Error::LatestNotResolved`] (use
    /// [`Client::negotiate`]), the major is looked up in [`Registry::global`]
    /// ([`Error::UnknownMajor`] lists the registered ones) and the version must be within the
    /// registration's range, or be `X.0` ([`Error::VersionNotAvailable`]).
    #[allow(
        clippy::new_ret_no_self,
        reason = "the contract: Client::new returns the trait object"
    )]
    pub fn new(version: &str, transport: Arc<dyn Transport>) -> Result<Box<dyn ComputeClient>> {
        Self::new_with_registry(version, transport, Registry::global())
    }

    /// [`Client::new`] with an explicit registry.
    pub fn new_with_registry(
        version: &str,
        transport: Arc<dyn Transport>,
        registry: &Registry,
    ) -> Result<Box<dyn ComputeClient>> {
        let requested: Requested = version.parse()?;
        let Requested::Exact(v) = requested else {
            return Err(Error::LatestNotResolved { requested });
        };
        let registration = registry.get(v.major())?;
        if !(registration.range().contains(v) || v.is_major_only()) {
            return Err(Error::VersionNotAvailable {
                requested,
                client: registration.range(),
                server: None,
                required: None,
            });
        }
        Ok(build(registration, transport, v))
    }

    /// Discovers the server's versions and builds the client at the negotiated version
    /// (see [`negotiate`](crate::negotiate)). `Latest` uses the highest registered major
    /// that the server supports.
    pub async fn negotiate(
        requested: Requested,
        transport: Arc<dyn Transport>,
    ) -> Result<Box<dyn ComputeClient>> {
        Self::negotiate_with_registry(requested, transport, Registry::global()).await
    }

    /// [`Client::negotiate`] with an explicit registry.
    pub async fn negotiate_with_registry(
        requested: Requested,
        transport: Arc<dyn Transport>,
        registry: &Registry,
    ) -> Result<Box<dyn ComputeClient>> {
        let server = discover(transport.as_ref()).await?;
        Self::from_discovered(requested, transport, registry, &server)
    }

    /// [`Client::negotiate_with_registry`] reading the server's versions through `cache`
    /// (one discovery per endpoint for the cache's lifetime).
    pub async fn negotiate_with_cache(
        requested: Requested,
        transport: Arc<dyn Transport>,
        registry: &Registry,
        cache: &DiscoveryCache,
    ) -> Result<Box<dyn ComputeClient>> {
        let server = cache.discover(transport.as_ref()).await?;
        Self::from_discovered(requested, transport, registry, &server)
    }

    /// Negotiates against already discovered server versions and builds the client.
    pub fn from_discovered(
        requested: Requested,
        transport: Arc<dyn Transport>,
        registry: &Registry,
        server: &ServerVersions,
    ) -> Result<Box<dyn ComputeClient>> {
        let (registration, version) = Self::resolve(requested, registry, server)?;
        Ok(build(registration, transport, version))
    }

    /// The registration and version negotiation picks, without building a client.
    pub fn resolve<'r>(
        requested: Requested,
        registry: &'r Registry,
        server: &ServerVersions,
    ) -> Result<(&'r ClientRegistration, MicroVersion)> {
        // A server without microversions (legacy v2) still names its major in the id.
        let requested = match (requested, server.range, server.major()) {
            (Requested::Latest, None, Some(major)) => Requested::MajorLatest(major),
            _ => requested,
        };
        if let Some(major) = requested.major() {
            let registration = registry.get(major)?;
            let v = negotiate(requested, registration.range(), server.range, None)?;
            return Ok((registration, v));
        }
        // Latest: the highest registered major that yields a version.
        let mut last_error = None;
        for registration in registry.registrations().rev() {
            match negotiate(requested, registration.range(), server.range, None) {
                Ok(v) => return Ok((registration, v)),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| Error::UnknownMajor {
            major: server.range.map_or(2, |r| r.max.major()),
            registered: registry.majors(),
        }))
    }
}

fn build(
    registration: &ClientRegistration,
    transport: Arc<dyn Transport>,
    version: MicroVersion,
) -> Box<dyn ComputeClient> {
    tracing::debug!(client = registration.name, %version, "building compute client");
    (registration.factory)(Connection::new(transport, version))
}

#[cfg(test)]
mod tests;
