//! The flavor API.

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::types::{Flavor, FlavorQuery, FlavorSummary, Page};
use crate::{ApiResponse, Result};

/// Flavors (`/flavors`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FlavorApi: Send + Sync + std::fmt::Debug {
    /// `GET /flavors?is_public=&minDisk=&minRam=&sort_key=&sort_dir=&limit=&marker=`: one
    /// page of ids and names, with the `flavors_links` next link when the page is full
    /// (2.1+; `is_public` only matters for admins). `&FlavorQuery::default()` is the
    /// first page with no filters.
    async fn list(&self, query: &FlavorQuery) -> Result<ApiResponse<Page<FlavorSummary>>> {
        crate::compute::not_supported("flavors.list")
    }
    /// `GET /flavors/detail?...`: like [`FlavorApi::list`] with every field (2.1+).
    async fn list_detail(&self, query: &FlavorQuery) -> Result<ApiResponse<Page<Flavor>>> {
        crate::compute::not_supported("flavors.list_detail")
    }
    /// Every flavor (every field) matching `query`, following `flavors_links` across pages.
    fn list_all(&self, query: FlavorQuery) -> BoxStream<'static, Result<Flavor>> {
        crate::compute::not_supported_stream("flavors.list_all")
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
