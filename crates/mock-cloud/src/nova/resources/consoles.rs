//! Remote consoles, the older console actions and console auth tokens.
//!
//! Every console type is "enabled" in the mock. A console needs an `active` or `paused`
//! server (409 "Instance ... is not ready" otherwise). The URLs carry a fresh token that
//! `GET /os-console-auth-tokens/{token}` (admin) resolves; below 2.31 only `rdp-html5`
//! tokens resolve, as in Nova.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::attachments::ConsoleToken;
use super::error::{ApiError, ApiResult, parse_json};
use super::servers::actions::visible_server;
use super::servers::state::VmState;
use super::store::Inner;
use super::validation::*;
use crate::nova::NovaCtx;
use crate::state::SharedState;

/// `(type, protocol, host port, URL template)`; `{token}` is replaced.
const TYPES: &[(&str, &str, u32, &str)] = &[
    (
        "novnc",
        "vnc",
        5900,
        "http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D{token}",
    ),
    (
        "xvpvnc",
        "vnc",
        5900,
        "http://127.0.0.1:6081/console?token={token}",
    ),
    (
        "spice-html5",
        "spice",
        5901,
        "http://127.0.0.1:6082/spice_auto.html?token={token}",
    ),
    (
        "spice-direct",
        "spice",
        5901,
        "http://127.0.0.1:13002/nova?token={token}",
    ),
    (
        "rdp-html5",
        "rdp",
        3389,
        "http://127.0.0.1:6083/?token={token}",
    ),
    (
        "serial",
        "serial",
        10000,
        "ws://127.0.0.1:6083/?token={token}",
    ),
    (
        "webmks",
        "mks",
        902,
        "http://127.0.0.1:6090/mks.html?token={token}",
    ),
];

/// Hands out a console of `console_type` for server `id`: its URL.
fn open_console(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    protocol: &str,
    console_type: &str,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let s = visible_server(inner, ctx, id)?;
    let Some((_, own_protocol, port, template)) = TYPES.iter().find(|(t, ..)| *t == console_type)
    else {
        return Err(ApiError::bad_request(format!(
            "Invalid console type {console_type}"
        )));
    };
    if *own_protocol != protocol {
        return Err(ApiError::bad_request(format!(
            "Invalid console type {console_type}"
        )));
    }
    if !matches!(s.vm_state, VmState::Active | VmState::Paused) || s.host.is_none() {
        return Err(ApiError::conflict(format!("Instance {id} is not ready")));
    }
    let host = s.host.as_deref().unwrap_or_default().to_owned();
    let token = uuid::Uuid::new_v4().to_string();
    inner.attachments.console_tokens.insert(
        token.clone(),
        ConsoleToken {
            instance_uuid: id.to_owned(),
            console_type: console_type.to_owned(),
            port: *port,
            tls_port: (console_type == "spice-direct").then_some(port + 1),
            internal_access_path: None,
            host,
            created: now,
        },
    );
    Ok(template.replace("{token}", &token))
}

/// Runs `action` if it is one of the older console actions (`os-getVNCConsole`, ...):
/// `Ok(None)` for any other action, which the server action dispatcher then handles.
/// From 2.6 these actions are gone (404, as Nova's versioned action methods).
pub fn legacy_action(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    action: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Option<Response>> {
    let (protocol, types): (&str, &[&str]) = match action {
        "os-getVNCConsole" => ("vnc", &["novnc", "xvpvnc"]),
        "os-getSPICEConsole" => ("spice", &["spice-html5"]),
        "os-getRDPConsole" => ("rdp", &["rdp-html5"]),
        "os-getSerialConsole" => ("serial", &["serial"]),
        _ => return Ok(None),
    };
    if ctx.version.at_least(2, 6) {
        return Err(ApiError::resource_not_found());
    }
    check_type(action, args, &["object"]).map_err(ApiError::bad_request)?;
    let obj = args.as_object().cloned().unwrap_or_default();
    check_required(Some(action), &obj, args, &["type"]).map_err(ApiError::bad_request)?;
    check_enum("type", &args["type"], types).map_err(ApiError::bad_request)?;
    check_no_extra(Some(action), &obj, args, &["type"]).map_err(ApiError::bad_request)?;
    let console_type = args["type"].as_str().unwrap_or_default();
    let url = open_console(inner, ctx, id, protocol, console_type, now)?;
    Ok(Some(
        Json(json!({"console": {"type": console_type, "url": url}})).into_response(),
    ))
}

/// POST /servers/{id}/remote-consoles (2.6+)
async fn create(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let v = ctx.version;
    if !v.at_least(2, 6) {
        return Err(ApiError::resource_not_found());
    }
    let body = parse_json(&body)?;
    let Some(top) = body.as_object() else {
        return Err(ApiError::bad_request(type_message(&body, &["object"])));
    };
    check_required(None, top, &body, &["remote_console"]).map_err(ApiError::bad_request)?;
    check_no_extra(None, top, &body, &["remote_console"]).map_err(ApiError::bad_request)?;
    let rc = &body["remote_console"];
    check_type("remote_console", rc, &["object"]).map_err(ApiError::bad_request)?;
    let obj: Map<String, Value> = rc.as_object().cloned().unwrap_or_default();
    check_required(Some("remote_console"), &obj, rc, &["protocol", "type"])
        .map_err(ApiError::bad_request)?;
    let mut protocols = vec!["vnc", "spice", "rdp", "serial"];
    let mut types = vec!["novnc", "xvpvnc", "rdp-html5", "spice-html5", "serial"];
    if v.at_least(2, 8) {
        protocols.push("mks");
        types.push("webmks");
    }
    if v.at_least(2, 99) {
        types.push("spice-direct");
    }
    check_enum("protocol", &rc["protocol"], &protocols).map_err(ApiError::bad_request)?;
    check_enum("type", &rc["type"], &types).map_err(ApiError::bad_request)?;
    check_no_extra(Some("remote_console"), &obj, rc, &["protocol", "type"])
        .map_err(ApiError::bad_request)?;
    let protocol = rc["protocol"].as_str().unwrap_or_default();
    let console_type = rc["type"].as_str().unwrap_or_default();
    let now = st.now();
    let mut inner = st.nova.lock();
    let url = open_console(&mut inner, &ctx, &id, protocol, console_type, now)?;
    Ok(Json(
        json!({"remote_console": {"protocol": protocol, "type": console_type, "url": url}}),
    ))
}

/// GET /os-console-auth-tokens/{token} (admin)
async fn connect_info(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(token): Path<String>,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-console-auth-tokens"));
    }
    let inner = st.nova.lock();
    let invalid = || ApiError::not_found(format!("The token '{token}' is invalid or has expired"));
    let Some(t) = inner.attachments.console_tokens.get(&token) else {
        return Err(invalid());
    };
    if !ctx.version.at_least(2, 31) && t.console_type != "rdp-html5" {
        return Err(ApiError::unauthorized_console());
    }
    let mut m = Map::new();
    m.insert("instance_uuid".into(), json!(t.instance_uuid));
    m.insert("host".into(), json!(t.host));
    m.insert("port".into(), json!(t.port));
    m.insert("internal_access_path".into(), json!(t.internal_access_path));
    if ctx.version.at_least(2, 99) {
        m.insert("tls_port".into(), json!(t.tls_port));
    }
    Ok(Json(json!({"console": m})))
}

impl ApiError {
    /// Nova's 401 for a non-RDP token below 2.31.
    fn unauthorized_console() -> Self {
        ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "The requested console type details are not accessible",
        )
    }
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/servers/{server_id}/remote-consoles", post(create))
        .route("/os-console-auth-tokens/{token}", get(connect_info))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::super::config::NovaConfig;
    use super::super::model::Settle;
    use super::super::store::NovaStore;
    use super::*;
    use crate::nova::ApiVersion;

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "demo", "demo", false)
    }

    #[test]
    fn legacy_actions_answer_below_2_6_and_are_gone_from_2_6() {
        let store = NovaStore::new(&NovaConfig::default());
        let mut inner = store.lock();
        let now = Utc::now();
        let flavor = inner.flavors[0].clone();
        let mut s = inner.new_server("c".into(), "demo".into(), "demo".into(), flavor, None, now);
        s.settle(Settle::To(VmState::Active), now);
        let id = s.id.clone();
        inner.insert(s);
        let args = json!({"type": "novnc"});
        let answered = legacy_action(&mut inner, &ctx(5), &id, "os-getVNCConsole", &args, now)
            .expect("2.5")
            .expect("handled");
        assert_eq!(answered.status(), axum::http::StatusCode::OK);
        assert_eq!(inner.attachments.console_tokens.len(), 1);
        let gone = legacy_action(&mut inner, &ctx(6), &id, "os-getVNCConsole", &args, now)
            .expect_err("2.6");
        assert_eq!(gone.status, axum::http::StatusCode::NOT_FOUND);
        let wrong = legacy_action(
            &mut inner,
            &ctx(5),
            &id,
            "os-getSPICEConsole",
            &json!({"type": "novnc"}),
            now,
        )
        .expect_err("bad type");
        assert_eq!(wrong.status, axum::http::StatusCode::BAD_REQUEST);
        let other = legacy_action(&mut inner, &ctx(5), &id, "reboot", &args, now).expect("other");
        assert!(other.is_none());
    }
}
