//! The keypair manager.

use async_trait::async_trait;
use futures::stream::{self, BoxStream};
use nova_core::compute::KeypairApi;
use nova_core::types::{CreateKeypair, Keypair, KeypairQuery, Link, Page, next_link};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::body;
use crate::gate::check_fields;
use crate::pagination::{Paging, all_pages};
use crate::path::{encode, with_query};

/// Keypair types (`ssh`, `x509`) start at 2.2.
const KEYPAIR_TYPE: nova_core::VersionReq =
    nova_core::VersionReq::at_least(nova_core::MicroVersion::new(2, 2));
/// Creating a keypair for another user (`user_id`) starts at 2.10.
const KEYPAIR_USER: nova_core::VersionReq =
    nova_core::VersionReq::at_least(nova_core::MicroVersion::new(2, 10));
/// From 2.92 on, Nova no longer generates keys: a public key is required.
const PUBLIC_KEY_REQUIRED: nova_core::VersionReq =
    nova_core::VersionReq::at_least(nova_core::MicroVersion::new(2, 92));

/// Keypairs over one negotiated connection.
#[derive(Debug, Clone)]
pub struct KeypairManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct KeypairBody {
    keypair: Keypair,
}

#[derive(Deserialize)]
struct KeypairsBody {
    #[serde(default)]
    keypairs: Vec<KeypairBody>,
    #[serde(default)]
    keypairs_links: Vec<Link>,
}

impl KeypairManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    /// The query's version gates, and what Nova would refuse, before sending.
    fn check_query(&self, query: &KeypairQuery) -> Result<()> {
        check_fields(&self.conn, &query.field_gates())?;
        for (field, value) in [("user_id", &query.user_id), ("marker", &query.marker)] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::InvalidInput {
                    field: field.to_owned(),
                    reason: format!("an empty {field}"),
                });
            }
        }
        Ok(())
    }
}

/// One page of keypairs at `path`.
async fn fetch_page(conn: &Connection, path: &str) -> Result<ApiResponse<Page<Keypair>>> {
    let resp = conn.get::<KeypairsBody>(path).await?;
    Ok(resp.map(|b| Page {
        next: next_link(&b.keypairs_links).map(str::to_owned),
        items: b.keypairs.into_iter().map(|k| k.keypair).collect(),
    }))
}

#[async_trait]
impl KeypairApi for KeypairManager {
    async fn create(&self, request: &CreateKeypair) -> Result<ApiResponse<Keypair>> {
        use nova_core::types::FieldGate;
        let mut gates = Vec::new();
        if request.key_type.is_some() {
            gates.push(FieldGate::new("type", &[KEYPAIR_TYPE]));
        }
        if request.user_id.is_some() {
            gates.push(FieldGate::new("user_id", &[KEYPAIR_USER]));
        }
        check_fields(&self.conn, &gates)?;
        if request.public_key.is_none() && PUBLIC_KEY_REQUIRED.matches(self.conn.microversion()) {
            return Err(Error::InvalidInput {
                field: "public_key".to_owned(),
                reason: "public_key is required from 2.92 (Nova no longer generates keys)"
                    .to_owned(),
            });
        }
        let resp = self
            .conn
            .post::<Value, KeypairBody>("os-keypairs", &body::create_keypair(request))
            .await?;
        Ok(resp.map(|b| b.keypair))
    }

    async fn list(&self, query: &KeypairQuery) -> Result<ApiResponse<Page<Keypair>>> {
        self.check_query(query)?;
        fetch_page(&self.conn, &with_query("os-keypairs", &query.to_pairs())).await
    }

    fn list_all(&self, query: KeypairQuery) -> BoxStream<'static, Result<Keypair>> {
        if let Err(e) = self.check_query(&query) {
            return Box::pin(stream::once(async move { Err(e) }));
        }
        // Follows `keypairs_links` (2.35+).
        let conn = self.conn.clone();
        all_pages(Paging {
            first: with_query("os-keypairs", &query.to_pairs()),
            collection: "os-keypairs",
            fetch: move |path: String| {
                let conn = conn.clone();
                async move { fetch_page(&conn, &path).await }
            },
            key: |k: &Keypair| k.name.clone(),
            fallback: |_: &Keypair| None,
            bounded: false,
        })
    }

    async fn get(&self, name: &str) -> Result<ApiResponse<Keypair>> {
        let resp = self
            .conn
            .get::<KeypairBody>(&format!("os-keypairs/{}", encode(name)))
            .await?;
        Ok(resp.map(|b| b.keypair))
    }

    async fn delete(&self, name: &str) -> Result<ApiResponse<()>> {
        let resp = self
            .conn
            .delete(&format!("os-keypairs/{}", encode(name)))
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

    #[tokio::test]
    async fn list_with_pages_from_2_35_and_reads_the_next_link() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "os-keypairs",
            Reply::json(
                200,
                json!({
                    "keypairs": [{"keypair": {"name": "a", "fingerprint": "f"}}],
                    "keypairs_links": [{"rel": "next", "href": "http://h/v2.1/os-keypairs?limit=1&marker=a"}]
                }),
            ),
        );
        let page = KeypairManager::new(fake.connection(2, 35))
            .list(&KeypairQuery::new().limit(1).marker("0 start"))
            .await
            .expect("page")
            .value;
        assert_eq!(page.items[0].name, "a");
        assert!(page.next.is_some_and(|n| n.ends_with("marker=a")));
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "os-keypairs?limit=1&marker=0%20start"
        );
    }

    #[tokio::test]
    async fn paging_below_2_35_is_refused_before_sending() {
        let fake = FakeTransport::new();
        let error = KeypairManager::new(fake.connection(2, 34))
            .list(&KeypairQuery::new().limit(5))
            .await
            .expect_err("2.34");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let error = KeypairManager::new(fake.connection(2, 9))
            .list(&KeypairQuery::new().user_id("u"))
            .await
            .expect_err("2.9");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
    }
}
