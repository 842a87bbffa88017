//! Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).

use async_trait::async_trait;

/// Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerVolumeApi: Send + Sync + std::fmt::Debug {}
