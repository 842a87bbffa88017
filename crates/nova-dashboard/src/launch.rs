//! The Launch Instance form turned into a nova-v2 [`CreateServer`], the request `nova boot`
//! sends. Errors name the form field. Which fields the negotiated microversion can carry is
//! asked of the request type's own `field_gates()`, so the form and the library agree.

use nova_core::MicroVersion;
use nova_v2::{
    BlockDeviceMappingV2, CreateServer, DiskConfig, NetworkSpec, Networks, SchedulerHints,
};
use serde_json::{Value, json};

use crate::error::DashboardError;
use crate::form::FormData;

/// Largest `user_data` Nova accepts: 65535 characters of base64.
pub const MAX_USER_DATA_BYTES: usize = 65535 / 4 * 3;
/// Most servers one launch may ask for.
pub const MAX_COUNT: u32 = 100;

/// A form field only some microversions accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatedField {
    /// `description` (2.19+).
    Description,
    /// `tags` (2.52+).
    Tags,
    /// `hostname` (2.90+).
    Hostname,
    /// `networks: "auto"` / `"none"` (2.37+).
    AutoNetwork,
}

impl GatedField {
    /// The form's label for the field.
    pub fn label(self) -> &'static str {
        match self {
            Self::Description => "Description",
            Self::Tags => "Tags",
            Self::Hostname => "Hostname",
            Self::AutoNetwork => "Network",
        }
    }

    fn probe(self) -> CreateServer {
        let probe = CreateServer::new("probe", "probe");
        match self {
            Self::Description => probe.description("probe"),
            Self::Tags => probe.tag("probe"),
            Self::Hostname => probe.hostname("probe"),
            Self::AutoNetwork => probe.networks(Networks::Auto),
        }
    }
}

/// `None` when `version` accepts the field, else why not (for the disabled field's note).
pub fn unavailable(field: GatedField, version: MicroVersion) -> Option<String> {
    for gate in field.probe().field_gates() {
        if !gate.admits(version) {
            let needs = gate.current();
            return Some(format!(
                "needs compute API version {needs}; this cloud speaks {version}"
            ));
        }
    }
    None
}

/// What the cloud offers, which decides how some fields are read.
#[derive(Debug, Clone, Copy)]
pub struct LaunchContext {
    /// The negotiated microversion.
    pub microversion: MicroVersion,
    /// Networks are picked from the network service (else auto/none/default).
    pub has_network_service: bool,
    /// Boot from a new volume is possible (a block-storage service is in the catalog).
    pub has_volume_service: bool,
}

fn gated(
    form: &FormData,
    field: GatedField,
    name: &str,
    ctx: &LaunchContext,
) -> Result<Option<String>, DashboardError> {
    let Some(value) = form.get(name) else {
        return Ok(None);
    };
    match unavailable(field, ctx.microversion) {
        Some(reason) => Err(DashboardError::field(field.label(), reason)),
        None => Ok(Some(value.to_owned())),
    }
}

fn number<T: std::str::FromStr>(
    form: &FormData,
    name: &str,
    label: &'static str,
) -> Result<Option<T>, DashboardError> {
    form.get(name)
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| DashboardError::field(label, format!("{v:?} is not a whole number")))
        })
        .transpose()
}

/// `KEY=VALUE` lines (blank lines skipped).
fn key_value_lines<'a>(
    text: &'a str,
    label: &'static str,
) -> Result<Vec<(&'a str, &'a str)>, DashboardError> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim(), v.trim())),
            _ => Err(DashboardError::field(
                label,
                format!("{line:?} is not KEY=VALUE"),
            )),
        })
        .collect()
}

fn comma_list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The scheduler hints of the form: the server group, and `KEY=VALUE` lines (repeated keys
/// become lists, as `nova boot --hint` does).
fn hints(form: &FormData) -> Result<Option<SchedulerHints>, DashboardError> {
    let mut hints = SchedulerHints::default();
    let mut any = false;
    if let Some(group) = form.get("server_group") {
        hints = hints.group(group);
        any = true;
    }
    for (k, v) in key_value_lines(form.raw("hints").unwrap_or_default(), "Scheduler hints")? {
        any = true;
        hints = match k {
            "group" => hints.group(v),
            "same_host" => hints.same_host(v),
            "different_host" => hints.different_host(v),
            _ => {
                let value = match hints.other.remove(k) {
                    None => json!(v),
                    Some(Value::Array(mut list)) => {
                        list.push(json!(v));
                        Value::Array(list)
                    }
                    Some(previous) => json!([previous, v]),
                };
                hints.other(k, value)
            }
        };
    }
    Ok(any.then_some(hints))
}

/// The create request for a submitted Launch Instance form.
pub fn create_request(
    form: &FormData,
    ctx: &LaunchContext,
) -> Result<CreateServer, DashboardError> {
    let name = form
        .get("name")
        .ok_or_else(|| DashboardError::field("Instance name", "is required"))?;
    if name.chars().count() > 255 {
        return Err(DashboardError::field(
            "Instance name",
            "is longer than 255 characters",
        ));
    }
    let flavor = form
        .get("flavor")
        .ok_or_else(|| DashboardError::field("Flavor", "choose a flavor"))?;
    let mut request = CreateServer::new(name, flavor);

    // Source
    let image = form
        .get("image")
        .ok_or_else(|| DashboardError::field("Image", "choose an image"))?;
    match form.get("source").unwrap_or("image") {
        "image" => request = request.image(image),
        "volume" => {
            if !ctx.has_volume_service {
                return Err(DashboardError::field(
                    "Boot source",
                    "this cloud has no block-storage service, so it cannot boot from a new volume",
                ));
            }
            let size: u64 = number(form, "volume_size", "Volume size (GiB)")?.ok_or_else(|| {
                DashboardError::field("Volume size (GiB)", "is required to boot from a new volume")
            })?;
            if size == 0 {
                return Err(DashboardError::field(
                    "Volume size (GiB)",
                    "must be at least 1",
                ));
            }
            request = request.block_device_mapping_v2(
                BlockDeviceMappingV2::boot_volume_from_image(image, size)
                    .delete_on_termination(form.checked("delete_on_terminate")),
            );
        }
        other => {
            return Err(DashboardError::field(
                "Boot source",
                format!("{other:?} is not image or volume"),
            ));
        }
    }

    // Details
    if let Some(description) = gated(form, GatedField::Description, "description", ctx)? {
        request = request.description(description);
    }
    if let Some(zone) = form.get("availability_zone") {
        request = request.availability_zone(zone);
    }
    let count: u32 = number(form, "count", "Count")?.unwrap_or(1);
    if !(1..=MAX_COUNT).contains(&count) {
        return Err(DashboardError::field(
            "Count",
            format!("must be between 1 and {MAX_COUNT}"),
        ));
    }
    if count > 1 {
        request = request.min_count(count).max_count(count);
    }

    // Networks
    let networks = form.all("network");
    if ctx.has_network_service && !networks.is_empty() {
        request = request.networks(Networks::List(
            networks.into_iter().map(NetworkSpec::network).collect(),
        ));
    } else {
        match form.get("network_mode").unwrap_or("auto") {
            mode @ ("auto" | "none") => {
                match unavailable(GatedField::AutoNetwork, ctx.microversion) {
                    None => {
                        request = request.networks(if mode == "auto" {
                            Networks::Auto
                        } else {
                            Networks::None
                        });
                    }
                    Some(reason) if form.get("network_mode").is_some() => {
                        return Err(DashboardError::field("Network", reason));
                    }
                    Some(_) => {} // below 2.37 leaving it out means Nova's default networks
                }
            }
            "default" => {}
            other => {
                return Err(DashboardError::field(
                    "Network",
                    format!("{other:?} is not auto, none or default"),
                ));
            }
        }
    }

    // Security groups, key pair
    for group in comma_list(form.get("security_groups")) {
        request = request.security_group(group);
    }
    if let Some(key) = form.get("key_name") {
        request = request.key_name(key);
    }

    // Configuration
    if let Some(script) = form.raw("user_data").filter(|s| !s.trim().is_empty()) {
        let script = script.replace("\r\n", "\n");
        if script.len() > MAX_USER_DATA_BYTES {
            return Err(DashboardError::field(
                "User data",
                format!(
                    "is {} bytes; Nova accepts at most {MAX_USER_DATA_BYTES}",
                    script.len()
                ),
            ));
        }
        request = request.user_data(script.into_bytes());
    }
    match form.get("disk_config") {
        None => {}
        Some("AUTO") => request.disk_config = Some(DiskConfig::Auto),
        Some("MANUAL") => request.disk_config = Some(DiskConfig::Manual),
        Some(other) => {
            return Err(DashboardError::field(
                "Disk partition",
                format!("{other:?} is not AUTO or MANUAL"),
            ));
        }
    }
    if form.checked("config_drive") {
        request = request.config_drive(true);
    }

    // Server group and hints, metadata, tags, hostname, admin password
    if let Some(hints) = hints(form)? {
        request = request.scheduler_hints(hints);
    }
    for (k, v) in key_value_lines(form.raw("metadata").unwrap_or_default(), "Metadata")? {
        if k.len() > 255 || v.len() > 255 {
            return Err(DashboardError::field(
                "Metadata",
                format!("{k:?}: keys and values are at most 255 characters"),
            ));
        }
        request = request.metadata(k, v);
    }
    if let Some(tags) = gated(form, GatedField::Tags, "tags", ctx)? {
        for tag in comma_list(Some(&tags)) {
            request = request.tag(tag);
        }
    }
    if let Some(hostname) = gated(form, GatedField::Hostname, "hostname", ctx)? {
        request = request.hostname(hostname);
    }
    if let Some(password) = form.raw("admin_pass").filter(|p| !p.is_empty()) {
        request = request.admin_pass(password);
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(minor: u16) -> LaunchContext {
        LaunchContext {
            microversion: MicroVersion::new(2, minor),
            has_network_service: false,
            has_volume_service: false,
        }
    }

    fn form(body: &str) -> FormData {
        FormData::parse(body.as_bytes())
    }

    #[test]
    fn a_full_form_becomes_the_create_request() {
        let request = create_request(
            &form(
                "name=web&flavor=2&image=img&description=d&count=2&network_mode=none&key_name=k\
                 &user_data=%23!%2Fbin%2Fsh%0D%0Aecho+hi&disk_config=AUTO&config_drive=on\
                 &server_group=g1&hints=same_host%3Ds1%0Afoo%3Da%0Afoo%3Db&metadata=a%3D1\
                 &tags=x,+y&hostname=web-1&admin_pass=pw&security_groups=default,+web",
            ),
            &ctx(104),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.name, "web");
        assert_eq!(request.flavor_ref, "2");
        assert_eq!(request.image_ref.as_deref(), Some("img"));
        assert_eq!(request.min_count, Some(2));
        assert_eq!(request.networks, Some(Networks::None));
        assert_eq!(
            request.user_data.as_deref(),
            Some(&b"#!/bin/sh\necho hi"[..])
        );
        assert_eq!(request.tags, vec!["x", "y"]);
        assert_eq!(request.security_groups, vec!["default", "web"]);
        let hints = request.scheduler_hints.unwrap_or_default();
        assert_eq!(hints.group.as_deref(), Some("g1"));
        assert_eq!(hints.same_host, vec!["s1"]);
        assert_eq!(hints.other.get("foo"), Some(&json!(["a", "b"])));
        assert_eq!(request.metadata.get("a").map(String::as_str), Some("1"));
    }

    #[test]
    fn errors_name_the_field() {
        let message = |body: &str, minor| {
            create_request(&form(body), &ctx(minor))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(message("flavor=1&image=i", 104).starts_with("Instance name:"));
        assert!(message("name=a&image=i", 104).starts_with("Flavor:"));
        assert!(message("name=a&flavor=1", 104).starts_with("Image:"));
        assert!(message("name=a&flavor=1&image=i&count=0", 104).starts_with("Count:"));
        assert!(message("name=a&flavor=1&image=i&metadata=oops", 104).starts_with("Metadata:"));
        assert!(
            message("name=a&flavor=1&image=i&source=volume&volume_size=1", 104)
                .starts_with("Boot source:")
        );
        let gated = message("name=a&flavor=1&image=i&hostname=h", 89);
        assert!(
            gated.starts_with("Hostname: needs compute API version >=2.90"),
            "{gated}"
        );
        assert!(message("name=a&flavor=1&image=i&description=d", 18).starts_with("Description:"));
    }

    #[test]
    fn gates_follow_the_library() {
        assert!(unavailable(GatedField::Description, MicroVersion::new(2, 19)).is_none());
        assert!(unavailable(GatedField::Description, MicroVersion::new(2, 18)).is_some());
        assert!(unavailable(GatedField::Tags, MicroVersion::new(2, 52)).is_none());
        assert!(unavailable(GatedField::AutoNetwork, MicroVersion::new(2, 36)).is_some());
        // below 2.37 an untouched network choice is left out
        let request = create_request(&form("name=a&flavor=1&image=i"), &ctx(2))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.networks, None);
    }
}
