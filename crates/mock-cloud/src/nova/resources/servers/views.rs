//! Server views per microversion (`nova/api/openstack/compute/views/servers.py`), shaped
//! exactly like the reference samples.

use serde_json::{Map, Value, json};

use crate::nova::{ApiVersion, NovaCtx};

use super::super::model::{Flavor, Server};
use super::super::store::Inner;
use super::state::shows_progress;

/// Which response a view is for (they differ in which keys appear).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// GET /servers/{id}
    Show,
    /// GET /servers/detail
    Detail,
    /// PUT /servers/{id}
    Update,
    /// POST /servers/{id}/action rebuild
    Rebuild,
}

/// The bookmark root: the compute URL without its version segment.
pub fn bookmark_root(base_url: &str) -> &str {
    base_url
        .trim_end_matches('/')
        .strip_suffix("/v2.1")
        .unwrap_or(base_url)
}

/// `[{"href": self, "rel": "self"}, {"href": bookmark, "rel": "bookmark"}]` for a collection item.
pub fn self_and_bookmark(base_url: &str, collection: &str, id: &str) -> Value {
    json!([
        {"href": format!("{}/{collection}/{id}", base_url.trim_end_matches('/')), "rel": "self"},
        {"href": format!("{}/{collection}/{id}", bookmark_root(base_url)), "rel": "bookmark"},
    ])
}

/// The list (non-detail) entry: id, links, name.
pub fn server_summary(s: &Server, base_url: &str) -> Value {
    json!({
        "id": s.id,
        "links": self_and_bookmark(base_url, "servers", &s.id),
        "name": s.name,
    })
}

fn ts(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn flavor_view(f: &Flavor, v: ApiVersion, base_url: &str) -> Value {
    if v.at_least(2, 47) {
        json!({
            "disk": f.disk,
            "ephemeral": f.ephemeral,
            "extra_specs": f.extra_specs,
            "original_name": f.name,
            "ram": f.ram,
            "swap": f.swap,
            "vcpus": f.vcpus,
        })
    } else {
        json!({
            "id": f.id,
            "links": [{"href": format!("{}/flavors/{}", bookmark_root(base_url), f.id), "rel": "bookmark"}],
        })
    }
}

fn image_view(s: &Server, inner: &Inner, v: ApiVersion, base_url: &str) -> Value {
    let Some(id) = &s.image_id else {
        return Value::String(String::new());
    };
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert(
        "links".into(),
        json!([{"href": format!("{}/images/{id}", bookmark_root(base_url)), "rel": "bookmark"}]),
    );
    if v.at_least(2, 98) {
        let props = inner
            .image(id)
            .map(|i| json!(i.properties))
            .unwrap_or_else(|| json!({}));
        m.insert("properties".into(), props);
    }
    Value::Object(m)
}

/// Addresses by network name; `{}` while building (Nova hides them until the build ends).
fn addresses_view(s: &Server) -> Value {
    let mut nets: Map<String, Value> = Map::new();
    if s.vm_state == super::state::VmState::Building {
        return Value::Object(nets);
    }
    for a in &s.addresses {
        let entry = json!({
            "addr": a.addr,
            "OS-EXT-IPS-MAC:mac_addr": a.mac,
            "OS-EXT-IPS:type": "fixed",
            "version": a.version,
        });
        let floating = s.floating_ips.iter().filter(|(_, fixed)| fixed == &a.addr);
        let floating = floating.map(|(ip, _)| {
            json!({"addr": ip, "OS-EXT-IPS-MAC:mac_addr": a.mac,
                "OS-EXT-IPS:type": "floating", "version": a.version})
        });
        let entries: Vec<Value> = std::iter::once(entry).chain(floating).collect();
        match nets.get_mut(&a.network) {
            Some(Value::Array(list)) => list.extend(entries),
            _ => {
                nets.insert(a.network.clone(), Value::Array(entries));
            }
        }
    }
    Value::Object(nets)
}

/// The fault object (only for ERROR); `details` only for admins or codes other than 500.
fn fault_view(s: &Server, ctx: &NovaCtx) -> Option<Value> {
    if s.status() != "ERROR" {
        return None;
    }
    let f = s.fault.as_ref()?;
    let mut m = Map::new();
    m.insert("code".into(), json!(f.code));
    m.insert(
        "created".into(),
        json!(f.created.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    );
    m.insert("message".into(), json!(f.message));
    if ctx.is_admin || f.code != 500 {
        m.insert("details".into(), json!(f.details));
    }
    Some(Value::Object(m))
}

/// The full server view for `kind` at the context's version and role.
pub fn server_view(s: &Server, inner: &Inner, ctx: &NovaCtx, kind: ViewKind) -> Value {
    let v = ctx.version;
    let base = ctx.base_url.as_str();
    let status = s.status();
    let mut m = Map::new();
    let mut put = |k: &str, val: Value| {
        m.insert(k.to_string(), val);
    };
    // basic view (always)
    put("id", json!(s.id));
    put("name", json!(s.name));
    put("status", json!(status));
    put("tenant_id", json!(s.project_id));
    put("user_id", json!(s.user_id));
    put("metadata", json!(s.metadata));
    put("hostId", json!(host_id(s)));
    put("image", image_view(s, inner, v, base));
    put("flavor", flavor_view(&s.flavor, v, base));
    put("created", json!(ts(&s.created)));
    put("updated", json!(ts(&s.updated)));
    put("addresses", addresses_view(s));
    put("accessIPv4", json!(s.access_ipv4));
    put("accessIPv6", json!(s.access_ipv6));
    put("links", self_and_bookmark(base, "servers", &s.id));
    put("OS-DCF:diskConfig", json!(s.disk_config));
    if shows_progress(status) {
        put("progress", json!(s.progress));
    }
    if v.at_least(2, 9) {
        put("locked", json!(s.locked));
    }
    if v.at_least(2, 19) {
        put("description", json!(s.description));
    }
    if v.at_least(2, 26) {
        put("tags", json!(s.tags));
    }
    if v.at_least(2, 63) {
        put(
            "trusted_image_certificates",
            json!(s.trusted_image_certificates),
        );
    }
    if v.at_least(2, 73) {
        put("locked_reason", json!(s.locked_reason));
    }
    if let Some(f) = fault_view(s, ctx) {
        put("fault", f);
    }
    if v.at_least(2, 71) && kind != ViewKind::Detail {
        put("server_groups", json!(s.server_groups));
    }
    if kind == ViewKind::Rebuild {
        if v.at_least(2, 54) {
            put("key_name", json!(s.key_name));
        }
        if v.at_least(2, 57) {
            put("user_data", json!(s.user_data));
        }
    }
    let extended = matches!(kind, ViewKind::Show | ViewKind::Detail) || v.at_least(2, 75);
    if !extended {
        return Value::Object(m);
    }
    put("OS-EXT-AZ:availability_zone", json!(&*s.availability_zone));
    put("config_drive", json!(s.config_drive));
    put("key_name", json!(s.key_name));
    put("OS-EXT-STS:power_state", json!(s.power_state.code()));
    put(
        "OS-EXT-STS:task_state",
        json!(s.task_state.map(|t| t.as_str())),
    );
    put("OS-EXT-STS:vm_state", json!(s.vm_state.as_str()));
    put(
        "OS-SRV-USG:launched_at",
        json!(
            s.launched_at
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
        ),
    );
    put("OS-SRV-USG:terminated_at", Value::Null);
    // Groups come from the server's ports: a server without ports shows no key at all.
    if !s.addresses.is_empty() && !s.security_groups.is_empty() {
        put(
            "security_groups",
            Value::Array(
                s.security_groups
                    .iter()
                    .map(|g| json!({"name": g}))
                    .collect(),
            ),
        );
    }
    put(
        "os-extended-volumes:volumes_attached",
        Value::Array(
            s.volumes
                .iter()
                .map(|vol| {
                    if v.at_least(2, 3) {
                        json!({"id": vol.volume_id, "delete_on_termination": vol.delete_on_termination})
                    } else {
                        json!({"id": vol.volume_id})
                    }
                })
                .collect(),
        ),
    );
    if ctx.is_admin {
        put("OS-EXT-SRV-ATTR:host", json!(s.host.as_deref()));
        put(
            "OS-EXT-SRV-ATTR:hypervisor_hostname",
            json!(s.hypervisor_hostname.as_deref()),
        );
        put("OS-EXT-SRV-ATTR:instance_name", json!(s.instance_name()));
        if v.at_least(2, 3) {
            put("OS-EXT-SRV-ATTR:hostname", json!(s.hostname));
            put("OS-EXT-SRV-ATTR:kernel_id", json!(""));
            put("OS-EXT-SRV-ATTR:launch_index", json!(s.launch_index));
            put("OS-EXT-SRV-ATTR:ramdisk_id", json!(""));
            put("OS-EXT-SRV-ATTR:reservation_id", json!(s.reservation_id));
            put("OS-EXT-SRV-ATTR:root_device_name", json!("/dev/vda"));
            if kind != ViewKind::Rebuild {
                put("OS-EXT-SRV-ATTR:user_data", json!(s.user_data));
            }
        }
        if v.at_least(2, 16) {
            put("host_status", json!("UP"));
        }
    } else if v.at_least(2, 90) {
        put("OS-EXT-SRV-ATTR:hostname", json!(s.hostname));
    }
    if v.at_least(2, 96) {
        put(
            "pinned_availability_zone",
            json!(s.pinned_availability_zone),
        );
    }
    if v.at_least(2, 100) {
        put("scheduler_hints", Value::Object(s.scheduler_hints.clone()));
    }
    Value::Object(m)
}

/// Nova's `hostId`: a hash of project and host ("" when not scheduled).
pub fn host_id(s: &Server) -> String {
    use std::hash::{Hash, Hasher};
    let Some(host) = &s.host else {
        return String::new();
    };
    let mut out = String::with_capacity(56);
    for salt in 0u8..4 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (salt, &s.project_id, &**host).hash(&mut h);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(56);
    out
}
