//! The quota set, quota class and per-project limits managers.

use async_trait::async_trait;
use nova_core::compute::{QuotaApi, QuotaClassApi};
use nova_core::types::{Limits, QuotaClassSet, QuotaSet, QuotaSetDetail, UpdateQuotaSet};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::gate::check_fields;
use crate::path::{encode, with_query};

/// Quota sets over one negotiated connection.
#[derive(Debug, Clone)]
pub struct QuotaManager {
    conn: Connection,
}

/// Quota classes over one negotiated connection.
#[derive(Debug, Clone)]
pub struct QuotaClassManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct QuotaBody<T> {
    quota_set: T,
}

#[derive(Deserialize)]
struct ClassBody {
    quota_class_set: QuotaClassSet,
}

#[derive(Deserialize)]
struct LimitsBody {
    limits: Limits,
}

fn project_path(project_id: &str, suffix: &str, user_id: Option<&str>) -> Result<String> {
    if project_id.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "project_id".to_owned(),
            reason: "a project id is required".to_owned(),
        });
    }
    let base = format!("os-quota-sets/{}{suffix}", encode(project_id));
    let pairs: Vec<(&str, String)> = user_id
        .map(|u| vec![("user_id", u.to_owned())])
        .unwrap_or_default();
    Ok(with_query(&base, &pairs))
}

fn refuse_empty(update: &UpdateQuotaSet) -> Result<()> {
    let mut without_force = update.clone();
    without_force.force = None;
    if without_force.is_empty() {
        return Err(Error::InvalidInput {
            field: "quota_set".to_owned(),
            reason: "set at least one limit".to_owned(),
        });
    }
    Ok(())
}

impl QuotaManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

impl QuotaClassManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl QuotaApi for QuotaManager {
    async fn get<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<QuotaSet>> {
        let path = project_path(project_id, "", user_id)?;
        let resp = self.conn.get::<QuotaBody<QuotaSet>>(&path).await?;
        Ok(resp.map(|b| b.quota_set))
    }

    async fn detail<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<QuotaSetDetail>> {
        let path = project_path(project_id, "/detail", user_id)?;
        let resp = self.conn.get::<QuotaBody<QuotaSetDetail>>(&path).await?;
        Ok(resp.map(|b| b.quota_set))
    }

    async fn defaults(&self, project_id: &str) -> Result<ApiResponse<QuotaSet>> {
        let path = project_path(project_id, "/defaults", None)?;
        let resp = self.conn.get::<QuotaBody<QuotaSet>>(&path).await?;
        Ok(resp.map(|b| b.quota_set))
    }

    async fn update<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
        update: &UpdateQuotaSet,
    ) -> Result<ApiResponse<QuotaSet>> {
        refuse_empty(update)?;
        check_fields(&self.conn, &update.field_gates())?;
        let path = project_path(project_id, "", user_id)?;
        let resp = self
            .conn
            .put::<Value, QuotaBody<QuotaSet>>(&path, &json!({ "quota_set": update }))
            .await?;
        Ok(resp.map(|b| b.quota_set))
    }

    async fn delete<'a>(
        &self,
        project_id: &str,
        user_id: Option<&'a str>,
    ) -> Result<ApiResponse<()>> {
        let path = project_path(project_id, "", user_id)?;
        let resp = self.conn.delete(&path).await?;
        Ok(resp.map(|_| ()))
    }

    async fn project_limits(&self, project_id: &str) -> Result<ApiResponse<Limits>> {
        if project_id.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "tenant_id".to_owned(),
                reason: "a project id is required".to_owned(),
            });
        }
        let path = with_query("limits", &[("tenant_id", project_id.to_owned())]);
        let resp = self.conn.get::<LimitsBody>(&path).await?;
        Ok(resp.map(|b| b.limits))
    }
}

#[async_trait]
impl QuotaClassApi for QuotaClassManager {
    async fn get(&self, class: &str) -> Result<ApiResponse<QuotaClassSet>> {
        let resp = self
            .conn
            .get::<ClassBody>(&format!("os-quota-class-sets/{}", encode(class)))
            .await?;
        Ok(resp.map(|b| b.quota_class_set))
    }

    async fn update(
        &self,
        class: &str,
        update: &UpdateQuotaSet,
    ) -> Result<ApiResponse<QuotaClassSet>> {
        if update.force.is_some() {
            return Err(Error::InvalidInput {
                field: "force".to_owned(),
                reason: "quota classes take no force".to_owned(),
            });
        }
        check_fields(&self.conn, &update.class_field_gates())?;
        refuse_empty(update)?;
        let resp = self
            .conn
            .put::<Value, ClassBody>(
                &format!("os-quota-class-sets/{}", encode(class)),
                &json!({ "quota_class_set": update }),
            )
            .await?;
        Ok(resp.map(|b| b.quota_class_set))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;

    #[tokio::test]
    async fn update_puts_the_set_fields_for_a_user() {
        let fake = FakeTransport::new();
        fake.on(
            Method::PUT,
            "os-quota-sets/p%201",
            Reply::json(200, json!({"quota_set": {"instances": 3, "cores": 20}})),
        );
        let manager = QuotaManager::new(fake.connection(2, 57));
        let update = UpdateQuotaSet::new().instances(3).force(true);
        let set = manager
            .update("p 1", Some("u1"), &update)
            .await
            .expect("updated")
            .value;
        assert_eq!(set.instances, Some(3));
        let request = fake.requests().pop().expect("sent");
        assert_eq!(request.path, "os-quota-sets/p%201?user_id=u1");
        let body: Value = serde_json::from_slice(&request.body.expect("body")).expect("json");
        assert_eq!(body, json!({"quota_set": {"instances": 3, "force": true}}));
    }

    #[tokio::test]
    async fn gates_and_empty_input_send_nothing() {
        let fake = FakeTransport::new();
        let quotas = QuotaManager::new(fake.connection(2, 36));
        let error = quotas
            .update("p", None, &UpdateQuotaSet::new().security_groups(1))
            .await
            .expect_err("gone at 2.36");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let error = quotas.get("", None).await.expect_err("no project");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        let classes = QuotaClassManager::new(fake.connection(2, 50));
        let error = classes
            .update("default", &UpdateQuotaSet::new().fixed_ips(1))
            .await
            .expect_err("gone from classes at 2.50");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
    }

    #[tokio::test]
    async fn project_limits_asks_for_the_tenant() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "limits",
            Reply::json(
                200,
                json!({"limits": {"absolute": {"maxTotalInstances": 4}, "rate": []}}),
            ),
        );
        let limits = QuotaManager::new(fake.connection(2, 1))
            .project_limits("other")
            .await
            .expect("limits")
            .value;
        assert_eq!(limits.absolute.max_total_instances, Some(4));
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "limits?tenant_id=other"
        );
    }
}
