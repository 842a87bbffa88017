//! Moving one server and its live migrations (`/servers/{id}/migrations`).

use async_trait::async_trait;

use crate::types::{LiveMigrateServer, MigrateServer, ServerMigration};
use crate::{ApiResponse, Result};

/// Moving one server (the `migrate` and `os-migrateLive` actions, admin by default) and its
/// in-progress live migrations (`/servers/{id}/migrations`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerMigrationApi: Send + Sync + std::fmt::Debug {
    /// `POST /servers/{id}/action {"migrate": ...}` (cold migration; every version, a target
    /// `host` from 2.56). The server ends in `VERIFY_RESIZE` on the new host: confirm or
    /// revert it with the `confirmResize` / `revertResize` actions.
    async fn migrate(&self, server_id: &str, request: &MigrateServer) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_migrations.migrate")
    }
    /// `POST /servers/{id}/action {"os-migrateLive": ...}` (every version; `"auto"` block
    /// migration from 2.25, `disk_over_commit` below 2.25, `force` 2.30 to 2.67).
    async fn live_migrate(
        &self,
        server_id: &str,
        request: &LiveMigrateServer,
    ) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_migrations.live_migrate")
    }
    /// `GET /servers/{id}/migrations` (2.23+): the in-progress live migrations.
    async fn list(&self, server_id: &str) -> Result<ApiResponse<Vec<ServerMigration>>> {
        crate::compute::not_supported("server_migrations.list")
    }
    /// `GET /servers/{id}/migrations/{migration_id}` (2.23+): an in-progress live migration.
    async fn get(
        &self,
        server_id: &str,
        migration_id: u64,
    ) -> Result<ApiResponse<ServerMigration>> {
        crate::compute::not_supported("server_migrations.get")
    }
    /// `POST /servers/{id}/migrations/{migration_id}/action {"force_complete": null}`
    /// (2.22+): finish a running live migration now (the guest is paused to converge).
    async fn force_complete(&self, server_id: &str, migration_id: u64) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_migrations.force_complete")
    }
    /// `DELETE /servers/{id}/migrations/{migration_id}` (2.24+): abort a running live
    /// migration; the server stays on its source host.
    async fn abort(&self, server_id: &str, migration_id: u64) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_migrations.abort")
    }
}
