//! The quota, quota class and per-project limits APIs.

use async_trait::async_trait;

use crate::types::{Limits, QuotaClassSet, QuotaSet, QuotaSetDetail, UpdateQuotaSet};
use crate::{ApiResponse, Result};

/// Quota sets (`/os-quota-sets`); most operations need an admin for another project.
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait QuotaApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-quota-sets/{project_id}` (`?user_id=` for one user's quotas).
    async fn get<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<QuotaSet>> {
        crate::compute::not_supported("quotas.get")
    }
    /// `GET /os-quota-sets/{project_id}/detail`: limits with usage.
    async fn detail<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<QuotaSetDetail>> {
        crate::compute::not_supported("quotas.detail")
    }
    /// `GET /os-quota-sets/{project_id}/defaults`.
    async fn defaults(&self, project_id: &str) -> Result<ApiResponse<QuotaSet>> {
        crate::compute::not_supported("quotas.defaults")
    }
    /// `PUT /os-quota-sets/{project_id}` (admin); network fields below 2.36, injected file
    /// fields below 2.57. An empty update is refused before sending.
    async fn update<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
        update: &UpdateQuotaSet,
    ) -> Result<ApiResponse<QuotaSet>> {
        crate::compute::not_supported("quotas.update")
    }
    /// `DELETE /os-quota-sets/{project_id}` (admin): back to the defaults.
    async fn delete<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("quotas.delete")
    }
    /// `GET /limits?tenant_id={project_id}` (admin): another project's absolute limits.
    async fn project_limits(&self, project_id: &str) -> Result<ApiResponse<Limits>> {
        crate::compute::not_supported("quotas.project_limits")
    }
}

/// Quota classes (`/os-quota-class-sets`, admin).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait QuotaClassApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-quota-class-sets/{class}` (Nova only uses `default`).
    async fn get(&self, class: &str) -> Result<ApiResponse<QuotaClassSet>> {
        crate::compute::not_supported("quota_classes.get")
    }
    /// `PUT /os-quota-class-sets/{class}`: network fields below 2.50, server group fields
    /// from 2.50, injected file fields below 2.57, no `force`.
    async fn update(
        &self,
        class: &str,
        update: &UpdateQuotaSet,
    ) -> Result<ApiResponse<QuotaClassSet>> {
        crate::compute::not_supported("quota_classes.update")
    }
}
