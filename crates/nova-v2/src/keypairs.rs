//! The keypair manager.

use async_trait::async_trait;
use http::Method;
use nova_core::compute::KeypairApi;
use nova_core::types::{CreateKeypair, Keypair};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::body;
use crate::gate::check_fields;
use crate::path::encode;

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
}

impl KeypairManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl KeypairApi for KeypairManager {
    async fn create(&self, request: &CreateKeypair) -> Result<ApiResponse<Keypair>> {
        use nova_core::types::FieldGate;
        let mut gates = Vec::new();
        if request.key_type.is_some() {
            gates.push(FieldGate::new("type", &[">=2.2"]));
        }
        if request.user_id.is_some() {
            gates.push(FieldGate::new("user_id", &[">=2.10"]));
        }
        check_fields(&self.conn, &gates)?;
        if request.public_key.is_none()
            && nova_core::VersionReq::at_least(nova_core::MicroVersion::new(2, 92))
                .matches(self.conn.microversion())
        {
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

    async fn list(&self) -> Result<ApiResponse<Vec<Keypair>>> {
        let resp = self.conn.get::<KeypairsBody>("os-keypairs").await?;
        Ok(resp.map(|b| b.keypairs.into_iter().map(|k| k.keypair).collect()))
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
            .send(
                Method::DELETE,
                &format!("os-keypairs/{}", encode(name)),
                None,
            )
            .await?;
        Ok(resp.map(|_| ()))
    }
}
