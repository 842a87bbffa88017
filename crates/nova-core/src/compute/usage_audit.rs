//! The instance usage audit log (`/os-instance_usage_audit_log`, admin).

use async_trait::async_trait;

use crate::types::InstanceUsageAuditLog;
use crate::{ApiResponse, Result};

/// The instance usage audit log: how the periodic usage audit went on each compute host
/// for the last audit period completed before a time (admin, 2.1+).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait InstanceUsageAuditLogApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-instance_usage_audit_log`: the last period completed before now (2.1+).
    async fn get(&self) -> Result<ApiResponse<InstanceUsageAuditLog>> {
        crate::compute::not_supported("usage_audit_logs.get")
    }
    /// `GET /os-instance_usage_audit_log/{before}`: the last period completed before
    /// `before`, written `YYYY-MM-DD hh:mm:ss[.ffffff]` (checked before sending; 2.1+).
    async fn get_before(&self, before: &str) -> Result<ApiResponse<InstanceUsageAuditLog>> {
        crate::compute::not_supported("usage_audit_logs.get_before")
    }
}
