//! The major-version-2 compute client: one connection, one manager per resource.

use std::sync::Arc;

use nova_core::compute::{
    AvailabilityZoneApi, ComputeClient, FlavorAdminApi, FlavorApi, KeypairApi, LimitsApi, QuotaApi,
    QuotaClassApi, ServerApi, ServerGroupApi, UserKeypairApi,
};
use nova_core::{Connection, MicroVersion};

use crate::flavor_admin::FlavorAdminManager;
use crate::flavors::FlavorManager;
use crate::keypairs::KeypairManager;
use crate::limits::{AvailabilityZoneManager, LimitsManager};
use crate::quotas::{QuotaClassManager, QuotaManager};
use crate::server_groups::ServerGroupManager;
use crate::servers::ServerManager;
use crate::user_keypairs::UserKeypairManager;

/// The lowest microversion this client supports.
pub const MIN_VERSION: MicroVersion = MicroVersion::new(2, 1);
/// The highest microversion this client supports.
pub const MAX_VERSION: MicroVersion = MicroVersion::new(2, 104);

/// A compute v2 client: what `novaclient.v2.client.Client` is.
#[derive(Debug, Clone)]
pub struct NovaV2Client {
    conn: Connection,
    servers: Arc<ServerManager>,
    flavors: Arc<FlavorManager>,
    keypairs: Arc<KeypairManager>,
    limits: Arc<LimitsManager>,
    zones: Arc<AvailabilityZoneManager>,
    server_groups: Arc<ServerGroupManager>,
    quotas: Arc<QuotaManager>,
    quota_classes: Arc<QuotaClassManager>,
    flavor_admin: Arc<FlavorAdminManager>,
    user_keypairs: Arc<UserKeypairManager>,
}

impl NovaV2Client {
    /// A client sending every request through `conn` at its microversion.
    pub fn new(conn: Connection) -> Self {
        Self {
            servers: Arc::new(ServerManager::new(conn.clone())),
            flavors: Arc::new(FlavorManager::new(conn.clone())),
            keypairs: Arc::new(KeypairManager::new(conn.clone())),
            limits: Arc::new(LimitsManager::new(conn.clone())),
            zones: Arc::new(AvailabilityZoneManager::new(conn.clone())),
            server_groups: Arc::new(ServerGroupManager::new(conn.clone())),
            quotas: Arc::new(QuotaManager::new(conn.clone())),
            quota_classes: Arc::new(QuotaClassManager::new(conn.clone())),
            flavor_admin: Arc::new(FlavorAdminManager::new(conn.clone())),
            user_keypairs: Arc::new(UserKeypairManager::new(conn.clone())),
            conn,
        }
    }

    /// The connection shared by the managers.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The concrete server manager.
    pub fn server_manager(&self) -> &ServerManager {
        &self.servers
    }

    /// The registry factory: boxes a client for `conn`.
    pub fn boxed(conn: Connection) -> Box<dyn ComputeClient> {
        Box::new(Self::new(conn))
    }
}

impl ComputeClient for NovaV2Client {
    fn microversion(&self) -> MicroVersion {
        self.conn.microversion()
    }
    fn servers(&self) -> Arc<dyn ServerApi> {
        self.servers.clone()
    }
    fn flavors(&self) -> Arc<dyn FlavorApi> {
        self.flavors.clone()
    }
    fn keypairs(&self) -> Arc<dyn KeypairApi> {
        self.keypairs.clone()
    }
    fn limits(&self) -> Arc<dyn LimitsApi> {
        self.limits.clone()
    }
    fn availability_zones(&self) -> Arc<dyn AvailabilityZoneApi> {
        self.zones.clone()
    }
    fn server_groups(&self) -> Arc<dyn ServerGroupApi> {
        self.server_groups.clone()
    }
    fn quotas(&self) -> Arc<dyn QuotaApi> {
        self.quotas.clone()
    }
    fn quota_classes(&self) -> Arc<dyn QuotaClassApi> {
        self.quota_classes.clone()
    }
    fn flavor_admin(&self) -> Arc<dyn FlavorAdminApi> {
        self.flavor_admin.clone()
    }
    fn user_keypairs(&self) -> Arc<dyn UserKeypairApi> {
        self.user_keypairs.clone()
    }
}
