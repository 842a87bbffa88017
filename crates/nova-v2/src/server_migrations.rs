//! The server migrations manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::ServerMigrationApi;

/// Live migrations of one server (`/servers/{id}/migrations`).
#[derive(Debug, Clone)]
pub struct ServerMigrationManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl ServerMigrationManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerMigrationApi for ServerMigrationManager {}
