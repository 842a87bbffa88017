//! The aggregates manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::AggregateApi;

/// Host aggregates (`/os-aggregates`, admin).
#[derive(Debug, Clone)]
pub struct AggregateManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl AggregateManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl AggregateApi for AggregateManager {}
