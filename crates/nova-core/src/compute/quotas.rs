//! The quota, quota class and per-project limits APIs.

use async_trait::async_trait;

use crate::types::{Limits, QuotaClassSet, QuotaSet, QuotaSetDetail, UpdateQuotaSet};
use crate::{ApiResponse, Result};

/// Quota sets (`/os-quota-sets`); most operations need an admin for another project.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait QuotaApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-quota-sets/{project_id}` (`?user_id=` for one user's quotas).
    async fn get<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<QuotaSet>>;
    /// `GET /os-quota-sets/{project_id}/detail`: limits with usage.
    async fn detail<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<QuotaSetDetail>>;
    /// `GET /os-quota-sets/{project_id}/defaults`.
    async fn defaults(&self, project_id: &str) -> Result<ApiResponse<QuotaSet>>;
    /// `PUT /os-quota-sets/{project_id}` (admin); network fields below 2.36, injected file
    /// fields below 2.57. An empty update is refused before sending.
    async fn update<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
        update: &UpdateQuotaSet,
    ) -> Result<ApiResponse<QuotaSet>>;
    /// `DELETE /os-quota-sets/{project_id}` (admin): back to the defaults.
    async fn delete<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<()>>;
    /// `GET /limits?tenant_id={project_id}` (admin): another project's absolute limits.
    async fn project_limits(&self, project_id: &str) -> Result<ApiResponse<Limits>>;
}

/// Quota classes (`/os-quota-class-sets`, admin).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait QuotaClassApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-quota-class-sets/{class}` (Nova only uses `default`).
    async fn get(&self, class: &str) -> Result<ApiResponse<QuotaClassSet>>;
    /// `PUT /os-quota-class-sets/{class}`: network fields below 2.50, server group fields
    /// from 2.50, injected file fields below 2.57, no `force`.
    async fn update(
        &self,
        class: &str,
        update: &UpdateQuotaSet,
    ) -> Result<ApiResponse<QuotaClassSet>>;
}
