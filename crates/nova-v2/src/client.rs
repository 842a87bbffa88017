//! The major-version-2 compute client: one connection, one manager per resource.

use std::sync::Arc;

use nova_core::compute::InstanceUsageAuditLogApi;
use nova_core::compute::{
    AggregateApi, ConsoleApi, HypervisorApi, InstanceActionApi, MigrationApi, ServerDiagnosticsApi,
    ServerInterfaceApi, ServerMigrationApi, ServerVolumeApi, ServiceApi, UsageApi,
};
use nova_core::compute::{
    AvailabilityZoneApi, ComputeClient, FlavorAdminApi, FlavorApi, KeypairApi, LimitsApi, QuotaApi,
    QuotaClassApi, ServerApi, ServerGroupApi, UserKeypairApi,
};

use nova_core::{Connection, MicroVersion};

use crate::aggregates::AggregateManager;
use crate::consoles::ConsoleManager;
use crate::flavor_admin::FlavorAdminManager;
use crate::flavors::FlavorManager;
use crate::hypervisors::HypervisorManager;
use crate::instance_actions::InstanceActionManager;
use crate::keypairs::KeypairManager;
use crate::limits::{AvailabilityZoneManager, LimitsManager};
use crate::migrations::MigrationManager;
use crate::quotas::{QuotaClassManager, QuotaManager};
use crate::server_diagnostics::ServerDiagnosticsManager;
use crate::server_groups::ServerGroupManager;
use crate::server_interfaces::ServerInterfaceManager;
use crate::server_migrations::ServerMigrationManager;
use crate::server_volumes::ServerVolumeManager;
use crate::servers::ServerManager;
use crate::services::ServiceManager;
use crate::usage::UsageManager;
use crate::usage_audit::InstanceUsageAuditLogManager;
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
    server_migrations: Arc<ServerMigrationManager>,
    migrations: Arc<MigrationManager>,
    server_interfaces: Arc<ServerInterfaceManager>,
    server_volumes: Arc<ServerVolumeManager>,
    consoles: Arc<ConsoleManager>,
    instance_actions: Arc<InstanceActionManager>,
    server_diagnostics: Arc<ServerDiagnosticsManager>,
    hypervisors: Arc<HypervisorManager>,
    services: Arc<ServiceManager>,
    aggregates: Arc<AggregateManager>,
    usage: Arc<UsageManager>,
    usage_audit_logs: Arc<InstanceUsageAuditLogManager>,
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
            server_migrations: Arc::new(ServerMigrationManager::new(conn.clone())),
            migrations: Arc::new(MigrationManager::new(conn.clone())),
            server_interfaces: Arc::new(ServerInterfaceManager::new(conn.clone())),
            server_volumes: Arc::new(ServerVolumeManager::new(conn.clone())),
            consoles: Arc::new(ConsoleManager::new(conn.clone())),
            instance_actions: Arc::new(InstanceActionManager::new(conn.clone())),
            server_diagnostics: Arc::new(ServerDiagnosticsManager::new(conn.clone())),
            hypervisors: Arc::new(HypervisorManager::new(conn.clone())),
            services: Arc::new(ServiceManager::new(conn.clone())),
            aggregates: Arc::new(AggregateManager::new(conn.clone())),
            usage: Arc::new(UsageManager::new(conn.clone())),
            usage_audit_logs: Arc::new(InstanceUsageAuditLogManager::new(conn.clone())),
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
    fn server_migrations(&self) -> Arc<dyn ServerMigrationApi> {
        self.server_migrations.clone()
    }
    fn migrations(&self) -> Arc<dyn MigrationApi> {
        self.migrations.clone()
    }
    fn server_interfaces(&self) -> Arc<dyn ServerInterfaceApi> {
        self.server_interfaces.clone()
    }
    fn server_volumes(&self) -> Arc<dyn ServerVolumeApi> {
        self.server_volumes.clone()
    }
    fn consoles(&self) -> Arc<dyn ConsoleApi> {
        self.consoles.clone()
    }
    fn instance_actions(&self) -> Arc<dyn InstanceActionApi> {
        self.instance_actions.clone()
    }
    fn server_diagnostics(&self) -> Arc<dyn ServerDiagnosticsApi> {
        self.server_diagnostics.clone()
    }
    fn hypervisors(&self) -> Arc<dyn HypervisorApi> {
        self.hypervisors.clone()
    }
    fn services(&self) -> Arc<dyn ServiceApi> {
        self.services.clone()
    }
    fn aggregates(&self) -> Arc<dyn AggregateApi> {
        self.aggregates.clone()
    }
    fn usage(&self) -> Arc<dyn UsageApi> {
        self.usage.clone()
    }
    fn usage_audit_logs(&self) -> Arc<dyn InstanceUsageAuditLogApi> {
        self.usage_audit_logs.clone()
    }
}
