//! The consoles manager.

use async_trait::async_trait;
use nova_core::Connection;
use nova_core::compute::ConsoleApi;

/// Remote consoles (2.6+), the older console actions and console auth tokens.
#[derive(Debug, Clone)]
pub struct ConsoleManager {
    #[allow(dead_code)]
    conn: Connection,
}

impl ConsoleManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ConsoleApi for ConsoleManager {}
