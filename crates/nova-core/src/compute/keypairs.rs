//! The keypair API.

use async_trait::async_trait;

use crate::types::{CreateKeypair, Keypair};
use crate::{ApiResponse, Result};

/// Keypairs (`/os-keypairs`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait KeypairApi: Send + Sync + std::fmt::Debug {
    /// `POST /os-keypairs`: imports the public key, or (below 2.92) generates one and returns
    /// its private key.
    async fn create(&self, request: &CreateKeypair) -> Result<ApiResponse<Keypair>>;
    /// `GET /os-keypairs`.
    async fn list(&self) -> Result<ApiResponse<Vec<Keypair>>>;
    /// `GET /os-keypairs/{name}`.
    async fn get(&self, name: &str) -> Result<ApiResponse<Keypair>>;
    /// `DELETE /os-keypairs/{name}`.
    async fn delete(&self, name: &str) -> Result<ApiResponse<()>>;
}
