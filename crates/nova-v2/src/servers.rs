//! The server manager: `nova_core::compute::ServerApi` over a `Connection`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use futures::TryStreamExt;
use http::Method;
use nova_core::compute::{ServerApi, ServerStream};
use nova_core::types::{
    CreateImage, CreateServer, CreatedServer, Link, Networks, Page, RebuildServer, Server,
    ServerAction, ServerQuery, UpdateServer, next_link,
};
use nova_core::{ApiResponse, Connection, Error, MicroVersion, Result};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::Value;

use crate::body;
use crate::find::{is_not_found, unique_by_name};
use crate::gate::{check_fields, check_operation};
use crate::pagination::{all_servers, bounded_servers};
use crate::path::{encode, with_query};
use nova_core::VersionReq;
use nova_core::types::OperationGate;
use nova_core::types::{CreateBackup, FLOATING_IP_ACTIONS, ServerSecurityGroup};
use secrecy::ExposeSecret;

/// Servers over one negotiated connection.
#[derive(Debug, Clone)]
pub struct ServerManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct ServerBody {
    server: Server,
}

#[derive(Deserialize)]
struct ServersBody {
    #[serde(default)]
    servers: Vec<Server>,
    #[serde(default)]
    servers_links: Vec<Link>,
}

#[derive(Deserialize)]
struct CreatedBody {
    server: CreatedServer,
}

#[derive(Deserialize)]
struct ReservationBody {
    reservation_id: String,
}

#[derive(Deserialize)]
struct MetadataBody {
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct TagsBody {
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct ConsoleBody {
    #[serde(default)]
    output: String,
}

#[derive(Deserialize)]
struct PasswordBody {
    #[serde(default)]
    password: Option<SecretString>,
}

#[derive(Deserialize)]
struct ImageIdBody {
    image_id: String,
}

/// `servers/detail` with the query's parameters.
pub(crate) fn list_path(query: &ServerQuery) -> String {
    with_query("servers/detail", &query.to_pairs())
}

/// Fetches one page of `servers/detail` at `path`.
pub(crate) async fn fetch_page(conn: &Connection, path: &str) -> Result<ApiResponse<Page<Server>>> {
    let resp = conn.get::<ServersBody>(path).await?;
    Ok(resp.map(|body| Page {
        next: next_link(&body.servers_links).map(str::to_owned),
        items: body.servers,
    }))
}

fn server_path(id: &str) -> String {
    format!("servers/{}", encode(id))
}

fn unit<T>(resp: ApiResponse<T>) -> ApiResponse<()> {
    resp.map(|_| ())
}

/// `user_data` must fit Nova's schema once encoded; refused here rather than by a 400.
fn check_user_data(len: usize) -> Result<()> {
    let encoded = len.div_ceil(3) * 4;
    if encoded > body::MAX_USER_DATA_BASE64 {
        return Err(Error::InvalidInput {
            field: "user_data".to_owned(),
            reason: format!(
                "user_data is {encoded} bytes once base64-encoded; Nova accepts at most {}",
                body::MAX_USER_DATA_BASE64
            ),
        });
    }
    Ok(())
}

impl ServerManager {
    /// `POST /servers`; an undecodable success is `MayHaveBeenCreated` (the server may exist).
    async fn post_create<T: serde::de::DeserializeOwned>(
        &self,
        body: &Value,
    ) -> Result<ApiResponse<T>> {
        self.conn
            .post::<Value, T>("servers", body)
            .await
            .map_err(|e| match e {
                Error::Decode { ref request_id, .. } => Error::MayHaveBeenCreated {
                    resource: "server",
                    request_id: request_id.clone(),
                    source: Box::new(e),
                },
                other => other,
            })
    }

    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    /// The microversion of every request.
    pub fn microversion(&self) -> MicroVersion {
        self.conn.microversion()
    }

    /// Every server matching `query`, page by page, in memory bounded by one page: what
    /// [`ServerApi::list_all`] does, but it remembers only the previous page's ids (to
    /// stop on a page that repeats) rather than every id seen, so listing any number of
    /// servers uses the same memory. Set the page size with [`ServerQuery::limit`].
    pub fn stream(&self, query: ServerQuery) -> nova_core::compute::ServerStream {
        if let Err(e) = check_fields(&self.conn, &query.field_gates()) {
            return Box::pin(futures::stream::once(async move { Err(e) }));
        }
        bounded_servers(self.conn.clone(), query)
    }

    /// [`ServerManager::stream`] within its own `bound`: it ends with
    /// [`Error::TooManyPages`] past the bound's page requests and with
    /// [`Error::TooManyItems`] past its servers, instead of the process-wide bound
    /// ([`set_listing_bound`](crate::set_listing_bound), default
    /// [`ListingBound::default`](crate::ListingBound)).
    pub fn stream_within(
        &self,
        query: ServerQuery,
        bound: crate::ListingBound,
    ) -> nova_core::compute::ServerStream {
        if let Err(e) = check_fields(&self.conn, &query.field_gates()) {
            return Box::pin(futures::stream::once(async move { Err(e) }));
        }
        crate::pagination::bounded_servers_within(self.conn.clone(), query, bound)
    }

    /// `POST` (merge) or, with `replace`, `PUT` `/servers/{id}/metadata`.
    async fn write_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
        replace: bool,
    ) -> Result<ApiResponse<BTreeMap<String, String>>> {
        let body = serde_json::json!({ "metadata": items });
        let path = format!("{}/metadata", server_path(id));
        let resp = if replace {
            self.conn.put::<Value, MetadataBody>(&path, &body).await?
        } else {
            self.conn.post::<Value, MetadataBody>(&path, &body).await?
        };
        Ok(resp.map(|b| b.metadata))
    }

    async fn post_action(&self, id: &str, body: &Value) -> Result<ApiResponse<nova_core::RawBody>> {
        self.conn
            .post_raw(&format!("{}/action", server_path(id)), body)
            .await
    }

    fn validate_create(&self, request: &CreateServer) -> Result<()> {
        check_fields(&self.conn, &request.field_gates())?;
        if let Some(data) = &request.user_data {
            check_user_data(data.len())?;
        }
        let needs_networks = NETWORKS_REQUIRED.matches(self.conn.microversion());
        if needs_networks && request.networks.is_none() {
            return Err(Error::InvalidInput {
                field: "networks".to_owned(),
                reason: format!(
                    "networks is required from 2.37 (this connection uses {}); use Networks::Auto, \
                     Networks::None or a list",
                    self.conn.microversion()
                ),
            });
        }
        if let Some(Networks::List(list)) = &request.networks
            && list.iter().any(|n| n.uuid.is_none() && n.port.is_none())
        {
            return Err(Error::InvalidInput {
                field: "networks".to_owned(),
                reason: "each network entry needs a network uuid or a port".to_owned(),
            });
        }
        Ok(())
    }
}

/// From 2.37 on, a create request must say which networks it wants.
const NETWORKS_REQUIRED: VersionReq = VersionReq::at_least(MicroVersion::new(2, 37));
/// `onSharedStorage` evacuations return the admin password below 2.14.
const EVACUATE_SHARED_STORAGE: VersionReq = VersionReq::below(MicroVersion::new(2, 14));
/// Server tags (list, replace, add, check, remove, clear) start at 2.26.
const SERVER_TAGS: OperationGate = OperationGate::new(
    "server tags",
    VersionReq::at_least(MicroVersion::new(2, 26)),
);
/// `addFloatingIp` exists up to 2.43.
const ADD_FLOATING_IP: OperationGate = OperationGate::new("addFloatingIp", FLOATING_IP_ACTIONS);
/// `removeFloatingIp` exists up to 2.43.
const REMOVE_FLOATING_IP: OperationGate =
    OperationGate::new("removeFloatingIp", FLOATING_IP_ACTIONS);

#[async_trait]
impl ServerApi for ServerManager {
    async fn get(&self, id: &str) -> Result<ApiResponse<Server>> {
        let resp = self.conn.get::<ServerBody>(&server_path(id)).await?;
        Ok(resp.map(|b| b.server))
    }

    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Server>> {
        match self.get(name_or_id).await {
            Ok(found) => return Ok(found),
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(e),
        }
        let first =
            fetch_page(&self.conn, &list_path(&ServerQuery::new().name(name_or_id))).await?;
        let has_more = first.value.next.is_some();
        let mut candidates: Vec<Server> = Vec::new();
        let first = first.map(|page| {
            candidates = page.items;
        });
        if has_more {
            // More than one page of name matches: walk them all.
            candidates = self
                .list_all(ServerQuery::new().name(name_or_id))
                .try_collect()
                .await?;
        }
        let server = unique_by_name(
            "server",
            name_or_id,
            candidates
                .into_iter()
                .map(|s| (s.id.clone(), s.name.clone(), s))
                .collect(),
        )?;
        Ok(first.map(|()| server))
    }

    async fn list(&self, query: &ServerQuery) -> Result<ApiResponse<Page<Server>>> {
        check_fields(&self.conn, &query.field_gates())?;
        fetch_page(&self.conn, &list_path(query)).await
    }

    fn list_all(&self, query: ServerQuery) -> ServerStream {
        if let Err(e) = check_fields(&self.conn, &query.field_gates()) {
            return Box::pin(futures::stream::once(async move { Err(e) }));
        }
        all_servers(self.conn.clone(), query)
    }

    async fn create(&self, request: &CreateServer) -> Result<ApiResponse<CreatedServer>> {
        self.validate_create(request)?;
        let body = body::create_server(request);
        let resp = self.post_create::<CreatedBody>(&body).await?;
        Ok(resp.map(|b| b.server))
    }

    async fn create_reservation(&self, request: &CreateServer) -> Result<ApiResponse<String>> {
        self.validate_create(request)?;
        let mut body = body::create_server(request);
        if let Some(server) = body.get_mut("server").and_then(Value::as_object_mut) {
            server.insert("return_reservation_id".to_owned(), Value::Bool(true));
        }
        let resp = self.post_create::<ReservationBody>(&body).await?;
        Ok(resp.map(|b| b.reservation_id))
    }

    async fn update(&self, id: &str, request: &UpdateServer) -> Result<ApiResponse<Server>> {
        check_fields(&self.conn, &request.field_gates())?;
        let body = body::update_server(request);
        let resp = self
            .conn
            .put::<Value, ServerBody>(&server_path(id), &body)
            .await?;
        Ok(resp.map(|b| b.server))
    }

    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        let resp = self.conn.delete(&server_path(id)).await?;
        Ok(unit(resp))
    }

    async fn action(&self, id: &str, action: &ServerAction) -> Result<ApiResponse<()>> {
        if let Some(req) = action.operation_gate() {
            self.conn.require(action.name(), &req)?;
        }
        check_fields(&self.conn, &action.field_gates())?;
        let body = action
            .reset_state_body()
            .unwrap_or_else(|| body::server_action(action));
        let resp = self.post_action(id, &body).await?;
        Ok(unit(resp))
    }

    async fn rebuild(&self, id: &str, request: &RebuildServer) -> Result<ApiResponse<Server>> {
        check_fields(&self.conn, &request.field_gates())?;
        if let Some(Some(data)) = &request.user_data {
            check_user_data(data.len())?;
        }
        let body = body::rebuild_server(request);
        let resp = self
            .conn
            .post::<Value, ServerBody>(&format!("{}/action", server_path(id)), &body)
            .await?;
        Ok(resp.map(|b| b.server))
    }

    async fn create_image(&self, id: &str, request: &CreateImage) -> Result<ApiResponse<String>> {
        let resp = self.post_action(id, &body::create_image(request)).await?;
        image_id_of(resp, "createImage")
    }

    async fn metadata(&self, id: &str) -> Result<ApiResponse<BTreeMap<String, String>>> {
        let resp = self
            .conn
            .get::<MetadataBody>(&format!("{}/metadata", server_path(id)))
            .await?;
        Ok(resp.map(|b| b.metadata))
    }

    async fn set_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
    ) -> Result<ApiResponse<BTreeMap<String, String>>> {
        self.write_metadata(id, items, false).await
    }

    async fn delete_metadata(&self, id: &str, key: &str) -> Result<ApiResponse<()>> {
        let path = format!("{}/metadata/{}", server_path(id), encode(key));
        Ok(unit(self.conn.delete(&path).await?))
    }

    async fn tags(&self, id: &str) -> Result<ApiResponse<Vec<String>>> {
        check_operation(&self.conn, &SERVER_TAGS)?;
        let resp = self
            .conn
            .get::<TagsBody>(&format!("{}/tags", server_path(id)))
            .await?;
        Ok(resp.map(|b| b.tags))
    }

    async fn set_tags(&self, id: &str, tags: &[String]) -> Result<ApiResponse<Vec<String>>> {
        check_operation(&self.conn, &SERVER_TAGS)?;
        let body = serde_json::json!({ "tags": tags });
        let resp = self
            .conn
            .put::<Value, TagsBody>(&format!("{}/tags", server_path(id)), &body)
            .await?;
        Ok(resp.map(|b| b.tags))
    }

    async fn add_tag(&self, id: &str, tag: &str) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &SERVER_TAGS)?;
        let path = format!("{}/tags/{}", server_path(id), encode(tag));
        Ok(unit(self.conn.send(Method::PUT, &path, None).await?))
    }

    async fn delete_tag(&self, id: &str, tag: &str) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &SERVER_TAGS)?;
        let path = format!("{}/tags/{}", server_path(id), encode(tag));
        Ok(unit(self.conn.delete(&path).await?))
    }

    async fn console_output(&self, id: &str, lines: Option<u32>) -> Result<ApiResponse<String>> {
        let body = match lines {
            Some(n) => serde_json::json!({ "os-getConsoleOutput": { "length": n } }),
            None => serde_json::json!({ "os-getConsoleOutput": {} }),
        };
        let resp = self
            .conn
            .post::<Value, ConsoleBody>(&format!("{}/action", server_path(id)), &body)
            .await?;
        Ok(resp.map(|b| b.output))
    }

    async fn password(&self, id: &str) -> Result<ApiResponse<SecretString>> {
        let resp = self
            .conn
            .get::<PasswordBody>(&format!("{}/os-server-password", server_path(id)))
            .await?;
        Ok(resp.map(|b| {
            b.password
                .unwrap_or_else(|| SecretString::from(String::new()))
        }))
    }

    async fn evacuate(
        &self,
        id: &str,
        request: &nova_core::types::EvacuateServer,
    ) -> Result<ApiResponse<nova_core::types::EvacuateResult>> {
        check_fields(&self.conn, &request.field_gates())?;
        let below_2_14 = EVACUATE_SHARED_STORAGE.matches(self.conn.microversion());
        if below_2_14 && request.on_shared_storage == Some(true) && request.admin_pass.is_some() {
            return Err(Error::InvalidInput {
                field: "adminPass".to_owned(),
                reason: "admin password can't be changed on existing disk".to_owned(),
            });
        }
        if request.host.as_deref().is_some_and(|h| h.trim().is_empty()) {
            return Err(Error::InvalidInput {
                field: "host".to_owned(),
                reason: "the target host must not be empty".to_owned(),
            });
        }
        // An empty answer (2.14+) decodes as `null`; a malformed one is a decode error, not
        // a silently lost adminPass.
        let resp = self.post_action(id, &request.to_body(below_2_14)).await?;
        let decoded = nova_core::decode::<Option<nova_core::types::EvacuateResult>>(resp)?;
        Ok(decoded.map(Option::unwrap_or_default))
    }

    // --- Backups, passwords, security groups and floating IPs of a server ---
    async fn create_backup(&self, id: &str, request: &CreateBackup) -> Result<ApiResponse<String>> {
        if request.name.trim().is_empty() {
            return Err(invalid("name", "a backup needs a name"));
        }
        if request.backup_type.trim().is_empty() {
            return Err(invalid("backup_type", "a backup needs a type, e.g. daily"));
        }
        let resp = self.post_action(id, &request.to_body()).await?;
        image_id_of(resp, "createBackup")
    }

    async fn change_password(&self, id: &str, password: &SecretString) -> Result<ApiResponse<()>> {
        let body = serde_json::json!({"changePassword": {"adminPass": password.expose_secret()}});
        Ok(unit(self.post_action(id, &body).await?))
    }

    async fn clear_password(&self, id: &str) -> Result<ApiResponse<()>> {
        let path = format!("{}/os-server-password", server_path(id));
        Ok(unit(self.conn.delete(&path).await?))
    }

    async fn security_groups(&self, id: &str) -> Result<ApiResponse<Vec<ServerSecurityGroup>>> {
        let resp = self
            .conn
            .get::<SecurityGroupsBody>(&format!("{}/os-security-groups", server_path(id)))
            .await?;
        Ok(resp.map(|b| b.security_groups))
    }

    async fn add_security_group(&self, id: &str, name: &str) -> Result<ApiResponse<()>> {
        security_group_action(self, id, "addSecurityGroup", name).await
    }

    async fn remove_security_group(&self, id: &str, name: &str) -> Result<ApiResponse<()>> {
        security_group_action(self, id, "removeSecurityGroup", name).await
    }

    async fn add_floating_ip(
        &self,
        id: &str,
        address: &str,
        fixed_address: Option<String>,
    ) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &ADD_FLOATING_IP)?;
        check_ip("address", address)?;
        let mut args = serde_json::Map::new();
        args.insert("address".into(), address.into());
        if let Some(fixed) = fixed_address {
            check_ip("fixed_address", &fixed)?;
            args.insert("fixed_address".into(), fixed.into());
        }
        let body = serde_json::json!({ "addFloatingIp": args });
        Ok(unit(self.post_action(id, &body).await?))
    }

    async fn remove_floating_ip(&self, id: &str, address: &str) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &REMOVE_FLOATING_IP)?;
        check_ip("address", address)?;
        let body = serde_json::json!({"removeFloatingIp": {"address": address}});
        Ok(unit(self.post_action(id, &body).await?))
    }

    async fn rescue(
        &self,
        id: &str,
        admin_pass: Option<SecretString>,
        image_ref: Option<String>,
    ) -> Result<ApiResponse<SecretString>> {
        let resp = self
            .conn
            .post::<Value, RescueBody>(
                &format!("{}/action", server_path(id)),
                &body::rescue(admin_pass.as_ref(), image_ref.as_deref()),
            )
            .await?;
        Ok(resp.map(|b| {
            b.admin_pass
                .unwrap_or_else(|| SecretString::from(String::new()))
        }))
    }

    // --- Server extras: single metadata items, all tags, addresses by network ---
    async fn metadata_item(&self, id: &str, key: &str) -> Result<ApiResponse<String>> {
        check_meta_key(key)?;
        let path = format!("{}/metadata/{}", server_path(id), encode(key));
        meta_value(self.conn.get::<MetaBody>(&path).await?, key)
    }

    async fn replace_metadata(
        &self,
        id: &str,
        items: &BTreeMap<String, String>,
    ) -> Result<ApiResponse<BTreeMap<String, String>>> {
        self.write_metadata(id, items, true).await
    }

    async fn set_metadata_item(
        &self,
        id: &str,
        key: &str,
        value: &str,
    ) -> Result<ApiResponse<String>> {
        check_meta_key(key)?;
        let path = format!("{}/metadata/{}", server_path(id), encode(key));
        let body = serde_json::json!({ "meta": { key: value } });
        meta_value(self.conn.put::<Value, MetaBody>(&path, &body).await?, key)
    }

    async fn delete_all_tags(&self, id: &str) -> Result<ApiResponse<()>> {
        check_operation(&self.conn, &SERVER_TAGS)?;
        let path = format!("{}/tags", server_path(id));
        Ok(unit(self.conn.delete(&path).await?))
    }

    async fn ips(
        &self,
        id: &str,
    ) -> Result<ApiResponse<BTreeMap<String, Vec<nova_core::types::NetworkAddress>>>> {
        let resp = self
            .conn
            .get::<IpsBody>(&format!("{}/ips", server_path(id)))
            .await?;
        Ok(resp.map(|b| b.addresses))
    }

    async fn ips_by_network(
        &self,
        id: &str,
        network_label: &str,
    ) -> Result<ApiResponse<Vec<nova_core::types::NetworkAddress>>> {
        if network_label.is_empty() {
            return Err(invalid("network_label", "a network label is required"));
        }
        let path = format!("{}/ips/{}", server_path(id), encode(network_label));
        let mut resp = self
            .conn
            .get::<BTreeMap<String, Vec<nova_core::types::NetworkAddress>>>(&path)
            .await?;
        let list = resp.value.remove(network_label).unwrap_or_default();
        Ok(resp.map(|_| list))
    }
}

/// `{"meta": {key: value}}` of the single-item metadata calls.
#[derive(Deserialize)]
struct MetaBody {
    #[serde(default)]
    meta: BTreeMap<String, String>,
}

/// `{"addresses": {label: [...]}}` of `GET /servers/{id}/ips`.
#[derive(Deserialize)]
struct IpsBody {
    #[serde(default)]
    addresses: BTreeMap<String, Vec<nova_core::types::NetworkAddress>>,
}

/// The value of `key` in a `{"meta": {key: value}}` answer; a decode error without it.
fn meta_value(resp: ApiResponse<MetaBody>, key: &str) -> Result<ApiResponse<String>> {
    match resp.value.meta.get(key).cloned() {
        Some(value) => Ok(resp.map(|_| value)),
        None => Err(meta_decode_error(key, resp.request_id.clone())),
    }
}

/// A metadata key Nova's schema accepts (1-255 characters), checked before sending.
fn check_meta_key(key: &str) -> Result<()> {
    let len = key.chars().count();
    if len == 0 || len > 255 {
        return Err(invalid(
            "key",
            "a metadata key must be 1 to 255 characters long",
        ));
    }
    Ok(())
}

fn meta_decode_error(key: &str, request_id: Option<String>) -> Error {
    Error::Decode {
        what: "server metadata item".to_owned(),
        request_id,
        snippet: String::new(),
        source: format!("the answer has no item {key:?}").into(),
    }
}

#[derive(Deserialize)]
struct RescueBody {
    #[serde(rename = "adminPass", default)]
    admin_pass: Option<SecretString>,
}

#[derive(Deserialize)]
struct SecurityGroupsBody {
    #[serde(default)]
    security_groups: Vec<ServerSecurityGroup>,
}

fn invalid(field: &str, reason: &str) -> Error {
    Error::InvalidInput {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

fn check_ip(field: &str, text: &str) -> Result<()> {
    text.parse::<std::net::IpAddr>()
        .map(|_| ())
        .map_err(|_| invalid(field, &format!("{text:?} is not an IP address")))
}

async fn security_group_action(
    manager: &ServerManager,
    id: &str,
    action: &str,
    name: &str,
) -> Result<ApiResponse<()>> {
    if name.trim().is_empty() {
        return Err(invalid("name", "a security group name is required"));
    }
    let body = serde_json::json!({ action: { "name": name } });
    Ok(unit(manager.post_action(id, &body).await?))
}

/// The image id of a `createImage`/`createBackup` answer: the body from 2.45, else the
/// `Location` header.
fn image_id_of(resp: ApiResponse<nova_core::RawBody>, what: &str) -> Result<ApiResponse<String>> {
    let from_body = serde_json::from_slice::<ImageIdBody>(resp.value.bytes())
        .ok()
        .map(|b| b.image_id);
    let from_location = resp
        .location()
        .and_then(|loc| loc.trim_end_matches('/').rsplit('/').next())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    match from_body.or(from_location) {
        Some(image_id) => Ok(resp.map(|_| image_id)),
        None => Err(Error::Decode {
            what: format!("{what} answer (image_id body or Location header)"),
            request_id: resp.request_id.clone(),
            snippet: String::from_utf8_lossy(resp.value.bytes())
                .chars()
                .take(200)
                .collect(),
            source: "neither an image_id in the body nor a Location header".into(),
        }),
    }
}

#[cfg(test)]
mod admin_action_tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use serde_json::json;

    #[tokio::test]
    async fn create_backup_reads_the_body_from_2_45_and_the_location_before() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, json!({"image_id": "img-9"})),
        );
        let request = CreateBackup::new("Backup 1", "daily", 1);
        let id = ServerManager::new(fake.connection(2, 45))
            .create_backup("s1", &request)
            .await
            .expect("backup")
            .value;
        assert_eq!(id, "img-9");
        assert_eq!(
            fake.last_body(),
            json!({"createBackup": {"name": "Backup 1", "backup_type": "daily", "rotation": 1}})
        );
        let error = ServerManager::new(fake.connection(2, 45))
            .create_backup("s1", &CreateBackup::new(" ", "daily", 1))
            .await
            .expect_err("no name");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1, "the nameless backup was not sent");
    }

    #[tokio::test]
    async fn floating_ip_actions_stop_at_2_44_without_sending() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, json!({})),
        );
        let old = ServerManager::new(fake.connection(2, 43));
        old.add_floating_ip("s1", "172.24.4.10", Some("10.0.0.3".into()))
            .await
            .expect("added");
        assert_eq!(
            fake.last_body(),
            json!({"addFloatingIp": {"address": "172.24.4.10", "fixed_address": "10.0.0.3"}})
        );
        old.remove_floating_ip("s1", "172.24.4.10")
            .await
            .expect("removed");
        assert_eq!(
            fake.last_body(),
            json!({"removeFloatingIp": {"address": "172.24.4.10"}})
        );
        let new = ServerManager::new(fake.connection(2, 44));
        let error = new
            .add_floating_ip("s1", "172.24.4.10", None)
            .await
            .expect_err("2.44");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        let error = new
            .remove_floating_ip("s1", "172.24.4.10")
            .await
            .expect_err("2.44");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        let error = old
            .add_floating_ip("s1", "not-an-ip", None)
            .await
            .expect_err("bad ip");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(
            fake.requests().len(),
            2,
            "only the two 2.43 calls were sent"
        );
    }

    #[tokio::test]
    async fn password_and_security_group_calls_send_novas_shapes() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, json!({})),
        );
        fake.on(
            Method::GET,
            "servers/s1/os-security-groups",
            Reply::json(
                200,
                json!({"security_groups": [{"id": "g", "name": "default",
                "description": "default", "tenant_id": "p", "rules": []}]}),
            ),
        );
        fake.on(
            Method::DELETE,
            "servers/s1/os-server-password",
            Reply::json(204, json!({})),
        );
        let m = ServerManager::new(fake.connection(2, 1));
        m.change_password("s1", &SecretString::from("foo".to_owned()))
            .await
            .expect("changed");
        assert_eq!(
            fake.last_body(),
            json!({"changePassword": {"adminPass": "foo"}})
        );
        m.add_security_group("s1", "web").await.expect("added");
        assert_eq!(
            fake.last_body(),
            json!({"addSecurityGroup": {"name": "web"}})
        );
        m.remove_security_group("s1", "web").await.expect("removed");
        assert_eq!(
            fake.last_body(),
            json!({"removeSecurityGroup": {"name": "web"}})
        );
        let groups = m.security_groups("s1").await.expect("listed").value;
        assert_eq!(groups[0].name, "default");
        m.clear_password("s1").await.expect("cleared");
        let last = fake.requests().pop().expect("sent");
        assert_eq!(last.method, Method::DELETE);
        assert_eq!(last.path, "servers/s1/os-server-password");
        let error = m.add_security_group("s1", "").await.expect_err("no name");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    }

    #[tokio::test]
    async fn trigger_crash_dump_needs_2_17_and_restore_sends_null() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, json!({})),
        );
        let error = ServerManager::new(fake.connection(2, 16))
            .action("s1", &ServerAction::TriggerCrashDump)
            .await
            .expect_err("2.16");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
        let m = ServerManager::new(fake.connection(2, 17));
        m.action("s1", &ServerAction::TriggerCrashDump)
            .await
            .expect("dumped");
        assert_eq!(fake.last_body(), json!({"trigger_crash_dump": null}));
        m.action("s1", &ServerAction::Restore)
            .await
            .expect("restored");
        assert_eq!(fake.last_body(), json!({"restore": null}));
        fake.on(
            Method::POST,
            "servers/s2/action",
            Reply::json(200, json!({"adminPass": "MySecretPass"})),
        );
        let pass = m
            .rescue("s2", None, Some("img".into()))
            .await
            .expect("rescued")
            .value;
        assert_eq!(pass.expose_secret(), "MySecretPass");
        assert_eq!(
            fake.last_body(),
            json!({"rescue": {"rescue_image_ref": "img"}})
        );
        assert_eq!(fake.requests().len(), 3);
    }

    #[tokio::test]
    async fn evacuate_sends_on_shared_storage_below_2_14_and_reads_the_password() {
        use nova_core::types::EvacuateServer;

        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(200, json!({"adminPass": "p4ss"})),
        );
        let old = ServerManager::new(fake.connection(2, 13));
        let result = old
            .evacuate("s1", &EvacuateServer::new().host("h2"))
            .await
            .expect("evacuated")
            .value;
        assert_eq!(
            result
                .admin_pass
                .map(|p| p.expose_secret().to_owned())
                .as_deref(),
            Some("p4ss")
        );
        assert_eq!(
            fake.last_body(),
            json!({"evacuate": {"host": "h2", "onSharedStorage": false}})
        );
        let shared = EvacuateServer::new()
            .on_shared_storage(true)
            .admin_pass("x");
        let error = old
            .evacuate("s1", &shared)
            .await
            .expect_err("pass on shared disk");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        let new = ServerManager::new(fake.connection(2, 68));
        let error = new
            .evacuate("s1", &EvacuateServer::new().host("h2").force(true))
            .await
            .expect_err("force ends at 2.67");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let error = new
            .evacuate("s1", &EvacuateServer::new().on_shared_storage(true))
            .await
            .expect_err("removed in 2.14");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        assert_eq!(fake.requests().len(), 1);

        // From 2.14 the answer has no body; a malformed one is a decode error, never a
        // silently lost password.
        let fake = FakeTransport::new();
        let route = "servers/s1/action";
        fake.on(
            Method::POST,
            route,
            Reply::json(200, serde_json::Value::Null),
        );
        fake.on(
            Method::POST,
            route,
            Reply::json(200, json!({"adminPass": 5})),
        );
        let result = ServerManager::new(fake.connection(2, 68))
            .evacuate("s1", &EvacuateServer::new())
            .await
            .expect("2.68")
            .value;
        assert!(result.admin_pass.is_none());
        let error = ServerManager::new(fake.connection(2, 13))
            .evacuate("s1", &EvacuateServer::new())
            .await
            .expect_err("a number is no password");
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }
}

#[cfg(test)]
mod server_extras_tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use nova_core::types::ResetStateTarget;
    use serde_json::json;

    #[tokio::test]
    async fn reset_state_sends_the_state_object() {
        let fake = FakeTransport::new();
        fake.on(
            Method::POST,
            "servers/s1/action",
            Reply::json(202, json!({})),
        );
        let m = ServerManager::new(fake.connection(2, 1));
        m.action("s1", &ServerAction::ResetState(ResetStateTarget::Active))
            .await
            .expect("reset");
        assert_eq!(
            fake.last_body(),
            json!({"os-resetState": {"state": "active"}})
        );
        m.action("s1", &ServerAction::ResetState(ResetStateTarget::Error))
            .await
            .expect("reset");
        assert_eq!(
            fake.last_body(),
            json!({"os-resetState": {"state": "error"}})
        );
    }

    #[tokio::test]
    async fn single_metadata_items_and_replace_use_novas_paths_and_bodies() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "servers/s1/metadata/foo",
            Reply::json(200, json!({"meta": {"foo": "Foo Value"}})),
        );
        fake.on(
            Method::PUT,
            "servers/s1/metadata/foo",
            Reply::json(200, json!({"meta": {"foo": "Bar"}})),
        );
        fake.on(
            Method::PUT,
            "servers/s1/metadata",
            Reply::json(200, json!({"metadata": {"a": "1"}})),
        );
        let m = ServerManager::new(fake.connection(2, 1));
        assert_eq!(
            m.metadata_item("s1", "foo").await.expect("item").value,
            "Foo Value"
        );
        assert_eq!(
            m.set_metadata_item("s1", "foo", "Bar")
                .await
                .expect("set")
                .value,
            "Bar"
        );
        assert_eq!(fake.last_body(), json!({"meta": {"foo": "Bar"}}));
        let items = BTreeMap::from([("a".to_owned(), "1".to_owned())]);
        let all = m
            .replace_metadata("s1", &items)
            .await
            .expect("replace")
            .value;
        assert_eq!(all, items);
        let request = fake.requests().pop().expect("sent");
        assert_eq!(request.method, Method::PUT);
        assert_eq!(request.path, "servers/s1/metadata");
        let error = m.metadata_item("s1", "").await.expect_err("empty key");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 3, "the empty key was not sent");
    }

    #[tokio::test]
    async fn delete_all_tags_needs_2_26_and_sends_nothing_before() {
        let fake = FakeTransport::new();
        fake.on(
            Method::DELETE,
            "servers/s1/tags",
            Reply::json(204, json!({})),
        );
        let error = ServerManager::new(fake.connection(2, 25))
            .delete_all_tags("s1")
            .await
            .expect_err("2.25");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
        ServerManager::new(fake.connection(2, 26))
            .delete_all_tags("s1")
            .await
            .expect("deleted");
        let request = fake.requests().pop().expect("sent");
        assert_eq!(
            (request.method, request.path.as_str()),
            (Method::DELETE, "servers/s1/tags")
        );
    }

    #[tokio::test]
    async fn ips_read_the_samples_shapes() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "servers/s1/ips",
            Reply::json(
                200,
                json!({"addresses": {"private": [{"addr": "192.168.1.30", "version": 4}]}}),
            ),
        );
        fake.on(
            Method::GET,
            "servers/s1/ips/private",
            Reply::json(
                200,
                json!({"private": [{"addr": "192.168.1.30", "version": 4}]}),
            ),
        );
        let m = ServerManager::new(fake.connection(2, 1));
        let all = m.ips("s1").await.expect("ips").value;
        assert_eq!(all["private"][0].addr, "192.168.1.30");
        let one = m.ips_by_network("s1", "private").await.expect("one").value;
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].version, 4);
    }
}
