//! The hypervisors manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::HypervisorApi;

/// Hypervisors (`/os-hypervisors`, admin).
#[derive(Debug, Clone)]
pub struct HypervisorManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl HypervisorManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl HypervisorApi for HypervisorManager {}
