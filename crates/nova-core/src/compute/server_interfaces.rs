//! Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).

use async_trait::async_trait;

use crate::types::{AttachInterface, InterfaceAttachment};
use crate::{ApiResponse, Result};

/// Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).
///
/// `tag` is in the responses from 2.70.
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerInterfaceApi: Send + Sync + std::fmt::Debug {
    /// `GET /servers/{id}/os-interface` (all versions; the same call as
    /// `ServerApi::interfaces`).
    async fn list(&self, server_id: &str) -> Result<ApiResponse<Vec<InterfaceAttachment>>> {
        crate::compute::not_supported("server_interfaces.list")
    }
    /// `GET /servers/{id}/os-interface/{port_id}` (all versions).
    async fn get(
        &self,
        server_id: &str,
        port_id: &str,
    ) -> Result<ApiResponse<InterfaceAttachment>> {
        crate::compute::not_supported("server_interfaces.get")
    }
    /// `POST /servers/{id}/os-interface` (all versions; `tag` 2.49+). A port or a
    /// network, not both; a fixed IP only with a network.
    async fn attach(
        &self,
        server_id: &str,
        request: &AttachInterface,
    ) -> Result<ApiResponse<InterfaceAttachment>> {
        crate::compute::not_supported("server_interfaces.attach")
    }
    /// `DELETE /servers/{id}/os-interface/{port_id}` (all versions; 202).
    async fn detach(&self, server_id: &str, port_id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_interfaces.detach")
    }
}
