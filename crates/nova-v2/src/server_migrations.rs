//! The server migrations manager: the `migrate` / `os-migrateLive` actions and
//! `/servers/{id}/migrations`.

use async_trait::async_trait;
use nova_core::compute::ServerMigrationApi;
use nova_core::types::{LiveMigrateServer, MigrateServer, OperationGate, ServerMigration};
use nova_core::{ApiResponse, Connection, Error, MicroVersion, Result, VersionReq};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::gate::{check_fields, check_operation};
use crate::path::encode;

/// Listing a server's in-progress migrations starts at 2.23.
const LIST: OperationGate = OperationGate::new(
    "server_migrations.list",
    VersionReq::at_least(MicroVersion::new(2, 23)),
);
/// Showing one in-progress migration starts at 2.23.
const GET: OperationGate = OperationGate::new(
    "server_migrations.get",
    VersionReq::at_least(MicroVersion::new(2, 23)),
);
/// Forcing a live migration to complete starts at 2.22.
const FORCE_COMPLETE: OperationGate = OperationGate::new(
    "server_migrations.force_complete",
    VersionReq::at_least(MicroVersion::new(2, 22)),
);
/// Aborting a live migration starts at 2.24.
const ABORT: OperationGate = OperationGate::new(
    "server_migrations.abort",
    VersionReq::at_least(MicroVersion::new(2, 24)),
);

/// Moving one server and its live migrations, over one negotiated connection.
#[derive(Debug, Clone)]
pub struct ServerMigrationManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct MigrationBody {
    migration: ServerMigration,
}

#[derive(Deserialize)]
struct MigrationsBody {
    #[serde(default)]
    migrations: Vec<ServerMigration>,
}

fn migrations_path(server_id: &str) -> String {
    format!("servers/{}/migrations", encode(server_id))
}

impl ServerMigrationManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    async fn action(&self, server_id: &str, body: &Value) -> Result<ApiResponse<()>> {
        let resp = self
            .conn
            .post_raw(&format!("servers/{}/action", encode(server_id)), body)
            .await?;
        Ok(resp.map(|_| ()))
    }
}

#[async_trait]
impl ServerMigrationApi for ServerMigrationManager {
    async fn migrate(&self, server_id: &str, request: &MigrateServer) -> Result<ApiResponse<()>> {
        check_fields(&self.conn, &request.field_gates())?;
        if request.host.as_deref().is_some_and(|h| h.trim().is_empty()) {
            return Err(Error::InvalidInput {
                field: "host".to_owned(),
                reason: "the target host must not be empty".to_owned(),
            });
        }
        self.action(server_id, &request.to_body()).await
    }

    async fn live_migrate(
        &self,
        server_id: &str,
        request: &LiveMigrateServer,
    ) -> Result<ApiResponse<()>> {
        check_fields(&self.conn, &request.field_gates())?;
        if request.force == Some(true) && request.host.is_none() {
            return Err(Error::InvalidInput {
                field: "force".to_owned(),
                reason: "Can't force to a non-provided destination".to_owned(),
            });
        }
        if request.host.as_deref().is_some_and(|h| h.trim().is_empty()) {
            return Err(Error::InvalidInput {
                field: "host".to_owned(),
                reason: "the target host must not be empty".to_owned(),
            });
        }
        let body = request.to_body(self.conn.microversion());
        self.action(server_id, &body).await
    }

    async fn list(&self, server_id: &str) -> Result<ApiResponse<Vec<ServerMigration>>> {
        check_operation(&self.conn, &LIST)?;
        let resp = self
            .conn
            .get::<MigrationsBody>(&migrations_path(server_id))
            .await?;
        Ok(resp.map(|b| b.migrations))
    }

    async fn get(
        &self,
        server_id: &str,
        migration_id: u64,
    ) -> Result<ApiResponse<ServerMigration>> {
        check_operation(&self.conn, &GET)?;
        let path = format!("{}/{migration_id}", migrations_path(server_id));
        let resp = self.conn.get::<MigrationBody>(&path).await?;
        Ok(resp.map(|b| b.migration))
    }

    async fn force_complete(&self, server_id: &str, migration_id: u64) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &FORCE_COMPLETE)?;
        let path = format!("{}/{migration_id}/action", migrations_path(server_id));
        let resp = self
            .conn
            .post_raw(&path, &json!({"force_complete": null}))
            .await?;
        Ok(resp.map(|_| ()))
    }

    async fn abort(&self, server_id: &str, migration_id: u64) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &ABORT)?;
        let path = format!("{}/{migration_id}", migrations_path(server_id));
        let resp = self.conn.delete(&path).await?;
        Ok(resp.map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use nova_core::types::{BlockMigration, MigrationStatus};

    fn sent(fake: &FakeTransport) -> (String, Value) {
        let request = fake.requests().pop().expect("a request");
        let body = request
            .body
            .map(|b| serde_json::from_slice(&b).expect("json body"))
            .unwrap_or(Value::Null);
        (request.path, body)
    }

    #[tokio::test]
    async fn migrate_sends_null_or_a_host_from_2_56_and_gates_the_host_below() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, Value::Null),
        );
        let m = ServerMigrationManager::new(fake.connection(2, 56));
        m.migrate("s1", &MigrateServer::new())
            .await
            .expect("migrated");
        assert_eq!(
            sent(&fake),
            ("servers/s1/action".into(), json!({"migrate": null}))
        );
        m.migrate("s1", &MigrateServer::new().host("compute-1"))
            .await
            .expect("migrated");
        assert_eq!(sent(&fake).1, json!({"migrate": {"host": "compute-1"}}));
        let old = ServerMigrationManager::new(fake.connection(2, 55));
        let error = old
            .migrate("s1", &MigrateServer::new().host("compute-1"))
            .await
            .expect_err("2.55");
        assert!(matches!(
            error,
            Error::FieldNotSupported { field: "host", .. }
        ));
        assert_eq!(fake.requests().len(), 2, "the gated call sent nothing");
    }

    #[tokio::test]
    async fn live_migrate_body_follows_the_microversion() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, Value::Null),
        );
        let req = LiveMigrateServer::new().host("h2");
        ServerMigrationManager::new(fake.connection(2, 1))
            .live_migrate("s1", &req)
            .await
            .expect("2.1");
        assert_eq!(
            sent(&fake).1,
            json!({"os-migrateLive": {"block_migration": false, "disk_over_commit": false, "host": "h2"}})
        );
        ServerMigrationManager::new(fake.connection(2, 25))
            .live_migrate("s1", &req.clone().block_migration(BlockMigration::Enabled))
            .await
            .expect("2.25");
        assert_eq!(
            sent(&fake).1,
            json!({"os-migrateLive": {"block_migration": true, "host": "h2"}})
        );
        ServerMigrationManager::new(fake.connection(2, 30))
            .live_migrate("s1", &req.clone().force(true))
            .await
            .expect("2.30");
        assert_eq!(
            sent(&fake).1,
            json!({"os-migrateLive": {"block_migration": "auto", "host": "h2", "force": true}})
        );
        assert_eq!(fake.requests().len(), 3);
        // gated or invalid: nothing sent
        let at_68 = ServerMigrationManager::new(fake.connection(2, 68));
        let e = at_68
            .live_migrate("s1", &req.clone().force(true))
            .await
            .expect_err("force removed in 2.68");
        assert!(matches!(e, Error::FieldNotSupported { field: "force", .. }));
        let e = at_68
            .live_migrate("s1", &req.clone().disk_over_commit(true))
            .await
            .expect_err("disk_over_commit removed in 2.25");
        assert!(matches!(e, Error::FieldNotSupported { .. }));
        let e = ServerMigrationManager::new(fake.connection(2, 24))
            .live_migrate(
                "s1",
                &LiveMigrateServer::new().block_migration(BlockMigration::Auto),
            )
            .await
            .expect_err("auto needs 2.25");
        assert!(matches!(e, Error::FieldNotSupported { .. }));
        let e = ServerMigrationManager::new(fake.connection(2, 30))
            .live_migrate("s1", &LiveMigrateServer::new().force(true))
            .await
            .expect_err("force without host");
        assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
        assert_eq!(fake.requests().len(), 3, "nothing more sent");
    }

    #[tokio::test]
    async fn server_migration_calls_use_nova_paths_and_version_gates() {
        let fake = FakeTransport::new();
        let record = json!({"id": 7, "server_uuid": "s1", "status": "running",
            "memory_total_bytes": 10, "uuid": "u7"});
        fake.on(
            Method::GET,
            "servers/s1/migrations",
            Reply::json(200, json!({"migrations": [record.clone()]})),
        );
        fake.on(
            Method::GET,
            "servers/s1/migrations/7",
            Reply::json(200, json!({"migration": record})),
        );
        fake.on(
            Method::POST,
            "servers/s1/migrations/7/action",
            Reply::json(202, Value::Null),
        );
        fake.on(
            Method::DELETE,
            "servers/s1/migrations/7",
            Reply::json(202, Value::Null),
        );
        let m = ServerMigrationManager::new(fake.connection(2, 24));
        let list = m.list("s1").await.expect("list").value;
        assert_eq!(list[0].id, 7);
        assert_eq!(list[0].status, MigrationStatus::Running);
        assert_eq!(
            m.get("s1", 7).await.expect("get").value.uuid.as_deref(),
            Some("u7")
        );
        m.force_complete("s1", 7).await.expect("force");
        assert_eq!(
            sent(&fake),
            (
                "servers/s1/migrations/7/action".into(),
                json!({"force_complete": null})
            )
        );
        m.abort("s1", 7).await.expect("abort");
        let last = fake.requests().pop().expect("sent");
        assert_eq!(
            (last.method, last.path.as_str()),
            (Method::DELETE, "servers/s1/migrations/7")
        );
        assert_eq!(fake.requests().len(), 4);

        let old = ServerMigrationManager::new(fake.connection(2, 21));
        for e in [
            old.list("s1").await.map(|_| ()).expect_err("2.23"),
            old.get("s1", 7).await.map(|_| ()).expect_err("2.23"),
            old.force_complete("s1", 7)
                .await
                .map(|_| ())
                .expect_err("2.22"),
            old.abort("s1", 7).await.map(|_| ()).expect_err("2.24"),
        ] {
            assert!(matches!(e, Error::VersionNotSupported { .. }), "{e:?}");
        }
        let e = ServerMigrationManager::new(fake.connection(2, 23))
            .abort("s1", 7)
            .await
            .expect_err("abort is 2.24");
        assert!(matches!(e, Error::VersionNotSupported { .. }));
        assert_eq!(fake.requests().len(), 4, "gated calls sent nothing");
    }
}
