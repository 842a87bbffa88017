//! The instance actions manager.

use async_trait::async_trait;
use nova_core::compute::InstanceActionApi;
use nova_core::types::{InstanceAction, InstanceActionQuery, Link, Page, next_link};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;

use crate::gate::check_fields;
use crate::path::{encode, with_query};

/// Instance actions and their events (`/servers/{id}/os-instance-actions`).
#[derive(Debug, Clone)]
pub struct InstanceActionManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct ActionsBody {
    #[serde(rename = "instanceActions", default)]
    actions: Vec<InstanceAction>,
    #[serde(default)]
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(rename = "instanceAction")]
    action: InstanceAction,
}

fn actions_path(server_id: &str) -> String {
    format!("servers/{}/os-instance-actions", encode(server_id))
}

impl InstanceActionManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl InstanceActionApi for InstanceActionManager {
    async fn list(
        &self,
        server_id: &str,
        query: &InstanceActionQuery,
    ) -> Result<ApiResponse<Page<InstanceAction>>> {
        check_fields(&self.conn, &query.field_gates())?;
        if query.limit == Some(0) {
            return Err(Error::InvalidInput {
                field: "limit".to_owned(),
                reason: "must be at least 1".to_owned(),
            });
        }
        let path = with_query(&actions_path(server_id), &query.to_pairs());
        let resp = self.conn.get::<ActionsBody>(&path).await?;
        Ok(resp.map(|b| Page {
            next: next_link(&b.links).map(str::to_owned),
            items: b.actions,
        }))
    }

    async fn get(&self, server_id: &str, request_id: &str) -> Result<ApiResponse<InstanceAction>> {
        let path = format!("{}/{}", actions_path(server_id), encode(request_id));
        let resp = self.conn.get::<ActionBody>(&path).await?;
        Ok(resp.map(|b| b.action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    #[tokio::test]
    async fn list_sends_filters_reads_the_next_link_and_gates_before_io() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "servers/s1/os-instance-actions",
            Reply::json(200, json!({
                "instanceActions": [{"action": "stop", "request_id": "req-2"}],
                "links": [{"rel": "next", "href": "http://h/servers/s1/os-instance-actions?limit=1&marker=req-2"}]
            })),
        );
        let manager = InstanceActionManager::new(fake.connection(2, 66));
        let query = InstanceActionQuery::new()
            .limit(1)
            .changes_before("2030-01-01T00:00:00Z");
        let page = manager.list("s1", &query).await.expect("listed").value;
        assert_eq!(page.items[0].action, "stop");
        assert!(
            page.next
                .as_deref()
                .is_some_and(|n| n.contains("marker=req-2"))
        );
        let path = fake.requests().pop().expect("sent").path;
        assert_eq!(
            path,
            "servers/s1/os-instance-actions?limit=1&changes-before=2030-01-01T00%3A00%3A00Z"
        );
        let old = InstanceActionManager::new(fake.connection(2, 65));
        let error = old.list("s1", &query).await.expect_err("2.65");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        assert_eq!(fake.requests().len(), 1);
    }

    #[tokio::test]
    async fn get_reads_the_events() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "servers/s1/os-instance-actions/req-1",
            Reply::json(
                200,
                json!({"instanceAction": {"action": "create", "request_id": "req-1",
                "events": [{"event": "compute__do_build_and_run_instance", "result": "Success",
                    "hostId": "abc"}]}}),
            ),
        );
        let action = InstanceActionManager::new(fake.connection(2, 62))
            .get("s1", "req-1")
            .await
            .expect("shown")
            .value;
        let events = action.events.expect("events");
        assert_eq!(events[0].host_id.as_deref(), Some("abc"));
    }
}
