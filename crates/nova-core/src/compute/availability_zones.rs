//! The availability zone API.

use async_trait::async_trait;

use crate::types::AvailabilityZone;
use crate::{ApiResponse, Result};

/// Availability zones (`/os-availability-zone`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AvailabilityZoneApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-availability-zone`: the zones usable for booting.
    async fn list(&self) -> Result<ApiResponse<Vec<AvailabilityZone>>> {
        crate::compute::not_supported("availability_zones.list")
    }
    /// `GET /os-availability-zone/detail` (admin): zones with hosts and services.
    async fn list_detail(&self) -> Result<ApiResponse<Vec<AvailabilityZone>>> {
        crate::compute::not_supported("availability_zones.list_detail")
    }
}
