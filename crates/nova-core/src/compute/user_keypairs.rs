//! Keypairs of another user (2.10+, admin).

use async_trait::async_trait;

use crate::types::Keypair;
use crate::{ApiResponse, Result};

/// Another user's keypairs (`/os-keypairs?user_id=`, 2.10+; admin unless the user is the
/// caller). Create one for another user with [`crate::types::CreateKeypair::user_id`].
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait UserKeypairApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-keypairs?user_id={user_id}`.
    async fn list(&self, user_id: &str) -> Result<ApiResponse<Vec<Keypair>>> {
        crate::compute::not_supported("user_keypairs.list")
    }
    /// `GET /os-keypairs/{name}?user_id={user_id}`.
    async fn get(&self, name: &str, user_id: &str) -> Result<ApiResponse<Keypair>> {
        crate::compute::not_supported("user_keypairs.get")
    }
    /// `DELETE /os-keypairs/{name}?user_id={user_id}`.
    async fn delete(&self, name: &str, user_id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("user_keypairs.delete")
    }
}
