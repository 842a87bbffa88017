//! The flavor API.

use async_trait::async_trait;

use crate::types::{Flavor, FlavorQuery, FlavorSummary, Page};
use crate::{ApiResponse, Result};

/// Flavors (`/flavors`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FlavorApi: Send + Sync + std::fmt::Debug {
    /// `GET /flavors`: ids and names of the first page with no filters (2.1+).
    async fn list(&self) -> Result<ApiResponse<Vec<FlavorSummary>>> {
        crate::compute::not_supported("flavors.list")
    }
    /// `GET /flavors/detail`: the first page with no filters (2.1+).
    async fn list_detail(&self) -> Result<ApiResponse<Vec<Flavor>>> {
        crate::compute::not_supported("flavors.list_detail")
    }
    /// `GET /flavors?is_public=&minDisk=&minRam=&sort_key=&sort_dir=&limit=&marker=`: one
    /// page of ids and names, with the `flavors_links` next link when the page is full
    /// (2.1+; `is_public` only matters for admins).
    async fn list_with(&self, query: &FlavorQuery) -> Result<ApiResponse<Page<FlavorSummary>>> {
        crate::compute::not_supported("flavors.list_with")
    }
    /// `GET /flavors/detail?...`: like [`FlavorApi::list_with`] with every field (2.1+).
    async fn list_detail_with(&self, query: &FlavorQuery) -> Result<ApiResponse<Page<Flavor>>> {
        crate::compute::not_supported("flavors.list_detail_with")
    }
    /// `GET /flavors/{id}`.
    async fn get(&self, id: &str) -> Result<ApiResponse<Flavor>> {
        crate::compute::not_supported("flavors.get")
    }
    /// Finds a flavor by exact id, else by unique name.
    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Flavor>> {
        crate::compute::not_supported("flavors.find")
    }
}
