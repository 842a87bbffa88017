//! The limits API.

use async_trait::async_trait;

use crate::types::Limits;
use crate::{ApiResponse, Result};

/// Limits (`/limits`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait LimitsApi: Send + Sync + std::fmt::Debug {
    /// `GET /limits`.
    async fn get(&self) -> Result<ApiResponse<Limits>>;
}
