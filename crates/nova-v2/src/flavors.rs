//! The flavor manager.

use async_trait::async_trait;
use nova_core::compute::FlavorApi;
use nova_core::types::{Flavor, FlavorSummary};
use nova_core::{ApiResponse, Connection, Result};
use serde::Deserialize;

use crate::find::{is_not_found, unique_by_name};
use crate::path::encode;

/// Flavors over one negotiated connection.
#[derive(Debug, Clone)]
pub struct FlavorManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct FlavorBody {
    flavor: Flavor,
}

#[derive(Deserialize)]
struct FlavorsBody<T> {
    #[serde(default = "Vec::new")]
    flavors: Vec<T>,
}

impl FlavorManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl FlavorApi for FlavorManager {
    async fn list(&self) -> Result<ApiResponse<Vec<FlavorSummary>>> {
        let resp = self
            .conn
            .get::<FlavorsBody<FlavorSummary>>("flavors")
            .await?;
        Ok(resp.map(|b| b.flavors))
    }

    async fn list_detail(&self) -> Result<ApiResponse<Vec<Flavor>>> {
        let resp = self
            .conn
            .get::<FlavorsBody<Flavor>>("flavors/detail")
            .await?;
        Ok(resp.map(|b| b.flavors))
    }

    async fn get(&self, id: &str) -> Result<ApiResponse<Flavor>> {
        let resp = self
            .conn
            .get::<FlavorBody>(&format!("flavors/{}", encode(id)))
            .await?;
        Ok(resp.map(|b| b.flavor))
    }

    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Flavor>> {
        match self.get(name_or_id).await {
            Ok(found) => return Ok(found),
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(e),
        }
        let all = self.list_detail().await?;
        let mut value = Vec::new();
        let all = all.map(|flavors| value = flavors);
        let flavor = unique_by_name(
            "flavor",
            name_or_id,
            value
                .into_iter()
                .map(|f| (f.id.clone(), f.name.clone(), f))
                .collect(),
        )?;
        Ok(all.map(|()| flavor))
    }
}
