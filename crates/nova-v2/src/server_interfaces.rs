//! The server interfaces manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::ServerInterfaceApi;

/// Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).
#[derive(Debug, Clone)]
pub struct ServerInterfaceManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl ServerInterfaceManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerInterfaceApi for ServerInterfaceManager {}
