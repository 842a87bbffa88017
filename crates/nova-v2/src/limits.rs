//! The limits and availability zone managers.

use async_trait::async_trait;
use nova_core::compute::{AvailabilityZoneApi, LimitsApi};
use nova_core::types::{AvailabilityZone, Limits};
use nova_core::{ApiResponse, Connection, Result};
use serde::Deserialize;

/// Limits over one negotiated connection.
#[derive(Debug, Clone)]
pub struct LimitsManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct LimitsBody {
    limits: Limits,
}

impl LimitsManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl LimitsApi for LimitsManager {
    async fn get(&self) -> Result<ApiResponse<Limits>> {
        let resp = self.conn.get::<LimitsBody>("limits").await?;
        Ok(resp.map(|b| b.limits))
    }
}

/// Availability zones over one negotiated connection.
#[derive(Debug, Clone)]
pub struct AvailabilityZoneManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct ZonesBody {
    #[serde(rename = "availabilityZoneInfo", default)]
    zones: Vec<AvailabilityZone>,
}

impl AvailabilityZoneManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl AvailabilityZoneApi for AvailabilityZoneManager {
    async fn list(&self) -> Result<ApiResponse<Vec<AvailabilityZone>>> {
        let resp = self.conn.get::<ZonesBody>("os-availability-zone").await?;
        Ok(resp.map(|b| b.zones))
    }

    async fn list_detail(&self) -> Result<ApiResponse<Vec<AvailabilityZone>>> {
        let resp = self
            .conn
            .get::<ZonesBody>("os-availability-zone/detail")
            .await?;
        Ok(resp.map(|b| b.zones))
    }
}
