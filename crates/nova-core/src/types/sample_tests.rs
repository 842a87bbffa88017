//! Deserializes every Nova response sample in `testdata/openstack-reference/nova` into the
//! typed resources, at the microversion its folder names.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::*;

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/openstack-reference/nova")
}

/// The reference sample at `path` (relative to `testdata/openstack-reference/nova`), parsed.
pub(crate) fn reference_sample(path: &str) -> Value {
    let file = sample_root().join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("sample dir readable")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The minor version a sample belongs to: `v2.NN/` folders, else 1.
fn minor_of(path: &Path) -> u32 {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("v2."))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// Nova names its response samples `*-resp*.json`, except a few that are named after their
/// call instead; every other sample is a request body.
fn is_response(path: &Path) -> bool {
    const CALL_NAMED_RESPONSES: &[&str] = &[
        "-with-changes-before",
        "migrations-get",
        "migrations-index",
        "simple-tenant-usage-get",
    ];
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.contains("-resp") || CALL_NAMED_RESPONSES.iter().any(|p| name.contains(p))
}

fn check_server(server: &Server, minor: u32, file: &str) {
    assert!(!server.id.is_empty(), "{file}: id");
    assert!(
        server.extra.is_empty(),
        "{file}: untyped server fields {:?}",
        server.extra.keys().collect::<Vec<_>>()
    );
    assert!(
        !matches!(server.status, ServerStatus::Unknown(_)),
        "{file}: status {:?}",
        server.status
    );
    if let Some(flavor) = &server.flavor {
        match flavor {
            ServerFlavor::Reference { id, .. } => {
                assert!(minor < 47, "{file}: flavor reference at 2.{minor}");
                assert!(!id.is_empty());
            }
            ServerFlavor::Embedded(f) => {
                assert!(minor >= 47, "{file}: embedded flavor at 2.{minor}");
                assert!(f.original_name.is_some() && f.ram.is_some(), "{file}");
                assert!(f.extra.is_empty(), "{file}: {:?}", f.extra);
            }
        }
    }
    if server.is_partial() {
        assert!(minor >= 69, "{file}: partial record below 2.69");
        return;
    }
    if minor >= 98
        && let Some(ServerImage::Image(image)) = &server.image
    {
        assert!(image.properties.is_some(), "{file}: image properties");
    }
    if minor >= 71 && server.vm_state.is_some() && !file.contains("servers-") {
        assert!(server.server_groups.is_some(), "{file}: server_groups");
    }
    if minor >= 100 && server.vm_state.is_some() {
        assert!(server.scheduler_hints.is_some(), "{file}");
    }
}

/// A module's sample check: `(key, value, minor, file) -> handled`.
type SampleCheck = fn(&str, &Value, u32, &str) -> bool;

fn check(path: &Path) -> usize {
    let file = path
        .strip_prefix(sample_root())
        .unwrap_or(path)
        .display()
        .to_string();
    let minor = minor_of(path);
    let text = std::fs::read_to_string(path).expect("sample readable");
    let value: Value = serde_json::from_str(&text).expect("sample is JSON");
    if file.starts_with("os-server-diagnostics") {
        // Diagnostics are one unwrapped object, not `{"<resource>": ...}`.
        super::diagnostics::check_diagnostics_sample(&value, minor, &file);
        return 1;
    }
    let obj = value.as_object().expect("sample is an object");
    let mut checked = 0;
    for (key, inner) in obj {
        let inner = inner.clone();
        match key.as_str() {
            "server" if file.contains("server-create-resp") => {
                let created: CreatedServer = serde_json::from_value(inner).expect(&file);
                assert!(!created.id.is_empty(), "{file}");
                assert!(created.admin_pass.is_some(), "{file}: adminPass");
                assert!(created.extra.is_empty(), "{file}: {:?}", created.extra);
            }
            "server" => {
                let server: Server = serde_json::from_value(inner).expect(&file);
                check_server(&server, minor, &file);
            }
            "servers" => {
                let servers: Vec<Server> = serde_json::from_value(inner).expect(&file);
                assert!(!servers.is_empty(), "{file}");
                let detail = file.contains("detail");
                for server in &servers {
                    if detail {
                        check_server(server, minor, &file);
                    } else {
                        assert!(!server.id.is_empty() && server.extra.is_empty(), "{file}");
                    }
                }
            }
            "servers_links" | "keypairs_links" => {
                let links: Vec<Link> = serde_json::from_value(inner).expect(&file);
                assert!(next_link(&links).is_some(), "{file}: next link");
            }
            "image_id" => {
                assert!(minor >= 45, "{file}");
                assert!(inner.as_str().is_some_and(|s| !s.is_empty()), "{file}");
            }
            "flavor" => {
                let flavor: Flavor = serde_json::from_value(inner).expect(&file);
                assert!(flavor.ram > 0 && flavor.vcpus > 0, "{file}");
                assert!(flavor.extra.is_empty(), "{file}: {:?}", flavor.extra);
                assert_eq!(flavor.description.is_some(), minor >= 55, "{file}");
                assert_eq!(flavor.rxtx_factor.is_none(), minor >= 102, "{file}");
            }
            "flavors" if file.contains("detail") => {
                let flavors: Vec<Flavor> = serde_json::from_value(inner).expect(&file);
                assert!(
                    flavors.iter().all(|f| f.ram > 0 && f.extra.is_empty()),
                    "{file}"
                );
            }
            "flavors" => {
                let flavors: Vec<FlavorSummary> = serde_json::from_value(inner).expect(&file);
                assert!(
                    flavors
                        .iter()
                        .all(|f| !f.id.is_empty() && f.extra.is_empty())
                );
            }
            "keypair" => {
                let kp: Keypair = serde_json::from_value(inner).expect(&file);
                assert!(
                    !kp.name.is_empty() && kp.extra.is_empty(),
                    "{file}: {:?}",
                    kp.extra
                );
                assert_eq!(kp.key_type.is_some(), minor >= 2, "{file}");
                if kp.private_key.is_some() {
                    assert!(!format!("{kp:?}").contains("PRIVATE KEY"), "{file}: leaked");
                }
            }
            "keypairs" => {
                #[derive(serde::Deserialize)]
                struct Wrapped {
                    keypair: Keypair,
                }
                let list: Vec<Wrapped> = serde_json::from_value(inner).expect(&file);
                assert!(list.iter().all(|w| w.keypair.extra.is_empty()), "{file}");
            }
            "limits" => {
                let limits: Limits = serde_json::from_value(inner).expect(&file);
                let abs = &limits.absolute;
                assert!(abs.extra.is_empty(), "{file}: {:?}", abs.extra);
                assert!(abs.max_total_instances.is_some(), "{file}");
                assert_eq!(abs.max_image_meta.is_some(), minor < 39, "{file}");
                assert_eq!(abs.max_personality.is_some(), minor < 57, "{file}");
                assert_eq!(abs.max_security_groups.is_some(), minor < 36, "{file}");
            }
            "availabilityZoneInfo" => {
                let zones: Vec<AvailabilityZone> = serde_json::from_value(inner).expect(&file);
                assert!(
                    zones
                        .iter()
                        .all(|z| !z.name.is_empty() && z.extra.is_empty())
                );
                if file.contains("detail") {
                    assert!(zones.iter().all(|z| z.hosts.is_some()), "{file}");
                }
            }
            "server_group" => {
                let group: ServerGroup = serde_json::from_value(inner).expect(&file);
                assert!(!group.id.is_empty() && group.extra.is_empty(), "{file}");
                assert_eq!(group.policy.is_some(), minor >= 64, "{file}");
            }
            "server_groups" => {
                let groups: Vec<ServerGroup> = serde_json::from_value(inner).expect(&file);
                assert!(groups.iter().all(|g| g.extra.is_empty()), "{file}");
            }
            "quota_set" | "quota_class_set" => {
                super::quota::check_sample(key, inner, minor, &file);
            }
            "extra_specs" | "flavor_access" => {
                super::flavor_admin::check_sample(key, inner, &file);
            }
            "version" | "versions" => {
                // Version documents are nova-core's discovery types; here just JSON.
            }
            other => {
                // Each newer resource module checks its own keys.
                let checks: &[SampleCheck] = &[
                    super::server_move::check_sample,
                    super::migration::check_sample,
                    super::console::check_sample,
                    super::instance_action::check_sample,
                    super::diagnostics::check_sample,
                    super::hypervisor::check_sample,
                    super::service::check_sample,
                    super::aggregate::check_sample,
                    super::usage::check_sample,
                    super::usage_audit::check_sample,
                ];
                if !checks
                    .iter()
                    .any(|check| check(other, &inner, minor, &file))
                {
                    panic!("{file}: unexpected top-level key {other}");
                }
            }
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_nova_response_sample_deserializes() {
    let mut files = Vec::new();
    walk(&sample_root(), &mut files);
    let responses: Vec<&PathBuf> = files.iter().filter(|p| is_response(p)).collect();
    assert!(
        responses.len() > 100,
        "found {} response samples",
        responses.len()
    );
    let mut checked = 0;
    for path in &responses {
        checked += check(path);
    }
    assert!(checked >= responses.len());
}

#[test]
fn unknown_status_and_fields_are_kept_and_nulls_never_drop_a_record() {
    let json = serde_json::json!({
        "id": "abc",
        "name": null,
        "status": "HIBERNATING",
        "metadata": null,
        "addresses": null,
        "links": null,
        "flavor": null,
        "image": "",
        "progress": "not-a-number",
        "OS-EXT-STS:power_state": 42,
        "OS-EXT-STS:task_state": "warp_drive",
        "new_field_from_2_200": {"x": 1}
    });
    let server: Server = serde_json::from_value(json).expect("lenient");
    assert_eq!(server.id, "abc");
    assert_eq!(server.name, "");
    assert_eq!(server.status, ServerStatus::Unknown("HIBERNATING".into()));
    assert_eq!(server.image, Some(ServerImage::BootedFromVolume));
    assert_eq!(server.progress, None);
    assert_eq!(server.power_state, Some(PowerState::Unknown(42)));
    assert_eq!(
        server.task_state,
        Some(TaskState::Unknown("warp_drive".into()))
    );
    assert!(server.extra.contains_key("new_field_from_2_200"));
}

#[test]
fn secrets_are_not_in_debug_output() {
    let json = serde_json::json!({"id": "x", "adminPass": "hunter2-secret"});
    let server: Server = serde_json::from_value(json).expect("server");
    assert!(!format!("{server:?}").contains("hunter2-secret"));
    let create = CreateServer::new("a", "1").admin_pass("hunter2-secret");
    assert!(!format!("{create:?}").contains("hunter2-secret"));
}

#[test]
fn create_server_reports_its_gated_fields() {
    let plain = CreateServer::new("a", "1").image("img").key_name("k");
    assert!(plain.field_gates().is_empty());
    let full = CreateServer::new("a", "1")
        .description("d")
        .tag("t")
        .hostname("h")
        .networks(Networks::Auto)
        .personality("/etc/x", b"y".to_vec());
    let names: Vec<&str> = full.field_gates().iter().map(|g| g.field).collect();
    assert_eq!(
        names,
        [
            "personality",
            "description",
            "networks=auto",
            "tags",
            "hostname"
        ]
    );
}

#[test]
fn range_gates_mean_what_they_say() {
    use crate::MicroVersion;
    let v = |m| MicroVersion::new(2, m);
    let personality = super::field_gate::PERSONALITY;
    assert!(personality.matches(v(56)) && !personality.matches(v(57)));
    let bdm_tag = super::field_gate::ONLY_2_32;
    assert!(bdm_tag.matches(v(32)) && !bdm_tag.matches(v(33)) && !bdm_tag.matches(v(31)));
    let net_tag = super::field_gate::NET_TAG_OLD;
    assert!(net_tag.matches(v(36)) && !net_tag.matches(v(37)));
}
