//! The server group manager.

use async_trait::async_trait;
use nova_core::compute::ServerGroupApi;
use nova_core::types::{CreateServerGroup, ServerGroup, ServerGroupQuery};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::gate::check_fields;
use crate::path::{encode, with_query};

/// Server groups over one negotiated connection.
#[derive(Debug, Clone)]
pub struct ServerGroupManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct GroupBody {
    server_group: ServerGroup,
}

#[derive(Deserialize)]
struct GroupsBody {
    #[serde(default)]
    server_groups: Vec<ServerGroup>,
}

impl ServerGroupManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerGroupApi for ServerGroupManager {
    async fn list(&self, query: &ServerGroupQuery) -> Result<ApiResponse<Vec<ServerGroup>>> {
        let path = with_query("os-server-groups", &query.to_pairs());
        let resp = self.conn.get::<GroupsBody>(&path).await?;
        Ok(resp.map(|b| b.server_groups))
    }

    async fn get(&self, id: &str) -> Result<ApiResponse<ServerGroup>> {
        let resp = self
            .conn
            .get::<GroupBody>(&format!("os-server-groups/{}", encode(id)))
            .await?;
        Ok(resp.map(|b| b.server_group))
    }

    async fn create(&self, request: &CreateServerGroup) -> Result<ApiResponse<ServerGroup>> {
        if request.name.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "name".to_owned(),
                reason: "a server group needs a name".to_owned(),
            });
        }
        check_fields(&self.conn, &request.field_gates())?;
        if request.max_server_per_host.is_some()
            && request.policy != nova_core::types::ServerGroupPolicy::AntiAffinity
        {
            return Err(Error::InvalidInput {
                field: "rules.max_server_per_host".to_owned(),
                reason: "only the anti-affinity policy takes max_server_per_host".to_owned(),
            });
        }
        if request.max_server_per_host == Some(0) {
            return Err(Error::InvalidInput {
                field: "rules.max_server_per_host".to_owned(),
                reason: "must be at least 1".to_owned(),
            });
        }
        let single_policy = nova_core::types::SERVER_GROUP_POLICY.matches(self.conn.microversion());
        let resp = self
            .conn
            .post::<Value, GroupBody>("os-server-groups", &request.to_body(single_policy))
            .await?;
        Ok(resp.map(|b| b.server_group))
    }

    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        let resp = self
            .conn
            .delete(&format!("os-server-groups/{}", encode(id)))
            .await?;
        Ok(resp.map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use nova_core::types::ServerGroupPolicy;
    use serde_json::json;

    #[tokio::test]
    async fn create_sends_policies_below_2_64_and_policy_from_2_64() {
        let reply = json!({"server_group": {"id": "g1", "name": "g", "policies": ["affinity"]}});
        let fake = FakeTransport::new();
        fake.on(Method::POST, "os-server-groups", Reply::json(200, reply));
        let request = CreateServerGroup::new("g", ServerGroupPolicy::Affinity);
        let group = ServerGroupManager::new(fake.connection(2, 63))
            .create(&request)
            .await
            .expect("created")
            .value;
        assert_eq!(group.id, "g1");
        assert_eq!(
            fake.last_body(),
            json!({"server_group": {"name": "g", "policies": ["affinity"]}})
        );
        let _ = ServerGroupManager::new(fake.connection(2, 64))
            .create(&request)
            .await;
        assert_eq!(
            fake.last_body(),
            json!({"server_group": {"name": "g", "policy": "affinity"}})
        );
    }

    #[tokio::test]
    async fn list_sends_the_query_and_gates_send_nothing() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "os-server-groups",
            Reply::json(200, json!({"server_groups": []})),
        );
        let manager = ServerGroupManager::new(fake.connection(2, 14));
        let query = ServerGroupQuery::new()
            .all_projects(true)
            .limit(5)
            .offset(10);
        manager.list(&query).await.expect("listed");
        let path = fake.requests().pop().expect("sent").path;
        assert_eq!(path, "os-server-groups?all_projects=True&limit=5&offset=10");
        let soft = CreateServerGroup::new("s", ServerGroupPolicy::SoftAffinity);
        let error = manager.create(&soft).await.expect_err("2.14");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let unnamed = CreateServerGroup::new(" ", ServerGroupPolicy::Affinity);
        let error = manager.create(&unnamed).await.expect_err("no name");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1, "only the list was sent");
    }
}
