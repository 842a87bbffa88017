//! The usage manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::UsageApi;

/// Simple tenant usage (`/os-simple-tenant-usage`).
#[derive(Debug, Clone)]
pub struct UsageManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl UsageManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl UsageApi for UsageManager {}
