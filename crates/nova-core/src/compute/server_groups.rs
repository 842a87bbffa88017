//! The server group API.

use async_trait::async_trait;

use crate::types::{CreateServerGroup, ServerGroup, ServerGroupQuery};
use crate::{ApiResponse, Result};

/// Server groups (`/os-server-groups`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerGroupApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-server-groups` (`all_projects` for admins, ignored for others; `limit`,
    /// `offset`).
    async fn list(&self, query: &ServerGroupQuery) -> Result<ApiResponse<Vec<ServerGroup>>> {
        crate::compute::not_supported("server_groups.list")
    }
    /// `GET /os-server-groups/{id}`.
    async fn get(&self, id: &str) -> Result<ApiResponse<ServerGroup>> {
        crate::compute::not_supported("server_groups.get")
    }
    /// `POST /os-server-groups`: `policies` below 2.64, `policy` and `rules` from 2.64;
    /// soft policies need 2.15.
    async fn create(&self, request: &CreateServerGroup) -> Result<ApiResponse<ServerGroup>> {
        crate::compute::not_supported("server_groups.create")
    }
    /// `DELETE /os-server-groups/{id}`.
    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_groups.delete")
    }
}
