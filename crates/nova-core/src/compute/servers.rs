//! The server API: CRUD, listing, actions and sub-resources.

use std::collections::BTreeMap;

use async_trait::async_trait;
use futures::stream::BoxStream;
use secrecy::SecretString;

use crate::types::{CreateBackup, ServerSecurityGroup};
use crate::types::{
    CreateImage, CreateServer, CreatedServer, Page, RebuildServer, Server, ServerAction,
    ServerQuery, UpdateServer,
};
use crate::{ApiResponse, Result};

/// A stream of servers over all pages of a listing.
pub type ServerStream = BoxStream<'static, Result<Server>>;

/// Servers (`/servers`): what novaclient's `ServerManager` does.
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ServerApi: Send + Sync + std::fmt::Debug {
    /// `GET /servers/{id}`.
    async fn get(&self, id: &str) -> Result<ApiResponse<Server>> {
        crate::compute::not_supported("servers.get")
    }
    /// Finds a server by exact id, else by unique exact name (like novaclient's
    /// `find_resource`): `NotFoundByName` when nothing matches, `Ambiguous` when several do.
    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Server>> {
        crate::compute::not_supported("servers.find")
    }
    /// `GET /servers/detail` for one page.
    async fn list(&self, query: &ServerQuery) -> Result<ApiResponse<Page<Server>>> {
        crate::compute::not_supported("servers.list")
    }
    /// Every server matching `query`, following `servers_links` across pages.
    fn list_all(&self, query: ServerQuery) -> ServerStream {
        crate::compute::not_supported_stream("servers.list_all")
    }
    /// `POST /servers`: creates the server(s) and returns the create answer (id, links,
    /// `adminPass`). Version-gated fields are checked before anything is sent.
    async fn create(&self, request: &CreateServer) -> Result<ApiResponse<CreatedServer>> {
        crate::compute::not_supported("servers.create")
    }
    /// `POST /servers` with `return_reservation_id`: creates the server(s) (with
    /// `min_count`/`max_count`, several) and returns only the reservation id (`r-...`),
    /// which `ServerQuery::reservation_id` finds them by. Gated like `create`.
    async fn create_reservation(&self, request: &CreateServer) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("servers.create_reservation")
    }
    /// `PUT /servers/{id}`.
    async fn update(&self, id: &str, request: &UpdateServer) -> Result<ApiResponse<Server>> {
        crate::compute::not_supported("servers.update")
    }
    /// `DELETE /servers/{id}`.
    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.delete")
    }
    /// `POST /servers/{id}/action` for an action without a result body.
    async fn action(&self, id: &str, action: &ServerAction) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.action")
    }
    /// The `rebuild` action; returns the rebuilt server.
    async fn rebuild(&self, id: &str, request: &RebuildServer) -> Result<ApiResponse<Server>> {
        crate::compute::not_supported("servers.rebuild")
    }
    /// The `createImage` action; returns the new image id (from the body from 2.45, else the
    /// `Location` header).
    async fn create_image(&self, id: &str, request: &CreateImage) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("servers.create_image")
    }
    /// `GET /servers/{id}/metadata`.
    async fn metadata(&self, id: &str) -> Result<ApiResponse<BTreeMap<String, String>>> {
        crate::compute::not_supported("servers.metadata")
    }
    /// `POST /servers/{id}/metadata`: adds or changes items, keeping the others.
    async fn set_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
    ) -> Result<ApiResponse<BTreeMap<String, String>>> {
        crate::compute::not_supported("servers.set_metadata")
    }
    /// `DELETE /servers/{id}/metadata/{key}`.
    async fn delete_metadata(&self, id: &str, key: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.delete_metadata")
    }
    /// `GET /servers/{id}/tags` (2.26+).
    async fn tags(&self, id: &str) -> Result<ApiResponse<Vec<String>>> {
        crate::compute::not_supported("servers.tags")
    }
    /// `PUT /servers/{id}/tags`: replaces all tags (2.26+).
    async fn set_tags(&self, id: &str, tags: &[String]) -> Result<ApiResponse<Vec<String>>> {
        crate::compute::not_supported("servers.set_tags")
    }
    /// `PUT /servers/{id}/tags/{tag}` (2.26+).
    async fn add_tag(&self, id: &str, tag: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.add_tag")
    }
    /// `DELETE /servers/{id}/tags/{tag}` (2.26+).
    async fn delete_tag(&self, id: &str, tag: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.delete_tag")
    }
    /// The `os-getConsoleOutput` action: the last `lines` lines, or all.
    async fn console_output(&self, id: &str, lines: Option<u32>) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("servers.console_output")
    }
    /// `GET /servers/{id}/os-server-password`: the encrypted password (empty if unset).
    async fn password(&self, id: &str) -> Result<ApiResponse<SecretString>> {
        crate::compute::not_supported("servers.password")
    }
    /// The `evacuate` action (admin): `onSharedStorage` below 2.14, `force` 2.29 to 2.67;
    /// returns the admin password below 2.14 (nothing from 2.14).
    async fn evacuate(
        &self,
        id: &str,
        request: &crate::types::EvacuateServer,
    ) -> Result<ApiResponse<crate::types::EvacuateResult>> {
        crate::compute::not_supported("servers.evacuate")
    }
    // --- Backups, passwords, security groups and floating IPs of a server ---
    /// The `createBackup` action (every version): a rotated snapshot; returns the new image
    /// id (from the body from 2.45, else the `Location` header).
    async fn create_backup(&self, id: &str, request: &CreateBackup) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("servers.create_backup")
    }
    /// The `changePassword` action (every version): sets the guest's admin password.
    async fn change_password(&self, id: &str, password: &SecretString) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.change_password")
    }
    /// `DELETE /servers/{id}/os-server-password` (every version): clears the encrypted
    /// password the metadata service holds.
    async fn clear_password(&self, id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.clear_password")
    }
    /// `GET /servers/{id}/os-security-groups` (every version).
    async fn security_groups(&self, id: &str) -> Result<ApiResponse<Vec<ServerSecurityGroup>>> {
        crate::compute::not_supported("servers.security_groups")
    }
    /// The `addSecurityGroup` action (every version).
    async fn add_security_group(&self, id: &str, name: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.add_security_group")
    }
    /// The `removeSecurityGroup` action (every version).
    async fn remove_security_group(&self, id: &str, name: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.remove_security_group")
    }
    /// The `addFloatingIp` action (2.1 - 2.43; removed in 2.44 with the proxy APIs).
    async fn add_floating_ip(
        &self,
        id: &str,
        address: &str,
        fixed_address: Option<String>,
    ) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.add_floating_ip")
    }
    /// The `removeFloatingIp` action (2.1 - 2.43; removed in 2.44 with the proxy APIs).
    async fn remove_floating_ip(&self, id: &str, address: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.remove_floating_ip")
    }
    /// The `rescue` action (every version) returning the rescue `adminPass` (the one given,
    /// or the one Nova generated); `rescue_image_ref` picks the rescue image.
    async fn rescue(
        &self,
        id: &str,
        admin_pass: Option<SecretString>,
        image_ref: Option<String>,
    ) -> Result<ApiResponse<SecretString>> {
        crate::compute::not_supported("servers.rescue")
    }
    // --- Server extras: single metadata items, all tags, addresses by network ---
    /// `GET /servers/{id}/metadata/{key}` (every version): one item's value (404
    /// "Metadata item was not found" when unset).
    async fn metadata_item(&self, id: &str, key: &str) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("servers.metadata_item")
    }
    /// `PUT /servers/{id}/metadata` (every version): replaces all items; returns them.
    async fn replace_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
    ) -> Result<ApiResponse<BTreeMap<String, String>>> {
        crate::compute::not_supported("servers.replace_metadata")
    }
    /// `PUT /servers/{id}/metadata/{key}` (every version): sets one item; returns its value.
    async fn set_metadata_item(
        &self,
        id: &str,
        key: &str,
        value: &str,
    ) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("servers.set_metadata_item")
    }
    /// `DELETE /servers/{id}/tags` (2.26+): removes every tag.
    async fn delete_all_tags(&self, id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("servers.delete_all_tags")
    }
    /// `GET /servers/{id}/ips` (every version): the addresses by network label.
    async fn ips(
        &self,
        id: &str,
    ) -> Result<ApiResponse<BTreeMap<String, Vec<crate::types::NetworkAddress>>>> {
        crate::compute::not_supported("servers.ips")
    }
    /// `GET /servers/{id}/ips/{network_label}` (every version): the addresses on one
    /// network (404 "Instance is not a member of specified network" otherwise).
    async fn ips_by_network(
        &self,
        id: &str,
        network_label: &str,
    ) -> Result<ApiResponse<Vec<crate::types::NetworkAddress>>> {
        crate::compute::not_supported("servers.ips_by_network")
    }
}
