//! The flavor management manager: create, delete, description, extra specs, access.

use async_trait::async_trait;
use nova_core::compute::FlavorAdminApi;
use nova_core::types::{CreateFlavor, ExtraSpecs, Flavor, FlavorAccess, OperationGate};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::gate::{check_fields, check_operation};
use crate::path::encode;

/// Updating a flavor (its description) starts at 2.55.
const FLAVOR_UPDATE: OperationGate =
    OperationGate::new("flavor update", nova_core::types::FLAVOR_DESCRIPTION);

/// Flavor management over one negotiated connection.
#[derive(Debug, Clone)]
pub struct FlavorAdminManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct FlavorBody {
    flavor: Flavor,
}

#[derive(Deserialize)]
struct SpecsBody {
    #[serde(default)]
    extra_specs: ExtraSpecs,
}

#[derive(Deserialize)]
struct AccessBody {
    #[serde(default)]
    flavor_access: Vec<FlavorAccess>,
}

fn flavor_path(id: &str, suffix: &str) -> Result<String> {
    if id.is_empty() {
        return Err(Error::InvalidInput {
            field: "flavor_id".to_owned(),
            reason: "a flavor id is required".to_owned(),
        });
    }
    Ok(format!("flavors/{}{suffix}", encode(id)))
}

fn check_key(key: &str) -> Result<()> {
    let valid = !key.is_empty()
        && key.len() <= 255
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.' | ' '));
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            field: "extra_specs".to_owned(),
            reason: format!(
                "key {key:?} must be 1-255 characters of letters, digits, '-', '_', ':', '.' or ' '"
            ),
        })
    }
}

impl FlavorAdminManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    async fn access_action(
        &self,
        id: &str,
        action: &str,
        project_id: &str,
    ) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        if project_id.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "tenant".to_owned(),
                reason: "a project id is required".to_owned(),
            });
        }
        let path = flavor_path(id, "/action")?;
        let body = json!({ action: { "tenant": project_id } });
        let resp = self.conn.post::<Value, AccessBody>(&path, &body).await?;
        Ok(resp.map(|b| b.flavor_access))
    }
}

#[async_trait]
impl FlavorAdminApi for FlavorAdminManager {
    async fn create(&self, request: &CreateFlavor) -> Result<ApiResponse<Flavor>> {
        check_fields(&self.conn, &request.field_gates())?;
        if request.name.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "name".to_owned(),
                reason: "a flavor needs a name".to_owned(),
            });
        }
        if request.ram == 0 || request.vcpus == 0 {
            return Err(Error::InvalidInput {
                field: if request.ram == 0 { "ram" } else { "vcpus" }.to_owned(),
                reason: "must be at least 1".to_owned(),
            });
        }
        let resp = self
            .conn
            .post::<Value, FlavorBody>("flavors", &request.to_body())
            .await?;
        Ok(resp.map(|b| b.flavor))
    }

    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        let path = flavor_path(id, "")?;
        let resp = self.conn.delete(&path).await?;
        Ok(resp.map(|_| ()))
    }

    async fn update_description<'a>(
        &self,
        id: &str,
        description: Option<&'a str>,
    ) -> Result<ApiResponse<Flavor>> {
        check_operation(&self.conn, &FLAVOR_UPDATE)?;
        let path = flavor_path(id, "")?;
        let body = json!({ "flavor": { "description": description } });
        let resp = self.conn.put::<Value, FlavorBody>(&path, &body).await?;
        Ok(resp.map(|b| b.flavor))
    }

    async fn extra_specs(&self, id: &str) -> Result<ApiResponse<ExtraSpecs>> {
        let path = flavor_path(id, "/os-extra_specs")?;
        let resp = self.conn.get::<SpecsBody>(&path).await?;
        Ok(resp.map(|b| b.extra_specs))
    }

    async fn extra_spec(&self, id: &str, key: &str) -> Result<ApiResponse<String>> {
        check_key(key)?;
        let path = flavor_path(id, &format!("/os-extra_specs/{}", encode(key)))?;
        let resp = self.conn.get::<Map<String, Value>>(&path).await?;
        let value = match resp.value.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => {
                let snippet: String = Value::Object(resp.value.clone())
                    .to_string()
                    .chars()
                    .take(200)
                    .collect();
                return Err(Error::Decode {
                    what: "extra spec".to_owned(),
                    request_id: resp.request_id.clone(),
                    snippet,
                    source: format!("the response has no key {key:?}").into(),
                });
            }
        };
        Ok(resp.map(|_| value))
    }

    async fn set_extra_specs(
        &self,
        id: &str,
        specs: &ExtraSpecs,
    ) -> Result<ApiResponse<ExtraSpecs>> {
        if specs.is_empty() {
            return Err(Error::InvalidInput {
                field: "extra_specs".to_owned(),
                reason: "set at least one key".to_owned(),
            });
        }
        for (key, value) in specs {
            check_key(key)?;
            if value.len() > 255 {
                return Err(Error::InvalidInput {
                    field: "extra_specs".to_owned(),
                    reason: format!("the value of {key:?} is longer than 255 characters"),
                });
            }
        }
        let path = flavor_path(id, "/os-extra_specs")?;
        let resp = self
            .conn
            .post::<Value, SpecsBody>(&path, &json!({ "extra_specs": specs }))
            .await?;
        Ok(resp.map(|b| b.extra_specs))
    }

    async fn unset_extra_spec(&self, id: &str, key: &str) -> Result<ApiResponse<()>> {
        check_key(key)?;
        let path = flavor_path(id, &format!("/os-extra_specs/{}", encode(key)))?;
        let resp = self.conn.delete(&path).await?;
        Ok(resp.map(|_| ()))
    }

    async fn access_list(&self, id: &str) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        let path = flavor_path(id, "/os-flavor-access")?;
        let resp = self.conn.get::<AccessBody>(&path).await?;
        Ok(resp.map(|b| b.flavor_access))
    }

    async fn add_access(
        &self,
        id: &str,
        project_id: &str,
    ) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        self.access_action(id, "addTenantAccess", project_id).await
    }

    async fn remove_access(
        &self,
        id: &str,
        project_id: &str,
    ) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        self.access_action(id, "removeTenantAccess", project_id)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;

    #[tokio::test]
    async fn extra_spec_reads_the_key_and_access_actions_name_the_tenant() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "flavors/f1/os-extra_specs/hw%3Acpu_policy",
            Reply::json(200, json!({"hw:cpu_policy": "dedicated"})),
        );
        fake.on(
            Method::POST,
            "flavors/f1/action",
            Reply::json(
                200,
                json!({"flavor_access": [{"flavor_id": "f1", "tenant_id": "p"}]}),
            ),
        );
        let manager = FlavorAdminManager::new(fake.connection(2, 1));
        let value = manager
            .extra_spec("f1", "hw:cpu_policy")
            .await
            .expect("value")
            .value;
        assert_eq!(value, "dedicated");
        let access = manager.add_access("f1", "p").await.expect("added").value;
        assert_eq!(access[0].tenant_id, "p");
        let request = fake.requests().pop().expect("sent");
        let body: Value = serde_json::from_slice(&request.body.expect("body")).expect("json");
        assert_eq!(body, json!({"addTenantAccess": {"tenant": "p"}}));
    }

    #[tokio::test]
    async fn a_missing_key_in_the_answer_is_a_decode_error() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "flavors/f1/os-extra_specs/k",
            Reply::json(200, json!({"other": "v"})),
        );
        let error = FlavorAdminManager::new(fake.connection(2, 1))
            .extra_spec("f1", "k")
            .await
            .expect_err("no key");
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert!(error.may_have_reached_server());
    }

    #[tokio::test]
    async fn description_update_needs_2_55_and_sends_null_to_clear() {
        let fake = FakeTransport::new();
        let error = FlavorAdminManager::new(fake.connection(2, 54))
            .update_description("f1", Some("d"))
            .await
            .expect_err("2.54");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
        fake.on(
            Method::PUT,
            "flavors/f1",
            Reply::json(200, json!({"flavor": {"id": "f1", "description": null}})),
        );
        FlavorAdminManager::new(fake.connection(2, 55))
            .update_description("f1", None)
            .await
            .expect("cleared");
        let request = fake.requests().pop().expect("sent");
        let body: Value = serde_json::from_slice(&request.body.expect("body")).expect("json");
        assert_eq!(body, json!({"flavor": {"description": null}}));
    }
}
