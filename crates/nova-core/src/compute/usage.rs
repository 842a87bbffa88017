//! Simple tenant usage (`/os-simple-tenant-usage`).

use async_trait::async_trait;

use crate::types::{TenantUsage, UsagePage, UsageQuery};
use crate::{ApiResponse, Result};

/// Simple tenant usage (`/os-simple-tenant-usage`): servers' hours, memory, VCPUs and disk
/// over a window, per project. `limit` and `marker` need 2.40; from 2.40 Nova pages the
/// servers (at most its `max_limit` per page even without `limit`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait UsageApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-simple-tenant-usage?start=&end=[&detailed=1][&limit=&marker=]` (admin): the
    /// usage of every project with servers in the window (2.1+; paging 2.40+).
    async fn list(&self, query: &UsageQuery) -> Result<ApiResponse<UsagePage<Vec<TenantUsage>>>> {
        crate::compute::not_supported("usage.list")
    }
    /// `GET /os-simple-tenant-usage/{project_id}?start=&end=[&limit=&marker=]`: one project's
    /// usage with its servers (a project may read its own; 2.1+; paging 2.40+). `detailed` is
    /// not sent.
    async fn get(
        &self,
        project_id: &str,
        query: &UsageQuery,
    ) -> Result<ApiResponse<UsagePage<TenantUsage>>> {
        crate::compute::not_supported("usage.get")
    }
    /// [`UsageApi::list`] over every page (2.40+: follows the last server's id as `marker`
    /// while pages hold servers), each project's pages merged into one usage. Below 2.40, one
    /// request.
    async fn list_all(&self, query: &UsageQuery) -> Result<Vec<TenantUsage>> {
        crate::compute::not_supported("usage.list_all")
    }
    /// [`UsageApi::get`] over every page (2.40+), merged into one usage.
    async fn get_all(&self, project_id: &str, query: &UsageQuery) -> Result<TenantUsage> {
        crate::compute::not_supported("usage.get_all")
    }
}
