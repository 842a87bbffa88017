//! The keypair API.

use async_trait::async_trait;

use crate::types::{CreateKeypair, Keypair, KeypairQuery, Page};
use crate::{ApiResponse, Result};

/// Keypairs (`/os-keypairs`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait KeypairApi: Send + Sync + std::fmt::Debug {
    /// `POST /os-keypairs`: imports the public key, or (below 2.92) generates one and returns
    /// its private key.
    async fn create(&self, request: &CreateKeypair) -> Result<ApiResponse<Keypair>> {
        crate::compute::not_supported("keypairs.create")
    }
    /// `GET /os-keypairs`: the caller's keypairs (from 2.35 the first page, at most Nova's
    /// `max_limit`).
    async fn list(&self) -> Result<ApiResponse<Vec<Keypair>>> {
        crate::compute::not_supported("keypairs.list")
    }
    /// `GET /os-keypairs?user_id=&limit=&marker=`: one page, with the `keypairs_links` next
    /// link when the page is full (`user_id` 2.10+, `limit` and `marker` 2.35+; refused
    /// before sending below those).
    async fn list_with(&self, query: &KeypairQuery) -> Result<ApiResponse<Page<Keypair>>> {
        crate::compute::not_supported("keypairs.list_with")
    }
    /// `GET /os-keypairs/{name}`.
    async fn get(&self, name: &str) -> Result<ApiResponse<Keypair>> {
        crate::compute::not_supported("keypairs.get")
    }
    /// `DELETE /os-keypairs/{name}`.
    async fn delete(&self, name: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("keypairs.delete")
    }
}
