//! The migrations manager (`/os-migrations`).

use async_trait::async_trait;
use futures::stream::{self, BoxStream};
use nova_core::compute::MigrationApi;
use nova_core::types::{Link, Migration, MigrationQuery, Page, next_link};
use nova_core::{ApiResponse, Connection, Result};
use serde::Deserialize;

use crate::gate::check_fields;
use crate::pagination::{Paging, all_pages};
use crate::path::with_query;

/// Migrations of every server (`/os-migrations`, admin).
#[derive(Debug, Clone)]
pub struct MigrationManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct MigrationsBody {
    #[serde(default)]
    migrations: Vec<Migration>,
    #[serde(default)]
    migrations_links: Vec<Link>,
}

async fn fetch_page(conn: &Connection, path: &str) -> Result<ApiResponse<Page<Migration>>> {
    let resp = conn.get::<MigrationsBody>(path).await?;
    Ok(resp.map(|b| Page {
        next: next_link(&b.migrations_links).map(str::to_owned),
        items: b.migrations,
    }))
}

impl MigrationManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl MigrationApi for MigrationManager {
    async fn list(&self, query: &MigrationQuery) -> Result<ApiResponse<Page<Migration>>> {
        check_fields(&self.conn, &query.field_gates())?;
        fetch_page(&self.conn, &with_query("os-migrations", &query.to_pairs())).await
    }

    fn list_all(&self, query: MigrationQuery) -> BoxStream<'static, Result<Migration>> {
        if let Err(e) = check_fields(&self.conn, &query.field_gates()) {
            return Box::pin(stream::once(async move { Err(e) }));
        }
        // Follows `migrations_links` (2.59+).
        let conn = self.conn.clone();
        all_pages(Paging {
            first: with_query("os-migrations", &query.to_pairs()),
            collection: "os-migrations",
            fetch: move |path: String| {
                let conn = conn.clone();
                async move { fetch_page(&conn, &path).await }
            },
            key: |m: &Migration| m.id,
            fallback: |_: &Migration| None,
            bounded: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use futures::TryStreamExt;
    use http::Method;
    use nova_core::Error;
    use nova_core::types::MigrationType;
    use serde_json::json;

    fn record(id: u64) -> serde_json::Value {
        json!({"id": id, "uuid": format!("u{id}"), "instance_uuid": "s1", "status": "completed",
               "migration_type": "live-migration"})
    }

    #[tokio::test]
    async fn list_sends_filters_and_gates_paging_below_2_59() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "os-migrations",
            Reply::json(200, json!({"migrations": [record(1)]})),
        );
        let query = MigrationQuery::new()
            .host("compute-0")
            .migration_type(MigrationType::LiveMigration);
        let page = MigrationManager::new(fake.connection(2, 23))
            .list(&query)
            .await
            .expect("listed")
            .value;
        assert_eq!(
            page.items[0].migration_type,
            Some(MigrationType::LiveMigration)
        );
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "os-migrations?host=compute-0&migration_type=live-migration"
        );
        let e = MigrationManager::new(fake.connection(2, 58))
            .list(&MigrationQuery::new().limit(1))
            .await
            .expect_err("limit is 2.59");
        assert!(matches!(e, Error::FieldNotSupported { field: "limit", .. }));
        let e = MigrationManager::new(fake.connection(2, 79))
            .list(&MigrationQuery::new().project_id("p"))
            .await
            .expect_err("project_id is 2.80");
        assert!(matches!(e, Error::FieldNotSupported { .. }));
        assert_eq!(fake.requests().len(), 1);
    }

    #[tokio::test]
    async fn list_all_follows_next_links_and_stops() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "os-migrations?limit=1",
            Reply::json(
                200,
                json!({"migrations": [record(2)], "migrations_links": [
                    {"rel": "next", "href": "http://x/v2.1/os-migrations?limit=1&marker=u2"}]}),
            ),
        );
        fake.on(
            Method::GET,
            "os-migrations?limit=1&marker=u2",
            Reply::json(
                200,
                json!({"migrations": [record(1)], "migrations_links": [
                    {"rel": "next", "href": "http://x/v2.1/os-migrations?limit=1&marker=u1"}]}),
            ),
        );
        fake.on(
            Method::GET,
            "os-migrations?limit=1&marker=u1",
            Reply::json(200, json!({"migrations": []})),
        );
        let all: Vec<Migration> = MigrationManager::new(fake.connection(2, 59))
            .list_all(MigrationQuery::new().limit(1))
            .try_collect()
            .await
            .expect("all");
        assert_eq!(all.iter().map(|m| m.id).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(fake.requests().len(), 3);
    }
}
