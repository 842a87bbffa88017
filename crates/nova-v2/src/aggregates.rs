//! The aggregates manager.

use std::collections::BTreeMap;

use async_trait::async_trait;
use nova_core::compute::AggregateApi;
use nova_core::types::{
    AGGREGATE_IMAGES, Aggregate, CreateAggregate, OperationGate, UpdateAggregate,
    aggregate_images_body, aggregate_metadata_body,
};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::gate::check_operation;

/// Caching images on an aggregate's hosts.
const IMAGE_CACHING: OperationGate =
    OperationGate::new("aggregate image caching", AGGREGATE_IMAGES);

/// Host aggregates (`/os-aggregates`, admin).
#[derive(Debug, Clone)]
pub struct AggregateManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct AggregateBody {
    aggregate: Aggregate,
}

#[derive(Deserialize)]
struct AggregatesBody {
    #[serde(default)]
    aggregates: Vec<Aggregate>,
}

fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::InvalidInput {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

/// Nova's schema: 1-255 characters, not only blanks.
fn check_name(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if value.chars().count() > 255 {
        return Err(invalid(field, "must be at most 255 characters"));
    }
    Ok(())
}

impl AggregateManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    async fn action(&self, id: u64, body: &Value) -> Result<ApiResponse<Aggregate>> {
        let resp = self
            .conn
            .post::<Value, AggregateBody>(&format!("os-aggregates/{id}/action"), body)
            .await?;
        Ok(resp.map(|b| b.aggregate))
    }
}

#[async_trait]
impl AggregateApi for AggregateManager {
    async fn list(&self) -> Result<ApiResponse<Vec<Aggregate>>> {
        let resp = self.conn.get::<AggregatesBody>("os-aggregates").await?;
        Ok(resp.map(|b| b.aggregates))
    }

    async fn get(&self, id: u64) -> Result<ApiResponse<Aggregate>> {
        let resp = self
            .conn
            .get::<AggregateBody>(&format!("os-aggregates/{id}"))
            .await?;
        Ok(resp.map(|b| b.aggregate))
    }

    async fn create(&self, request: &CreateAggregate) -> Result<ApiResponse<Aggregate>> {
        check_name("name", &request.name)?;
        if let Some(zone) = &request.availability_zone {
            check_name("availability_zone", zone)?;
        }
        let resp = self
            .conn
            .post::<Value, AggregateBody>("os-aggregates", &request.to_body())
            .await?;
        Ok(resp.map(|b| b.aggregate))
    }

    async fn update(&self, id: u64, request: &UpdateAggregate) -> Result<ApiResponse<Aggregate>> {
        if request.is_empty() {
            return Err(invalid("aggregate", "give a new name or availability zone"));
        }
        if let Some(name) = &request.name {
            check_name("name", name)?;
        }
        if let Some(zone) = &request.availability_zone {
            check_name("availability_zone", zone)?;
        }
        let resp = self
            .conn
            .put::<Value, AggregateBody>(&format!("os-aggregates/{id}"), &request.to_body())
            .await?;
        Ok(resp.map(|b| b.aggregate))
    }

    async fn delete(&self, id: u64) -> Result<ApiResponse<()>> {
        let resp = self.conn.delete(&format!("os-aggregates/{id}")).await?;
        Ok(resp.map(|_| ()))
    }

    async fn add_host(&self, id: u64, host: &str) -> Result<ApiResponse<Aggregate>> {
        check_name("host", host)?;
        self.action(id, &serde_json::json!({"add_host": {"host": host}}))
            .await
    }

    async fn remove_host(&self, id: u64, host: &str) -> Result<ApiResponse<Aggregate>> {
        check_name("host", host)?;
        self.action(id, &serde_json::json!({"remove_host": {"host": host}}))
            .await
    }

    async fn set_metadata(
        &self,
        id: u64,
        items: &BTreeMap<String, Option<String>>,
    ) -> Result<ApiResponse<Aggregate>> {
        if items.is_empty() {
            return Err(invalid("metadata", "give at least one key"));
        }
        for key in items.keys() {
            check_name("metadata key", key)?;
        }
        self.action(id, &aggregate_metadata_body(items)).await
    }

    async fn cache_images(&self, id: u64, image_ids: &[String]) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &IMAGE_CACHING)?;
        if image_ids.is_empty() {
            return Err(invalid("cache", "give at least one image"));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = image_ids.iter().find(|id| !seen.insert(id.as_str())) {
            return Err(invalid("cache", format!("image {dup} is listed twice")));
        }
        let path = format!("os-aggregates/{id}/images");
        let resp = self
            .conn
            .post_raw(&path, &aggregate_images_body(image_ids))
            .await?;
        Ok(resp.map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    fn aggregate() -> Value {
        json!({"aggregate": {"id": 1, "name": "agg", "availability_zone": null,
            "hosts": ["compute-0"], "metadata": {}, "deleted": false}})
    }

    #[tokio::test]
    async fn actions_post_novas_bodies_to_the_action_url() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "os-aggregates/1/action",
            Reply::json(200, aggregate()),
        );
        let m = AggregateManager::new(fake.connection(2, 41));
        let a = m.add_host(1, "compute-0").await.expect("added").value;
        assert_eq!(a.host_list(), ["compute-0"]);
        assert_eq!(fake.last_body(), json!({"add_host": {"host": "compute-0"}}));
        m.remove_host(1, "compute-0").await.expect("removed");
        assert_eq!(
            fake.last_body(),
            json!({"remove_host": {"host": "compute-0"}})
        );
        let items: BTreeMap<String, Option<String>> = [("k".to_owned(), None)].into();
        m.set_metadata(1, &items).await.expect("set");
        assert_eq!(
            fake.last_body(),
            json!({"set_metadata": {"metadata": {"k": null}}})
        );
        assert_eq!(fake.requests()[0].path, "os-aggregates/1/action");
        let error = m.add_host(1, " ").await.expect_err("no host");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        let error = m
            .update(1, &UpdateAggregate::new())
            .await
            .expect_err("nothing to update");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 3);
    }

    #[tokio::test]
    async fn cache_images_needs_2_81_and_sends_the_cache_list() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "os-aggregates/1/images",
            Reply::json(202, Value::Null),
        );
        let images = vec!["70a599e0-31e7-49b7-b260-868f441e862b".to_owned()];
        let error = AggregateManager::new(fake.connection(2, 80))
            .cache_images(1, &images)
            .await
            .expect_err("2.80");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
        let m = AggregateManager::new(fake.connection(2, 81));
        m.cache_images(1, &images).await.expect("cached");
        assert_eq!(
            fake.last_body(),
            json!({"cache": [{"id": "70a599e0-31e7-49b7-b260-868f441e862b"}]})
        );
        let twice = vec![images[0].clone(), images[0].clone()];
        let error = m.cache_images(1, &twice).await.expect_err("duplicate");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1);
    }

    #[tokio::test]
    async fn create_and_update_send_the_aggregate_object() {
        let fake = FakeTransport::new();
        fake.on(Method::POST, "os-aggregates", Reply::json(200, aggregate()));
        fake.on(
            Method::PUT,
            "os-aggregates/1",
            Reply::json(200, aggregate()),
        );
        let m = AggregateManager::new(fake.connection(2, 1));
        m.create(&CreateAggregate::new("agg").availability_zone("london"))
            .await
            .expect("created");
        assert_eq!(
            fake.last_body(),
            json!({"aggregate": {"name": "agg", "availability_zone": "london"}})
        );
        m.update(1, &UpdateAggregate::new().availability_zone("paris"))
            .await
            .expect("updated");
        assert_eq!(
            fake.last_body(),
            json!({"aggregate": {"availability_zone": "paris"}})
        );
        let error = m
            .create(&CreateAggregate::new(""))
            .await
            .expect_err("no name");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 2);
    }
}
