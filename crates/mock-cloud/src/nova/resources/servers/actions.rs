//! `POST /servers/{id}/action`: exactly one action key per body; state preconditions and
//! messages as `nova/compute/api.py` and `servers.py` word them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::nova::NovaCtx;

use super::super::error::{ApiError, ApiResult};
use super::super::model::{Image, Server, Settle};
use super::super::store::Inner;
use super::super::validation::*;
use super::create::generate_password;
use super::create_schema::check_hostname;
use super::state::{TaskState, VmState};
use super::views::{ViewKind, server_view};

/// GETs a transitional status stays visible after an action.
pub const ACTION_POLLS: u32 = 1;

fn accepted() -> Response {
    StatusCode::ACCEPTED.into_response()
}

/// 409 for a server in the wrong vm_state (Nova's `check_instance_state` message).
pub fn invalid_state(action: &str, s: &Server) -> ApiError {
    ApiError::conflict(format!(
        "Cannot '{action}' instance {} while it is in vm_state {}",
        s.id,
        s.vm_state.as_str()
    ))
}

/// 409 for a server with a task in progress (Nova's `check_instance_state` message).
pub fn busy(action: &str, s: &Server) -> ApiError {
    ApiError::conflict(format!(
        "Cannot '{action}' instance {} while it is in task_state {}",
        s.id,
        s.task_state.map(|t| t.as_str()).unwrap_or("None")
    ))
}

/// `check_instance_state`: vm_state in `allowed` and no task in progress.
pub fn require(action: &str, s: &Server, allowed: &[VmState]) -> ApiResult<()> {
    if !allowed.contains(&s.vm_state) {
        return Err(invalid_state(action, s));
    }
    if s.task_state.is_some() {
        return Err(busy(action, s));
    }
    Ok(())
}

/// `check_instance_lock`: 409 for a locked server unless the caller is an admin.
pub fn check_lock(s: &Server, ctx: &NovaCtx) -> ApiResult<()> {
    if s.locked && !ctx.is_admin {
        return Err(ApiError::conflict(format!("Instance {} is locked", s.id)));
    }
    Ok(())
}

/// The server `id` the caller may run `action` on: visible to it, not locked (unless the
/// caller is an admin), vm_state in `allowed` and no task in progress.
pub fn server_for_action<'a>(
    inner: &'a mut Inner,
    ctx: &NovaCtx,
    id: &str,
    action: &str,
    allowed: &[VmState],
) -> ApiResult<&'a mut Server> {
    let s = visible_server(inner, ctx, id)?;
    check_lock(s, ctx)?;
    require(action, s, allowed)?;
    Ok(s)
}

/// Run one server action.
pub fn run_action(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::malformed());
    };
    if obj.len() != 1 {
        return Err(ApiError::malformed());
    }
    let Some((action, args)) = obj.iter().next() else {
        return Err(ApiError::malformed());
    };
    let action = action.as_str();
    if action == "resetNetwork" {
        // Removed in Nova 23.0.0: 410 before the server is looked up.
        return Err(crate::nova::resources::removed::gone());
    }
    if let Some(response) =
        crate::nova::resources::consoles::legacy_action(inner, ctx, id, action, args, now)?
    {
        return Ok(response);
    }
    // evacuate (admin; hosts): its own module, next to the services it depends on.
    if action == "evacuate" {
        return crate::nova::resources::services::evacuate(inner, ctx, id, args, now);
    }
    // server moves: migrate, os-migrateLive
    if let Some(response) =
        crate::nova::resources::server_migrations::move_action(inner, ctx, id, action, args, now)?
    {
        return Ok(response);
    }
    if action == "os-resetState" {
        return reset_state(inner, ctx, id, args, now);
    }
    if let Some(response) = admin_action(inner, ctx, id, action, args, now)? {
        return Ok(response);
    }
    const KNOWN: &[&str] = &[
        "reboot",
        "os-start",
        "os-stop",
        "pause",
        "unpause",
        "suspend",
        "resume",
        "lock",
        "unlock",
        "rescue",
        "unrescue",
        "resize",
        "confirmResize",
        "revertResize",
        "rebuild",
        "createImage",
        "shelve",
        "shelveOffload",
        "unshelve",
        "forceDelete",
        "os-getConsoleOutput",
    ];
    if !KNOWN.contains(&action) {
        return Err(ApiError::bad_request(format!(
            "There is no such action: {action}"
        )));
    }
    let v = ctx.version;
    // validation that needs no server
    validate_args(action, args, ctx)?;
    let image_lookup: Option<bool> = match action {
        "rebuild" => {
            let image = args["imageRef"].as_str().unwrap_or_default();
            Some(inner.image(image).is_some())
        }
        _ => None,
    };
    let resize_flavor = if action == "resize" {
        let fid = flavor_id(&args["flavorRef"]);
        Some(
            inner
                .flavor(&fid)
                .cloned()
                .ok_or_else(|| ApiError::bad_request("Unable to locate requested flavor."))?,
        )
    } else {
        None
    };
    let s = visible_server(inner, ctx, id)?;
    let lock_exempt = matches!(action, "lock" | "unlock" | "os-getConsoleOutput");
    if s.locked && !ctx.is_admin && !lock_exempt {
        return Err(ApiError::conflict(format!("Instance {} is locked", s.id)));
    }
    match action {
        "reboot" => {
            let hard = args["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case("HARD"));
            if hard {
                const OK_TASKS: &[TaskState] = &[
                    TaskState::Rebooting,
                    TaskState::RebootingHard,
                    TaskState::Resuming,
                    TaskState::Pausing,
                    TaskState::Unpausing,
                    TaskState::Suspending,
                ];
                if ![
                    VmState::Active,
                    VmState::Stopped,
                    VmState::Paused,
                    VmState::Suspended,
                    VmState::Error,
                ]
                .contains(&s.vm_state)
                {
                    return Err(invalid_state("reboot", s));
                }
                if s.task_state.is_some_and(|t| !OK_TASKS.contains(&t)) {
                    return Err(busy("reboot", s));
                }
                s.vm_state = VmState::Active;
                s.begin(
                    TaskState::RebootingHard,
                    ACTION_POLLS,
                    Settle::To(VmState::Active),
                    now,
                );
            } else {
                require("reboot", s, &[VmState::Active])?;
                s.begin(
                    TaskState::Rebooting,
                    ACTION_POLLS,
                    Settle::To(VmState::Active),
                    now,
                );
            }
            Ok(accepted())
        }
        "os-stop" => {
            require("stop", s, &[VmState::Active, VmState::Error])?;
            s.begin(
                TaskState::PoweringOff,
                ACTION_POLLS,
                Settle::To(VmState::Stopped),
                now,
            );
            Ok(accepted())
        }
        "os-start" => {
            require("start", s, &[VmState::Stopped])?;
            s.begin(
                TaskState::PoweringOn,
                ACTION_POLLS,
                Settle::To(VmState::Active),
                now,
            );
            Ok(accepted())
        }
        "pause" => simple(
            s,
            "pause",
            &[VmState::Active],
            TaskState::Pausing,
            VmState::Paused,
            now,
        ),
        "unpause" => simple(
            s,
            "unpause",
            &[VmState::Paused],
            TaskState::Unpausing,
            VmState::Active,
            now,
        ),
        "suspend" => simple(
            s,
            "suspend",
            &[VmState::Active],
            TaskState::Suspending,
            VmState::Suspended,
            now,
        ),
        "resume" => simple(
            s,
            "resume",
            &[VmState::Suspended],
            TaskState::Resuming,
            VmState::Active,
            now,
        ),
        "lock" => {
            s.locked = true;
            s.locked_reason = if v.at_least(2, 73) {
                args.get("locked_reason")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            } else {
                None
            };
            s.updated = now;
            Ok(accepted())
        }
        "unlock" => {
            s.locked = false;
            s.locked_reason = None;
            s.updated = now;
            Ok(accepted())
        }
        "rescue" => {
            require(
                "rescue",
                s,
                &[VmState::Active, VmState::Stopped, VmState::Error],
            )?;
            let pass = args
                .get("adminPass")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(generate_password);
            s.begin(
                TaskState::Rescuing,
                ACTION_POLLS,
                Settle::To(VmState::Rescued),
                now,
            );
            Ok((StatusCode::OK, axum::Json(json!({"adminPass": pass}))).into_response())
        }
        "unrescue" => simple(
            s,
            "unrescue",
            &[VmState::Rescued],
            TaskState::Unrescuing,
            VmState::Active,
            now,
        ),
        "resize" => {
            require("resize", s, &[VmState::Active, VmState::Stopped])?;
            let Some(new_flavor) = resize_flavor else {
                return Err(ApiError::bad_request("Unable to locate requested flavor."));
            };
            if new_flavor.id == s.flavor.id {
                return Err(ApiError::bad_request(
                    "When resizing, instances must change flavor!",
                ));
            }
            s.pre_resize_state = s.vm_state;
            s.old_flavor = Some(std::mem::replace(&mut s.flavor, new_flavor));
            if let Some(d) = args.get("OS-DCF:diskConfig").and_then(Value::as_str) {
                s.disk_config = d.to_string();
            }
            s.begin(
                TaskState::ResizePrep,
                ACTION_POLLS,
                Settle::To(VmState::Resized),
                now,
            );
            crate::nova::resources::server_migrations::resize_started(inner, ctx, id, now);
            Ok(accepted())
        }
        "confirmResize" => {
            require("confirmResize", s, &[VmState::Resized])?;
            s.old_flavor = None;
            let back = s.pre_resize_state;
            s.settle(Settle::To(back), now);
            crate::nova::resources::server_migrations::resize_confirmed(inner, id, now);
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        "revertResize" => {
            require("revertResize", s, &[VmState::Resized])?;
            if let Some(old) = s.old_flavor.take() {
                s.flavor = old;
            }
            let back = s.pre_resize_state;
            s.begin(
                TaskState::ResizeReverting,
                ACTION_POLLS,
                Settle::To(back),
                now,
            );
            crate::nova::resources::server_migrations::resize_reverted(inner, id, now);
            Ok(accepted())
        }
        "rebuild" => {
            require(
                "rebuild",
                s,
                &[VmState::Active, VmState::Stopped, VmState::Error],
            )?;
            let image = args["imageRef"].as_str().unwrap_or_default().to_string();
            if image_lookup != Some(true) {
                return Err(ApiError::bad_request(format!(
                    "Image {image} could not be found."
                )));
            }
            if s.image_id.is_none() {
                // volume-backed: below 2.93 only the root volume's own image may be used
                if !v.at_least(2, 93) && s.root_volume_image.as_deref() != Some(image.as_str()) {
                    return Err(ApiError::bad_request(format!(
                        "Image {image} is unacceptable: Unable to rebuild with a different image for a volume-backed server."
                    )));
                }
                s.root_volume_image = Some(image);
            } else {
                s.image_id = Some(image);
            }
            let back = if s.vm_state == VmState::Stopped {
                VmState::Stopped
            } else {
                VmState::Active
            };
            if let Some(n) = args.get("name").and_then(Value::as_str) {
                s.name = n.to_string();
            }
            if let Some(m) = args.get("metadata").and_then(Value::as_object) {
                s.metadata = m
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect();
            }
            if let Some(d) = args.get("OS-DCF:diskConfig").and_then(Value::as_str) {
                s.disk_config = d.to_string();
            }
            if let Some(ip) = args.get("accessIPv4").and_then(Value::as_str) {
                s.access_ipv4 = ip.to_string();
            }
            if let Some(ip) = args.get("accessIPv6").and_then(Value::as_str) {
                s.access_ipv6 = ip.to_string();
            }
            if let Some(d) = args.get("description") {
                s.description = d.as_str().map(str::to_string);
            }
            if let Some(k) = args.get("key_name") {
                s.key_name = k.as_str().map(str::to_string);
            }
            if let Some(u) = args.get("user_data") {
                s.user_data = u.as_str().map(str::to_string);
            }
            if let Some(c) = args.get("trusted_image_certificates") {
                s.trusted_image_certificates = c.as_array().map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                });
            }
            if let Some(h) = args.get("hostname").and_then(Value::as_str) {
                s.hostname = h.to_string();
            }
            if s.vm_state == VmState::Error {
                s.vm_state = VmState::Active;
            }
            s.begin(TaskState::Rebuilding, ACTION_POLLS, Settle::To(back), now);
            let pass = args
                .get("adminPass")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(generate_password);
            let snapshot = s.clone();
            let mut view = server_view(&snapshot, inner, ctx, ViewKind::Rebuild);
            view["adminPass"] = json!(pass);
            Ok((StatusCode::ACCEPTED, axum::Json(json!({"server": view}))).into_response())
        }
        "createImage" => {
            require(
                "createImage",
                s,
                &[
                    VmState::Active,
                    VmState::Stopped,
                    VmState::Paused,
                    VmState::Suspended,
                ],
            )?;
            let back = s.vm_state;
            s.begin(
                TaskState::ImageSnapshot,
                ACTION_POLLS,
                Settle::To(back),
                now,
            );
            let server_id = s.id.clone();
            let name = args["name"].as_str().unwrap_or_default().to_string();
            let mut properties: std::collections::BTreeMap<String, String> = args
                .get("metadata")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            // What Nova's snapshot adds to the metadata it was given (compute/api.py
            // `_create_image`): the instance, its image and user, and the image type.
            properties.insert("instance_uuid".into(), server_id.clone());
            properties.insert("image_type".into(), "snapshot".into());
            properties.insert(
                "base_image_ref".into(),
                s.image_id.clone().unwrap_or_default(),
            );
            properties.insert("user_id".into(), s.user_id.clone());
            let owner = Some(s.project_id.clone());
            let image_id = uuid::Uuid::new_v4().to_string();
            inner.images.push(Image {
                id: image_id.clone(),
                name,
                properties,
                created: now,
                server_id: Some(server_id),
                owner,
            });
            if v.at_least(2, 45) {
                Ok((
                    StatusCode::ACCEPTED,
                    axum::Json(json!({"image_id": image_id})),
                )
                    .into_response())
            } else {
                let mut resp = accepted();
                let location = format!("{}/images/{image_id}", ctx.base_url.trim_end_matches('/'));
                if let Ok(h) = HeaderValue::from_str(&location) {
                    resp.headers_mut().insert(header::LOCATION, h);
                }
                Ok(resp)
            }
        }
        "shelve" => {
            require(
                "shelve",
                s,
                &[
                    VmState::Active,
                    VmState::Stopped,
                    VmState::Paused,
                    VmState::Suspended,
                ],
            )?;
            s.begin(
                TaskState::Shelving,
                ACTION_POLLS,
                Settle::To(VmState::ShelvedOffloaded),
                now,
            );
            Ok(accepted())
        }
        "shelveOffload" => simple(
            s,
            "shelveOffload",
            &[VmState::Shelved],
            TaskState::ShelvingOffloading,
            VmState::ShelvedOffloaded,
            now,
        ),
        "unshelve" => {
            require(
                "unshelve",
                s,
                &[VmState::Shelved, VmState::ShelvedOffloaded],
            )?;
            if let Some(az) = args.get("availability_zone").and_then(Value::as_str) {
                s.availability_zone = std::sync::Arc::from(az);
            }
            s.begin(
                TaskState::Unshelving,
                ACTION_POLLS,
                Settle::To(VmState::Active),
                now,
            );
            Ok(accepted())
        }
        "forceDelete" => {
            start_delete(s, now);
            Ok(accepted())
        }
        "os-getConsoleOutput" => {
            if s.vm_state == VmState::Building {
                return Err(ApiError::conflict(format!(
                    "Instance {} is not ready",
                    s.id
                )));
            }
            let length = match &args["length"] {
                Value::Null => None,
                Value::String(x) => x.parse::<i64>().ok(),
                other => other.as_i64(),
            };
            let lines: Vec<String> = (1..=20)
                .map(|n| format!("[    {n}.000000] {} console line {n}", s.name))
                .collect();
            let take = match length {
                Some(n) if n >= 0 => (n as usize).min(lines.len()),
                _ => lines.len(),
            };
            let output = lines[lines.len() - take..].join("\n");
            Ok(axum::Json(json!({"output": output})).into_response())
        }
        other => Err(ApiError::bad_request(format!(
            "There is no such action: {other}"
        ))),
    }
}

/// Begin deletion: task_state deleting for one more GET, then gone.
pub fn start_delete(s: &mut Server, now: DateTime<Utc>) {
    s.deleting = true;
    s.begin(TaskState::Deleting, ACTION_POLLS, Settle::Remove, now);
}

fn simple(
    s: &mut Server,
    action: &str,
    allowed: &[VmState],
    task: TaskState,
    to: VmState,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    require(action, s, allowed)?;
    s.begin(task, ACTION_POLLS, Settle::To(to), now);
    Ok(accepted())
}

fn flavor_id(r: &Value) -> String {
    let s = match r {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    s.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A server the caller may act on (own project, or any for admins), else 404.
pub fn visible_server<'a>(
    inner: &'a mut Inner,
    ctx: &NovaCtx,
    id: &str,
) -> ApiResult<&'a mut Server> {
    match inner.servers.get_mut(id) {
        Some(s) if ctx.is_admin || s.project_id == ctx.project_id => Ok(s),
        _ => Err(ApiError::instance_not_found(id)),
    }
}

fn validate_args(action: &str, args: &Value, ctx: &NovaCtx) -> ApiResult<()> {
    let v = ctx.version;
    let bad = ApiError::bad_request;
    match action {
        "reboot" => {
            check_type("reboot", args, &["object"]).map_err(bad)?;
            let obj = args.as_object().cloned().unwrap_or_default();
            check_required(Some("reboot"), &obj, args, &["type"]).map_err(bad)?;
            check_enum(
                "type",
                &args["type"],
                &["HARD", "Hard", "hard", "SOFT", "Soft", "soft"],
            )
            .map_err(bad)?;
            check_no_extra(Some("reboot"), &obj, args, &["type"]).map_err(bad)
        }
        "resize" => {
            check_type("resize", args, &["object"]).map_err(bad)?;
            let obj = args.as_object().cloned().unwrap_or_default();
            check_required(Some("resize"), &obj, args, &["flavorRef"]).map_err(bad)?;
            check_type("flavorRef", &args["flavorRef"], &["string", "integer"]).map_err(bad)?;
            if let Some(d) = obj.get("OS-DCF:diskConfig") {
                check_enum("OS-DCF:diskConfig", d, &["AUTO", "MANUAL"]).map_err(bad)?;
            }
            check_no_extra(
                Some("resize"),
                &obj,
                args,
                &["flavorRef", "OS-DCF:diskConfig"],
            )
            .map_err(bad)
        }
        "createImage" => {
            check_type("createImage", args, &["object"]).map_err(bad)?;
            let obj = args.as_object().cloned().unwrap_or_default();
            if let Some(n) = obj.get("name") {
                check_name("name", n).map_err(bad)?;
            }
            if let Some(m) = obj.get("metadata") {
                check_metadata("metadata", m).map_err(bad)?;
            }
            check_required(Some("createImage"), &obj, args, &["name"]).map_err(bad)?;
            check_no_extra(Some("createImage"), &obj, args, &["name", "metadata"]).map_err(bad)
        }
        "lock" if v.at_least(2, 73) => {
            if args.is_null() {
                return Ok(());
            }
            check_type("lock", args, &["object", "null"]).map_err(bad)?;
            let obj = args.as_object().cloned().unwrap_or_default();
            if let Some(r) = obj.get("locked_reason") {
                check_string("locked_reason", r, 1, 255).map_err(bad)?;
            }
            check_no_extra(Some("lock"), &obj, args, &["locked_reason"]).map_err(bad)
        }
        "rebuild" => {
            check_type("rebuild", args, &["object"]).map_err(bad)?;
            let obj = args.as_object().cloned().unwrap_or_default();
            let mut allowed = vec![
                "name",
                "imageRef",
                "adminPass",
                "metadata",
                "preserve_ephemeral",
                "OS-DCF:diskConfig",
                "accessIPv4",
                "accessIPv6",
            ];
            if !v.at_least(2, 57) {
                allowed.push("personality");
            }
            if v.at_least(2, 19) {
                allowed.push("description");
            }
            if v.at_least(2, 54) {
                allowed.push("key_name");
            }
            if v.at_least(2, 57) {
                allowed.push("user_data");
            }
            if v.at_least(2, 63) {
                allowed.push("trusted_image_certificates");
            }
            if v.at_least(2, 90) {
                allowed.push("hostname");
            }
            for (k, val) in &obj {
                if !allowed.contains(&k.as_str()) {
                    continue;
                }
                match k.as_str() {
                    "name" => check_name(k, val),
                    "imageRef" => check_type(k, val, &["string"]),
                    "metadata" => check_metadata(k, val),
                    "OS-DCF:diskConfig" => check_enum(k, val, &["AUTO", "MANUAL"]),
                    "description" => check_string_or_null(k, val, 0, 255),
                    "key_name" => check_string_or_null(k, val, 1, 255),
                    "user_data" => {
                        check_type(k, val, &["string", "null"]).and_then(|_| match val.as_str() {
                            Some(u) if !is_base64(u) => Err(format_error(k, val, "base64")),
                            _ => Ok(()),
                        })
                    }
                    "hostname" => check_hostname(k, val, v.at_least(2, 94)),
                    "preserve_ephemeral" => check_boolean(k, val),
                    _ => Ok(()),
                }
                .map_err(bad)?;
            }
            check_required(Some("rebuild"), &obj, args, &["imageRef"]).map_err(bad)?;
            check_no_extra(Some("rebuild"), &obj, args, &allowed).map_err(bad)
        }
        _ => Ok(()),
    }
}

// --- restore, trigger_crash_dump, createBackup, changePassword, security groups and
// floating IPs (answered before the general actions) ---

/// The actions of this block: `None` for any other action.
pub fn admin_action(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    action: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Option<Response>> {
    const MINE: &[&str] = &[
        "restore",
        "trigger_crash_dump",
        "createBackup",
        "changePassword",
        "addSecurityGroup",
        "removeSecurityGroup",
        "addFloatingIp",
        "removeFloatingIp",
    ];
    if !MINE.contains(&action) {
        return Ok(None);
    }
    let v = ctx.version;
    let bad = ApiError::bad_request;
    // Versioned actions outside their range are unknown to Nova's router.
    let out_of_range = match action {
        "trigger_crash_dump" => !v.at_least(2, 17),
        "addFloatingIp" | "removeFloatingIp" => v.at_least(2, 44),
        _ => false,
    };
    if out_of_range {
        return Err(ApiError::resource_not_found());
    }
    let obj = args.as_object().cloned().unwrap_or_default();
    // request validation (before the server is looked up, as Nova's schema runs first)
    match action {
        "createBackup" => {
            check_type("createBackup", args, &["object"]).map_err(bad)?;
            check_required(
                Some("createBackup"),
                &obj,
                args,
                &["name", "backup_type", "rotation"],
            )
            .map_err(bad)?;
            check_name("name", &obj["name"]).map_err(bad)?;
            check_type("backup_type", &obj["backup_type"], &["string"]).map_err(bad)?;
            if let Some(m) = obj.get("metadata") {
                check_metadata("metadata", m).map_err(bad)?;
            }
            rotation_of(&obj["rotation"]).map_err(bad)?;
            check_no_extra(
                Some("createBackup"),
                &obj,
                args,
                &["name", "backup_type", "rotation", "metadata"],
            )
            .map_err(bad)?;
        }
        "changePassword" => {
            check_type("changePassword", args, &["object"]).map_err(bad)?;
            check_required(Some("changePassword"), &obj, args, &["adminPass"]).map_err(bad)?;
            check_type("adminPass", &obj["adminPass"], &["string"]).map_err(bad)?;
            check_no_extra(Some("changePassword"), &obj, args, &["adminPass"]).map_err(bad)?;
        }
        "addSecurityGroup" | "removeSecurityGroup" => {
            // nova/api/openstack/compute/security_groups.py `_parse`
            if !args.is_object() {
                return Err(ApiError::bad_request("Missing parameter dict"));
            }
            let Some(name) = obj.get("name") else {
                return Err(ApiError::bad_request("Security group not specified"));
            };
            if name.as_str().is_none_or(|n| n.trim().is_empty()) {
                return Err(ApiError::bad_request("Security group name cannot be empty"));
            }
        }
        "addFloatingIp" => {
            check_type("addFloatingIp", args, &["object"]).map_err(bad)?;
            check_required(Some("addFloatingIp"), &obj, args, &["address"]).map_err(bad)?;
            check_ip("address", &obj["address"]).map_err(bad)?;
            if let Some(f) = obj.get("fixed_address") {
                check_ip("fixed_address", f).map_err(bad)?;
            }
            check_no_extra(
                Some("addFloatingIp"),
                &obj,
                args,
                &["address", "fixed_address"],
            )
            .map_err(bad)?;
        }
        "removeFloatingIp" => {
            check_type("removeFloatingIp", args, &["object"]).map_err(bad)?;
            check_required(Some("removeFloatingIp"), &obj, args, &["address"]).map_err(bad)?;
            check_ip("address", &obj["address"]).map_err(bad)?;
            check_no_extra(Some("removeFloatingIp"), &obj, args, &["address"]).map_err(bad)?;
        }
        _ => {}
    }
    // Security groups the mock knows: "default" and every group a server of the caller's
    // project carries (the mock has no Neutron).
    let known_groups: std::collections::BTreeSet<String> = std::iter::once("default".to_owned())
        .chain(
            inner
                .servers
                .values()
                .filter(|s| s.project_id == ctx.project_id)
                .flat_map(|s| s.security_groups.iter().cloned()),
        )
        .collect();
    let s = visible_server(inner, ctx, id)?;
    if s.locked && !ctx.is_admin && action != "restore" {
        return Err(ApiError::conflict(format!("Instance {} is locked", s.id)));
    }
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    match action {
        "restore" => {
            require("restore", s, &[VmState::SoftDeleted])?;
            s.settle(Settle::To(VmState::Active), now);
            Ok(Some(accepted()))
        }
        "trigger_crash_dump" => {
            require(
                "trigger_crash_dump",
                s,
                &[
                    VmState::Active,
                    VmState::Paused,
                    VmState::Rescued,
                    VmState::Resized,
                    VmState::Error,
                ],
            )?;
            Ok(Some(accepted()))
        }
        "changePassword" => {
            require("changePassword", s, &[VmState::Active])?;
            s.updated = now;
            Ok(Some(accepted()))
        }
        "addSecurityGroup" => {
            let name = text("name");
            if !known_groups.contains(&name) {
                return Err(ApiError::not_found(format!(
                    "Security group {name} not found."
                )));
            }
            if !s.security_groups.contains(&name) {
                s.security_groups.push(name);
            }
            s.updated = now;
            Ok(Some(accepted()))
        }
        "removeSecurityGroup" => {
            let name = text("name");
            if !known_groups.contains(&name) {
                return Err(ApiError::not_found(format!(
                    "Security group {name} not found."
                )));
            }
            if !s.security_groups.contains(&name) {
                return Err(bad(format!(
                    "Security group {name} not associated with the instance {}",
                    s.id
                )));
            }
            s.security_groups.retain(|g| g != &name);
            s.updated = now;
            Ok(Some(accepted()))
        }
        "addFloatingIp" => {
            let address = text("address");
            let fixed = match obj.get("fixed_address").and_then(Value::as_str) {
                Some(f) => {
                    if !s.addresses.iter().any(|a| a.addr == f) {
                        return Err(ApiError::bad_request(
                            "Specified fixed address not assigned to instance",
                        ));
                    }
                    f.to_string()
                }
                None => match s.addresses.iter().find(|a| a.version == 4) {
                    Some(a) => a.addr.clone(),
                    None => {
                        return Err(ApiError::bad_request(
                            "No nw_info cache associated with instance",
                        ));
                    }
                },
            };
            if s.floating_ips.iter().any(|(f, _)| f == &address) {
                return Err(bad(format!(
                    "floating IP is already associated with instance {}",
                    s.id
                )));
            }
            s.floating_ips.push((address, fixed));
            s.updated = now;
            Ok(Some(accepted()))
        }
        "removeFloatingIp" => {
            let address = text("address");
            let before = s.floating_ips.len();
            s.floating_ips.retain(|(f, _)| f != &address);
            if s.floating_ips.len() == before {
                return Err(ApiError::conflict(format!(
                    "Floating IP {address} is not associated with instance {}.",
                    s.id
                )));
            }
            s.updated = now;
            Ok(Some(accepted()))
        }
        "createBackup" => {
            require(
                "createBackup",
                s,
                &[
                    VmState::Active,
                    VmState::Stopped,
                    VmState::Paused,
                    VmState::Suspended,
                ],
            )?;
            let rotation = rotation_of(&obj["rotation"]).map_err(bad)?;
            let backup_type = text("backup_type");
            let back = s.vm_state;
            s.begin(TaskState::ImageBackup, ACTION_POLLS, Settle::To(back), now);
            let server_id = s.id.clone();
            let mut properties: std::collections::BTreeMap<String, String> = obj
                .get("metadata")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            properties.insert("instance_uuid".into(), server_id.clone());
            properties.insert("image_type".into(), "backup".into());
            properties.insert("backup_type".into(), backup_type.clone());
            let owner = Some(s.project_id.clone());
            let image_id = uuid::Uuid::new_v4().to_string();
            inner.images.push(Image {
                id: image_id.clone(),
                name: text("name"),
                properties,
                created: now,
                server_id: Some(server_id.clone()),
                owner,
            });
            rotate_backups(inner, &server_id, &backup_type, rotation);
            if v.at_least(2, 45) {
                Ok(Some(
                    (
                        StatusCode::ACCEPTED,
                        axum::Json(json!({"image_id": image_id})),
                    )
                        .into_response(),
                ))
            } else {
                let mut resp = accepted();
                let location = format!("{}/images/{image_id}", ctx.base_url.trim_end_matches('/'));
                if let Ok(h) = HeaderValue::from_str(&location) {
                    resp.headers_mut().insert(header::LOCATION, h);
                }
                Ok(Some(resp))
            }
        }
        _ => Ok(None),
    }
}

/// Nova's `non_negative_integer`: an integer, or a string of digits.
fn rotation_of(value: &Value) -> Result<u64, String> {
    let parsed = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(t) if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) => {
            t.parse().ok()
        }
        _ => None,
    };
    parsed.ok_or_else(|| {
        field_error(
            "rotation",
            value,
            &format!("{} is not of type 'integer', 'string'", py_repr(value)),
        )
    })
}

fn check_ip(field: &str, value: &Value) -> Result<(), String> {
    check_type(field, value, &["string"])?;
    let text = value.as_str().unwrap_or_default();
    if is_ipv4(text) || is_ipv6(text) {
        Ok(())
    } else {
        Err(format_error(field, value, "ipv4"))
    }
}

/// Keeps the newest `rotation` backups of `backup_type` of a server (Nova's
/// `_rotate_backups`: 0 deletes them all, the new one included).
fn rotate_backups(inner: &mut Inner, server_id: &str, backup_type: &str, rotation: u64) {
    let is_backup = |i: &Image| {
        i.server_id.as_deref() == Some(server_id)
            && i.properties.get("image_type").map(String::as_str) == Some("backup")
            && i.properties.get("backup_type").map(String::as_str) == Some(backup_type)
    };
    let count = inner.images.iter().filter(|i| is_backup(i)).count();
    let mut excess = count.saturating_sub(usize::try_from(rotation).unwrap_or(usize::MAX));
    // images are kept in creation order: the oldest come first
    inner.images.retain(|i| {
        if excess > 0 && is_backup(i) {
            excess -= 1;
            false
        } else {
            true
        }
    });
}

/// Soft-deletes a server (`reclaim_instance_interval` > 0): `SOFT_DELETED` until restored or
/// force-deleted (the mock never reclaims on its own).
pub fn soft_delete(s: &mut Server, now: DateTime<Utc>) {
    s.settle(Settle::To(VmState::SoftDeleted), now);
}

// --- os-resetState (admin_actions.py `_reset_state`) ---

/// `os-resetState`: the schema first (400), then the server (404), then the admin policy
/// (403); sets vm_state, clears task_state (and any transition the mock had pending).
/// The power state is left as it was, like Nova.
fn reset_state(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    let bad = ApiError::bad_request;
    check_type("os-resetState", args, &["object"]).map_err(bad)?;
    let obj = args.as_object().cloned().unwrap_or_default();
    check_required(Some("os-resetState"), &obj, args, &["state"]).map_err(bad)?;
    check_enum("state", &obj["state"], &["active", "error"]).map_err(bad)?;
    check_no_extra(Some("os-resetState"), &obj, args, &["state"]).map_err(bad)?;
    let s = visible_server(inner, ctx, id)?;
    if !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:os-admin-actions:reset_state",
        ));
    }
    s.vm_state = if obj["state"] == "active" {
        VmState::Active
    } else {
        VmState::Error
    };
    s.task_state = None;
    s.pending = None;
    s.updated = now;
    Ok(accepted())
}
