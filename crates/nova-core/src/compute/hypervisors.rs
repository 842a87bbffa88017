//! Hypervisors (`/os-hypervisors`, admin).

use async_trait::async_trait;

use crate::types::{Hypervisor, HypervisorQuery, HypervisorStatistics, Page};
use crate::{ApiResponse, Result};

/// Hypervisors (`/os-hypervisors`, admin).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HypervisorApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-hypervisors`: id, hostname, state, status (2.1+); `limit`/`marker` (2.33+,
    /// with `hypervisors_links`), `hypervisor_hostname_pattern` and `with_servers` (2.53+).
    async fn list(&self, query: &HypervisorQuery) -> Result<ApiResponse<Page<Hypervisor>>> {
        crate::compute::not_supported("hypervisors.list")
    }
    /// `GET /os-hypervisors/detail`: the detailed form of [`HypervisorApi::list`].
    async fn detail(&self, query: &HypervisorQuery) -> Result<ApiResponse<Page<Hypervisor>>> {
        crate::compute::not_supported("hypervisors.detail")
    }
    /// `GET /os-hypervisors/{id}` (`with_servers=true` 2.53+; `uptime` included from 2.88).
    async fn get(&self, id: &str, with_servers: bool) -> Result<ApiResponse<Hypervisor>> {
        crate::compute::not_supported("hypervisors.get")
    }
    /// `GET /os-hypervisors/{id}/uptime` (2.1 to 2.87; from 2.88 use `get`, whose answer
    /// carries `uptime`: this call does that at 2.88+).
    async fn uptime(&self, id: &str) -> Result<ApiResponse<Hypervisor>> {
        crate::compute::not_supported("hypervisors.uptime")
    }
    /// Hypervisors whose hostname contains `pattern`, with their servers when `with_servers`:
    /// `GET /os-hypervisors/{pattern}/search` or `/os-hypervisors/{pattern}/servers` below
    /// 2.53, `GET /os-hypervisors?hypervisor_hostname_pattern=..[&with_servers=true]` from 2.53.
    async fn search(
        &self,
        pattern: &str,
        with_servers: bool,
    ) -> Result<ApiResponse<Vec<Hypervisor>>> {
        crate::compute::not_supported("hypervisors.search")
    }
    /// `GET /os-hypervisors/statistics` (2.1 to 2.87).
    async fn statistics(&self) -> Result<ApiResponse<HypervisorStatistics>> {
        crate::compute::not_supported("hypervisors.statistics")
    }
}
