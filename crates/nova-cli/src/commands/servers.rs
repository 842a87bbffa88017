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

/// Keys shown even when null (Nova sends them as null).
const KEEP_NULL: &[&str] = &[
    "OS-EXT-STS:task_state",
    "OS-SRV-USG:terminated_at",
    "description",
    "key_name",
    "locked_reason",
];

/// The `Property | Value` view of a server, shaped like novaclient's `_print_server`.
pub fn details(server: &Server) -> Map<String, Value> {
    let mut map = as_map(server);
    // Keys the response did not have decode as null; show only those Nova sends as null.
    map.retain(|k, v| !v.is_null() || KEEP_NULL.contains(&k.as_str()));
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
    if let Some(Value::Array(groups)) = map.remove("security_groups") {
        let names: Vec<&str> = groups.iter().filter_map(|g| g["name"].as_str()).collect();
        map.insert("security_groups".into(), json!(names.join(", ")));
    }
    map
}

/// `nova show` (`--minimal` is accepted for compatibility: no extra lookups are made anyway).
pub async fn show(ctx: &Ctx, name_or_id: &str, _minimal: bool) -> CliResult<Output> {
    let server = crate::resolve::server(ctx.cloud.compute.as_ref(), name_or_id).await?;
    Ok(Output::object(details(&server)))
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
    if a.all_tenants || a.tenant.is_some() {
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

fn field_value(server: &Server, map: &Map<String, Value>, field: &str) -> Value {
    match field {
        "networks" => json!(networks(server)),
        "power_state" => json!(power_state_name(server.power_state.as_ref())),
        _ => [
            "",
            "OS-EXT-STS:",
            "OS-EXT-SRV-ATTR:",
            "OS-EXT-AZ:",
            "OS-DCF:",
            "OS-SRV-USG:",
        ]
        .iter()
        .find_map(|prefix| map.get(&format!("{prefix}{field}")).cloned())
        .unwrap_or(Value::Null),
    }
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
    if let Some(fields) = &a.fields {
        let fields = comma_list(fields);
        let mut columns = vec!["ID".to_owned()];
        columns.extend(fields.iter().filter(|f| f.as_str() != "id").cloned());
        let rows = servers
            .iter()
            .map(|s| {
                let map = as_map(s);
                let mut row = vec![json!(s.id)];
                row.extend(
                    fields
                        .iter()
                        .filter(|f| f.as_str() != "id")
                        .map(|f| field_value(s, &map, f)),
                );
                row
            })
            .collect();
        return Ok(Output::List { columns, rows });
    }
    let rows = servers
        .iter()
        .map(|s| {
            vec![
                json!(s.id),
                json!(s.name),
                json!(s.status.to_string()),
                s.task_state
                    .as_ref()
                    .map_or(Value::Null, |t| json!(t.to_string())),
                json!(power_state_name(s.power_state.as_ref())),
                json!(networks(s)),
            ]
        })
        .collect();
    Ok(Output::list(
        &[
            "ID",
            "Name",
            "Status",
            "Task State",
            "Power State",
            "Networks",
        ],
        rows,
    ))
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
