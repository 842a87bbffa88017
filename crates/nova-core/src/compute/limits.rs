//! The limits API.

use async_trait::async_trait;

use crate::types::{Limits, LimitsQuery};
use crate::{ApiResponse, Result};

/// Limits (`/limits`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait LimitsApi: Send + Sync + std::fmt::Debug {
    /// `GET /limits` (2.1+).
    async fn get(&self) -> Result<ApiResponse<Limits>> {
        crate::compute::not_supported("limits.get")
    }
    /// `GET /limits?reserved=1&tenant_id=` (2.1+; `reserved` below 2.75, where Nova stopped
    /// accepting unknown parameters; `tenant_id` another project's, admin).
    async fn get_with(&self, query: &LimitsQuery) -> Result<ApiResponse<Limits>> {
        crate::compute::not_supported("limits.get_with")
    }
}
