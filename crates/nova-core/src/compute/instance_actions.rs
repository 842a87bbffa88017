//! Instance actions and their events (`/servers/{id}/os-instance-actions`).

use async_trait::async_trait;

use crate::types::{InstanceAction, InstanceActionQuery, Page};
use crate::{ApiResponse, Result};

/// Instance actions and their events (`/servers/{id}/os-instance-actions`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait InstanceActionApi: Send + Sync + std::fmt::Debug {
    /// `GET /servers/{id}/os-instance-actions` (all versions; `limit`, `marker` and
    /// `changes-since` 2.58+, `changes-before` 2.66+; the `next` link of a full page 2.58+).
    /// From 2.21 the actions of a deleted server stay readable.
    async fn list(
        &self,
        server_id: &str,
        query: &InstanceActionQuery,
    ) -> Result<ApiResponse<Page<InstanceAction>>> {
        crate::compute::not_supported("instance_actions.list")
    }
    /// `GET /servers/{id}/os-instance-actions/{request_id}` with its events (all versions;
    /// events for everyone from 2.51, `hostId`/`host` 2.62+, `details` 2.84+).
    async fn get(&self, server_id: &str, request_id: &str) -> Result<ApiResponse<InstanceAction>> {
        crate::compute::not_supported("instance_actions.get")
    }
}
