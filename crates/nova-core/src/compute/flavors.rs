//! The flavor API.

use async_trait::async_trait;

use crate::types::{Flavor, FlavorSummary};
use crate::{ApiResponse, Result};

/// Flavors (`/flavors`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FlavorApi: Send + Sync + std::fmt::Debug {
    /// `GET /flavors`: ids and names.
    async fn list(&self) -> Result<ApiResponse<Vec<FlavorSummary>>>;
    /// `GET /flavors/detail`.
    async fn list_detail(&self) -> Result<ApiResponse<Vec<Flavor>>>;
    /// `GET /flavors/{id}`.
    async fn get(&self, id: &str) -> Result<ApiResponse<Flavor>>;
    /// Finds a flavor by exact id, else by unique name.
    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Flavor>>;
}
