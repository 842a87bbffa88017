//! Server sub-resources: metadata, tags (2.26+), os-server-password, os-interface,
//! os-volume_attachments.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};

use crate::nova::{ApiVersion, NovaCtx};
use crate::state::SharedState;

use super::super::attachments;
use super::super::error::{ApiError, ApiResult, parse_json};
use super::super::model::{Address, Server, VolumeAttachment};
use super::super::store::Inner;
use super::super::validation::*;
use super::actions::visible_server;
use super::create_schema::check_tag;
use super::state::VmState;

const MAX_TAGS: usize = 50;

/// A server whose metadata may change: Nova's `check_instance_state(vm_state=[active, paused,
/// suspended, stopped], task_state=None)` on `update_instance_metadata` and
/// `delete_instance_metadata`, reported as `Cannot '<action>' instance ...` (409).
fn metadata_server<'a>(
    inner: &'a mut Inner,
    ctx: &NovaCtx,
    id: &str,
    action: &str,
) -> ApiResult<&'a mut Server> {
    let allowed = [
        VmState::Active,
        VmState::Paused,
        VmState::Suspended,
        VmState::Stopped,
    ];
    super::actions::server_for_action(inner, ctx, id, action, &allowed)
}

fn metadata_body(body: &Value, key: &str) -> ApiResult<Map<String, Value>> {
    let Some(top) = body.as_object() else {
        return Err(ApiError::bad_request(type_message(body, &["object"])));
    };
    if let Some(m) = top.get(key) {
        check_metadata(key, m).map_err(ApiError::bad_request)?;
    }
    check_required(None, top, body, &[key]).map_err(ApiError::bad_request)?;
    check_no_extra(None, top, body, &[key]).map_err(ApiError::bad_request)?;
    Ok(top
        .get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default())
}

/// GET /servers/{id}/metadata
async fn metadata_index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    Ok(Json(json!({"metadata": s.metadata})))
}

/// PUT (replace) or POST (merge) /servers/{id}/metadata
async fn metadata_write(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    replace: bool,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let items = metadata_body(&body, "metadata")?;
    let mut inner = st.nova.lock();
    let s = metadata_server(&mut inner, &ctx, &id, "update metadata")?;
    if replace {
        s.metadata.clear();
    }
    for (k, v) in items {
        s.metadata
            .insert(k, v.as_str().unwrap_or_default().to_string());
    }
    s.updated = st.now();
    Ok(Json(json!({"metadata": s.metadata})))
}

async fn metadata_replace(
    st: State<SharedState>,
    ctx: NovaCtx,
    id: Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    metadata_write(st, ctx, id, true, body).await
}

async fn metadata_merge(
    st: State<SharedState>,
    ctx: NovaCtx,
    id: Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    metadata_write(st, ctx, id, false, body).await
}

/// GET /servers/{id}/metadata/{key}
async fn metadata_show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    match s.metadata.get(&key) {
        Some(v) => Ok(Json(json!({"meta": {key: v}}))),
        None => Err(ApiError::not_found("Metadata item was not found")),
    }
}

/// PUT /servers/{id}/metadata/{key}
async fn metadata_put_item(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, key)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let meta = metadata_body(&body, "meta")?;
    // `metadata_update` of schemas/server_metadata.py: exactly one property
    if meta.len() != 1 {
        let value = &body["meta"];
        let message = if meta.is_empty() {
            format!("{} should be non-empty", py_repr(value))
        } else {
            format!("{} has too many properties", py_repr(value))
        };
        return Err(ApiError::bad_request(field_error("meta", value, &message)));
    }
    let Some(value) = meta.get(&key) else {
        return Err(ApiError::bad_request("Request body and URI mismatch"));
    };
    let value = value.as_str().unwrap_or_default().to_string();
    let mut inner = st.nova.lock();
    let s = metadata_server(&mut inner, &ctx, &id, "update metadata")?;
    s.metadata.insert(key.clone(), value.clone());
    s.updated = st.now();
    Ok(Json(json!({"meta": {key: value}})))
}

/// DELETE /servers/{id}/metadata/{key}
async fn metadata_delete_item(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult {
    let mut inner = st.nova.lock();
    // Nova looks the item up first (404), then checks the lock (409).
    if !visible_server(&mut inner, &ctx, &id)?
        .metadata
        .contains_key(&key)
    {
        return Err(ApiError::not_found("Metadata item was not found"));
    }
    let s = metadata_server(&mut inner, &ctx, &id, "delete metadata")?;
    s.metadata.remove(&key);
    s.updated = st.now();
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn require_tags_api(ctx: &NovaCtx) -> ApiResult<()> {
    if ctx.version.at_least(2, 26) {
        Ok(())
    } else {
        Err(ApiError::resource_not_found())
    }
}

/// GET /servers/{id}/tags (tag changes, like Nova's `server_tags.py`, ignore the lock)
async fn tags_index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    require_tags_api(&ctx)?;
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    Ok(Json(json!({"tags": s.tags})))
}

/// PUT /servers/{id}/tags
async fn tags_replace(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_tags_api(&ctx)?;
    let body = parse_json(&body)?;
    let Some(top) = body.as_object() else {
        return Err(ApiError::bad_request(type_message(&body, &["object"])));
    };
    if let Some(t) = top.get("tags") {
        check_type("tags", t, &["array"]).map_err(ApiError::bad_request)?;
        for tag in t.as_array().into_iter().flatten() {
            check_tag("tags", tag).map_err(ApiError::bad_request)?;
        }
    }
    check_required(None, top, &body, &["tags"]).map_err(ApiError::bad_request)?;
    check_no_extra(None, top, &body, &["tags"]).map_err(ApiError::bad_request)?;
    let mut tags: Vec<String> = top["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err(ApiError::bad_request(format!(
            "The number of tags exceeded the per-server limit {MAX_TAGS}"
        )));
    }
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    s.tags = tags;
    s.updated = st.now();
    Ok(Json(json!({"tags": s.tags})))
}

/// DELETE /servers/{id}/tags
async fn tags_delete_all(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult {
    require_tags_api(&ctx)?;
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    s.tags.clear();
    s.updated = st.now();
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn tag_not_found(id: &str, tag: &str) -> ApiError {
    ApiError::not_found(format!("Instance {id} has no tag '{tag}'"))
}

/// GET /servers/{id}/tags/{tag}: 204 when present.
async fn tag_show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, tag)): Path<(String, String)>,
) -> ApiResult {
    require_tags_api(&ctx)?;
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    if s.tags.contains(&tag) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(tag_not_found(&id, &tag))
    }
}

/// PUT /servers/{id}/tags/{tag}: 201 with Location when added, 204 when already there.
async fn tag_add(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, tag)): Path<(String, String)>,
) -> ApiResult {
    require_tags_api(&ctx)?;
    check_tag("tag", &Value::String(tag.clone())).map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    if s.tags.contains(&tag) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    if s.tags.len() >= MAX_TAGS {
        return Err(ApiError::bad_request(format!(
            "The number of tags exceeded the per-server limit {MAX_TAGS}"
        )));
    }
    s.tags.push(tag.clone());
    s.tags.sort();
    s.updated = st.now();
    let mut resp = StatusCode::CREATED.into_response();
    let location = format!(
        "{}/servers/{id}/tags/{tag}",
        ctx.base_url.trim_end_matches('/')
    );
    if let Ok(h) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, h);
    }
    Ok(resp)
}

/// DELETE /servers/{id}/tags/{tag}
async fn tag_delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, tag)): Path<(String, String)>,
) -> ApiResult {
    require_tags_api(&ctx)?;
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let before = s.tags.len();
    s.tags.retain(|t| t != &tag);
    if s.tags.len() == before {
        return Err(tag_not_found(&id, &tag));
    }
    s.updated = st.now();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET /servers/{id}/os-server-password (the mock never sets one: "").
async fn password_show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    visible_server(&mut inner, &ctx, &id)?;
    Ok(Json(json!({"password": ""})))
}

/// DELETE /servers/{id}/os-server-password
async fn password_clear(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let mut inner = st.nova.lock();
    visible_server(&mut inner, &ctx, &id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The `interfaceAttachment` view of one port (`tag` from 2.70).
pub(crate) fn interface_view(a: &Address, v: ApiVersion) -> Value {
    let mut m = json!({
        "fixed_ips": [{"ip_address": a.addr, "subnet_id": "f8a6e8f8-c2ec-497c-9f23-da9616de54ef"}],
        "mac_addr": a.mac,
        "net_id": a.network_id,
        "port_id": a.port_id,
        "port_state": "ACTIVE",
    });
    if v.at_least(2, 70) {
        m["tag"] = json!(a.tag);
    }
    m
}

/// GET /servers/{id}/os-interface
async fn interfaces(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let items: Vec<Value> = s
        .addresses
        .iter()
        .map(|a| interface_view(a, ctx.version))
        .collect();
    Ok(Json(json!({"interfaceAttachments": items})))
}

/// The `volumeAttachment` view of one attachment: `tag` from 2.70,
/// `delete_on_termination` from 2.79; `detail` (list and show) swaps `id` for
/// `attachment_id` and `bdm_uuid` from 2.89, the attach response keeps `id`.
pub(crate) fn volume_view(
    server_id: &str,
    a: &VolumeAttachment,
    v: ApiVersion,
    detail: bool,
) -> Value {
    let new_ids = detail && v.at_least(2, 89);
    let mut m = Map::new();
    m.insert("device".into(), json!(a.device));
    if !new_ids {
        m.insert("id".into(), json!(a.volume_id));
    }
    m.insert("serverId".into(), json!(server_id));
    m.insert("volumeId".into(), json!(a.volume_id));
    if v.at_least(2, 70) {
        m.insert("tag".into(), json!(a.tag));
    }
    if v.at_least(2, 79) {
        m.insert(
            "delete_on_termination".into(),
            json!(a.delete_on_termination),
        );
    }
    if new_ids {
        m.insert("attachment_id".into(), json!(a.attachment_id));
        m.insert("bdm_uuid".into(), json!(a.bdm_uuid));
    }
    Value::Object(m)
}

/// GET /servers/{id}/os-volume_attachments
async fn volume_attachments(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let items: Vec<Value> = s
        .volumes
        .iter()
        .map(|a| volume_view(&s.id, a, ctx.version, true))
        .collect();
    Ok(Json(json!({"volumeAttachments": items})))
}

/// Routes of the server sub-resources.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/servers/{server_id}/metadata",
            get(metadata_index)
                .put(metadata_replace)
                .post(metadata_merge),
        )
        .route(
            "/servers/{server_id}/metadata/{key}",
            get(metadata_show)
                .put(metadata_put_item)
                .delete(metadata_delete_item),
        )
        .route(
            "/servers/{server_id}/tags",
            get(tags_index).put(tags_replace).delete(tags_delete_all),
        )
        .route(
            "/servers/{server_id}/tags/{tag}",
            get(tag_show).put(tag_add).delete(tag_delete),
        )
        .route("/servers/{server_id}/ips", get(ips_index))
        .route("/servers/{server_id}/ips/{network}", get(ips_show))
        .route(
            "/servers/{server_id}/os-server-password",
            get(password_show).delete(password_clear),
        )
        .route(
            "/servers/{server_id}/os-interface",
            get(interfaces).post(attachments::attach_interface),
        )
        .route(
            "/servers/{server_id}/os-security-groups",
            get(security_groups),
        )
        .route(
            "/servers/{server_id}/os-volume_attachments",
            get(volume_attachments).post(attachments::attach_volume),
        )
}

/// GET /servers/{id}/os-security-groups: the server's groups as Neutron-backed Nova shows
/// them (the mock keeps only names: ids are derived from the name, rules are empty).
async fn security_groups(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let project = s.project_id.clone();
    let groups: Vec<Value> = s
        .security_groups
        .iter()
        .map(|name| {
            json!({
                "id": security_group_id(&project, name),
                "name": name,
                "description": if name == "default" { "Default security group" } else { "" },
                "tenant_id": project,
                "rules": [],
            })
        })
        .collect();
    Ok(Json(json!({ "security_groups": groups })))
}

/// A stable UUID-shaped id for a project's group name.
fn security_group_id(project: &str, name: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (project, name).hash(&mut h);
    let a = h.finish();
    name.hash(&mut h);
    let b = h.finish();
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

// --- GET /servers/{id}/ips[/{network}] (ips.py and views/addresses.py) ---

/// The server's addresses by network label, fixed then floating, as `{addr, version}`
/// (no MAC or type here, unlike the server view); none while building.
fn networks_of(s: &Server) -> Map<String, Value> {
    let mut nets: Map<String, Value> = Map::new();
    if s.vm_state == super::state::VmState::Building {
        return nets;
    }
    for a in &s.addresses {
        let fixed = std::iter::once(a.addr.as_str());
        let floating = s
            .floating_ips
            .iter()
            .filter(|(_, f)| f == &a.addr)
            .map(|(ip, _)| ip.as_str());
        let entries: Vec<Value> = fixed
            .chain(floating)
            .map(|ip| json!({"addr": ip, "version": a.version}))
            .collect();
        match nets.get_mut(&a.network) {
            Some(Value::Array(list)) => list.extend(entries),
            _ => {
                nets.insert(a.network.clone(), Value::Array(entries));
            }
        }
    }
    nets
}

/// GET /servers/{id}/ips
async fn ips_index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    Ok(Json(json!({"addresses": networks_of(s)})))
}

/// GET /servers/{id}/ips/{network}: `{label: [...]}`, 404 when the server has no address
/// on that network.
async fn ips_show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, network)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let mut nets = networks_of(s);
    match nets.remove(&network) {
        Some(list) => Ok(Json(json!({ network: list }))),
        None => Err(ApiError::not_found(
            "Instance is not a member of specified network",
        )),
    }
}
