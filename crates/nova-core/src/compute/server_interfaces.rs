//! Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).

use async_trait::async_trait;

/// Port interfaces of a server: attach, show, detach (`/servers/{id}/os-interface`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerInterfaceApi: Send + Sync + std::fmt::Debug {}
