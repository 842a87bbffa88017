//! The instance actions manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::InstanceActionApi;

/// Instance actions and their events (`/servers/{id}/os-instance-actions`).
#[derive(Debug, Clone)]
pub struct InstanceActionManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl InstanceActionManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl InstanceActionApi for InstanceActionManager {}
