//! `POST /servers`: validate per microversion, check references and quota, create BUILD servers.
//!
//! Mock extension: metadata key `mock:boot-fault` makes the boot end in ERROR with a fault
//! whose message is the key's value (after the usual BUILD polls).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::nova::NovaCtx;

use super::super::error::{ApiError, ApiResult};
use super::super::model::{Address, Settle, VolumeAttachment};
use super::super::store::{Inner, PRIVATE_NET_ID, mac_for};
use super::super::validation::truthy;
use super::create_schema::validate_create;
use super::state::TaskState;
use super::views::self_and_bookmark;

/// Metadata key that makes a boot fail; its value becomes the fault message.
pub const BOOT_FAULT_KEY: &str = "mock:boot-fault";

/// The id at the end of an href or a bare id (`common.get_id_from_href`).
fn id_from_href(r: &Value) -> String {
    let s = match r {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    s.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A random-looking 12 character admin password.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uuid::Uuid::new_v4()
        .as_bytes()
        .iter()
        .take(12)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Create servers from a request body; returns the HTTP response.
pub fn create_servers(
    inner: &mut Inner,
    ctx: &NovaCtx,
    body: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    let v = ctx.version;
    validate_create(body, v).map_err(ApiError::bad_request)?;
    let server = &body["server"];
    super::block_devices::check_semantics(server).map_err(ApiError::bad_request)?;
    let name = server["name"].as_str().unwrap_or_default().to_string();

    // flavor
    let flavor_id = id_from_href(&server["flavorRef"]);
    let flavor = inner
        .flavor(&flavor_id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request(format!("Flavor {flavor_id} could not be found.")))?;

    // image or boot volume
    let image_ref = server
        .get("imageRef")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let bdms: Vec<Value> = server
        .get("block_device_mapping_v2")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let legacy_bdms: Vec<Value> = server
        .get("block_device_mapping")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let boot_bdm = bdms.iter().find(|b| {
        let idx = &b["boot_index"];
        idx.as_i64() == Some(0) || idx.as_str() == Some("0")
    });
    // A boot_index 0 mapping onto a volume makes the server volume-backed (its view shows
    // `"image": ""`), whether or not imageRef was also given.
    let volume_backed = boot_bdm.is_some_and(|b| b["destination_type"].as_str() == Some("volume"))
        || (image_ref.is_empty() && !legacy_bdms.is_empty());
    let image_id = if image_ref.is_empty() {
        if !volume_backed {
            let local_image = boot_bdm
                .filter(|b| b["source_type"].as_str() == Some("image"))
                .and_then(|b| b["uuid"].as_str());
            match local_image {
                Some(id) => Some(id.to_string()),
                None => {
                    return Err(ApiError::bad_request(
                        "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.",
                    ));
                }
            }
        } else {
            None
        }
    } else {
        Some(image_ref)
    };
    if let Some(id) = &image_id
        && inner.image(id).is_none()
    {
        return Err(ApiError::bad_request(format!(
            "Image {id} could not be found."
        )));
    }
    if let Some(bdm) = boot_bdm
        && bdm["source_type"].as_str() == Some("image")
        && let Some(id) = bdm["uuid"].as_str()
        && inner.image(id).is_none()
    {
        return Err(ApiError::bad_request(format!(
            "Image {id} could not be found."
        )));
    }

    // keypair
    let key_name = server
        .get("key_name")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(k) = &key_name
        && !inner
            .keypairs
            .contains_key(&(ctx.user_id.clone(), k.clone()))
    {
        return Err(ApiError::bad_request(format!(
            "Keypair {k} not found for user {}",
            ctx.user_id
        )));
    }

    // availability zone ("zone", "zone:host", "zone:host:node")
    let mut az = None;
    let mut forced_host = None;
    if let Some(spec) = server.get("availability_zone").and_then(Value::as_str) {
        let mut parts = spec.splitn(3, ':');
        let zone = parts.next().unwrap_or_default();
        let host = parts.next().filter(|h| !h.is_empty());
        if host.is_some() && !ctx.is_admin {
            return Err(ApiError::policy(
                "os_compute_api:servers:create:forced_host",
            ));
        }
        if !zone.is_empty() {
            if zone != inner.config.default_availability_zone {
                return Err(ApiError::bad_request(
                    "The requested availability zone is not available",
                ));
            }
            az = Some(zone.to_string());
        }
        forced_host = host.map(str::to_string);
    }
    for key in ["host", "hypervisor_hostname"] {
        if let Some(h) = server.get(key).and_then(Value::as_str) {
            if !ctx.is_admin {
                return Err(ApiError::policy(
                    "compute:servers:create:requested_destination",
                ));
            }
            let known = if key == "host" {
                h == inner.config.compute_host
            } else {
                h == format!("{}.example.com", inner.config.compute_host)
            };
            if !known {
                return Err(ApiError::bad_request(format!(
                    "Compute host {h} could not be found."
                )));
            }
        }
    }
    if let Some(h) = &forced_host
        && *h != inner.config.compute_host
    {
        return Err(ApiError::bad_request(format!(
            "Compute host {h} could not be found."
        )));
    }

    // counts and quota
    let min_count = count_of(server.get("min_count")).unwrap_or(1);
    let max_count = count_of(server.get("max_count")).unwrap_or(min_count);
    if min_count > max_count {
        return Err(ApiError::bad_request("min_count must be <= max_count"));
    }
    let (used_n, used_c, used_r) = inner.instances_used(&ctx.project_id);
    let resources = [
        (
            "instances",
            1u64,
            u64::from(used_n),
            u64::from(inner.instance_quota(&ctx.project_id)),
        ),
        (
            "cores",
            u64::from(flavor.vcpus),
            u64::from(used_c),
            u64::from(inner.config.cores_quota),
        ),
        (
            "ram",
            u64::from(flavor.ram),
            u64::from(used_r),
            u64::from(inner.config.ram_quota),
        ),
    ];
    let mut count = max_count;
    for (name, each, used, allowed) in resources {
        let requested = min_count.saturating_mul(each);
        if used.saturating_add(requested) > allowed {
            return Err(ApiError::forbidden(format!(
                "Quota exceeded for {name}: Requested {requested}, but already used {used} of {allowed} {name}"
            )));
        }
        if let Some(fits) = (allowed - used).checked_div(each) {
            count = count.min(fits);
        }
    }
    let count = count.max(min_count);

    let return_reservation_id = server.get("return_reservation_id").is_some_and(truthy);
    let admin_pass = server
        .get("adminPass")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(generate_password);
    let metadata: std::collections::BTreeMap<String, String> = server
        .get("metadata")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let boot_fault = metadata.get(BOOT_FAULT_KEY).cloned();
    let mut hints = serde_json::Map::new();
    for key in ["os:scheduler_hints", "OS-SCH-HNT:scheduler_hints"] {
        if let Some(Value::Object(h)) = body.get(key) {
            for (k, v) in h {
                let v = match v {
                    Value::Array(_) => v.clone(),
                    other => json!([other]),
                };
                hints.insert(k.clone(), v);
            }
        }
    }
    let server_groups: Vec<String> = hints
        .get("group")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let networks = server.get("networks").cloned().unwrap_or(json!("auto"));
    let reservation_id = format!("r-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let polls = inner.config.build_polls;
    let mut first_id = String::new();
    for index in 0..count {
        let display_name = if count > 1 {
            format!("{name}-{}", index + 1)
        } else {
            name.clone()
        };
        let mut s = inner.new_server(
            display_name,
            ctx.project_id.clone(),
            ctx.user_id.clone(),
            flavor.clone(),
            if volume_backed {
                None
            } else {
                image_id.clone()
            },
            now,
        );
        s.launch_index = index as u32;
        if volume_backed {
            s.root_volume_image = boot_bdm
                .filter(|b| b["source_type"].as_str() == Some("image"))
                .and_then(|b| b["uuid"].as_str())
                .map(str::to_string)
                .or_else(|| image_id.clone());
        }
        s.reservation_id = reservation_id.clone();
        s.metadata = metadata.clone();
        s.key_name = key_name.clone();
        if let Some(zone) = &az {
            s.availability_zone = std::sync::Arc::from(zone.as_str());
            s.pinned_availability_zone = Some(zone.clone());
        }
        if let Some(d) = server.get("OS-DCF:diskConfig").and_then(Value::as_str) {
            s.disk_config = d.to_string();
        }
        s.access_ipv4 = str_field(server, "accessIPv4");
        s.access_ipv6 = str_field(server, "accessIPv6");
        if server.get("config_drive").is_some_and(truthy) {
            s.config_drive = "True".into();
        }
        if let Some(groups) = server.get("security_groups").and_then(Value::as_array) {
            s.security_groups = groups
                .iter()
                .filter_map(|g| g["name"].as_str())
                .map(str::to_string)
                .collect();
        }
        s.user_data = server
            .get("user_data")
            .and_then(Value::as_str)
            .map(str::to_string);
        s.description = server
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(tags) = server.get("tags").and_then(Value::as_array) {
            let mut t: Vec<String> = tags
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            t.sort();
            t.dedup();
            s.tags = t;
        }
        s.trusted_image_certificates = server
            .get("trusted_image_certificates")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
        if let Some(h) = server.get("hostname").and_then(Value::as_str) {
            s.hostname = h.to_string();
        } else if count > 1 {
            s.hostname = format!("{}-{}", s.hostname, index + 1);
        }
        s.scheduler_hints = hints.clone();
        s.server_groups = server_groups.clone();
        attach_networks(inner, &mut s, &networks);
        attach_volumes(&mut s, &bdms, &legacy_bdms);
        s.begin(
            TaskState::Spawning,
            polls,
            match &boot_fault {
                Some(msg) => Settle::Fail(msg.clone()),
                None => Settle::To(super::state::VmState::Active),
            },
            now,
        );
        if index == 0 {
            first_id = s.id.clone();
        }
        let id = s.id.clone();
        inner.insert(s);
        super::super::instance_actions::record(inner, ctx, &id, "create", now);
    }

    if return_reservation_id {
        return Ok((
            StatusCode::ACCEPTED,
            axum::Json(json!({"reservation_id": reservation_id})),
        )
            .into_response());
    }
    let links = self_and_bookmark(&ctx.base_url, "servers", &first_id);
    let location = links[0]["href"].as_str().unwrap_or_default().to_string();
    let disk_config = server
        .get("OS-DCF:diskConfig")
        .and_then(Value::as_str)
        .unwrap_or("MANUAL");
    let body = json!({
        "server": {
            "id": first_id,
            "links": links,
            "OS-DCF:diskConfig": disk_config,
            "security_groups": inner
                .servers
                .get(&first_id)
                .map(|s| s.security_groups.iter().map(|g| json!({"name": g})).collect::<Vec<_>>())
                .unwrap_or_default(),
            "adminPass": admin_pass,
        }
    });
    let mut resp = (StatusCode::ACCEPTED, axum::Json(body)).into_response();
    if let Ok(h) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, h);
    }
    Ok(resp)
}

fn str_field(server: &Value, key: &str) -> String {
    server
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn count_of(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::String(s) => s.parse().ok(),
        other => other.as_u64(),
    }
}

/// One requested NIC: (network uuid, port id, fixed IP, device tag).
type NetRequest = [Option<String>; 4];

fn attach_networks(inner: &mut Inner, s: &mut super::super::model::Server, networks: &Value) {
    let mut requests: Vec<NetRequest> = Vec::new();
    match networks {
        Value::String(kw) if kw == "none" => return,
        Value::Array(items) => {
            for n in items {
                requests.push([
                    n["uuid"].as_str().map(str::to_string),
                    n["port"].as_str().map(str::to_string),
                    n["fixed_ip"].as_str().map(str::to_string),
                    n["tag"].as_str().map(str::to_string),
                ]);
            }
        }
        _ => requests.push([None, None, None, None]),
    }
    for [net, port, fixed_ip, tag] in requests {
        let version = if fixed_ip.as_deref().is_some_and(|ip| ip.contains(':')) {
            6
        } else {
            4
        };
        let addr = fixed_ip.unwrap_or_else(|| inner.allocate_ip());
        let network_id = net.unwrap_or_else(|| PRIVATE_NET_ID.to_string());
        let network = if network_id == PRIVATE_NET_ID {
            "private".to_string()
        } else {
            format!("net-{}", &network_id[..network_id.len().min(8)])
        };
        let n = s.addresses.len() as u64;
        s.addresses.push(Address {
            network,
            network_id,
            port_id: port.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            addr,
            mac: mac_for(s.seq * 16 + n),
            version,
            tag,
        });
    }
}

fn attach_volumes(s: &mut super::super::model::Server, bdms: &[Value], legacy: &[Value]) {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let mut next = 0usize;
    let mut device = || {
        let d = format!("/dev/vd{}", letters[next % letters.len()] as char);
        next += 1;
        d
    };
    for b in bdms {
        if b["destination_type"].as_str() != Some("volume") {
            continue;
        }
        let volume_id = match b["source_type"].as_str() {
            Some("volume") => b["uuid"].as_str().unwrap_or_default().to_string(),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        s.volumes.push(VolumeAttachment {
            volume_id,
            device: b["device_name"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(&mut device),
            delete_on_termination: b.get("delete_on_termination").is_some_and(truthy),
            tag: b["tag"].as_str().map(str::to_string),
            attachment_id: uuid::Uuid::new_v4().to_string(),
            bdm_uuid: uuid::Uuid::new_v4().to_string(),
        });
    }
    for b in legacy {
        let Some(id) = b["volume_id"].as_str() else {
            continue;
        };
        s.volumes.push(VolumeAttachment {
            volume_id: id.to_string(),
            device: b["device_name"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(&mut device),
            delete_on_termination: b.get("delete_on_termination").is_some_and(truthy),
            tag: None,
            attachment_id: uuid::Uuid::new_v4().to_string(),
            bdm_uuid: uuid::Uuid::new_v4().to_string(),
        });
    }
}
