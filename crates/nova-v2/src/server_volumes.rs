//! The server volumes manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::ServerVolumeApi;

/// Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).
#[derive(Debug, Clone)]
pub struct ServerVolumeManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl ServerVolumeManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerVolumeApi for ServerVolumeManager {}
