//! The streaming `Server` decoder against the derived decoder it replaced: same result (or
//! both an error) on every sample server and on many mutations of them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::super::link::Link;
use super::super::server::{
    AttachedVolume, DiskConfig, Fault, PowerState, SecurityGroupRef, Server, ServerFlavor,
    ServerImage, ServerStatus, TaskState, VmState,
};
use super::super::string_enum::{lenient, null_as_default};

/// The derived decoder `Server` had before the streaming one (a verbatim copy).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LegacyServer {
    /// The server UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The server name (empty for a down-cell record).
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The status.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: ServerStatus,
    /// The owning project.
    #[serde(default, deserialize_with = "lenient")]
    pub tenant_id: Option<String>,
    /// The owning user.
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<String>,
    /// User metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: BTreeMap<String, String>,
    /// An opaque id of the host (unique per project).
    #[serde(rename = "hostId", default, deserialize_with = "lenient")]
    pub host_id: Option<String>,
    /// The image, or booted from volume.
    #[serde(default, deserialize_with = "lenient")]
    pub image: Option<ServerImage>,
    /// The flavor (reference below 2.47, embedded from 2.47).
    #[serde(default, deserialize_with = "lenient")]
    pub flavor: Option<ServerFlavor>,
    /// Creation time, `YYYY-MM-DDTHH:MM:SSZ`.
    #[serde(default, deserialize_with = "lenient")]
    pub created: Option<String>,
    /// Last update time, `YYYY-MM-DDTHH:MM:SSZ`.
    #[serde(default, deserialize_with = "lenient")]
    pub updated: Option<String>,
    /// Addresses by network name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub addresses: BTreeMap<String, Vec<LegacyAddress>>,
    /// `accessIPv4`.
    #[serde(rename = "accessIPv4", default, deserialize_with = "lenient")]
    pub access_ipv4: Option<String>,
    /// `accessIPv6`.
    #[serde(rename = "accessIPv6", default, deserialize_with = "lenient")]
    pub access_ipv6: Option<String>,
    /// `self` and `bookmark` links.
    #[serde(default, deserialize_with = "null_as_default")]
    pub links: Vec<Link>,
    /// `OS-DCF:diskConfig`.
    #[serde(rename = "OS-DCF:diskConfig", default, deserialize_with = "lenient")]
    pub disk_config: Option<DiskConfig>,
    /// Build/resize progress in percent (only in some states).
    #[serde(default, deserialize_with = "lenient")]
    pub progress: Option<u32>,
    /// `OS-EXT-AZ:availability_zone`.
    #[serde(
        rename = "OS-EXT-AZ:availability_zone",
        default,
        deserialize_with = "lenient"
    )]
    pub availability_zone: Option<String>,
    /// `config_drive` (`"True"` or `""`).
    #[serde(default, deserialize_with = "lenient")]
    pub config_drive: Option<String>,
    /// The keypair name.
    #[serde(default, deserialize_with = "lenient")]
    pub key_name: Option<String>,
    /// `OS-EXT-SRV-ATTR:host` (admin).
    #[serde(rename = "OS-EXT-SRV-ATTR:host", default, deserialize_with = "lenient")]
    pub host: Option<String>,
    /// `OS-EXT-SRV-ATTR:hypervisor_hostname` (admin).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:hypervisor_hostname",
        default,
        deserialize_with = "lenient"
    )]
    pub hypervisor_hostname: Option<String>,
    /// `OS-EXT-SRV-ATTR:instance_name` (admin).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:instance_name",
        default,
        deserialize_with = "lenient"
    )]
    pub instance_name: Option<String>,
    /// `OS-EXT-SRV-ATTR:reservation_id` (2.3+).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:reservation_id",
        default,
        deserialize_with = "lenient"
    )]
    pub reservation_id: Option<String>,
    /// `OS-EXT-SRV-ATTR:launch_index` (2.3+).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:launch_index",
        default,
        deserialize_with = "lenient"
    )]
    pub launch_index: Option<i64>,
    /// `OS-EXT-SRV-ATTR:kernel_id` (2.3+).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:kernel_id",
        default,
        deserialize_with = "lenient"
    )]
    pub kernel_id: Option<String>,
    /// `OS-EXT-SRV-ATTR:ramdisk_id` (2.3+).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:ramdisk_id",
        default,
        deserialize_with = "lenient"
    )]
    pub ramdisk_id: Option<String>,
    /// `OS-EXT-SRV-ATTR:hostname` (2.3+; all users from 2.90).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:hostname",
        default,
        deserialize_with = "lenient"
    )]
    pub hostname: Option<String>,
    /// `OS-EXT-SRV-ATTR:root_device_name` (2.3+).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:root_device_name",
        default,
        deserialize_with = "lenient"
    )]
    pub root_device_name: Option<String>,
    /// `OS-EXT-SRV-ATTR:user_data`, base64 (2.3+).
    #[serde(
        rename = "OS-EXT-SRV-ATTR:user_data",
        default,
        deserialize_with = "lenient"
    )]
    pub user_data: Option<String>,
    /// `OS-EXT-STS:power_state`.
    #[serde(
        rename = "OS-EXT-STS:power_state",
        default,
        deserialize_with = "lenient"
    )]
    pub power_state: Option<PowerState>,
    /// `OS-EXT-STS:task_state` (None when idle).
    #[serde(
        rename = "OS-EXT-STS:task_state",
        default,
        deserialize_with = "lenient"
    )]
    pub task_state: Option<TaskState>,
    /// `OS-EXT-STS:vm_state`.
    #[serde(rename = "OS-EXT-STS:vm_state", default, deserialize_with = "lenient")]
    pub vm_state: Option<VmState>,
    /// `os-extended-volumes:volumes_attached`.
    #[serde(
        rename = "os-extended-volumes:volumes_attached",
        default,
        deserialize_with = "null_as_default"
    )]
    pub volumes_attached: Vec<AttachedVolume>,
    /// `OS-SRV-USG:launched_at` (`YYYY-MM-DDTHH:MM:SS.ffffff`, no zone).
    #[serde(
        rename = "OS-SRV-USG:launched_at",
        default,
        deserialize_with = "lenient"
    )]
    pub launched_at: Option<String>,
    /// `OS-SRV-USG:terminated_at`.
    #[serde(
        rename = "OS-SRV-USG:terminated_at",
        default,
        deserialize_with = "lenient"
    )]
    pub terminated_at: Option<String>,
    /// Security groups.
    #[serde(default, deserialize_with = "null_as_default")]
    pub security_groups: Vec<SecurityGroupRef>,
    /// The fault, in ERROR/DELETED state.
    #[serde(default, deserialize_with = "lenient")]
    pub fault: Option<Fault>,
    /// Description (2.19+).
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    /// Tags (2.26+ in views from 2.26).
    #[serde(default, deserialize_with = "lenient")]
    pub tags: Option<Vec<String>>,
    /// Locked (2.9+).
    #[serde(default, deserialize_with = "lenient")]
    pub locked: Option<bool>,
    /// Lock reason (2.73+).
    #[serde(default, deserialize_with = "lenient")]
    pub locked_reason: Option<String>,
    /// Host status (2.16+, admin by default).
    #[serde(default, deserialize_with = "lenient")]
    pub host_status: Option<String>,
    /// Trusted image certificate ids (2.63+).
    #[serde(default, deserialize_with = "lenient")]
    pub trusted_image_certificates: Option<Vec<String>>,
    /// Server group ids (2.71+).
    #[serde(default, deserialize_with = "lenient")]
    pub server_groups: Option<Vec<String>>,
    /// Pinned availability zone (2.96+).
    #[serde(default, deserialize_with = "lenient")]
    pub pinned_availability_zone: Option<String>,
    /// Scheduler hints given at boot (2.100+).
    #[serde(default, deserialize_with = "lenient")]
    pub scheduler_hints: Option<Map<String, Value>>,
    /// `user_data` as echoed by a rebuild response (2.57+, base64).
    #[serde(rename = "user_data", default, deserialize_with = "lenient")]
    pub rebuild_user_data: Option<String>,
    /// The admin password, only in a rebuild response (never printed).
    #[serde(rename = "adminPass", default, skip_serializing)]
    pub admin_pass: Option<SecretString>,
    /// Fields this client does not know, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The derived decoder `Address` had (a verbatim copy).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LegacyAddress {
    #[serde(default, deserialize_with = "null_as_default")]
    pub addr: String,
    #[serde(default, deserialize_with = "lenient")]
    pub version: Option<u8>,
    #[serde(rename = "OS-EXT-IPS:type", default, deserialize_with = "lenient")]
    pub ip_type: Option<String>,
    #[serde(
        rename = "OS-EXT-IPS-MAC:mac_addr",
        default,
        deserialize_with = "lenient"
    )]
    pub mac_addr: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/openstack-reference/nova")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("sample dir readable") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every object found under a `server` key, or in a `servers` list, in every sample.
fn sample_servers() -> Vec<Value> {
    let mut files = Vec::new();
    walk(&sample_root(), &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("sample readable");
        let Ok(body) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let Some(s @ Value::Object(_)) = body.get("server") {
            out.push(s.clone());
        }
        if let Some(Value::Array(list)) = body.get("servers") {
            out.extend(list.iter().filter(|s| s.is_object()).cloned());
        }
    }
    out
}

/// What a decoder made of the input, in a comparable form.
fn outcome(result: Result<(Value, Option<SecretString>), serde_json::Error>) -> Option<Value> {
    result.ok().map(|(view, pass)| {
        json!({"view": view, "adminPass": pass.map(|p| p.expose_secret().to_owned())})
    })
}

fn decode_new(input: &Value) -> (Option<Value>, Option<Value>) {
    let from_value = serde_json::from_value::<Server>(input.clone())
        .map(|s| (serde_json::to_value(&s).expect("serialize"), s.admin_pass));
    let text = input.to_string();
    let from_str = serde_json::from_str::<Server>(&text)
        .map(|s| (serde_json::to_value(&s).expect("serialize"), s.admin_pass));
    (outcome(from_value), outcome(from_str))
}

fn decode_old(input: &Value) -> (Option<Value>, Option<Value>) {
    let from_value = serde_json::from_value::<LegacyServer>(input.clone())
        .map(|s| (serde_json::to_value(&s).expect("serialize"), s.admin_pass));
    let text = input.to_string();
    let from_str = serde_json::from_str::<LegacyServer>(&text)
        .map(|s| (serde_json::to_value(&s).expect("serialize"), s.admin_pass));
    (outcome(from_value), outcome(from_str))
}

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(0),
        json!(1),
        json!(-1),
        json!(256),
        json!(4_294_967_296_u64),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1.5),
        json!(""),
        json!("s"),
        json!("ACTIVE"),
        json!(true),
        json!([]),
        json!(["a"]),
        json!(["a", 1]),
        json!([null]),
        json!({}),
        json!({"a": "b"}),
        json!({"a": 1}),
        json!({"id": "x"}),
        json!({"id": 1}),
        json!({"id": "x", "links": 5}),
        json!({"id": "x", "links": [{"href": "h", "rel": "self"}]}),
        json!({"message": 5}),
        json!({"code": "x", "message": "m"}),
        json!({"original_name": 5, "vcpus": "2", "extra_specs": {"a": 1}}),
        json!({"addr": "10.0.0.1", "version": 7, "OS-EXT-IPS:type": 1}),
        json!({"net": [{"addr": "10.0.0.1", "version": "4"}]}),
        json!({"net": [{"addr": 1}]}),
        json!([{"id": "v", "delete_on_termination": "yes"}]),
        json!([{"name": null}]),
        json!([{"href": 1}]),
        json!(["x"]),
        json!(["x", []]),
        json!(["x", [], 1]),
        json!([1]),
        json!(["x", [["h", "r"]]]),
        json!({"id": "x", "vcpus": 2, "links": null}),
        json!({"id": "x", "links": [["h", "r"]]}),
        json!({"id": "x", "links": [{"href": null, "rel": "self", "type": 5}]}),
        json!({"id": null, "links": null, "properties": {"a": 1}, "z": 2}),
        json!({"id": "i", "links": [{"href": "h"}], "properties": [1]}),
        json!({"vcpus": 1.0, "ram": -5, "disk": 1, "ephemeral": null, "swap": u64::MAX}),
        json!({"original_name": "m1", "extra_specs": {"a": "b"}, "extra_specs2": 1}),
        json!({"extra_specs": {"a": null}}),
        json!({"extra_specs": ["a"]}),
        json!({"net": [{"addr": "a", "version": 4, "OS-EXT-IPS:type": "fixed", "foo": 1}]}),
        json!({"net": [{"addr": null, "version": null, "OS-EXT-IPS-MAC:mac_addr": []}]}),
        json!({"net": [["a", 4]]}),
        json!({"net": null}),
    ]
}

#[test]
fn streaming_decoder_matches_the_derived_one_on_samples_and_mutations() {
    let servers = sample_servers();
    assert!(servers.len() > 20, "found {} sample servers", servers.len());
    let mut keys: Vec<String> = servers
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|o| o.keys().cloned())
        .collect();
    keys.extend(
        [
            "adminPass",
            "user_data",
            "brand_new",
            "OS-EXT-STS:power_state",
        ]
        .map(String::from),
    );
    keys.sort();
    keys.dedup();
    let mut checked = 0;
    let mut errors = 0;
    for server in &servers {
        let (new_v, new_s) = decode_new(server);
        assert_eq!(new_v, decode_old(server).0, "sample {server}");
        assert_eq!(new_v, new_s, "sample {server} from text");
        assert!(new_v.is_some(), "sample decodes: {server}");
    }
    // Mutate every key of the richest few samples into every odd value.
    let mut richest = servers.clone();
    richest.sort_by_key(|s| std::cmp::Reverse(s.as_object().map_or(0, Map::len)));
    for base in richest.iter().take(3) {
        for key in &keys {
            for odd in odd_values() {
                let mut input = base.clone();
                input[key.as_str()] = odd.clone();
                let (new_v, new_s) = decode_new(&input);
                let (old_v, old_s) = decode_old(&input);
                assert_eq!(new_v, old_v, "{key} = {odd} (from value)");
                assert_eq!(new_s, old_s, "{key} = {odd} (from text)");
                checked += 1;
                errors += usize::from(new_v.is_none());
            }
        }
    }
    assert!(checked > 1000, "{checked} mutations");
    assert!(errors > 0, "some mutations must fail strict fields");
}

#[test]
fn non_objects_and_repeated_keys_behave_as_before() {
    for text in [
        "[]",
        "[\"x\"]",
        "null",
        "5",
        "\"s\"",
        "{}",
        r#"{"id": "a", "id": "b"}"#,
        r#"{"id": "a", "tags": null, "tags": ["x"]}"#,
        r#"{"id": "a", "x": 1, "x": 2}"#,
        r#"{"id": "a", "adminPass": 5}"#,
        r#"{"id": "a", "adminPass": null}"#,
        r#"{"id": "a", "adminPass": "p", "adminPass": "q"}"#,
        r#"{"id": "a", "flavor": {"vcpus": 1, "vcpus": "x"}}"#,
        r#"{"id": "a", "flavor": {"id": "f", "id": 5}}"#,
        r#"{"id": "a", "flavor": {"id": 5, "id": "f"}}"#,
        r#"{"id": "a", "image": {"id": 5, "id": "ok"}}"#,
        r#"{"id": "a", "image": {"id": "i", "z": 1, "z": 2}}"#,
        r#"{"id": "a", "addresses": {"n": [{"addr": "a", "addr": "b"}]}}"#,
        r#"{"id": "a", "addresses": {"n": [{"addr": "a", "z": 1, "z": 2}]}}"#,
        r#"{"id": "a", "addresses": {"n": [{"addr": "a", "version": 4, "version": 6}]}}"#,
        r#"{"id": "a", "tags": ["x", 1, "y"], "scheduler_hints": {"a": 1, "a": 2}}"#,
        r#"{"id": "a\u0041", "na\u006de": "n", "s\u0074atus": "ACTIVE"}"#,
    ] {
        let new = serde_json::from_str::<Server>(text)
            .map(|s| (serde_json::to_value(&s).expect("serialize"), s.admin_pass));
        let old = serde_json::from_str::<LegacyServer>(text)
            .map(|s| (serde_json::to_value(&s).expect("serialize"), s.admin_pass));
        assert_eq!(new.is_ok(), old.is_ok(), "{text}: {new:?} vs {old:?}");
        assert_eq!(outcome(new), outcome(old), "{text}");
    }
}

/// Not a test of speed (nothing is asserted): prints ns per decode of the v2.100 server show
/// sample for the streaming and the derived decoder. Run with
/// `cargo test --release -p nova-core --lib server_decode_speed -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn server_decode_speed() {
    let path = sample_root().join("servers/v2.100/server-get-resp.json");
    let text = std::fs::read(&path).expect("sample readable");
    #[derive(Deserialize)]
    struct NewBody {
        server: Server,
    }
    #[derive(Deserialize)]
    struct OldBody {
        server: LegacyServer,
    }
    const N: u32 = 100_000;
    for round in 0..2 {
        let start = std::time::Instant::now();
        for _ in 0..N {
            let body: OldBody = serde_json::from_slice(&text).expect("old decodes");
            std::hint::black_box(body.server);
        }
        let old = start.elapsed().as_nanos() / u128::from(N);
        let start = std::time::Instant::now();
        for _ in 0..N {
            let body: NewBody = serde_json::from_slice(&text).expect("new decodes");
            std::hint::black_box(body.server);
        }
        let new = start.elapsed().as_nanos() / u128::from(N);
        let start = std::time::Instant::now();
        for _ in 0..N {
            let body: Value = serde_json::from_slice(&text).expect("value decodes");
            std::hint::black_box(body);
        }
        let value = start.elapsed().as_nanos() / u128::from(N);
        println!(
            "round {round}: derived {old} ns, streaming {new} ns, serde_json::Value {value} ns per decode"
        );
    }
}
