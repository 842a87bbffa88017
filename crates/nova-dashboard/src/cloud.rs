//! One authenticated connection to the cloud per browser session, built the way the `nova`
//! command builds its own: a `CloudConfig` turned into a keystone-auth `Session`, the
//! compute `Adapter` from the catalog (or `OS_ENDPOINT`), and a negotiated nova-v2 client.

use std::sync::Arc;
use std::time::Duration;

use keystone_auth::{Adapter, CloudConfig, Session};
use nova_core::compute::ComputeClient;
use nova_core::{Client, MicroVersion, Requested, Transport};
use serde::Deserialize;

use crate::error::DashboardError;

/// The authenticated cloud of one session.
pub struct CloudConnection {
    /// The keystone-auth session (holds the token; re-authenticates by itself).
    pub session: Session,
    /// The settings it was made from (secrets inside are `SecretString`s).
    pub config: CloudConfig,
    /// The compute client at the negotiated microversion.
    pub compute: Arc<dyn ComputeClient>,
    /// The image service, when the catalog has one.
    pub image: Option<Adapter>,
    /// The network service, when the catalog has one.
    pub network: Option<Adapter>,
    /// Who is logged in, for the page header.
    pub user_name: String,
    /// The project the token is scoped to.
    pub project_name: String,
    /// The service types of the token's catalog.
    pub catalog_types: Vec<String>,
}

impl std::fmt::Debug for CloudConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudConnection")
            .field("user", &self.user_name)
            .field("project", &self.project_name)
            .field("microversion", &self.compute.microversion())
            .finish_non_exhaustive()
    }
}

/// An image from the image service (Glance v2), as much as the pages show.
#[derive(Debug, Clone, Deserialize)]
pub struct ImageSummary {
    /// The id.
    pub id: String,
    /// The name (Glance allows none).
    #[serde(default)]
    pub name: Option<String>,
    /// `active`, `queued`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Minimum disk in GiB.
    #[serde(default)]
    pub min_disk: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct ImageList {
    images: Vec<ImageSummary>,
}

/// A network from the network service (Neutron v2.0).
#[derive(Debug, Clone, Deserialize)]
pub struct NetworkSummary {
    /// The id.
    pub id: String,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NetworkList {
    networks: Vec<NetworkSummary>,
}

/// How long one request to the cloud may take before the page gives up.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The adapter for `service_type` when the catalog has such a service.
async fn optional_service(
    session: &Session,
    config: &CloudConfig,
    service_type: &str,
) -> Option<Adapter> {
    let adapter = Adapter::new(session.clone(), config.endpoint_filter(service_type));
    adapter.endpoint().await.ok().map(|_| adapter)
}

impl CloudConnection {
    /// Authenticates with `config`, finds the compute endpoint and negotiates the newest
    /// microversion both sides support (what `nova` does without `--os-compute-api-version`).
    pub async fn connect(config: CloudConfig) -> Result<Self, DashboardError> {
        Self::connect_at(config, Requested::Latest).await
    }

    /// [`CloudConnection::connect`] at a requested version.
    pub async fn connect_at(
        config: CloudConfig,
        requested: Requested,
    ) -> Result<Self, DashboardError> {
        let session = config
            .session_builder()
            .map_err(DashboardError::Login)?
            .app_name("nova-dashboard")
            .app_version(env!("CARGO_PKG_VERSION"))
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(DashboardError::Login)?;
        let access = session.access_info().await.map_err(DashboardError::Login)?;
        let compute = Adapter::new(session.clone(), config.endpoint_filter("compute"));
        let compute = match &config.auth.endpoint {
            Some(endpoint) => compute.with_endpoint_override(endpoint),
            None => compute,
        };
        compute.endpoint().await.map_err(DashboardError::Login)?;
        let transport: Arc<dyn Transport> = Arc::new(compute);
        let client = Client::negotiate(requested, transport)
            .await
            .map_err(DashboardError::Compute)?;
        let image = optional_service(&session, &config, "image").await;
        let network = optional_service(&session, &config, "network").await;
        let user_name = access
            .user
            .as_ref()
            .map(|u| u.name.clone().unwrap_or_else(|| u.id.clone()))
            .unwrap_or_default();
        let project_name = access
            .project
            .as_ref()
            .map(|p| p.name.clone().unwrap_or_else(|| p.id.clone()))
            .unwrap_or_default();
        let catalog_types = access
            .catalog
            .services()
            .iter()
            .map(|s| s.service_type.clone())
            .collect();
        Ok(Self {
            catalog_types,
            session,
            config,
            compute: Arc::from(client),
            image,
            network,
            user_name,
            project_name,
        })
    }

    /// The negotiated compute microversion.
    pub fn microversion(&self) -> MicroVersion {
        self.compute.microversion()
    }

    /// The images of the image service (empty without one), sorted by name.
    pub async fn images(&self) -> Result<Vec<ImageSummary>, DashboardError> {
        let Some(glance) = &self.image else {
            return Ok(Vec::new());
        };
        let response = glance
            .send(
                http::Method::GET,
                "v2/images?limit=1000",
                http::HeaderMap::new(),
                None,
            )
            .await
            .and_then(keystone_auth::Response::error_for_status)
            .map_err(DashboardError::Service)?;
        let mut list: ImageList = serde_json::from_slice(&response.body)
            .map_err(|e| DashboardError::BadAnswer(format!("the image list: {e}")))?;
        list.images.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list.images)
    }

    /// The networks of the network service (empty without one), sorted by name.
    pub async fn networks(&self) -> Result<Vec<NetworkSummary>, DashboardError> {
        let Some(neutron) = &self.network else {
            return Ok(Vec::new());
        };
        let response = neutron
            .send(
                http::Method::GET,
                "v2.0/networks",
                http::HeaderMap::new(),
                None,
            )
            .await
            .and_then(keystone_auth::Response::error_for_status)
            .map_err(DashboardError::Service)?;
        let mut list: NetworkList = serde_json::from_slice(&response.body)
            .map_err(|e| DashboardError::BadAnswer(format!("the network list: {e}")))?;
        list.networks.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list.networks)
    }
}
