//! The keypair API.

use async_trait::async_trait;
use futures::stream::BoxStream;

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
    /// `GET /os-keypairs?user_id=&limit=&marker=`: one page, with the `keypairs_links` next
    /// link when the page is full (`user_id` 2.10+, `limit` and `marker` 2.35+; refused
    /// before sending below those). `&KeypairQuery::default()` is the caller's first page
    /// (from 2.35 at most Nova's `max_limit`).
    async fn list(&self, query: &KeypairQuery) -> Result<ApiResponse<Page<Keypair>>> {
        crate::compute::not_supported("keypairs.list")
    }
    /// Every keypair matching `query`, following `keypairs_links` across pages (2.35+;
    /// one page below).
    fn list_all(&self, query: KeypairQuery) -> BoxStream<'static, Result<Keypair>> {
        crate::compute::not_supported_stream("keypairs.list_all")
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
