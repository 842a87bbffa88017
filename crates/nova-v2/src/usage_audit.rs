//! The instance usage audit log manager.

use async_trait::async_trait;
use nova_core::compute::InstanceUsageAuditLogApi;
use nova_core::types::{InstanceUsageAuditLog, parse_audit_before};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;

use crate::path::encode;

#[derive(Deserialize)]
struct IndexBody {
    instance_usage_audit_logs: InstanceUsageAuditLog,
}

#[derive(Deserialize)]
struct ShowBody {
    instance_usage_audit_log: InstanceUsageAuditLog,
}

/// The instance usage audit log (`/os-instance_usage_audit_log`, admin).
#[derive(Debug, Clone)]
pub struct InstanceUsageAuditLogManager {
    conn: Connection,
}

impl InstanceUsageAuditLogManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl InstanceUsageAuditLogApi for InstanceUsageAuditLogManager {
    async fn get(&self) -> Result<ApiResponse<InstanceUsageAuditLog>> {
        let resp = self
            .conn
            .get::<IndexBody>("os-instance_usage_audit_log")
            .await?;
        Ok(resp.map(|b| b.instance_usage_audit_logs))
    }

    async fn get_before(&self, before: &str) -> Result<ApiResponse<InstanceUsageAuditLog>> {
        if parse_audit_before(before).is_none() {
            return Err(Error::InvalidInput {
                field: "before".to_owned(),
                reason: format!(
                    "{before:?} is not a time like 2015-08-27 09:49:58 or 2015-08-27 09:49:58.123456"
                ),
            });
        }
        let resp = self
            .conn
            .get::<ShowBody>(&format!("os-instance_usage_audit_log/{}", encode(before)))
            .await?;
        Ok(resp.map(|b| b.instance_usage_audit_log))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    fn report(key: &str) -> serde_json::Value {
        json!({key: {
            "hosts_not_run": ["h2"],
            "log": {"h1": {"errors": 0, "instances": 2, "message": "m", "state": "DONE"}},
            "num_hosts": 2, "num_hosts_done": 1, "num_hosts_not_run": 1, "num_hosts_running": 0,
            "overall_status": "1 of 2 hosts done. 0 errors.",
            "period_beginning": "2012-06-01 00:00:00", "period_ending": "2012-07-01 00:00:00",
            "total_errors": 0, "total_instances": 2
        }})
    }

    #[tokio::test]
    async fn index_and_before_read_their_keys() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "os-instance_usage_audit_log/",
            Reply::json(200, report("instance_usage_audit_log")),
        );
        fake.on(
            Method::GET,
            "os-instance_usage_audit_log",
            Reply::json(200, report("instance_usage_audit_logs")),
        );
        let manager = InstanceUsageAuditLogManager::new(fake.connection(2, 1));
        let now = manager.get().await.expect("index").value;
        assert_eq!(now.hosts_not_run, ["h2"]);
        assert_eq!(now.log["h1"].instances, 2);
        let before = manager
            .get_before("2012-07-05 10:00:00")
            .await
            .expect("show")
            .value;
        assert_eq!(before.period_ending, "2012-07-01 00:00:00");
        let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            [
                "os-instance_usage_audit_log",
                "os-instance_usage_audit_log/2012-07-05%2010%3A00%3A00"
            ]
        );
    }

    #[tokio::test]
    async fn a_bad_before_time_is_refused_before_sending() {
        let fake = FakeTransport::new();
        let error = InstanceUsageAuditLogManager::new(fake.connection(2, 90))
            .get_before("2012-07-05T10:00")
            .await
            .expect_err("bad time");
        assert!(matches!(error, Error::InvalidInput { ref field, .. } if field == "before"));
        assert!(fake.requests().is_empty());
    }
}
