//! Compute services (`/os-services`, admin).

use async_trait::async_trait;

use crate::types::{Service, ServiceQuery, UpdateService};
use crate::{ApiResponse, Result};

/// Compute services (`/os-services`, admin).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServiceApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-services` (filters `host`, `binary`); `forced_down` 2.11+, UUID ids 2.53+.
    async fn list(&self, query: &ServiceQuery) -> Result<ApiResponse<Vec<Service>>> {
        crate::compute::not_supported("services.list")
    }
    /// `PUT /os-services/enable` with `host` and `binary` (2.1 to 2.52).
    async fn enable(&self, host: &str, binary: &str) -> Result<ApiResponse<Service>> {
        crate::compute::not_supported("services.enable")
    }
    /// `PUT /os-services/disable`, or `/os-services/disable-log-reason` with a reason
    /// (2.1 to 2.52).
    async fn disable(
        &self,
        host: &str,
        binary: &str,
        reason: Option<String>,
    ) -> Result<ApiResponse<Service>> {
        crate::compute::not_supported("services.disable")
    }
    /// `PUT /os-services/force-down` with `forced_down` (2.11 to 2.52).
    async fn force_down(
        &self,
        host: &str,
        binary: &str,
        forced_down: bool,
    ) -> Result<ApiResponse<Service>> {
        crate::compute::not_supported("services.force_down")
    }
    /// `PUT /os-services/{id}` with `status`, `disabled_reason`, `forced_down` (2.53+).
    async fn update(&self, id: &str, request: &UpdateService) -> Result<ApiResponse<Service>> {
        crate::compute::not_supported("services.update")
    }
    /// `DELETE /os-services/{id}` (integer id below 2.53, UUID from 2.53).
    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("services.delete")
    }
}
