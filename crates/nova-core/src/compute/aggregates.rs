//! Host aggregates (`/os-aggregates`, admin).

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::types::{Aggregate, CreateAggregate, UpdateAggregate};
use crate::{ApiResponse, Result};

/// Host aggregates (`/os-aggregates`, admin by default policy).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AggregateApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-aggregates` (every version; `uuid` from 2.41).
    async fn list(&self) -> Result<ApiResponse<Vec<Aggregate>>> {
        crate::compute::not_supported("aggregates.list")
    }
    /// `GET /os-aggregates/{id}` (every version).
    async fn get(&self, id: u64) -> Result<ApiResponse<Aggregate>> {
        crate::compute::not_supported("aggregates.get")
    }
    /// `POST /os-aggregates` (every version): name and optional availability zone.
    async fn create(&self, request: &CreateAggregate) -> Result<ApiResponse<Aggregate>> {
        crate::compute::not_supported("aggregates.create")
    }
    /// `PUT /os-aggregates/{id}` (every version): a new name and/or availability zone.
    async fn update(&self, id: u64, request: &UpdateAggregate) -> Result<ApiResponse<Aggregate>> {
        crate::compute::not_supported("aggregates.update")
    }
    /// `DELETE /os-aggregates/{id}` (every version; the aggregate must have no hosts).
    async fn delete(&self, id: u64) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("aggregates.delete")
    }
    /// The `add_host` action, `POST /os-aggregates/{id}/action` (every version).
    async fn add_host(&self, id: u64, host: &str) -> Result<ApiResponse<Aggregate>> {
        crate::compute::not_supported("aggregates.add_host")
    }
    /// The `remove_host` action, `POST /os-aggregates/{id}/action` (every version).
    async fn remove_host(&self, id: u64, host: &str) -> Result<ApiResponse<Aggregate>> {
        crate::compute::not_supported("aggregates.remove_host")
    }
    /// The `set_metadata` action (every version): `Some` sets a key, `None` removes it.
    async fn set_metadata(
        &self,
        id: u64,
        items: &BTreeMap<String, Option<String>>,
    ) -> Result<ApiResponse<Aggregate>> {
        crate::compute::not_supported("aggregates.set_metadata")
    }
    /// `POST /os-aggregates/{id}/images` (2.81+): asks the aggregate's hosts to cache
    /// these images.
    async fn cache_images(&self, id: u64, image_ids: &[String]) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("aggregates.cache_images")
    }
}
