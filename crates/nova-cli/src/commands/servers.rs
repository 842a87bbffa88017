//! `list`, `show`, `delete` and the server views they print.

use futures::StreamExt;
use nova_v2::{PowerState, Server, ServerQuery, ServerStatus, SortDir, wait_for_delete};
use serde_json::{Map, Value, json};

use super::{Ctx, comma_list, for_each_server};
use crate::cli::{ListArgs, UpdateArgs};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::progress::interruptible;

/// novaclient's names for power states.
pub fn power_state_name(state: Option<&PowerState>) -> String {
    match state {
        None => "NOSTATE".to_owned(),
        Some(s) => match s.code() {
            0 => "NOSTATE",
            1 => "Running",
            3 => "Paused",
            4 => "Shutdown",
            6 => "Crashed",
            7 => "Suspended",
            _ => "",
        }
        .to_owned(),
    }
}

/// `net1=10.0.0.3, fd00::3; net2=...`, as novaclient's Networks column.
pub fn networks(server: &Server) -> String {
    server
        .addresses
        .iter()
        .map(|(net, addrs)| {
            let ips: Vec<&str> = addrs.iter().map(|a| a.addr.as_str()).collect();
            format!("{net}={}", ips.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn as_map(server: &Server) -> Map<String, Value> {
    match serde_json::to_value(server) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Keys Nova sends as null, with the microversion that added them (a null key of the typed
/// server is otherwise one the response did not have).
const KEEP_NULL: &[(&str, u16)] = &[
    ("OS-EXT-STS:task_state", 1),
    ("OS-SRV-USG:terminated_at", 1),
    ("key_name", 1),
    ("description", 19),
    ("trusted_image_certificates", 63),
    ("locked_reason", 73),
    ("pinned_availability_zone", 96),
];

/// Whether `key` with a null value is one Nova sends at `version`.
fn kept_null(key: &str, version: nova_core::MicroVersion) -> bool {
    KEEP_NULL
        .iter()
        .any(|(k, minor)| *k == key && version >= nova_core::MicroVersion::new(2, *minor))
}

/// The `Property | Value` view of a server at `version`, shaped like novaclient's
/// `_print_server` without its lookups (see [`view`]).
pub fn details(server: &Server, version: nova_core::MicroVersion) -> Map<String, Value> {
    let mut map = as_map(server);
    // Keys the response did not have decode as null; show only those Nova sends as null.
    map.retain(|k, v| !v.is_null() || kept_null(k, version));
    map.remove("links");
    map.remove("addresses");
    for (net, addrs) in &server.addresses {
        let ips: Vec<&str> = addrs.iter().map(|a| a.addr.as_str()).collect();
        map.insert(format!("{net} network"), json!(ips.join(", ")));
    }
    match map.remove("image") {
        Some(Value::Object(image)) => {
            map.insert(
                "image".into(),
                image.get("id").cloned().unwrap_or(Value::Null),
            );
        }
        Some(_) => {
            map.insert(
                "image".into(),
                json!("Attempt to boot from volume - no image supplied"),
            );
        }
        None => {}
    }
    if let Some(Value::Object(flavor)) = map.remove("flavor") {
        if flavor.contains_key("original_name") {
            for (k, v) in flavor {
                map.insert(format!("flavor:{k}"), v);
            }
        } else {
            map.insert(
                "flavor".into(),
                flavor.get("id").cloned().unwrap_or(Value::Null),
            );
        }
    }
    if let Some(Value::Array(groups)) = map.remove("security_groups")
        && !groups.is_empty()
    {
        // Once per name, sorted (Nova repeats a group for every port).
        let names: std::collections::BTreeSet<&str> =
            groups.iter().filter_map(|g| g["name"].as_str()).collect();
        let names: Vec<&str> = names.into_iter().collect();
        map.insert("security_groups".into(), json!(names.join(", ")));
    }
    map
}

/// novaclient's `_print_server`: [`details`] with the flavor and image rows as novaclient
/// shows them. From 2.47 the embedded flavor is `flavor:*` rows, or with `minimal` one
/// `flavor` row with its original name; below 2.47 `flavor` and `image` are `NAME (ID)`
/// (looked up; `Flavor not found (ID)` / `Image not found (ID)`), or bare ids with `minimal`.
pub async fn view(ctx: &Ctx, server: &Server, minimal: bool) -> CliResult<Map<String, Value>> {
    let compute = ctx.cloud.compute.as_ref();
    let mut map = details(server, compute.microversion());
    map.remove("OS-EXT-SRV-ATTR:user_data");
    if compute.microversion() >= nova_core::MicroVersion::new(2, 47) {
        if minimal {
            map.retain(|k, _| !k.starts_with("flavor:"));
            let name = server
                .flavor
                .as_ref()
                .and_then(|f| f.original_name())
                .map_or(Value::Null, |n| json!(n));
            map.insert("flavor".into(), name);
        }
    } else if !minimal && let Some(id) = server.flavor.as_ref().and_then(|f| f.id()) {
        let label = match compute.flavors().get(id).await {
            Ok(found) => format!("{} ({id})", found.value.name),
            Err(_) => format!("Flavor not found ({id})"),
        };
        map.insert("flavor".into(), json!(label));
    }
    if !minimal && let Some(id) = server.image.as_ref().and_then(|i| i.id()) {
        let cloud = &ctx.cloud;
        let name = crate::resolve::image_details(&cloud.session, &cloud.config, id)
            .await
            .ok()
            .flatten()
            .and_then(|image| image["name"].as_str().map(str::to_owned));
        let label = match name {
            Some(name) => format!("{name} ({id})"),
            None => format!("Image not found ({id})"),
        };
        map.insert("image".into(), json!(label));
    }
    Ok(map)
}

/// `nova show [--minimal]`.
pub async fn show(ctx: &Ctx, name_or_id: &str, minimal: bool) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let mut server = crate::resolve::server(compute, name_or_id).await?;
    if server.id != name_or_id {
        // Found by name in a listing: read it again by id, as novaclient does, for the fields
        // Nova only shows one server with (server_groups from 2.71).
        server = compute.servers().get(&server.id).await?.value;
    }
    Ok(Output::object(view(ctx, &server, minimal).await?))
}

fn sort_keys(text: &str) -> CliResult<Vec<(String, SortDir)>> {
    comma_list(text)
        .into_iter()
        .map(|item| {
            let (key, dir) = match item.split_once(':') {
                Some((k, d)) => (k.to_owned(), Some(d.to_owned())),
                None => (item, None),
            };
            let dir = match dir.as_deref() {
                None | Some("desc") => SortDir::Desc,
                Some("asc") => SortDir::Asc,
                Some(other) => {
                    return Err(CliError::usage(format!(
                        "unknown sort direction {other:?} for {key}: use asc or desc"
                    )));
                }
            };
            Ok((key, dir))
        })
        .collect()
}

/// Whether `list` asks for every project: `--all-tenants [N]` (N != 0), else the
/// `ALL_TENANTS` variable novaclient reads (a boolean spelling), and always with `--tenant`.
fn all_tenants(a: &ListArgs) -> bool {
    let asked = match a.all_tenants {
        Some(n) => n != 0,
        None => std::env::var("ALL_TENANTS")
            .ok()
            .and_then(|v| super::parse_bool(&v, "ALL_TENANTS").ok())
            .unwrap_or(false),
    };
    asked || a.tenant.is_some()
}

async fn query(ctx: &Ctx, a: &ListArgs) -> CliResult<ServerQuery> {
    let mut q = ServerQuery::new();
    if let Some(v) = &a.name {
        q = q.name(v);
    }
    if let Some(v) = &a.status {
        q = q.status(
            v.to_ascii_uppercase()
                .parse::<ServerStatus>()
                .unwrap_or_default(),
        );
    }
    if let Some(v) = &a.flavor {
        q = q.flavor(
            crate::resolve::flavor(ctx.cloud.compute.as_ref(), v)
                .await?
                .id,
        );
    }
    if let Some(v) = &a.image {
        q = q.image(crate::resolve::image(&ctx.cloud.session, &ctx.cloud.config, v).await?);
    }
    if let Some(v) = &a.host {
        q = q.host(v);
    }
    if let Some(v) = &a.ip {
        q = q.ip(v);
    }
    if let Some(v) = &a.ip6 {
        q = q.ip6(v);
    }
    if let Some(v) = &a.reservation_id {
        q = q.reservation_id(v);
    }
    if all_tenants(a) {
        q = q.all_tenants(true);
    }
    if let Some(v) = &a.tenant {
        q = q.project_id(v);
    }
    if let Some(v) = &a.user {
        q = q.user_id(v);
    }
    if a.deleted {
        q = q.deleted(true);
    }
    if let Some(v) = &a.changes_since {
        q = q.changes_since(v);
    }
    if let Some(v) = &a.changes_before {
        q = q.changes_before(v);
    }
    for (text, add) in [
        (
            &a.tags,
            ServerQuery::tag as fn(ServerQuery, String) -> ServerQuery,
        ),
        (&a.tags_any, ServerQuery::tag_any),
        (&a.not_tags, ServerQuery::not_tag),
        (&a.not_tags_any, ServerQuery::not_tag_any),
    ] {
        for tag in text.as_deref().map(comma_list).unwrap_or_default() {
            q = add(q, tag);
        }
    }
    if let Some(v) = a.locked {
        q = q.locked(v);
    }
    if let Some(v) = &a.availability_zone {
        q = q.availability_zone(v);
    }
    if let Some(v) = &a.key_name {
        q = q.key_name(v);
    }
    if a.config_drive || a.no_config_drive {
        q = q.config_drive(a.config_drive);
    }
    if let Some(v) = a.progress {
        q = q.progress(v);
    }
    if let Some(v) = &a.vm_state {
        q = q.vm_state(v.parse().unwrap_or_else(|e| match e {}));
    }
    if let Some(v) = &a.task_state {
        q = q.task_state(v.parse().unwrap_or_else(|e| match e {}));
    }
    if let Some(v) = &a.power_state {
        q = q.power_state(power_state_code(v)?);
    }
    if let Some(sort) = &a.sort {
        for (key, dir) in sort_keys(sort)? {
            q = q.sort(key, dir);
        }
    }
    if let Some(m) = &a.marker {
        q = q.marker(m);
    }
    match a.limit {
        None | Some(-1) => {}
        Some(n) if n >= 0 => {
            q = q.limit(u32::try_from(n).unwrap_or(u32::MAX));
        }
        Some(n) => {
            return Err(CliError::usage(format!(
                "invalid --limit {n}: use -1 (all) or a number >= 0"
            )));
        }
    }
    Ok(q)
}

/// The power state of a `--power-state` name (novaclient's names, as in Nova's
/// `InstancePowerState`).
fn power_state_code(name: &str) -> CliResult<PowerState> {
    let code = match name {
        "pending" => 0,
        "running" => 1,
        "paused" => 3,
        "shutdown" => 4,
        "crashed" => 6,
        "suspended" => 7,
        other => {
            return Err(CliError::usage(format!(
                "invalid --power-state {other:?}: use pending, running, paused, shutdown, \
                 crashed or suspended"
            )));
        }
    };
    Ok(PowerState::from_code(code))
}

/// A server as novaclient's `list --fields` sees it: the keys Nova sent, the short names it
/// adds (`host`, `task_state`, `instance_name`, `power_state` as a name, `host_id`), the
/// embedded flavor as `flavor:*` from 2.47 (else the flavor id), security groups by name.
fn list_view(server: &Server, version: nova_core::MicroVersion) -> Map<String, Value> {
    let embedded_flavor = version >= nova_core::MicroVersion::new(2, 47);
    let mut map = as_map(server);
    map.retain(|k, v| !v.is_null() || kept_null(k, version));
    for (from, to) in [
        ("OS-EXT-SRV-ATTR:host", "host"),
        ("OS-EXT-STS:task_state", "task_state"),
        ("OS-EXT-SRV-ATTR:instance_name", "instance_name"),
        ("OS-EXT-STS:power_state", "power_state"),
        ("hostId", "host_id"),
    ] {
        if !map.contains_key(to)
            && let Some(v) = map.get(from).cloned()
        {
            map.insert(to.to_owned(), v);
        }
    }
    let power = match server.power_state {
        Some(_) => json!(power_state_name(server.power_state.as_ref())),
        None => json!("N/A"),
    };
    map.insert("power_state".into(), power);
    map.entry("task_state").or_insert_with(|| json!("N/A"));
    match map.remove("flavor") {
        Some(Value::Object(flavor)) if embedded_flavor => {
            for (k, v) in flavor {
                map.insert(format!("flavor:{k}"), v);
            }
            // novaclient still accepts the field `flavor` here, and prints it empty.
            map.insert("flavor".into(), json!(""));
        }
        Some(Value::Object(flavor)) => {
            map.insert(
                "flavor".into(),
                flavor.get("id").cloned().unwrap_or(Value::Null),
            );
        }
        Some(other) => {
            map.insert("flavor".into(), other);
        }
        None => {}
    }
    match map.remove("security_groups") {
        Some(Value::Array(groups)) if !groups.is_empty() => {
            let names: Vec<&str> = groups.iter().filter_map(|g| g["name"].as_str()).collect();
            map.insert("security_groups".into(), json!(names.join(", ")));
        }
        // An empty list is what the typed server holds when Nova sent none.
        _ => {}
    }
    map
}

/// novaclient's column title for a field (`_format_field_name`): the part after the last
/// `:` with `_` as spaces, title-cased unless of mixed case; `flavor:disk` is `flavor: Disk`.
fn field_title(field: &str) -> String {
    let (prefix, last) = match field.rsplit_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, field),
    };
    let name = last.replace('_', " ");
    let has_upper = name.chars().any(char::is_uppercase);
    let has_lower = name.chars().any(char::is_lowercase);
    let name = if has_upper && has_lower {
        name
    } else {
        title_case(&name)
    };
    match prefix {
        Some(p) => format!("{p}: {name}"),
        None => name,
    }
}

/// Python's `str.title()`: a letter after a non-letter is upper case, the rest lower case.
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_letter = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if after_letter {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            after_letter = true;
        } else {
            out.push(c);
            after_letter = false;
        }
    }
    out
}

/// `list --fields`: `ID` then each named field once (novaclient refuses a field the first
/// server does not have).
fn fields_table(
    servers: &[Server],
    fields: &str,
    version: nova_core::MicroVersion,
) -> CliResult<Output> {
    let views: Vec<Map<String, Value>> = servers.iter().map(|s| list_view(s, version)).collect();
    let mut chosen: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for field in fields.split(',') {
        let known = field == "networks" || views.first().is_none_or(|v| v.contains_key(field));
        if !known {
            missing.push(format!("'{field}'"));
        } else if field != "id" && !chosen.iter().any(|c| c == field) {
            chosen.push(field.to_owned());
        }
    }
    if !missing.is_empty() {
        return Err(CliError::usage(format!(
            "Non-existent fields are specified: [{}]",
            missing.join(", ")
        )));
    }
    let mut columns = vec!["ID".to_owned()];
    columns.extend(chosen.iter().map(|f| field_title(f)));
    let rows = servers
        .iter()
        .zip(&views)
        .map(|(server, view)| {
            let mut row = vec![json!(server.id)];
            row.extend(chosen.iter().map(|f| match f.as_str() {
                "networks" => json!(networks(server)),
                other => view.get(other).cloned().unwrap_or_else(|| json!("")),
            }));
            row
        })
        .collect();
    Ok(Output::List { columns, rows })
}

/// `nova list`.
pub async fn list(ctx: &Ctx, a: ListArgs) -> CliResult<Output> {
    let q = query(ctx, &a).await?;
    let servers_api = ctx.cloud.compute.servers();
    let servers: Vec<Server> = if a.limit == Some(-1) {
        let mut stream = servers_api.list_all(q);
        let mut all = Vec::new();
        while let Some(item) = stream.next().await {
            all.push(item?);
        }
        all
    } else {
        servers_api.list(&q).await?.value.items
    };
    if a.minimal {
        let rows = servers
            .iter()
            .map(|s| vec![json!(s.id), json!(s.name)])
            .collect();
        return Ok(Output::list(&["ID", "Name"], rows));
    }
    if let Some(fields) = a.fields.as_deref().filter(|_| !servers.is_empty()) {
        return fields_table(&servers, fields, ctx.cloud.compute.microversion());
    }
    // novaclient adds `Tenant ID` for every project and `Updated` with a changes filter.
    let with_tenant = all_tenants(&a);
    let with_updated = a.changes_since.is_some()
        || (a.changes_before.is_some()
            && ctx.cloud.compute.microversion() >= nova_core::MicroVersion::new(2, 66));
    let rows = servers
        .iter()
        .map(|s| {
            let mut row = vec![
                json!(s.id),
                json!(s.name),
                json!(s.status.to_string()),
                s.task_state
                    .as_ref()
                    .map_or(Value::Null, |t| json!(t.to_string())),
                json!(power_state_name(s.power_state.as_ref())),
                json!(networks(s)),
            ];
            if with_tenant {
                row.insert(2, json!(s.tenant_id));
            }
            if with_updated {
                row.push(json!(s.updated));
            }
            row
        })
        .collect();
    let mut columns = vec![
        "ID",
        "Name",
        "Status",
        "Task State",
        "Power State",
        "Networks",
    ];
    if with_tenant {
        columns.insert(2, "Tenant ID");
    }
    if with_updated {
        columns.push("Updated");
    }
    Ok(Output::list(&columns, rows))
}

/// `nova delete [--wait]`.
pub async fn delete(ctx: &Ctx, names: &[String], wait: bool) -> CliResult<Output> {
    let servers_api = ctx.cloud.compute.servers();
    for_each_server(ctx, names, "delete", |server| {
        let servers_api = servers_api.clone();
        async move {
            servers_api.delete(&server.id).await?;
            println!(
                "Request to delete server {} has been accepted.",
                server.name
            );
            if wait {
                let (options, reporter) = ctx.wait.options("Deleting", &server.id);
                interruptible(
                    &reporter,
                    &format!("server {} to be deleted", server.id),
                    wait_for_delete(&*servers_api, &server.id, &options),
                )
                .await?;
            }
            Ok(())
        }
    })
    .await?;
    Ok(Output::Nothing)
}

/// `nova update [--name] [--description] [--hostname]`: prints nothing, like novaclient.
pub async fn update(ctx: &Ctx, a: UpdateArgs) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, &a.server).await?;
    let mut req = nova_v2::UpdateServer::new();
    if let Some(name) = &a.name {
        req = req.name(name);
    }
    match a.description.as_deref() {
        Some("") => req = req.clear_description(),
        Some(d) => req = req.description(d),
        None => {}
    }
    if let Some(h) = &a.hostname {
        req = req.hostname(h);
    }
    if a.name.is_none() && a.description.is_none() && a.hostname.is_none() {
        return Ok(Output::Nothing);
    }
    compute.servers().update(&server.id, &req).await?;
    Ok(Output::Nothing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_titles_are_novaclients() {
        assert_eq!(field_title("name"), "Name");
        assert_eq!(field_title("flavor:disk"), "flavor: Disk");
        assert_eq!(field_title("flavor:original_name"), "flavor: Original Name");
        assert_eq!(field_title("OS-EXT-STS:vm_state"), "OS-EXT-STS: Vm State");
        assert_eq!(field_title("hostId"), "hostId");
        assert_eq!(field_title("task_state"), "Task State");
    }
}
