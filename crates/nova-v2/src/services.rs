//! The services manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::ServiceApi;

/// Compute services (`/os-services`, admin).
#[derive(Debug, Clone)]
pub struct ServiceManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl ServiceManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServiceApi for ServiceManager {}
