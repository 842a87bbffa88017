//! Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).

use async_trait::async_trait;

use crate::types::{AttachVolume, UpdateVolumeAttachment, VolumeAttachment};
use crate::{ApiResponse, Result};

/// Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).
///
/// Responses: `tag` from 2.70, `delete_on_termination` from 2.79, `attachment_id` and
/// `bdm_uuid` instead of `id` from 2.89.
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerVolumeApi: Send + Sync + std::fmt::Debug {
    /// `GET /servers/{id}/os-volume_attachments` (all versions; the same call as
    /// `ServerApi::volume_attachments`).
    async fn list(&self, server_id: &str) -> Result<ApiResponse<Vec<VolumeAttachment>>> {
        crate::compute::not_supported("server_volumes.list")
    }
    /// `GET /servers/{id}/os-volume_attachments/{volume_id}` (all versions).
    async fn get(&self, server_id: &str, volume_id: &str) -> Result<ApiResponse<VolumeAttachment>> {
        crate::compute::not_supported("server_volumes.get")
    }
    /// `POST /servers/{id}/os-volume_attachments` (all versions; `tag` 2.49+,
    /// `delete_on_termination` 2.79+).
    async fn attach(
        &self,
        server_id: &str,
        request: &AttachVolume,
    ) -> Result<ApiResponse<VolumeAttachment>> {
        crate::compute::not_supported("server_volumes.attach")
    }
    /// `PUT /servers/{id}/os-volume_attachments/{volume_id}` (all versions; 202): swap to
    /// `request.volume_id` (admin/service by default policy) or, from 2.85, change
    /// `delete_on_termination`.
    async fn update(
        &self,
        server_id: &str,
        volume_id: &str,
        request: &UpdateVolumeAttachment,
    ) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_volumes.update")
    }
    /// `DELETE /servers/{id}/os-volume_attachments/{volume_id}` (all versions; 202).
    async fn detach(&self, server_id: &str, volume_id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("server_volumes.detach")
    }
}
