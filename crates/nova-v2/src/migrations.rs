//! The migrations manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::MigrationApi;

/// Migrations of every server (`/os-migrations`, admin).
#[derive(Debug, Clone)]
pub struct MigrationManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl MigrationManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl MigrationApi for MigrationManager {}
