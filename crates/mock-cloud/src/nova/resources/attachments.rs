//! Interface and volume attachments added after boot.
//!
//! The mock has no Neutron and no Cinder. Its rule: any UUID-shaped port, network or volume
//! id exists, except ids starting with `00000000-`, which are missing (404). A port or
//! volume attached to a server is "in use" until detached.
//!
//! Like Nova: interfaces attach/detach in `active`, `paused` or `stopped` (409 otherwise);
//! volumes attach/detach in `active`, `paused`, `stopped`, `resized`, `soft-delete`,
//! `shelved` or `shelved_offloaded`, swap in `active`, `paused` or `resized`; a locked server
//! refuses non-admins (409). Swapping a volume (`PUT` with another `volumeId`) is admin only
//! (policy `os_compute_api:os-volumes-attachments:swap`); from 2.85 the owner may `PUT` the
//! same `volumeId` to change `delete_on_termination`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::error::{ApiError, ApiResult, parse_json};
use super::instance_actions::record;
use super::model::{Address, Server, VolumeAttachment};
use super::servers::actions::visible_server;
use super::servers::create_schema::check_tag;
use super::servers::state::VmState;
use super::servers::subresources::{interface_view, volume_view};
use super::store::{Inner, PRIVATE_NET_ID};
use super::validation::*;
use crate::nova::NovaCtx;
use crate::state::SharedState;

/// A console the mock handed out, remembered by its token.
#[derive(Debug, Clone)]
pub struct ConsoleToken {
    /// The server.
    pub instance_uuid: String,
    /// The console type (`novnc`, ...).
    pub console_type: String,
    /// The host port of the console.
    pub port: u32,
    /// The TLS port (SPICE direct).
    pub tls_port: Option<u32>,
    /// The path on the host.
    pub internal_access_path: Option<String>,
    /// The hypervisor host.
    pub host: String,
    /// When it was handed out.
    pub created: DateTime<Utc>,
}

/// The attachments part of the store (attachments themselves live on the server record)
/// and the console tokens handed out.
#[derive(Debug, Default)]
pub struct AttachmentState {
    /// Console auth tokens by token.
    pub console_tokens: HashMap<String, ConsoleToken>,
}

/// The mock's rule for ports, networks and volumes that do not exist.
pub fn is_missing(id: &str) -> bool {
    id.starts_with("00000000-")
}

const INTERFACE_STATES: &[VmState] = &[VmState::Active, VmState::Paused, VmState::Stopped];
const VOLUME_STATES: &[VmState] = &[
    VmState::Active,
    VmState::Paused,
    VmState::Stopped,
    VmState::Resized,
    VmState::SoftDeleted,
    VmState::Shelved,
    VmState::ShelvedOffloaded,
];
const SWAP_STATES: &[VmState] = &[VmState::Active, VmState::Paused, VmState::Resized];

/// The server `id` in a state that allows `action` (Nova's `check_instance_state`), not
/// locked for non-admins.
fn server_for<'a>(
    inner: &'a mut Inner,
    ctx: &NovaCtx,
    id: &str,
    action: &str,
    allowed: &[VmState],
) -> ApiResult<&'a mut Server> {
    super::servers::actions::server_for_action(inner, ctx, id, action, allowed)
}

fn object<'a>(body: &'a Value, key: &str) -> ApiResult<Option<&'a Map<String, Value>>> {
    let Some(top) = body.as_object() else {
        return Err(ApiError::bad_request(type_message(body, &["object"])));
    };
    check_no_extra(None, top, body, &[key]).map_err(ApiError::bad_request)?;
    match top.get(key) {
        None => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(ApiError::bad_request(field_error(
            key,
            other,
            &type_message(other, &["object"]),
        ))),
    }
}

fn uuid_field(field: &str, value: &Value) -> ApiResult<String> {
    check_type(field, value, &["string"]).map_err(ApiError::bad_request)?;
    let text = value.as_str().unwrap_or_default();
    if !is_uuid(text) {
        return Err(ApiError::bad_request(format_error(field, value, "uuid")));
    }
    Ok(text.to_owned())
}

fn port_in_use(inner: &Inner, port: &str) -> bool {
    inner
        .servers
        .values()
        .any(|s| s.addresses.iter().any(|a| a.port_id == port))
}

fn random_mac() -> String {
    format!(
        "fa:16:3e:{:02x}:{:02x}:{:02x}",
        fastrand::u8(..),
        fastrand::u8(..),
        fastrand::u8(..)
    )
}

/// POST /servers/{id}/os-interface
pub async fn attach_interface(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let args = object(&body, "interfaceAttachment")?
        .cloned()
        .unwrap_or_default();
    let whole = Value::Object(args.clone());
    let mut allowed = vec!["net_id", "port_id", "fixed_ips"];
    if ctx.version.at_least(2, 49) {
        allowed.push("tag");
    }
    check_no_extra(Some("interfaceAttachment"), &args, &whole, &allowed)
        .map_err(ApiError::bad_request)?;
    let net_id = args
        .get("net_id")
        .map(|v| uuid_field("net_id", v))
        .transpose()?;
    let port_id = args
        .get("port_id")
        .map(|v| uuid_field("port_id", v))
        .transpose()?;
    let mut fixed_ip = None;
    if let Some(ips) = args.get("fixed_ips") {
        check_type("fixed_ips", ips, &["array"]).map_err(ApiError::bad_request)?;
        let list = ips.as_array().cloned().unwrap_or_default();
        check_len("fixed_ips", ips, 0, 1).map_err(ApiError::bad_request)?;
        if let Some(first) = list.first() {
            let ip = first.get("ip_address").cloned().unwrap_or(Value::Null);
            let text = ip.as_str().unwrap_or_default();
            if !(is_ipv4(text) || is_ipv6(text)) {
                return Err(ApiError::bad_request(format_error(
                    "ip_address",
                    &ip,
                    "ipv4",
                )));
            }
            fixed_ip = Some(text.to_owned());
        }
    }
    let tag = args.get("tag").cloned();
    if let Some(t) = &tag {
        check_tag("tag", t).map_err(ApiError::bad_request)?;
    }
    if net_id.is_some() && port_id.is_some() {
        return Err(ApiError::bad_request(
            "Must not input both network_id and port_id",
        ));
    }
    if fixed_ip.is_some() && net_id.is_none() {
        return Err(ApiError::bad_request(
            "Must input network_id when request IP address",
        ));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    server_for(&mut inner, &ctx, &id, "attach_interface", INTERFACE_STATES)?;
    if let Some(port) = &port_id {
        if is_missing(port) {
            return Err(ApiError::not_found(format!(
                "Port id {port} could not be found."
            )));
        }
        if port_in_use(&inner, port) {
            return Err(ApiError::conflict(format!("Port {port} is still in use.")));
        }
    }
    if let Some(net) = &net_id
        && is_missing(net)
    {
        return Err(ApiError::not_found(format!(
            "Network {net} could not be found."
        )));
    }
    if let Some(ip) = &fixed_ip
        && inner
            .servers
            .values()
            .any(|s| s.addresses.iter().any(|a| &a.addr == ip))
    {
        return Err(ApiError::bad_request(format!(
            "Fixed IP address {ip} is already in use."
        )));
    }
    let network_id = net_id.unwrap_or_else(|| PRIVATE_NET_ID.to_owned());
    let network = if network_id == PRIVATE_NET_ID {
        "private".to_owned()
    } else {
        format!("net-{}", &network_id[..8])
    };
    let addr = match fixed_ip {
        Some(ip) => ip,
        None => inner.allocate_ip(),
    };
    let address = Address {
        network,
        network_id,
        port_id: port_id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        version: if addr.contains(':') { 6 } else { 4 },
        addr,
        mac: random_mac(),
        tag: tag.and_then(|t| t.as_str().map(str::to_owned)),
    };
    let view = interface_view(&address, ctx.version);
    let s = visible_server(&mut inner, &ctx, &id)?;
    s.addresses.push(address);
    s.updated = now;
    record(&mut inner, &ctx, &id, "attach_interface", now);
    Ok(Json(json!({"interfaceAttachment": view})))
}

/// GET /servers/{id}/os-interface/{port_id}
async fn show_interface(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, port)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    if let Some(a) = s.addresses.iter().find(|a| a.port_id == port) {
        return Ok(Json(
            json!({"interfaceAttachment": interface_view(a, ctx.version)}),
        ));
    }
    if is_missing(&port) || !is_uuid(&port) {
        return Err(ApiError::not_found(format!(
            "Port id {port} could not be found."
        )));
    }
    Err(ApiError::not_found(format!(
        "Instance {id} does not have a port with id {port}"
    )))
}

/// DELETE /servers/{id}/os-interface/{port_id}
async fn detach_interface(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, port)): Path<(String, String)>,
) -> ApiResult {
    let now = st.now();
    let mut inner = st.nova.lock();
    let s = server_for(&mut inner, &ctx, &id, "detach_interface", INTERFACE_STATES)?;
    let before = s.addresses.len();
    s.addresses.retain(|a| a.port_id != port);
    if s.addresses.len() == before {
        return Err(ApiError::not_found(format!(
            "Port id {port} could not be found."
        )));
    }
    s.updated = now;
    record(&mut inner, &ctx, &id, "detach_interface", now);
    Ok(StatusCode::ACCEPTED.into_response())
}

fn next_device(s: &Server) -> String {
    for letter in 'b'..='z' {
        let device = format!("/dev/vd{letter}");
        if !s.volumes.iter().any(|v| v.device == device) {
            return device;
        }
    }
    "/dev/vdz".to_owned()
}

fn check_volume_exists(volume: &str) -> ApiResult<()> {
    if is_missing(volume) {
        return Err(ApiError::not_found(format!(
            "Volume {volume} could not be found."
        )));
    }
    Ok(())
}

fn volume_attached(inner: &Inner, volume: &str) -> bool {
    inner
        .servers
        .values()
        .any(|s| s.volumes.iter().any(|v| v.volume_id == volume))
}

/// POST /servers/{id}/os-volume_attachments
pub async fn attach_volume(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let Some(args) = object(&body, "volumeAttachment")?.cloned() else {
        return Err(ApiError::bad_request(
            "'volumeAttachment' is a required property",
        ));
    };
    let whole = Value::Object(args.clone());
    let mut allowed = vec!["volumeId", "device"];
    if ctx.version.at_least(2, 49) {
        allowed.push("tag");
    }
    if ctx.version.at_least(2, 79) {
        allowed.push("delete_on_termination");
    }
    check_required(Some("volumeAttachment"), &args, &whole, &["volumeId"])
        .map_err(ApiError::bad_request)?;
    check_no_extra(Some("volumeAttachment"), &args, &whole, &allowed)
        .map_err(ApiError::bad_request)?;
    let volume = uuid_field("volumeId", &args["volumeId"])?;
    let device = match args.get("device") {
        None | Some(Value::Null) => None,
        Some(d) => {
            check_type("device", d, &["string", "null"]).map_err(ApiError::bad_request)?;
            let text = d.as_str().unwrap_or_default();
            if !text.starts_with("/dev/") || text.len() <= 5 {
                return Err(ApiError::bad_request(field_error(
                    "device",
                    d,
                    &format!(
                        "{} does not match '(^/dev/x{{0,1}}[a-z]{{0,1}}d{{0,1}})([a-z]+)[0-9]*$'",
                        py_repr(d)
                    ),
                )));
            }
            Some(text.to_owned())
        }
    };
    let tag = match args.get("tag") {
        Some(t) => {
            check_tag("tag", t).map_err(ApiError::bad_request)?;
            t.as_str().map(str::to_owned)
        }
        None => None,
    };
    let delete_on_termination = match args.get("delete_on_termination") {
        Some(d) => {
            check_boolean("delete_on_termination", d).map_err(ApiError::bad_request)?;
            truthy(d)
        }
        None => false,
    };
    let now = st.now();
    let mut inner = st.nova.lock();
    server_for(&mut inner, &ctx, &id, "attach_volume", VOLUME_STATES)?;
    check_volume_exists(&volume)?;
    if volume_attached(&inner, &volume) {
        return Err(ApiError::bad_request(format!(
            "Invalid volume: volume {volume} already attached"
        )));
    }
    let s = visible_server(&mut inner, &ctx, &id)?;
    let attachment = VolumeAttachment {
        device: device.unwrap_or_else(|| next_device(s)),
        volume_id: volume,
        delete_on_termination,
        tag,
        attachment_id: uuid::Uuid::new_v4().to_string(),
        bdm_uuid: uuid::Uuid::new_v4().to_string(),
    };
    let view = volume_view(&s.id, &attachment, ctx.version, false);
    s.volumes.push(attachment);
    s.updated = now;
    record(&mut inner, &ctx, &id, "attach_volume", now);
    Ok(Json(json!({"volumeAttachment": view})))
}

fn not_attached(volume: &str, id: &str) -> ApiError {
    ApiError::not_found(format!(
        "Volume {volume} is not attached to the instance {id}"
    ))
}

/// GET /servers/{id}/os-volume_attachments/{volume_id}
async fn show_volume(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, volume)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &id)?;
    let Some(a) = s.volumes.iter().find(|v| v.volume_id == volume) else {
        return Err(not_attached(&volume, &id));
    };
    Ok(Json(
        json!({"volumeAttachment": volume_view(&s.id, a, ctx.version, true)}),
    ))
}

/// PUT /servers/{id}/os-volume_attachments/{volume_id}: swap, or (2.85+) update.
async fn update_volume(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, volume)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = parse_json(&body)?;
    let Some(args) = object(&body, "volumeAttachment")?.cloned() else {
        return Err(ApiError::bad_request(
            "'volumeAttachment' is a required property",
        ));
    };
    let whole = Value::Object(args.clone());
    let mut allowed = vec!["volumeId"];
    if ctx.version.at_least(2, 85) {
        allowed.extend(["device", "tag", "id", "serverId", "delete_on_termination"]);
    }
    check_required(Some("volumeAttachment"), &args, &whole, &["volumeId"])
        .map_err(ApiError::bad_request)?;
    check_no_extra(Some("volumeAttachment"), &args, &whole, &allowed)
        .map_err(ApiError::bad_request)?;
    let new_volume = uuid_field("volumeId", &args["volumeId"])?;
    let dot = match args.get("delete_on_termination") {
        Some(d) => {
            check_boolean("delete_on_termination", d).map_err(ApiError::bad_request)?;
            Some(truthy(d))
        }
        None => None,
    };
    let swap = new_volume != volume;
    if swap && !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:os-volumes-attachments:swap",
        ));
    }
    if !swap && !ctx.version.at_least(2, 85) {
        // Below 2.85 every PUT is a swap; swapping a volume with itself is refused.
        return Err(ApiError::bad_request(format!(
            "Invalid volume: volume {volume} already attached"
        )));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    let states = if swap { SWAP_STATES } else { VOLUME_STATES };
    let action = if swap { "swap_volume" } else { "update_volume" };
    server_for(&mut inner, &ctx, &id, action, states)?;
    if swap {
        check_volume_exists(&new_volume)?;
        if volume_attached(&inner, &new_volume) {
            return Err(ApiError::bad_request(format!(
                "Invalid volume: volume {new_volume} already attached"
            )));
        }
    }
    let s = visible_server(&mut inner, &ctx, &id)?;
    let Some(a) = s.volumes.iter_mut().find(|v| v.volume_id == volume) else {
        return Err(not_attached(&volume, &id));
    };
    if swap {
        a.volume_id = new_volume;
        a.attachment_id = uuid::Uuid::new_v4().to_string();
    }
    if let Some(dot) = dot {
        a.delete_on_termination = dot;
    }
    s.updated = now;
    if swap {
        record(&mut inner, &ctx, &id, "swap_volume", now);
    }
    Ok(StatusCode::ACCEPTED.into_response())
}

/// DELETE /servers/{id}/os-volume_attachments/{volume_id}
async fn detach_volume(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, volume)): Path<(String, String)>,
) -> ApiResult<Response> {
    let now = st.now();
    let mut inner = st.nova.lock();
    let s = server_for(&mut inner, &ctx, &id, "detach_volume", VOLUME_STATES)?;
    let Some(pos) = s.volumes.iter().position(|v| v.volume_id == volume) else {
        return Err(not_attached(&volume, &id));
    };
    if s.volumes[pos].device == "/dev/vda" && s.image_id.is_none() {
        return Err(ApiError::bad_request("Cannot detach a root device volume"));
    }
    s.volumes.remove(pos);
    s.updated = now;
    record(&mut inner, &ctx, &id, "detach_volume", now);
    Ok(StatusCode::ACCEPTED.into_response())
}

/// The routes (paths relative to `/compute/v2.1`); the collections (list and attach) are
/// routed with the other server sub-resources.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/servers/{server_id}/os-interface/{port_id}",
            get(show_interface).delete(detach_interface),
        )
        .route(
            "/servers/{server_id}/os-volume_attachments/{volume_id}",
            get(show_volume).put(update_volume).delete(detach_volume),
        )
}

/// The mock's views of this area compared with the upstream samples: same key sets at each
/// sample's microversion.
#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use chrono::Utc;
    use serde_json::Value;

    use super::super::config::NovaConfig;
    use super::super::instance_actions;
    use super::super::store::NovaStore;
    use super::*;
    use crate::nova::ApiVersion;

    fn ctx(v: ApiVersion, admin: bool) -> NovaCtx {
        NovaCtx::for_test(v, "demo", "demo", admin)
    }

    /// `(version, sample)` for every `nova/<area>/**/<name>`.
    fn samples(area: &str, name: &str) -> Vec<(ApiVersion, Value)> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/openstack-reference/nova")
            .join(area);
        let mut out = Vec::new();
        let mut dirs = vec![(ApiVersion(2, 1), root.clone())];
        for entry in std::fs::read_dir(&root).expect("area").flatten() {
            let dir = entry.file_name().to_string_lossy().into_owned();
            if let Some(minor) = dir.strip_prefix("v2.").and_then(|m| m.parse().ok()) {
                dirs.push((ApiVersion(2, minor), entry.path()));
            }
        }
        for (v, dir) in dirs {
            if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
                out.push((v, serde_json::from_str(&text).expect("json")));
            }
        }
        assert!(!out.is_empty(), "no {area}/{name}");
        out
    }

    fn keys(v: &Value) -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn address() -> Address {
        Address {
            network: "private".into(),
            network_id: PRIVATE_NET_ID.into(),
            port_id: "p".into(),
            addr: "192.168.1.3".into(),
            mac: "fa:16:3e:4c:2c:30".into(),
            version: 4,
            tag: Some("public".into()),
        }
    }

    fn attachment() -> VolumeAttachment {
        VolumeAttachment {
            volume_id: "v".into(),
            device: "/dev/sdd".into(),
            delete_on_termination: false,
            tag: Some("foo".into()),
            attachment_id: "a".into(),
            bdm_uuid: "b".into(),
        }
    }

    #[test]
    fn interface_and_volume_views_have_the_sample_keys_per_version() {
        for name in [
            "attach-interfaces-show-resp.json",
            "attach-interfaces-create-resp.json",
        ] {
            for (v, sample) in samples("os-attach-interfaces", name) {
                let ours = interface_view(&address(), v);
                assert_eq!(
                    keys(&ours),
                    keys(&sample["interfaceAttachment"]),
                    "{name} {v:?}"
                );
            }
        }
        for (v, sample) in samples("os-volumes", "volume-attachment-detail-resp.json") {
            let ours = volume_view("s", &attachment(), v, true);
            assert_eq!(
                keys(&ours),
                keys(&sample["volumeAttachment"]),
                "detail {v:?}"
            );
        }
        for (v, sample) in samples("os-volumes", "attach-volume-to-server-resp.json") {
            let ours = volume_view("s", &attachment(), v, false);
            assert_eq!(
                keys(&ours),
                keys(&sample["volumeAttachment"]),
                "attach {v:?}"
            );
        }
    }

    #[test]
    fn instance_action_views_have_the_sample_keys_per_version() {
        let store = NovaStore::new(&NovaConfig::default());
        let mut inner = store.lock();
        let now = Utc::now();
        let flavor = inner.flavors[0].clone();
        let mut s = inner.new_server("a".into(), "demo".into(), "demo".into(), flavor, None, now);
        s.host = Some("compute".into());
        let id = s.id.clone();
        inner.insert(s);
        let body = serde_json::json!({"os-stop": null});
        instance_actions::record_action(&mut inner, &ctx(ApiVersion(2, 1), false), &id, &body, now);
        let record = inner.instance_actions.by_server[&id].actions[0].clone();
        assert_eq!(record.action, "stop");
        for (name, admin) in [
            ("instance-action-get-resp.json", true),
            ("instance-action-get-non-admin-resp.json", false),
        ] {
            for (v, sample) in samples("os-instance-actions", name) {
                let c = ctx(v, admin);
                let view = instance_actions::show_view(&record, &id, &c);
                let expected = &sample["instanceAction"];
                assert_eq!(keys(&view), keys(expected), "{name} {v:?}");
                assert_eq!(
                    keys(&view["events"][0]),
                    keys(&expected["events"][0]),
                    "{name} events {v:?}"
                );
            }
        }
    }

    #[test]
    fn the_missing_rule_is_the_zero_prefix() {
        assert!(is_missing("00000000-0000-4000-8000-000000000000"));
        assert!(!is_missing("c0ffee00-1111-4222-8333-444455556666"));
    }
}
