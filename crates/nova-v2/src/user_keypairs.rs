//! The manager of another user's keypairs (2.10+, admin).

use async_trait::async_trait;
use nova_core::compute::UserKeypairApi;
use nova_core::types::{Keypair, OperationGate};
use nova_core::{ApiResponse, Connection, Error, MicroVersion, Result, VersionReq};
use serde::Deserialize;

use crate::gate::check_operation;
use crate::path::{encode, with_query};

/// Another user's keypairs (`user_id`) start at 2.10.
const OTHER_USERS: OperationGate = OperationGate::new(
    "keypairs of another user",
    VersionReq::at_least(MicroVersion::new(2, 10)),
);

/// Another user's keypairs over one negotiated connection.
#[derive(Debug, Clone)]
pub struct UserKeypairManager {
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

impl UserKeypairManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    fn path(&self, name: Option<&str>, user_id: &str) -> Result<String> {
        check_operation(&self.conn, &OTHER_USERS)?;
        if user_id.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "user_id".to_owned(),
                reason: "a user id is required".to_owned(),
            });
        }
        let base = match name {
            Some(name) => format!("os-keypairs/{}", encode(name)),
            None => "os-keypairs".to_owned(),
        };
        Ok(with_query(&base, &[("user_id", user_id.to_owned())]))
    }
}

#[async_trait]
impl UserKeypairApi for UserKeypairManager {
    async fn list(&self, user_id: &str) -> Result<ApiResponse<Vec<Keypair>>> {
        let path = self.path(None, user_id)?;
        let resp = self.conn.get::<KeypairsBody>(&path).await?;
        Ok(resp.map(|b| b.keypairs.into_iter().map(|k| k.keypair).collect()))
    }

    async fn get(&self, name: &str, user_id: &str) -> Result<ApiResponse<Keypair>> {
        let path = self.path(Some(name), user_id)?;
        let resp = self.conn.get::<KeypairBody>(&path).await?;
        Ok(resp.map(|b| b.keypair))
    }

    async fn delete(&self, name: &str, user_id: &str) -> Result<ApiResponse<()>> {
        let path = self.path(Some(name), user_id)?;
        let resp = self.conn.delete(&path).await?;
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
    async fn requests_carry_the_user_and_need_2_10() {
        let fake = FakeTransport::new();
        let error = UserKeypairManager::new(fake.connection(2, 9))
            .list("u1")
            .await
            .expect_err("2.9");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
        fake.on(
            Method::GET,
            "os-keypairs/k%201",
            Reply::json(200, json!({"keypair": {"name": "k 1", "user_id": "u1"}})),
        );
        let keypair = UserKeypairManager::new(fake.connection(2, 10))
            .get("k 1", "u1")
            .await
            .expect("shown")
            .value;
        assert_eq!(keypair.user_id.as_deref(), Some("u1"));
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "os-keypairs/k%201?user_id=u1"
        );
    }
}
