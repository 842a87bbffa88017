//! `GET /servers` and `GET /servers/detail`: filters, sorting, `limit`/`marker` pagination and
//! `servers_links`. Work is O(page) for the default order (newest first) without selective filters.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::nova::NovaCtx;

use super::super::error::{ApiError, ApiResult};
use super::super::model::Server;
use super::super::query::{Query, next_link, parse_limit};
use super::super::store::{Inner, ListOrder, list_order};
use super::state::vm_states_for_status;
use super::views::{ViewKind, server_summary, server_view};

/// `VALID_SORT_KEYS` of `schemas/servers.py` (without the ignored ones).
const SORT_KEYS: &[&str] = &[
    "access_ip_v4",
    "access_ip_v6",
    "auto_disk_config",
    "availability_zone",
    "config_drive",
    "created_at",
    "display_description",
    "display_name",
    "host",
    "hostname",
    "image_ref",
    "instance_type_id",
    "kernel_id",
    "key_name",
    "launch_index",
    "launched_at",
    "locked_by",
    "node",
    "power_state",
    "progress",
    "project_id",
    "ramdisk_id",
    "root_device_name",
    "task_state",
    "terminated_at",
    "updated_at",
    "user_id",
    "uuid",
    "vm_state",
];

/// `SERVER_LIST_IGNORE_SORT_KEY`: accepted and ignored below 2.75 (`locked` becomes a real
/// key at 2.73), rejected from 2.75.
const IGNORED_SORT_KEYS: &[&str] = &[
    "architecture",
    "cell_name",
    "cleaned",
    "default_ephemeral_device",
    "default_swap_device",
    "deleted",
    "deleted_at",
    "disable_terminate",
    "ephemeral_gb",
    "ephemeral_key_uuid",
    "id",
    "key_data",
    "launched_on",
    "locked",
    "memory_mb",
    "os_type",
    "reservation_id",
    "root_gb",
    "shutdown_terminate",
    "user_data",
    "vcpus",
    "vm_mode",
];

/// Sort an unknown key gives 400 for; `Ok(false)` means "accepted but ignored".
fn sort_key_status(key: &str, v: crate::nova::ApiVersion) -> Result<bool, ()> {
    if SORT_KEYS.contains(&key) || (key == "locked" && v.at_least(2, 73)) {
        Ok(true)
    } else if IGNORED_SORT_KEYS.contains(&key) && !v.at_least(2, 75) {
        Ok(false)
    } else {
        Err(())
    }
}

/// Query parameters the server list accepts from 2.75 (`query_params_v275`); others give 400.
const KNOWN_PARAMS: &[&str] = &[
    "user_id",
    "project_id",
    "tenant_id",
    "launch_index",
    "image_ref",
    "image",
    "kernel_id",
    "ramdisk_id",
    "hostname",
    "key_name",
    "power_state",
    "vm_state",
    "task_state",
    "host",
    "node",
    "flavor",
    "reservation_id",
    "launched_at",
    "terminated_at",
    "availability_zone",
    "name",
    "display_name",
    "description",
    "display_description",
    "locked_by",
    "uuid",
    "root_device_name",
    "config_drive",
    "access_ip_v4",
    "access_ip_v6",
    "auto_disk_config",
    "progress",
    "sort_key",
    "sort_dir",
    "all_tenants",
    "soft_deleted",
    "deleted",
    "status",
    "changes-since",
    "changes-before",
    "ip",
    "ip6",
    "created_at",
    "block_device_mapping",
    "services",
    "metadata",
    "system_metadata",
    "info_cache",
    "security_groups",
    "pci_devices",
    "limit",
    "marker",
    "tags",
    "tags-any",
    "not-tags",
    "not-tags-any",
    "locked",
];

/// Parsed filters of a server list request.
#[derive(Debug, Default)]
pub struct Filters {
    all_tenants: bool,
    project: Option<String>,
    name: Option<regex_automata::meta::Regex>,
    statuses: Vec<String>,
    flavor: Option<String>,
    image: Option<String>,
    host: Option<String>,
    changes_since: Option<DateTime<Utc>>,
    changes_before: Option<DateTime<Utc>>,
    tags: Vec<String>,
    tags_any: Vec<String>,
    not_tags: Vec<String>,
    not_tags_any: Vec<String>,
    locked: Option<bool>,
    ip: Option<String>,
    availability_zone: Option<String>,
    key_name: Option<String>,
    user_id: Option<String>,
    reservation_id: Option<String>,
    /// `vm_state` values (ignored when `status` is given, as Nova derives it from status).
    vm_states: Vec<String>,
    /// `task_state` values (ignored when `status` is given).
    task_states: Vec<String>,
    /// Regex filters on columns (`common_query_regex_param`): Nova's database applies
    /// them as an unanchored REGEXP on the column's text.
    config_drive: Option<regex_automata::meta::Regex>,
    progress: Option<regex_automata::meta::Regex>,
    power_state: Option<regex_automata::meta::Regex>,
    /// True when a filter can never match (e.g. an unknown status below 2.38).
    nothing: bool,
}

fn query_error(param: &str, value: &str, message: &str) -> ApiError {
    ApiError::bad_request(format!(
        "Invalid input for query parameters {param}. Value: {value}. {message}"
    ))
}

fn parse_time(param: &str, raw: &str) -> ApiResult<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(raw, fmt) {
            return Ok(t.and_utc());
        }
    }
    Err(query_error(
        param,
        raw,
        &format!("'{raw}' is not a 'date-time'"),
    ))
}

fn split_tags(q: &Query, key: &str) -> Vec<String> {
    q.all(key)
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parse and check the filters for `ctx`.
pub fn parse_filters(q: &Query, ctx: &NovaCtx, detail: bool) -> ApiResult<Filters> {
    let v = ctx.version;
    if v.at_least(2, 75) {
        super::super::query::reject_unknown(q, KNOWN_PARAMS).map_err(ApiError::bad_request)?;
    }
    let mut f = Filters::default();
    if let Some(raw) = q.last("all_tenants") {
        let on = !matches!(
            raw.to_ascii_lowercase().as_str(),
            "false" | "0" | "off" | "no" | "n" | "f"
        );
        if on {
            if !ctx.is_admin {
                let rule = if detail {
                    "os_compute_api:servers:detail:get_all_tenants"
                } else {
                    "os_compute_api:servers:index:get_all_tenants"
                };
                return Err(ApiError::policy(rule));
            }
            f.all_tenants = true;
        }
    }
    if ctx.is_admin {
        f.project = q
            .last("project_id")
            .or_else(|| q.last("tenant_id"))
            .map(str::to_string);
        f.host = q.last("host").map(str::to_string);
    }
    if let Some(name) = q.last("name") {
        // Nova matches `name` as a regular expression; an invalid one is taken literally.
        let re = match regex_automata::meta::Regex::new(name) {
            Ok(re) => Some(re),
            Err(_) => regex_automata::meta::Regex::new(&regex_escape(name)).ok(),
        };
        f.name = Some(re.ok_or_else(|| query_error("name", name, "invalid regular expression"))?);
    }
    for s in q.all("status") {
        if vm_states_for_status(s).is_none() {
            if v.at_least(2, 38) {
                return Err(ApiError::bad_request("Invalid status value"));
            }
            f.nothing = true;
        }
        f.statuses.push(s.to_ascii_uppercase());
    }
    f.flavor = q.last("flavor").map(str::to_string);
    f.image = q.last("image").map(str::to_string);
    if let Some(raw) = q.last("changes-since") {
        f.changes_since = Some(parse_time("changes-since", raw)?);
    }
    if v.at_least(2, 66)
        && let Some(raw) = q.last("changes-before")
    {
        f.changes_before = Some(parse_time("changes-before", raw)?);
        if let (Some(since), Some(before)) = (f.changes_since, f.changes_before)
            && since > before
        {
            return Err(ApiError::bad_request(
                "The value of changes-since must be less than or equal to changes-before.",
            ));
        }
    }
    if v.at_least(2, 26) {
        f.tags = split_tags(q, "tags");
        f.tags_any = split_tags(q, "tags-any");
        f.not_tags = split_tags(q, "not-tags");
        f.not_tags_any = split_tags(q, "not-tags-any");
    }
    if v.at_least(2, 73)
        && let Some(raw) = q.last("locked")
    {
        f.locked = Some(matches!(
            raw.to_ascii_lowercase().as_str(),
            "true" | "1" | "on" | "yes" | "y" | "t"
        ));
    }
    f.ip = q.last("ip").map(str::to_string);
    let extended = ctx.is_admin || v.at_least(2, 83);
    if extended {
        f.availability_zone = q.last("availability_zone").map(str::to_string);
        f.key_name = q.last("key_name").map(str::to_string);
        f.user_id = q.last("user_id").map(str::to_string);
        if f.statuses.is_empty() {
            f.vm_states = q.all("vm_state").iter().map(|v| v.to_string()).collect();
            f.task_states = q.all("task_state").iter().map(|v| v.to_string()).collect();
        }
        f.config_drive = column_regex(q, "config_drive")?;
        f.progress = column_regex(q, "progress")?;
        f.power_state = column_regex(q, "power_state")?;
    }
    if ctx.is_admin {
        f.reservation_id = q.last("reservation_id").map(str::to_string);
    }
    Ok(f)
}

/// A regex filter's pattern (invalid patterns are taken literally, like `name`).
fn column_regex(q: &Query, key: &str) -> ApiResult<Option<regex_automata::meta::Regex>> {
    let Some(raw) = q.last(key) else {
        return Ok(None);
    };
    let re = match regex_automata::meta::Regex::new(raw) {
        Ok(re) => Some(re),
        Err(_) => regex_automata::meta::Regex::new(&regex_escape(raw)).ok(),
    };
    re.map(Some)
        .ok_or_else(|| query_error(key, raw, "invalid regular expression"))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Filters {
    /// Whether server `s` passes every filter for `ctx`.
    pub fn matches(&self, s: &Server, ctx: &NovaCtx) -> bool {
        // real Nova drops a server from lists as soon as DELETE is accepted
        if self.nothing || s.deleting {
            return false;
        }
        match &self.project {
            Some(p) => {
                if &s.project_id != p {
                    return false;
                }
            }
            None => {
                if !self.all_tenants && s.project_id != ctx.project_id {
                    return false;
                }
            }
        }
        if let Some(re) = &self.name
            && !re.is_match(s.name.as_str())
        {
            return false;
        }
        if !self.statuses.is_empty() {
            let status = s.status();
            let ok = self.statuses.iter().any(|want| {
                if want == status {
                    return true;
                }
                // vm_state-level statuses also select servers with a task in progress
                matches!(want.as_str(), "ACTIVE" | "SHUTOFF" | "ERROR")
                    && vm_states_for_status(want)
                        .is_some_and(|vms| vms.contains(&s.vm_state.as_str()))
            });
            if !ok {
                return false;
            }
        }
        if let Some(fl) = &self.flavor
            && &s.flavor.id != fl
        {
            return false;
        }
        if let Some(img) = &self.image
            && s.image_id.as_deref() != Some(img.as_str())
        {
            return false;
        }
        if let Some(h) = &self.host
            && s.host.as_deref() != Some(h.as_str())
        {
            return false;
        }
        if let Some(t) = self.changes_since
            && s.updated < t
        {
            return false;
        }
        if let Some(t) = self.changes_before
            && s.updated > t
        {
            return false;
        }
        if !self.tags.iter().all(|t| s.tags.contains(t)) {
            return false;
        }
        if !self.tags_any.is_empty() && !self.tags_any.iter().any(|t| s.tags.contains(t)) {
            return false;
        }
        if !self.not_tags.is_empty() && self.not_tags.iter().all(|t| s.tags.contains(t)) {
            return false;
        }
        if self.not_tags_any.iter().any(|t| s.tags.contains(t)) {
            return false;
        }
        if let Some(l) = self.locked
            && s.locked != l
        {
            return false;
        }
        if let Some(ip) = &self.ip
            && !s.addresses.iter().any(|a| a.addr.contains(ip.as_str()))
        {
            return false;
        }
        if let Some(az) = &self.availability_zone
            && &*s.availability_zone != az.as_str()
        {
            return false;
        }
        if let Some(k) = &self.key_name
            && s.key_name.as_deref() != Some(k.as_str())
        {
            return false;
        }
        if let Some(u) = &self.user_id
            && &s.user_id != u
        {
            return false;
        }
        if let Some(r) = &self.reservation_id
            && &s.reservation_id != r
        {
            return false;
        }
        if !self.vm_states.is_empty() && !self.vm_states.iter().any(|v| v == s.vm_state.as_str()) {
            return false;
        }
        if !self.task_states.is_empty() {
            let task = s.task_state.map(|t| t.as_str());
            if !self.task_states.iter().any(|t| Some(t.as_str()) == task) {
                return false;
            }
        }
        if let Some(re) = &self.config_drive
            && !re.is_match(s.config_drive.as_str())
        {
            return false;
        }
        if let Some(re) = &self.progress
            && !re.is_match(s.progress.to_string().as_str())
        {
            return false;
        }
        if let Some(re) = &self.power_state
            && !re.is_match(s.power_state.code().to_string().as_str())
        {
            return false;
        }
        true
    }
}

fn sort_value(s: &Server, key: &str) -> Value {
    match key {
        "access_ip_v4" => json!(s.access_ipv4),
        "access_ip_v6" => json!(s.access_ipv6),
        "availability_zone" => json!(&*s.availability_zone),
        "config_drive" => json!(s.config_drive),
        "created_at" => json!(s.created.timestamp()),
        "display_description" => json!(s.description),
        "display_name" => json!(s.name),
        "host" | "node" => json!(s.host.as_deref()),
        "hostname" => json!(s.hostname),
        "image_ref" => json!(s.image_id),
        "instance_type_id" => json!(s.flavor.id),
        "key_name" => json!(s.key_name),
        "launch_index" => json!(s.launch_index),
        "launched_at" => json!(s.launched_at.map(|t| t.timestamp())),
        "locked" => json!(s.locked),
        "power_state" => json!(s.power_state.code()),
        "progress" => json!(s.progress),
        "project_id" => json!(s.project_id),
        "task_state" => json!(s.task_state.map(|t| t.as_str())),
        "updated_at" => json!(s.updated.timestamp()),
        "user_id" => json!(s.user_id),
        "uuid" => json!(s.id),
        "vm_state" => json!(s.vm_state.as_str()),
        _ => Value::Null,
    }
}

fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// Handle a list request; `detail` selects the detail view.
pub fn list_servers(
    inner: &Inner,
    ctx: &NovaCtx,
    raw_query: Option<&str>,
    detail: bool,
) -> ApiResult<Value> {
    let (page, links) = select_page(inner, ctx, raw_query, detail)?;
    let items: Vec<Value> = page
        .iter()
        .map(|s| {
            if detail {
                server_view(s, inner, ctx, ViewKind::Detail)
            } else {
                server_summary(s, &ctx.base_url)
            }
        })
        .collect();
    let mut body = json!({ "servers": items });
    if let Some(links) = links {
        body["servers_links"] = links;
    }
    Ok(body)
}

/// [`list_servers`] serialized: the same bytes as serializing its `Value`, with the detail
/// views taken from the store's view cache when they are still current.
pub fn list_servers_json(
    inner: &Inner,
    ctx: &NovaCtx,
    raw_query: Option<&str>,
    detail: bool,
) -> ApiResult<Vec<u8>> {
    let (page, links) = select_page(inner, ctx, raw_query, detail)?;
    let per_server = if detail { 2048 } else { 256 };
    let mut out = Vec::with_capacity(64 + page.len() * per_server);
    out.extend_from_slice(b"{\"servers\":[");
    if detail {
        inner
            .views
            .write_views(&mut out, &page, inner, ctx, ViewKind::Detail);
    } else {
        for (n, s) in page.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            let _ = serde_json::to_writer(&mut out, &server_summary(s, &ctx.base_url));
        }
    }
    out.push(b']');
    if let Some(links) = links {
        out.extend_from_slice(b",\"servers_links\":");
        let _ = serde_json::to_writer(&mut out, &links);
    }
    out.push(b'}');
    Ok(out)
}

/// The servers of the requested page and its `servers_links`, if a next page may exist.
fn select_page<'a>(
    inner: &'a Inner,
    ctx: &NovaCtx,
    raw_query: Option<&str>,
    detail: bool,
) -> ApiResult<(Vec<&'a Server>, Option<Value>)> {
    let q = Query::parse(raw_query);
    let filters = parse_filters(&q, ctx, detail)?;
    let limit = parse_limit(&q, inner.config.max_limit).map_err(ApiError::bad_request)?;
    let sort_dirs: Vec<&str> = q.all("sort_dir");
    let mut sort_keys: Vec<&str> = Vec::new();
    for k in q.all("sort_key") {
        match sort_key_status(k, ctx.version) {
            Ok(true) => sort_keys.push(k),
            Ok(false) => {}
            Err(()) => {
                let mut valid: Vec<&str> = SORT_KEYS.to_vec();
                if ctx.version.at_least(2, 73) {
                    valid.push("locked");
                }
                if !ctx.version.at_least(2, 75) {
                    valid.extend(IGNORED_SORT_KEYS.iter().filter(|k| **k != "locked"));
                }
                let list = valid
                    .iter()
                    .map(|s| format!("'{s}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(query_error(
                    "sort_key",
                    k,
                    &format!("'{k}' is not one of [{list}]"),
                ));
            }
        }
        if (k == "host" || k == "node") && !ctx.is_admin {
            return Err(ApiError::forbidden(
                "Only administrators can sort servers by host or node",
            ));
        }
    }
    for d in &sort_dirs {
        if *d != "asc" && *d != "desc" {
            return Err(query_error(
                "sort_dir",
                d,
                &format!("'{d}' is not one of ['asc', 'desc']"),
            ));
        }
    }
    let marker = match q.last("marker") {
        Some(m) => Some(
            inner
                .servers
                .get(m)
                .ok_or_else(|| ApiError::bad_request(format!("marker [{m}] not found")))?,
        ),
        None => None,
    };

    let mut page: Vec<&Server> = Vec::new();
    if limit > 0 {
        if sort_keys.is_empty()
            || (sort_keys == ["created_at"] && sort_dirs.first().is_none_or(|d| *d == "desc"))
        {
            use std::ops::Bound;
            let iter = match marker {
                Some(m) => inner
                    .order
                    .range((Bound::Excluded(list_order(m)), Bound::Unbounded)),
                None => inner.order.range::<ListOrder, _>(..),
            };
            for (_, _, id) in iter {
                if let Some(s) = inner.servers.get(id)
                    && filters.matches(s, ctx)
                {
                    page.push(s);
                    if page.len() == limit {
                        break;
                    }
                }
            }
        } else {
            let keys: Vec<(&str, bool)> = sort_keys
                .iter()
                .enumerate()
                .map(|(i, k)| (*k, sort_dirs.get(i).is_some_and(|d| *d == "asc")))
                .collect();
            let cmp = |a: &Server, b: &Server| -> Ordering {
                for (k, asc) in &keys {
                    let o = cmp_values(&sort_value(a, k), &sort_value(b, k));
                    let o = if *asc { o } else { o.reverse() };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                // Nova's `process_sort_params` appends `created_at` and the
                // row id in the first key's direction; the multi-cell merge
                // then breaks any tie left by uuid, ascending
                let first_asc = keys.first().is_some_and(|(_, asc)| *asc);
                let mut o = Ordering::Equal;
                if !keys.iter().any(|(k, _)| *k == "created_at") {
                    o = a.created.timestamp().cmp(&b.created.timestamp());
                }
                o = o.then(a.seq.cmp(&b.seq));
                let o = if first_asc { o } else { o.reverse() };
                o.then_with(|| a.id.cmp(&b.id))
            };
            let mut all: Vec<&Server> = inner
                .servers
                .values()
                .map(|s| &**s)
                .filter(|s| filters.matches(s, ctx))
                .filter(|s| marker.is_none_or(|m| cmp(s, m) == Ordering::Greater))
                .collect();
            all.sort_by(|a, b| cmp(a, b));
            all.truncate(limit);
            page = all;
        }
    }

    let mut links = None;
    if limit > 0
        && page.len() == limit
        && let Some(last) = page.last()
    {
        let path = if detail { "servers/detail" } else { "servers" };
        links = Some(next_link(&ctx.base_url, path, &q, &last.id));
    }
    Ok((page, links))
}
