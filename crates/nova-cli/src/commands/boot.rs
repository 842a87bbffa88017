//! `nova boot` and the parsing of its structured options (`--nic`, `--block-device`,
//! `--block-device-mapping`, `--hint`).

use std::net::IpAddr;

use nova_core::MicroVersion;
use nova_v2::{
    BdmDestinationType, BdmSourceType, BlockDeviceMapping, BlockDeviceMappingV2, CreateServer,
    NetworkSpec, Networks, SchedulerHints, ServerStatus, wait_for_status,
};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::{Ctx, comma_list, key_values, parse_bool, read_file};
use crate::cli::BootArgs;
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::progress::interruptible;

/// Whether `version` takes a `tag` on a NIC or a block device (novaclient's
/// `_supports_nic_tags`: 2.32-2.36 and 2.42+; block devices: 2.32 and 2.42+).
fn supports_tags(version: MicroVersion, block_device: bool) -> bool {
    let v = |minor| MicroVersion::new(2, minor);
    if block_device {
        version == v(32) || version >= v(42)
    } else {
        (version >= v(32) && version <= v(36)) || version >= v(42)
    }
}

/// novaclient's `Invalid nic argument` sentence at `version` (it lists the keys that
/// version takes), for the `--nic` value `item`.
fn nic_error(version: MicroVersion, item: &str, detail: &str) -> CliError {
    let auto = version >= MicroVersion::new(2, 37);
    let tag = supports_tags(version, false);
    let form = match (auto, tag) {
        (true, true) => {
            "<auto,none,net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,\
             v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>"
        }
        (true, false) => {
            "<auto,none,net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,\
             v6-fixed-ip=ip-addr,port-id=port-uuid>"
        }
        (false, true) => {
            "<net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,\
             v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>"
        }
        (false, false) => {
            "<net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,\
             v6-fixed-ip=ip-addr,port-id=port-uuid>"
        }
    };
    let tail = if auto {
        " Specifying a --nic of auto or none cannot be used with any other --nic value."
    } else {
        ""
    };
    CliError::usage(format!(
        "Invalid nic argument '{item}'. Nic arguments must be of the form --nic {form}, \
         with only one of net-id, net-name or port-id specified.{tail} ({detail})"
    ))
}

/// Parses the `--nic` options as novaclient does at `version`, with its error messages
/// (each followed by what exactly was wrong); `None` when there are none.
pub fn parse_nics(items: &[String], version: MicroVersion) -> CliResult<Option<Networks>> {
    if items.is_empty() {
        return Ok(None);
    }
    let auto_allowed = version >= MicroVersion::new(2, 37);
    let tag_allowed = supports_tags(version, false);
    let mut specs = Vec::new();
    let mut special: Option<Networks> = None;
    // As in novaclient, once `auto` or `none` is read any later key is refused.
    let mut auto_or_none = false;
    for item in items {
        let mut spec = NetworkSpec::default();
        let mut any_key = false;
        let mut seen: Vec<&str> = Vec::new();
        for pair in item.split(',') {
            if auto_or_none {
                return Err(CliError::usage(
                    "'auto' or 'none' cannot be used with any other nic arguments",
                ));
            }
            if pair == "auto" || pair == "none" {
                if !auto_allowed {
                    return Err(nic_error(
                        version,
                        item,
                        &format!("--nic {pair} needs 2.37 or later"),
                    ));
                }
                if any_key {
                    return Err(CliError::usage(
                        "'auto' or 'none' cannot be used with any other nic arguments",
                    ));
                }
                auto_or_none = true;
                special = Some(if pair == "auto" {
                    Networks::Auto
                } else {
                    Networks::None
                });
                continue;
            }
            let Some((k, v)) = pair.split_once('=') else {
                return Err(nic_error(
                    version,
                    item,
                    &format!("{pair:?} is not KEY=VALUE"),
                ));
            };
            if seen.contains(&k) {
                return Err(nic_error(version, item, &format!("{k} given twice")));
            }
            seen.push(k);
            any_key = true;
            match k {
                "net-id" => spec.uuid = Some(v.to_owned()),
                "port-id" => spec.port = Some(v.to_owned()),
                "tag" if tag_allowed => spec.tag = Some(v.to_owned()),
                "tag" => {
                    return Err(nic_error(
                        version,
                        item,
                        &format!("a NIC tag needs 2.32-2.36 or 2.42+, not {version}"),
                    ));
                }
                "net-name" => {
                    return Err(nic_error(
                        version,
                        item,
                        "net-name needs the network service, which this client does not \
                         use: give net-id",
                    ));
                }
                "v4-fixed-ip" | "v6-fixed-ip" => {
                    let ip: Option<IpAddr> = v.parse().ok();
                    match ip {
                        Some(ip) if (k == "v4-fixed-ip") == ip.is_ipv4() => {
                            spec.fixed_ip = Some(ip);
                        }
                        _ => {
                            let family = if k == "v4-fixed-ip" { "ipv4" } else { "ipv6" };
                            return Err(CliError::usage(format!(
                                "Invalid {family} address. ({v:?} given for {k})"
                            )));
                        }
                    }
                }
                other => {
                    return Err(nic_error(version, item, &format!("unknown key {other:?}")));
                }
            }
        }
        if auto_or_none {
            continue;
        }
        match (&spec.uuid, &spec.port) {
            (Some(_), Some(_)) => {
                return Err(nic_error(
                    version,
                    item,
                    "give either net-id or port-id, not both",
                ));
            }
            (None, None) => {
                return Err(nic_error(version, item, "net-id or port-id is required"));
            }
            _ => {}
        }
        specs.push(spec);
    }
    if let Some(special) = special {
        if items.len() > 1 {
            let last = items.last().map(String::as_str).unwrap_or_default();
            return Err(nic_error(
                version,
                last,
                "--nic auto or --nic none cannot be combined with other --nic options",
            ));
        }
        return Ok(Some(special));
    }
    Ok(Some(Networks::List(specs)))
}

/// Parses one legacy `--block-device-mapping <dev-name>=<id>:<type>:<size>:<delete>`.
pub fn parse_legacy_bdm(item: &str) -> CliResult<BlockDeviceMapping> {
    let bad = |why: &str| {
        CliError::usage(format!(
            "invalid --block-device-mapping {item:?}: {why} (expected \
             <dev-name>=<id>:<type>:<size(GiB)>:<delete-on-terminate>)"
        ))
    };
    let (device, mapping) = item.split_once('=').ok_or_else(|| bad("no '='"))?;
    // Nova's schema: a device name of 1-255 letters, digits and `._-/`, an id.
    if device.is_empty() || device.len() > 255 {
        return Err(bad(
            "the device name is empty or longer than 255 characters",
        ));
    }
    if !device
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
    {
        return Err(bad(
            "the device name may hold only letters, digits and ._-/",
        ));
    }
    let parts: Vec<&str> = mapping.split(':').collect();
    if parts.len() > 4 {
        return Err(bad("more than four ':'-separated fields"));
    }
    if parts.first().is_none_or(|id| id.is_empty()) {
        return Err(bad("the volume or snapshot id is empty"));
    }
    if let Some(kind) = parts
        .get(1)
        .filter(|k| !k.is_empty() && !matches!(**k, "snap" | "vol"))
    {
        return Err(bad(&format!("the type must be snap or vol, not {kind:?}")));
    }
    let mut bdm = BlockDeviceMapping {
        device_name: device.to_owned(),
        ..Default::default()
    };
    let id = parts.first().copied().unwrap_or_default();
    let kind = parts.get(1).copied().unwrap_or_default();
    if kind == "snap" {
        bdm.snapshot_id = Some(id.to_owned());
    } else {
        bdm.volume_id = Some(id.to_owned());
    }
    if let Some(size) = parts.get(2).filter(|s| !s.is_empty()) {
        bdm.volume_size = Some(size.parse().map_err(|_| bad("size is not a number"))?);
    }
    if let Some(delete) = parts.get(3).filter(|s| !s.is_empty()) {
        bdm.delete_on_termination = Some(parse_bool(delete, "delete-on-terminate")?);
    }
    Ok(bdm)
}

/// Parses one `--block-device key1=value1[,key2=value2...]` as novaclient does at
/// `version`, with its error messages (each followed by what exactly was wrong).
pub fn parse_bdm_v2(item: &str, version: MicroVersion) -> CliResult<BlockDeviceMappingV2> {
    let bad = |why: String| CliError::usage(format!("invalid --block-device {item:?}: {why}"));
    // novaclient's own sentence first, then ours.
    let novaclient = |sentence: String, detail: &str| {
        CliError::usage(format!("{sentence} (--block-device {item:?}: {detail})"))
    };
    let pairs: Vec<(String, String)> = comma_list(item)
        .into_iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) => Ok((k.to_owned(), v.to_owned())),
            None => Err(novaclient(
                format!(
                    "Expected a comma-separated list of key=value pairs. '{p}' is not a \
                     key=value pair."
                ),
                "every item is KEY=VALUE",
            )),
        })
        .collect::<CliResult<_>>()?;
    if pairs.iter().any(|(k, _)| k == "tag") && !supports_tags(version, true) {
        return Err(novaclient(
            format!("'tag' in block device mapping is not supported in API version {version}."),
            "block device tags need 2.32 or 2.42+",
        ));
    }
    if pairs.iter().any(|(k, _)| k == "volume_type") && version < MicroVersion::new(2, 67) {
        return Err(novaclient(
            format!(
                "'volume_type' in block device mapping is not supported in API version \
                 {version}."
            ),
            "volume_type needs 2.67+",
        ));
    }
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let source = match get("source") {
        Some(s @ ("volume" | "image" | "snapshot" | "blank")) => {
            s.parse::<BdmSourceType>().unwrap_or(BdmSourceType::Blank)
        }
        Some(other) => {
            return Err(novaclient(
                format!(
                    "The value of source_type key of --block-device should be one of \
                     'volume', 'image', 'snapshot' or 'blank' but it was '{other}'"
                ),
                "unknown source",
            ));
        }
        None if get("id").is_some() => return Err(bad("source= is required with id=".into())),
        None => BdmSourceType::Blank,
    };
    // novaclient's defaults: images and blanks go to local disk, volumes and snapshots stay
    // volumes; a local device is deleted with the server unless shutdown= says otherwise.
    let dest = match get("dest") {
        Some("local") => BdmDestinationType::Local,
        Some("volume") => BdmDestinationType::Volume,
        Some(_) => BdmDestinationType::Local, // rejected below with the key's message
        None if matches!(source, BdmSourceType::Image | BdmSourceType::Blank) => {
            BdmDestinationType::Local
        }
        None => BdmDestinationType::Volume,
    };
    // Nova refuses a volume, image or snapshot source without the id of one.
    if !matches!(source, BdmSourceType::Blank) && get("id").is_none_or(str::is_empty) {
        return Err(bad(format!(
            "source={} needs id=<the {0}'s id>",
            get("source").unwrap_or_default()
        )));
    }
    for key in [
        "id",
        "device",
        "bus",
        "type",
        "format",
        "tag",
        "volume_type",
    ] {
        if get(key).is_some_and(str::is_empty) {
            return Err(bad(format!("{key}= is empty")));
        }
    }
    if let Some(id) = get("id")
        && !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(bad(format!(
            "id {id:?} may hold only letters, digits and ._- (Nova's schema)"
        )));
    }
    let mut bdm = BlockDeviceMappingV2::new(source).destination_type(dest.clone());
    if dest == BdmDestinationType::Local && get("shutdown").is_none() {
        bdm = bdm.delete_on_termination(true);
    }
    for (k, v) in &pairs {
        bdm = match k.as_str() {
            "source" => bdm,
            "id" => bdm.uuid(v),
            "dest" => bdm.destination_type(match v.as_str() {
                "volume" => BdmDestinationType::Volume,
                "local" => BdmDestinationType::Local,
                other => {
                    return Err(novaclient(
                        format!(
                            "The value of destination_type key of --block-device should be \
                             either 'local' or 'volume' but it was '{other}'"
                        ),
                        "unknown dest",
                    ));
                }
            }),
            "bus" => bdm.disk_bus(v),
            "device" => bdm.device_name(v),
            "size" => bdm.volume_size(
                v.parse()
                    .map_err(|_| bad(format!("size {v:?} is not a number")))?,
            ),
            "format" => bdm.guest_format(v),
            "bootindex" => bdm.boot_index(
                v.parse()
                    .map_err(|_| bad(format!("bootindex {v:?} is not a number")))?,
            ),
            "type" => bdm.device_type(v),
            "shutdown" => bdm.delete_on_termination(match v.as_str() {
                "remove" => true,
                "preserve" => false,
                other => {
                    return Err(novaclient(
                        format!(
                            "The value of shutdown key of --block-device shall be either \
                             'remove' or 'preserve' but it was '{other}'"
                        ),
                        "unknown shutdown",
                    ));
                }
            }),
            "tag" => bdm.tag(v),
            "volume_type" => bdm.volume_type(v),
            other => return Err(bad(format!("unknown key {other:?}"))),
        };
    }
    Ok(bdm)
}

/// Parses the `--hint` options.
pub fn parse_hints(items: &[String]) -> CliResult<Option<SchedulerHints>> {
    if items.is_empty() {
        return Ok(None);
    }
    let mut hints = SchedulerHints::default();
    for item in items {
        let (k, v) = item.split_once('=').ok_or_else(|| {
            CliError::usage(format!("invalid --hint {item:?}: expected KEY=VALUE"))
        })?;
        if k.is_empty() {
            return Err(CliError::usage(format!(
                "invalid --hint {item:?}: the key before '=' is empty"
            )));
        }
        if matches!(k, "group" | "same_host" | "different_host") && v.is_empty() {
            return Err(CliError::usage(format!(
                "invalid --hint {item:?}: {k} needs a server group or server id"
            )));
        }
        // What Nova's `_hints` schema refuses with a 400, refused before sending.
        let well_formed = match k {
            "group" | "same_host" | "different_host" => crate::resolve::looks_like_uuid(v),
            "build_near_host_ip" => v.parse::<std::net::IpAddr>().is_ok(),
            "cidr" => v.strip_prefix('/').is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_digit() || "abcdef.:".contains(c))
            }),
            _ => true,
        };
        if !well_formed {
            let expected = match k {
                "group" => "a server group's UUID",
                "same_host" | "different_host" => "a server's UUID",
                "build_near_host_ip" => "an IP address",
                _ => "/<prefix length> (Nova's pattern ^/[0-9a-f.:]+$)",
            };
            return Err(CliError::usage(format!(
                "invalid --hint {item:?}: {k} must be {expected}"
            )));
        }
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
                    Some(prev) => json!([prev, v]),
                };
                hints.other(k, value)
            }
        };
    }
    Ok(Some(hints))
}

/// Parses one `--file <dst-path=src-path>`.
pub fn parse_file(item: &str) -> CliResult<(&str, &str)> {
    match item.split_once('=') {
        Some((dst, src)) if !dst.is_empty() && !src.is_empty() => Ok((dst, src)),
        _ => Err(CliError::usage(format!(
            "Invalid file argument '{item}'. File arguments must be of the form \
             '--file <dst-path=src-path>'"
        ))),
    }
}

/// Parses one `--ephemeral size=<GiB>[,format=<fmt>]` into a local blank device, like
/// novaclient (`boot_index` -1, deleted with the server).
pub fn parse_ephemeral(item: &str) -> CliResult<BlockDeviceMappingV2> {
    let bad = |why: String| CliError::usage(format!("Invalid ephemeral argument '{item}': {why}"));
    let mut bdm = BlockDeviceMappingV2::new(BdmSourceType::Blank)
        .destination_type(BdmDestinationType::Local)
        .boot_index(-1)
        .delete_on_termination(true);
    for pair in comma_list(item) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| bad(format!("{pair:?} is not KEY=VALUE")))?;
        bdm = match k {
            "size" => bdm.volume_size(
                v.parse()
                    .map_err(|_| bad(format!("size {v:?} is not a number")))?,
            ),
            "format" => bdm.guest_format(v),
            other => {
                return Err(bad(format!(
                    "unknown key {other:?} (use size= and format=)"
                )));
            }
        };
    }
    Ok(bdm)
}

/// The local swap device of `--swap <MiB>`, like novaclient.
pub fn swap_device(mib: u64) -> BlockDeviceMappingV2 {
    BlockDeviceMappingV2::new(BdmSourceType::Blank)
        .destination_type(BdmDestinationType::Local)
        .boot_index(-1)
        .delete_on_termination(true)
        .guest_format("swap")
        .volume_size(mib)
}

async fn request(ctx: &Ctx, a: &BootArgs) -> CliResult<CreateServer> {
    let cloud = &ctx.cloud;
    let version = cloud.compute.microversion();
    check_counts(a)?;
    let flavor = crate::resolve::flavor(cloud.compute.as_ref(), &a.flavor).await?;
    let mut req = CreateServer::new(&a.name, flavor.id);
    let sources = [
        a.image.is_some(),
        a.boot_volume.is_some(),
        a.snapshot.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        return Err(CliError::usage(
            "give only one of --image, --boot-volume and --snapshot",
        ));
    }
    if let Some(image) = &a.image {
        req = req.image(crate::resolve::image(&cloud.session, &cloud.config, image).await?);
    }
    if let Some(volume) = &a.boot_volume {
        req = req.block_device_mapping_v2(BlockDeviceMappingV2::boot_from_volume(volume));
    }
    if let Some(snapshot) = &a.snapshot {
        req = req.block_device_mapping_v2(
            BlockDeviceMappingV2::new(BdmSourceType::Snapshot)
                .uuid(snapshot)
                .destination_type(BdmDestinationType::Volume)
                .boot_index(0),
        );
    }
    if a.image.is_none()
        && a.boot_volume.is_none()
        && a.snapshot.is_none()
        && a.block_device.is_empty()
        && a.block_device_mapping.is_empty()
        && a.ephemeral.is_empty()
        && a.swap.is_none()
    {
        return Err(CliError::usage(
            "you need to specify at least one source ID (Image, Snapshot, or Volume), a block \
             device mapping or provide a set of properties to match against an image \
             (give --image, --boot-volume, --snapshot or --block-device)",
        ));
    }
    for (k, v) in key_values(&a.meta, "--meta")? {
        req = req.metadata(k, v);
    }
    if let Some(n) = a.min_count {
        req = req.min_count(n);
    }
    if let Some(n) = a.max_count {
        req = req.max_count(n);
    }
    if let Some(key) = &a.key_name {
        req = req.key_name(key);
    }
    if let Some(path) = &a.user_data {
        req = req.user_data(read_file(path, "user data file")?);
    }
    if let Some(zone) = &a.availability_zone {
        req = req.availability_zone(zone);
    }
    for group in a
        .security_groups
        .as_deref()
        .map(comma_list)
        .unwrap_or_default()
    {
        req = req.security_group(group);
    }
    for item in &a.block_device_mapping {
        req = req.block_device_mapping(parse_legacy_bdm(item)?);
    }
    for item in &a.block_device {
        req = req.block_device_mapping_v2(parse_bdm_v2(item, version)?);
    }
    for item in &a.ephemeral {
        req = req.block_device_mapping_v2(parse_ephemeral(item)?);
    }
    if let Some(mib) = a.swap {
        req = req.block_device_mapping_v2(swap_device(mib));
    }
    if !a.block_device_mapping.is_empty()
        && (!a.block_device.is_empty()
            || a.boot_volume.is_some()
            || a.snapshot.is_some()
            || !a.ephemeral.is_empty()
            || a.swap.is_some())
    {
        return Err(CliError::usage(
            "you can't mix old block devices (--block-device-mapping) with the new ones \
             (--block-device, --boot-volume, --snapshot, --ephemeral, --swap)",
        ));
    }
    for item in &a.files {
        let (dst, src) = parse_file(item)?;
        req = req.personality(dst, read_file(std::path::Path::new(src), "file")?);
    }
    if let Some(ip) = a.access_ip_v4 {
        req = req.access_ipv4(ip);
    }
    if let Some(ip) = a.access_ip_v6 {
        req = req.access_ipv6(ip);
    }
    for id in a
        .trusted_image_certificates
        .iter()
        .filter(|i| !i.is_empty())
    {
        req = req.trusted_image_certificate(id);
    }
    if let Some(host) = &a.host {
        req = req.host(host);
    }
    if let Some(node) = &a.hypervisor_hostname {
        req = req.hypervisor_hostname(node);
    }
    if let Some(hints) = parse_hints(&a.hint)? {
        req = req.scheduler_hints(hints);
    }
    match parse_nics(&a.nic, version)? {
        Some(networks) => req = req.networks(networks),
        // novaclient's default from 2.37, where Nova requires `networks`
        None if cloud.compute.microversion() >= MicroVersion::new(2, 37) => {
            req = req.networks(Networks::Auto);
        }
        None => {}
    }
    if let Some(value) = &a.config_drive {
        let on = parse_bool(value, "--config-drive").map_err(|_| {
            CliError::usage(format!(
                "The value of the '--config-drive' option must be a boolean value. \
                 ({value:?} is not true or false)"
            ))
        })?;
        req = req.config_drive(on);
    }
    if let Some(d) = &a.description {
        req = req.description(d);
    }
    for tag in a.tags.as_deref().map(comma_list).unwrap_or_default() {
        req = req.tag(tag);
    }
    if let Some(h) = &a.hostname {
        req = req.hostname(h);
    }
    if let Some(p) = &a.admin_pass {
        req = req.admin_pass(p.expose_secret());
    }
    Ok(req)
}

/// novaclient's checks of `--min-count` / `--max-count`, before anything is looked up.
fn check_counts(a: &BootArgs) -> CliResult<()> {
    if a.min_count == Some(0) {
        return Err(CliError::usage("min_count should be >= 1 (--min-count 0)"));
    }
    if a.max_count == Some(0) {
        return Err(CliError::usage("max_count should be >= 1 (--max-count 0)"));
    }
    if let (Some(min), Some(max)) = (a.min_count, a.max_count)
        && min > max
    {
        return Err(CliError::usage(format!(
            "min_count should be <= max_count (--min-count {min} > --max-count {max})"
        )));
    }
    Ok(())
}

/// `nova boot`.
pub async fn boot(ctx: &Ctx, a: BootArgs) -> CliResult<Output> {
    let req = request(ctx, &a).await?;
    let servers = ctx.cloud.compute.servers();
    if a.return_reservation_id {
        let id = servers.create_reservation(&req).await?.value;
        let mut map = serde_json::Map::new();
        map.insert("reservation_id".into(), json!(id));
        return Ok(Output::object(map));
    }
    let created = servers.create(&req).await?.value;
    let server = if a.poll {
        let (options, reporter) = ctx.wait.options("Server building", &created.id);
        interruptible(
            &reporter,
            &format!("server {} to become ACTIVE", created.id),
            wait_for_status(&*servers, &created.id, ServerStatus::Active, &options),
        )
        .await?
    } else {
        servers.get(&created.id).await?.value
    };
    let mut map = super::servers::view(ctx, &server, false).await?;
    if let Some(pass) = &created.admin_pass {
        map.insert("adminPass".into(), json!(pass.expose_secret()));
    }
    Ok(Output::object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nics_parse_like_novaclient() {
        let latest = MicroVersion::new(2, 96);
        let one = parse_nics(&["net-id=n1,v4-fixed-ip=10.0.0.5,tag=a".into()], latest)
            .unwrap_or_else(|e| panic!("{e}"));
        match one {
            Some(Networks::List(specs)) => {
                assert_eq!(specs[0].uuid.as_deref(), Some("n1"));
                assert_eq!(specs[0].tag.as_deref(), Some("a"));
                assert!(specs[0].fixed_ip.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_nics(&["auto".into()], latest).ok().flatten(),
            Some(Networks::Auto)
        );
        for bad in [
            vec!["auto".to_owned(), "none".to_owned()],
            vec!["net-id=a,port-id=b".to_owned()],
            vec!["v4-fixed-ip=10.0.0.1".to_owned()],
            vec!["net-id=a,v4-fixed-ip=fd00::1".to_owned()],
            vec!["bogus=1,net-id=a".to_owned()],
        ] {
            assert_eq!(
                parse_nics(&bad, latest).err().map(|e| e.exit_code()),
                Some(2),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn nic_errors_start_with_novaclients_sentence() {
        let old = MicroVersion::new(2, 31);
        let tagged = parse_nics(&["net-id=n1,tag=a".into()], old)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(
            tagged.starts_with(
                "Invalid nic argument 'net-id=n1,tag=a'. Nic arguments must be of the form \
                 --nic <net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,\
                 v6-fixed-ip=ip-addr,port-id=port-uuid>, with only one of net-id, net-name or \
                 port-id specified. ("
            ),
            "{tagged}"
        );
        let auto = parse_nics(&["auto".into()], old).err().map(|e| e.message);
        assert!(auto.is_some_and(|m| m.starts_with("Invalid nic argument 'auto'.")));
        let ip = parse_nics(
            &["net-id=a,v4-fixed-ip=fd00::1".into()],
            MicroVersion::new(2, 96),
        )
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
        assert!(ip.starts_with("Invalid ipv4 address."), "{ip}");
        let mixed = parse_nics(
            &["auto".into(), "net-id=a".into()],
            MicroVersion::new(2, 96),
        )
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
        assert_eq!(
            mixed,
            "'auto' or 'none' cannot be used with any other nic arguments"
        );
    }

    #[test]
    fn block_device_errors_start_with_novaclients_sentence() {
        let message = |item: &str, minor: u16| {
            parse_bdm_v2(item, MicroVersion::new(2, minor))
                .err()
                .map(|e| e.message)
                .unwrap_or_default()
        };
        assert!(
            message("source=blank,size=1,tag=t", 31).starts_with(
                "'tag' in block device mapping is not supported in API version 2.31. ("
            ),
        );
        assert!(parse_bdm_v2("source=blank,size=1,tag=t", MicroVersion::new(2, 32)).is_ok());
        assert!(
            message("source=blank,size=1,volume_type=x", 66).starts_with(
                "'volume_type' in block device mapping is not supported in API version 2.66."
            )
        );
        assert!(message("source=floppy", 96).starts_with(
            "The value of source_type key of --block-device should be one of 'volume', \
             'image', 'snapshot' or 'blank' but it was 'floppy' ("
        ));
        assert!(message("source=blank,shutdown=keep", 96).starts_with(
            "The value of shutdown key of --block-device shall be either 'remove' or \
             'preserve' but it was 'keep'"
        ));
    }

    #[test]
    fn block_devices_parse() {
        let latest = MicroVersion::new(2, 96);
        let legacy = parse_legacy_bdm("vdb=vol-1:snap:10:true").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(legacy.snapshot_id.as_deref(), Some("vol-1"));
        assert_eq!(legacy.volume_size, Some(10));
        assert_eq!(legacy.delete_on_termination, Some(true));
        let v2 = parse_bdm_v2(
            "source=image,id=img,dest=volume,size=5,bootindex=0,shutdown=remove",
            latest,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v2.source_type, BdmSourceType::Image);
        assert_eq!(v2.uuid.as_deref(), Some("img"));
        assert_eq!(v2.boot_index, Some(0));
        assert_eq!(v2.delete_on_termination, Some(true));
        assert!(parse_bdm_v2("dest=nowhere", latest).is_err());
        assert!(parse_bdm_v2("source=floppy", latest).is_err());
        let blank = parse_bdm_v2("size=1", latest).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(blank.destination_type, Some(BdmDestinationType::Local));
        assert_eq!(blank.delete_on_termination, Some(true));
        let vol = parse_bdm_v2("source=volume,id=v", latest).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(vol.destination_type, Some(BdmDestinationType::Volume));
        assert_eq!(vol.delete_on_termination, None);
        assert!(parse_bdm_v2("id=x", latest).is_err());
    }

    #[test]
    fn malformed_block_devices_and_hints_are_refused_like_novas_schema() {
        for bad in ["=x", "vda=::::", "vda=", "vd a=v1", "vda=v1:disk"] {
            let err = parse_legacy_bdm(bad).err().map(|e| e.message);
            assert!(err.is_some(), "{bad} accepted");
        }
        assert!(parse_legacy_bdm("vda=v1:vol:1:false").is_ok());
        for bad in [
            "source=volume",
            "source=image,id=",
            "source=snapshot,id=a b",
            "size=1,device=",
        ] {
            let err = parse_bdm_v2(bad, MicroVersion::new(2, 100))
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
            assert!(err.contains("--block-device"), "{bad}: {err}");
        }
        for bad in [
            "===",
            "=x",
            "group=",
            "group=my-group",
            "same_host=web-1",
            "different_host=x",
            "build_near_host_ip=host",
            "cidr=24",
        ] {
            let err = parse_hints(&[bad.into()])
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
            assert!(err.starts_with("invalid --hint"), "{bad} accepted: {err}");
        }
        for good in [
            "query==x",
            "group=70a599e0-31e7-49b7-b260-868f441e862b",
            "same_host=70a599e031e749b7b260868f441e862b",
            "build_near_host_ip=10.0.0.1",
            "cidr=/24",
        ] {
            assert!(parse_hints(&[good.into()]).is_ok(), "{good} refused");
        }
    }

    #[test]
    fn swap_ephemeral_and_files_parse_like_novaclient() {
        let eph = parse_ephemeral("size=2,format=ext4").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(eph.source_type, BdmSourceType::Blank);
        assert_eq!(eph.destination_type, Some(BdmDestinationType::Local));
        assert_eq!(eph.boot_index, Some(-1));
        assert_eq!(eph.volume_size, Some(2));
        assert_eq!(eph.guest_format.as_deref(), Some("ext4"));
        assert_eq!(eph.delete_on_termination, Some(true));
        assert!(parse_ephemeral("size=big").is_err());
        assert!(parse_ephemeral("colour=red").is_err());
        let swap = swap_device(512);
        assert_eq!(swap.guest_format.as_deref(), Some("swap"));
        assert_eq!(swap.volume_size, Some(512));
        assert_eq!(
            parse_file("/etc/motd=./motd").ok(),
            Some(("/etc/motd", "./motd"))
        );
        assert!(parse_file("/etc/motd").is_err());
    }

    #[test]
    fn hints_collect_repeats() {
        let group = "70a599e0-31e7-49b7-b260-868f441e862b";
        let hints = parse_hints(&["foo=a".into(), "foo=b".into(), format!("group={group}")])
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_default();
        assert_eq!(hints.group.as_deref(), Some(group));
        assert_eq!(hints.other.get("foo"), Some(&json!(["a", "b"])));
    }
}
