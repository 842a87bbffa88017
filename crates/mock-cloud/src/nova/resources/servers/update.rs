//! `PUT /servers/{id}` (schemas 2.1-2.18, 2.19-2.89, 2.90-2.93, 2.94-2.103, 2.104+).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::nova::NovaCtx;

use super::super::error::{ApiError, ApiResult};
use super::super::store::Inner;
use super::super::validation::*;
use super::actions::visible_server;
use super::create_schema::check_hostname;
use super::views::{ViewKind, server_view};

/// Validate the update body at the context's version.
pub fn validate_update(body: &Value, ctx: &NovaCtx) -> Result<(), Invalid> {
    let v = ctx.version;
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    let server = top.get("server").cloned().unwrap_or(Value::Null);
    if top.contains_key("server") {
        check_type("server", &server, &["object"])?;
        let obj = server.as_object().cloned().unwrap_or_default();
        let mut allowed = vec!["name", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6"];
        if v.at_least(2, 19) {
            allowed.push("description");
        }
        if v.at_least(2, 90) {
            allowed.push("hostname");
        }
        if v.at_least(2, 104) {
            allowed.push("pinned_availability_zone");
        }
        for (k, val) in &obj {
            if !allowed.contains(&k.as_str()) {
                continue;
            }
            match k.as_str() {
                "name" => check_name(k, val)?,
                "OS-DCF:diskConfig" => check_enum(k, val, &["AUTO", "MANUAL"])?,
                "accessIPv4" => {
                    check_type(k, val, &["string", "null"])?;
                    if let Some(s) = val.as_str()
                        && !s.is_empty()
                        && !is_ipv4(s)
                    {
                        return Err(format_error(k, val, "ipv4"));
                    }
                }
                "accessIPv6" => {
                    check_type(k, val, &["string", "null"])?;
                    if let Some(s) = val.as_str()
                        && !s.is_empty()
                        && !is_ipv6(s)
                    {
                        return Err(format_error(k, val, "ipv6"));
                    }
                }
                "description" => check_string_or_null(k, val, 0, 255)?,
                "hostname" => check_hostname(k, val, v.at_least(2, 94))?,
                "pinned_availability_zone" => check_string_or_null(k, val, 1, 255)?,
                _ => {}
            }
        }
        check_no_extra(Some("server"), &obj, &server, &allowed)?;
    }
    check_required(None, top, body, &["server"])?;
    check_no_extra(None, top, body, &["server"])
}

/// Apply an update and return `{"server": view}`.
pub fn update_server(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Value> {
    validate_update(body, ctx).map_err(ApiError::bad_request)?;
    let az_default = inner.config.default_availability_zone.clone();
    // Like Nova's `update_instance`, renaming works on locked servers too.
    let s = visible_server(inner, ctx, id)?;
    let req = &body["server"];
    if let Some(n) = req.get("name").and_then(Value::as_str) {
        s.name = n.to_string();
    }
    if let Some(d) = req.get("OS-DCF:diskConfig").and_then(Value::as_str) {
        s.disk_config = d.to_string();
    }
    if let Some(ip) = req.get("accessIPv4") {
        s.access_ipv4 = ip.as_str().unwrap_or_default().to_string();
    }
    if let Some(ip) = req.get("accessIPv6") {
        s.access_ipv6 = ip.as_str().unwrap_or_default().to_string();
    }
    if let Some(d) = req.get("description") {
        s.description = d.as_str().map(str::to_string);
    }
    if let Some(h) = req.get("hostname").and_then(Value::as_str) {
        s.hostname = h.to_string();
    }
    if let Some(p) = req.get("pinned_availability_zone") {
        match p.as_str() {
            None => s.pinned_availability_zone = None,
            Some(zone) if zone == &*s.availability_zone || zone == az_default => {
                s.pinned_availability_zone = Some(zone.to_string());
            }
            Some(zone) => {
                return Err(ApiError::conflict(format!(
                    "Cannot pin instance {id} to availability zone {zone}: it is in {}",
                    s.availability_zone
                )));
            }
        }
    }
    s.updated = now;
    let snapshot = s.clone();
    Ok(json!({"server": server_view(&snapshot, inner, ctx, ViewKind::Update)}))
}
