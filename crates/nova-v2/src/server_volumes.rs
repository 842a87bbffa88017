//! The server volumes manager.

use async_trait::async_trait;
use bytes::Bytes;
use http::Method;
use nova_core::compute::ServerVolumeApi;
use nova_core::types::{AttachVolume, UpdateVolumeAttachment, VolumeAttachment};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::gate::check_fields;
use crate::path::encode;

/// Volume attachments of a server: attach, show, update, detach (`/servers/{id}/os-volume_attachments`).
#[derive(Debug, Clone)]
pub struct ServerVolumeManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct AttachmentsBody {
    #[serde(rename = "volumeAttachments", default)]
    attachments: Vec<VolumeAttachment>,
}

#[derive(Deserialize)]
struct AttachmentBody {
    #[serde(rename = "volumeAttachment")]
    attachment: VolumeAttachment,
}

fn attachments_path(server_id: &str) -> String {
    format!("servers/{}/os-volume_attachments", encode(server_id))
}

fn attachment_path(server_id: &str, volume_id: &str) -> String {
    format!("{}/{}", attachments_path(server_id), encode(volume_id))
}

fn require_id(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: field.to_owned(),
            reason: "a volume id is required".to_owned(),
        });
    }
    Ok(())
}

impl ServerVolumeManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

#[async_trait]
impl ServerVolumeApi for ServerVolumeManager {
    async fn list(&self, server_id: &str) -> Result<ApiResponse<Vec<VolumeAttachment>>> {
        let resp = self
            .conn
            .get::<AttachmentsBody>(&attachments_path(server_id))
            .await?;
        Ok(resp.map(|b| b.attachments))
    }

    async fn get(&self, server_id: &str, volume_id: &str) -> Result<ApiResponse<VolumeAttachment>> {
        let resp = self
            .conn
            .get::<AttachmentBody>(&attachment_path(server_id, volume_id))
            .await?;
        Ok(resp.map(|b| b.attachment))
    }

    async fn attach(
        &self,
        server_id: &str,
        request: &AttachVolume,
    ) -> Result<ApiResponse<VolumeAttachment>> {
        require_id("volumeId", &request.volume_id)?;
        check_fields(&self.conn, &request.field_gates())?;
        let resp = self
            .conn
            .post::<Value, AttachmentBody>(&attachments_path(server_id), &request.to_body())
            .await?;
        Ok(resp.map(|b| b.attachment))
    }

    async fn update(
        &self,
        server_id: &str,
        volume_id: &str,
        request: &UpdateVolumeAttachment,
    ) -> Result<ApiResponse<()>> {
        require_id("volumeId", &request.volume_id)?;
        check_fields(&self.conn, &request.field_gates())?;
        let body = serde_json::to_vec(&request.to_body()).map_err(|e| Error::InvalidInput {
            field: "volumeAttachment".to_owned(),
            reason: e.to_string(),
        })?;
        let resp = self
            .conn
            .send(
                Method::PUT,
                &attachment_path(server_id, volume_id),
                Some(Bytes::from(body)),
            )
            .await?;
        Ok(resp.map(|_| ()))
    }

    async fn detach(&self, server_id: &str, volume_id: &str) -> Result<ApiResponse<()>> {
        let resp = self
            .conn
            .delete(&attachment_path(server_id, volume_id))
            .await?;
        Ok(resp.map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use serde_json::json;

    #[tokio::test]
    async fn attach_body_per_version_and_gates_before_io() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/os-volume_attachments",
            Reply::json(
                200,
                json!({"volumeAttachment": {"volumeId": "v1", "id": "v1"}}),
            ),
        );
        let request = AttachVolume::new("v1").tag("t").delete_on_termination(true);
        let attached = ServerVolumeManager::new(fake.connection(2, 79))
            .attach("s1", &request)
            .await
            .expect("attached")
            .value;
        assert_eq!(attached.volume_id, "v1");
        assert_eq!(
            fake.last_body(),
            json!({"volumeAttachment": {"volumeId": "v1", "tag": "t",
                "delete_on_termination": true}})
        );
        let error = ServerVolumeManager::new(fake.connection(2, 78))
            .attach("s1", &request)
            .await
            .expect_err("2.78");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let error = ServerVolumeManager::new(fake.connection(2, 79))
            .attach("s1", &AttachVolume::new(" "))
            .await
            .expect_err("no id");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1);
    }

    #[tokio::test]
    async fn update_puts_and_gates_delete_on_termination_at_2_85() {
        let fake = FakeTransport::new();
        fake.on(
            Method::PUT,
            "servers/s1/os-volume_attachments/v1",
            Reply::json(202, Value::Null),
        );
        let swap = UpdateVolumeAttachment::new("v2");
        ServerVolumeManager::new(fake.connection(2, 1))
            .update("s1", "v1", &swap)
            .await
            .expect("swapped");
        assert_eq!(
            fake.last_body(),
            json!({"volumeAttachment": {"volumeId": "v2"}})
        );
        let keep = UpdateVolumeAttachment::new("v1").delete_on_termination(false);
        let error = ServerVolumeManager::new(fake.connection(2, 84))
            .update("s1", "v1", &keep)
            .await
            .expect_err("2.84");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        ServerVolumeManager::new(fake.connection(2, 85))
            .update("s1", "v1", &keep)
            .await
            .expect("2.85");
        assert_eq!(
            fake.last_body(),
            json!({"volumeAttachment": {"volumeId": "v1", "delete_on_termination": false}})
        );
        assert_eq!(fake.requests().len(), 2);
    }
}
