//! The server group API.

use async_trait::async_trait;

use crate::types::{CreateServerGroup, ServerGroup, ServerGroupQuery};
use crate::{ApiResponse, Result};

/// Server groups (`/os-server-groups`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerGroupApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-server-groups` (`all_projects` for admins, ignored for others; `limit`,
    /// `offset`).
    async fn list(&self, query: &ServerGroupQuery) -> Result<ApiResponse<Vec<ServerGroup>>>;
    /// `GET /os-server-groups/{id}`.
    async fn get(&self, id: &str) -> Result<ApiResponse<ServerGroup>>;
    /// `POST /os-server-groups`: `policies` below 2.64, `policy` and `rules` from 2.64;
    /// soft policies need 2.15.
    async fn create(&self, request: &CreateServerGroup) -> Result<ApiResponse<ServerGroup>>;
    /// `DELETE /os-server-groups/{id}`.
    async fn delete(&self, id: &str) -> Result<ApiResponse<()>>;
}
