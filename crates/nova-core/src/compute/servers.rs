//! The server API: CRUD, listing, actions and sub-resources.

use std::collections::BTreeMap;

use async_trait::async_trait;
use futures::stream::BoxStream;
use secrecy::SecretString;

use crate::types::{CreateBackup, ServerSecurityGroup};
use crate::types::{
    CreateImage, CreateServer, CreateServerResult, InterfaceAttachment, Page, RebuildServer,
    Server, ServerAction, ServerQuery, UpdateServer, VolumeAttachment,
};
use crate::{ApiResponse, Result};

/// A stream of servers over all pages of a listing.
pub type ServerStream = BoxStream<'static, Result<Server>>;

/// Servers (`/servers`): what novaclient's `ServerManager` does.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerApi: Send + Sync + std::fmt::Debug {
    /// `GET /servers/{id}`.
    async fn get(&self, id: &str) -> Result<ApiResponse<Server>>;
    /// Finds a server by exact id, else by unique exact name (like novaclient's
    /// `find_resource`): `NotFoundByName` when nothing matches, `Ambiguous` when several do.
    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Server>>;
    /// `GET /servers/detail` for one page.
    async fn list(&self, query: &ServerQuery) -> Result<ApiResponse<Page<Server>>>;
    /// Every server matching `query`, following `servers_links` across pages.
    fn list_all(&self, query: ServerQuery) -> ServerStream;
    /// `POST /servers`. Version-gated fields are checked before anything is sent.
    async fn create(&self, request: &CreateServer) -> Result<ApiResponse<CreateServerResult>>;
    /// `PUT /servers/{id}`.
    async fn update(&self, id: &str, request: &UpdateServer) -> Result<ApiResponse<Server>>;
    /// `DELETE /servers/{id}`.
    async fn delete(&self, id: &str) -> Result<ApiResponse<()>>;
    /// `POST /servers/{id}/action` for an action without a result body.
    async fn action(&self, id: &str, action: &ServerAction) -> Result<ApiResponse<()>>;
    /// The `rebuild` action; returns the rebuilt server.
    async fn rebuild(&self, id: &str, request: &RebuildServer) -> Result<ApiResponse<Server>>;
    /// The `createImage` action; returns the new image id (from the body from 2.45, else the
    /// `Location` header).
    async fn create_image(&self, id: &str, request: &CreateImage) -> Result<ApiResponse<String>>;
    /// `GET /servers/{id}/metadata`.
    async fn metadata(&self, id: &str) -> Result<ApiResponse<BTreeMap<String, String>>>;
    /// `POST /servers/{id}/metadata`: adds or changes items, keeping the others.
    async fn set_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
    ) -> Result<ApiResponse<BTreeMap<String, String>>>;
    /// `DELETE /servers/{id}/metadata/{key}`.
    async fn delete_metadata(&self, id: &str, key: &str) -> Result<ApiResponse<()>>;
    /// `GET /servers/{id}/tags` (2.26+).
    async fn tags(&self, id: &str) -> Result<ApiResponse<Vec<String>>>;
    /// `PUT /servers/{id}/tags`: replaces all tags (2.26+).
    async fn set_tags(&self, id: &str, tags: &[String]) -> Result<ApiResponse<Vec<String>>>;
    /// `PUT /servers/{id}/tags/{tag}` (2.26+).
    async fn add_tag(&self, id: &str, tag: &str) -> Result<ApiResponse<()>>;
    /// `DELETE /servers/{id}/tags/{tag}` (2.26+).
    async fn delete_tag(&self, id: &str, tag: &str) -> Result<ApiResponse<()>>;
    /// The `os-getConsoleOutput` action: the last `lines` lines, or all.
    async fn console_output(&self, id: &str, lines: Option<u32>) -> Result<ApiResponse<String>>;
    /// `GET /servers/{id}/os-server-password`: the encrypted password (empty if unset).
    async fn password(&self, id: &str) -> Result<ApiResponse<SecretString>>;
    /// `GET /servers/{id}/os-interface`.
    async fn interfaces(&self, id: &str) -> Result<ApiResponse<Vec<InterfaceAttachment>>>;
    /// `GET /servers/{id}/os-volume_attachments`.
    async fn volume_attachments(&self, id: &str) -> Result<ApiResponse<Vec<VolumeAttachment>>>;
    /// The `evacuate` action (admin): `onSharedStorage` below 2.14, `force` 2.29 to 2.67;
    /// returns the admin password below 2.14 (nothing from 2.14).
    async fn evacuate(
        &self,
        id: &str,
        request: &crate::types::EvacuateServer,
    ) -> Result<ApiResponse<crate::types::EvacuateResult>>;
    // --- Backups, passwords, security groups and floating IPs of a server ---
    /// The `createBackup` action (every version): a rotated snapshot; returns the new image
    /// id (from the body from 2.45, else the `Location` header).
    async fn create_backup(&self, id: &str, request: &CreateBackup) -> Result<ApiResponse<String>>;
    /// The `changePassword` action (every version): sets the guest's admin password.
    async fn change_password(&self, id: &str, password: &SecretString) -> Result<ApiResponse<()>>;
    /// `DELETE /servers/{id}/os-server-password` (every version): clears the encrypted
    /// password the metadata service holds.
    async fn clear_password(&self, id: &str) -> Result<ApiResponse<()>>;
    /// `GET /servers/{id}/os-security-groups` (every version).
    async fn security_groups(&self, id: &str) -> Result<ApiResponse<Vec<ServerSecurityGroup>>>;
    /// The `addSecurityGroup` action (every version).
    async fn add_security_group(&self, id: &str, name: &str) -> Result<ApiResponse<()>>;
    /// The `removeSecurityGroup` action (every version).
    async fn remove_security_group(&self, id: &str, name: &str) -> Result<ApiResponse<()>>;
    /// The `addFloatingIp` action (2.1 - 2.43; removed in 2.44 with the proxy APIs).
    async fn add_floating_ip(
        &self,
        id: &str,
        address: &str,
        fixed_address: Option<String>,
    ) -> Result<ApiResponse<()>>;
    /// The `removeFloatingIp` action (2.1 - 2.43; removed in 2.44 with the proxy APIs).
    async fn remove_floating_ip(&self, id: &str, address: &str) -> Result<ApiResponse<()>>;
    /// The `rescue` action (every version) returning the rescue `adminPass` (the one given,
    /// or the one Nova generated); `rescue_image_ref` picks the rescue image.
    async fn rescue(
        &self,
        id: &str,
        admin_pass: Option<SecretString>,
        image_ref: Option<String>,
    ) -> Result<ApiResponse<SecretString>>;
    // --- Server extras: single metadata items, all tags, addresses by network ---
    /// `GET /servers/{id}/metadata/{key}` (every version): one item's value (404
    /// "Metadata item was not found" when unset).
    async fn metadata_item(&self, id: &str, key: &str) -> Result<ApiResponse<String>>;
    /// `PUT /servers/{id}/metadata` (every version): replaces all items; returns them.
    async fn replace_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
    ) -> Result<ApiResponse<BTreeMap<String, String>>>;
    /// `PUT /servers/{id}/metadata/{key}` (every version): sets one item; returns its value.
    async fn set_metadata_item(
        &self,
        id: &str,
        key: &str,
        value: &str,
    ) -> Result<ApiResponse<String>>;
    /// `DELETE /servers/{id}/tags` (2.26+): removes every tag.
    async fn delete_all_tags(&self, id: &str) -> Result<ApiResponse<()>>;
    /// `GET /servers/{id}/ips` (every version): the addresses by network label.
    async fn ips(
        &self,
        id: &str,
    ) -> Result<ApiResponse<BTreeMap<String, Vec<crate::types::NetworkAddress>>>>;
    /// `GET /servers/{id}/ips/{network_label}` (every version): the addresses on one
    /// network (404 "Instance is not a member of specified network" otherwise).
    async fn ips_by_network(
        &self,
        id: &str,
        network_label: &str,
    ) -> Result<ApiResponse<Vec<crate::types::NetworkAddress>>>;
}
