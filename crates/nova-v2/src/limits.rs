//! The limits and availability zone managers.

use async_trait::async_trait;
use nova_core::compute::{AvailabilityZoneApi, LimitsApi};
use nova_core::types::{AvailabilityZone, Limits, LimitsQuery};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;

use crate::gate::check_fields;
use crate::path::with_query;

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
        self.get_with(&LimitsQuery::default()).await
    }

    async fn get_with(&self, query: &LimitsQuery) -> Result<ApiResponse<Limits>> {
        check_fields(&self.conn, &query.field_gates())?;
        if query
            .tenant_id
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            return Err(Error::InvalidInput {
                field: "tenant_id".to_owned(),
                reason: "a project id is required".to_owned(),
            });
        }
        let path = with_query("limits", &query.to_pairs());
        let resp = self.conn.get::<LimitsBody>(&path).await?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    #[tokio::test]
    async fn reserved_is_sent_below_2_75_and_refused_from_it() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "limits",
            Reply::json(
                200,
                json!({"limits": {"absolute": {"maxTotalInstances": 10}, "rate": []}}),
            ),
        );
        let query = LimitsQuery::new().reserved(true).tenant_id("p 1");
        let limits = LimitsManager::new(fake.connection(2, 74))
            .get_with(&query)
            .await
            .expect("limits")
            .value;
        assert_eq!(limits.absolute.max_total_instances, Some(10));
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "limits?reserved=1&tenant_id=p%201"
        );
        let error = LimitsManager::new(fake.connection(2, 75))
            .get_with(&query)
            .await
            .expect_err("2.75");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        assert_eq!(fake.requests().len(), 1);
    }
}
