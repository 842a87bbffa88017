//! The services manager.

use async_trait::async_trait;
use nova_core::compute::ServiceApi;
use nova_core::types::{OperationGate, Service, ServiceQuery, UpdateService};
use nova_core::{ApiResponse, Connection, Error, MicroVersion, Result, VersionReq};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::gate::check_operation;
use crate::path::{encode, with_query};

/// Compute services (`/os-services`, admin).
#[derive(Debug, Clone)]
pub struct ServiceManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct ServiceBody {
    service: Service,
}

#[derive(Deserialize)]
struct ServicesBody {
    #[serde(default)]
    services: Vec<Service>,
}

/// Operations addressed by host and binary, before 2.53.
const HOST_BINARY: VersionReq = VersionReq::below(MicroVersion::new(2, 53));
/// Enabling a service by host and binary.
const ENABLE_BY_HOST: OperationGate =
    OperationGate::new("service enable by host and binary", HOST_BINARY);
/// Disabling a service by host and binary.
const DISABLE_BY_HOST: OperationGate =
    OperationGate::new("service disable by host and binary", HOST_BINARY);
/// Forcing a service down by host and binary: 2.11 to 2.52.
const FORCE_DOWN_BY_HOST: OperationGate = OperationGate::new(
    "service force-down by host and binary",
    VersionReq::between(MicroVersion::new(2, 11), MicroVersion::new(2, 53)),
);
/// Updating a service by its id, from 2.53.
const UPDATE_BY_ID: OperationGate = OperationGate::new(
    "service update by id",
    VersionReq::at_least(MicroVersion::new(2, 53)),
);

impl ServiceManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    async fn put_legacy(&self, action: &str, body: &Value) -> Result<ApiResponse<Service>> {
        let resp = self
            .conn
            .put::<Value, ServiceBody>(&format!("os-services/{action}"), body)
            .await?;
        Ok(resp.map(|b| b.service))
    }
}

fn check_host_binary(host: &str, binary: &str) -> Result<()> {
    for (field, value) in [("host", host), ("binary", binary)] {
        if value.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: field.to_owned(),
                reason: format!("a service {field} is required"),
            });
        }
    }
    Ok(())
}

fn check_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "id".to_owned(),
            reason: "a service id is required".to_owned(),
        });
    }
    Ok(())
}

#[async_trait]
impl ServiceApi for ServiceManager {
    async fn list(&self, query: &ServiceQuery) -> Result<ApiResponse<Vec<Service>>> {
        let path = with_query("os-services", &query.to_pairs());
        let resp = self.conn.get::<ServicesBody>(&path).await?;
        Ok(resp.map(|b| b.services))
    }

    async fn enable(&self, host: &str, binary: &str) -> Result<ApiResponse<Service>> {
        check_operation(&self.conn, &ENABLE_BY_HOST)?;
        check_host_binary(host, binary)?;
        self.put_legacy("enable", &json!({"host": host, "binary": binary}))
            .await
    }

    async fn disable(
        &self,
        host: &str,
        binary: &str,
        reason: Option<String>,
    ) -> Result<ApiResponse<Service>> {
        check_operation(&self.conn, &DISABLE_BY_HOST)?;
        check_host_binary(host, binary)?;
        match reason {
            Some(reason) => {
                let body = json!({"host": host, "binary": binary, "disabled_reason": reason});
                self.put_legacy("disable-log-reason", &body).await
            }
            None => {
                self.put_legacy("disable", &json!({"host": host, "binary": binary}))
                    .await
            }
        }
    }

    async fn force_down(
        &self,
        host: &str,
        binary: &str,
        forced_down: bool,
    ) -> Result<ApiResponse<Service>> {
        check_operation(&self.conn, &FORCE_DOWN_BY_HOST)?;
        check_host_binary(host, binary)?;
        let body = json!({"host": host, "binary": binary, "forced_down": forced_down});
        self.put_legacy("force-down", &body).await
    }

    async fn update(&self, id: &str, request: &UpdateService) -> Result<ApiResponse<Service>> {
        check_operation(&self.conn, &UPDATE_BY_ID)?;
        check_id(id)?;
        if request.enabled.is_none() && request.forced_down.is_none() {
            return Err(Error::InvalidInput {
                field: "status".to_owned(),
                reason: "set the status or forced_down".to_owned(),
            });
        }
        if request.disabled_reason.is_some() && request.enabled != Some(false) {
            return Err(Error::InvalidInput {
                field: "disabled_reason".to_owned(),
                reason: "a disabled reason needs status disabled".to_owned(),
            });
        }
        let resp = self
            .conn
            .put::<Value, ServiceBody>(&format!("os-services/{}", encode(id)), &request.to_body())
            .await?;
        Ok(resp.map(|b| b.service))
    }

    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        check_id(id)?;
        let resp = self
            .conn
            .delete(&format!("os-services/{}", encode(id)))
            .await?;
        Ok(resp.map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;

    fn reply() -> Reply {
        Reply::json(
            200,
            json!({"service": {"host": "h", "binary": "nova-compute",
            "status": "disabled", "disabled_reason": "r"}}),
        )
    }

    #[tokio::test]
    async fn below_2_53_services_are_addressed_by_host_and_binary() {
        let fake = FakeTransport::new();
        fake.on(Method::PUT, "os-services", reply());
        let manager = ServiceManager::new(fake.connection(2, 11));
        let s = manager
            .disable("h", "nova-compute", Some("r".into()))
            .await
            .expect("disabled")
            .value;
        assert_eq!(s.disabled_reason.as_deref(), Some("r"));
        let request = fake.requests().pop().expect("sent");
        assert_eq!(request.path, "os-services/disable-log-reason");
        fake.on(Method::PUT, "os-services", reply());
        manager
            .force_down("h", "nova-compute", true)
            .await
            .expect("down");
        assert_eq!(
            fake.last_body(),
            json!({"host": "h", "binary": "nova-compute", "forced_down": true})
        );
        let error = manager
            .update("u", &UpdateService::enable())
            .await
            .expect_err("2.53");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        let error = ServiceManager::new(fake.connection(2, 10))
            .force_down("h", "nova-compute", true)
            .await
            .expect_err("2.11");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert_eq!(fake.requests().len(), 2);
    }

    #[tokio::test]
    async fn from_2_53_services_are_updated_by_uuid() {
        let fake = FakeTransport::new();
        fake.on(Method::PUT, "os-services", reply());
        let manager = ServiceManager::new(fake.connection(2, 53));
        let request = UpdateService::disable(Some("maintenance".into()));
        manager.update("u-1", &request).await.expect("updated");
        let sent = fake.requests().pop().expect("sent");
        assert_eq!(sent.path, "os-services/u-1");
        assert_eq!(
            fake.last_body(),
            json!({"status": "disabled", "disabled_reason": "maintenance"})
        );
        let error = manager.enable("h", "nova-compute").await.expect_err("old");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        let bad = UpdateService::enable().disabled_reason("x");
        let error = manager.update("u-1", &bad).await.expect_err("reason");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        let error = manager
            .update("u-1", &UpdateService::new())
            .await
            .expect_err("empty");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1);
    }
}
