//! `/os-keypairs`: create (generated below 2.92, imported always), list (paginated from 2.35),
//! show, delete; `type` from 2.2, `user_id` from 2.10. Fingerprints are Nova's: MD5 of the
//! decoded ssh key, SHA-1 of an x509 certificate's DER.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json};
use super::key_digest;
use super::model::Keypair;
use super::query::{Query, next_link, parse_limit};
use super::validation::*;

/// Keypairs allowed per user (`maxTotalKeypairs`).
pub const KEYPAIR_QUOTA: usize = 100;

/// The blob of an ssh public key line (`TYPE BASE64 [comment]`), decoded.
fn ssh_blob(public_key: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let mut parts = public_key.split_whitespace();
    let kind = parts.next()?;
    if !(kind.starts_with("ssh-") || kind.starts_with("ecdsa-")) {
        return None;
    }
    base64::engine::general_purpose::STANDARD
        .decode(parts.next()?)
        .ok()
        .filter(|blob| !blob.is_empty())
}

/// The DER of the first PEM `CERTIFICATE` block of `pem`.
fn certificate_der(pem: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let (_, rest) = pem.split_once("-----BEGIN CERTIFICATE-----")?;
    let (body, _) = rest.split_once("-----END CERTIFICATE-----")?;
    let body: String = body.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()
        .filter(|der| !der.is_empty())
}

/// Nova's fingerprint of an imported key: `generate_fingerprint` (MD5 of
/// the decoded ssh blob) or, for `x509`, `generate_x509_fingerprint` (SHA-1
/// of the certificate's DER); colon-separated lowercase hex. `None` when the
/// key does not decode (Nova's 400 `failed to generate fingerprint`).
pub fn fingerprint(public_key: &str, key_type: &str) -> Option<String> {
    if key_type == "x509" {
        let der = certificate_der(public_key)?;
        return Some(key_digest::colon_hex(&key_digest::sha1(&der)));
    }
    let blob = ssh_blob(public_key)?;
    Some(key_digest::colon_hex(&key_digest::md5(&blob)))
}

fn generated_pair(name: &str) -> (String, String) {
    use base64::Engine as _;
    let seed = uuid::Uuid::new_v4();
    let mut blob = b"\x00\x00\x00\x07ssh-rsa".to_vec();
    for _ in 0..8 {
        blob.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    let public = format!(
        "ssh-rsa {} Generated-by-Nova\n",
        base64::engine::general_purpose::STANDARD.encode(&blob)
    );
    let private = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        base64::engine::general_purpose::STANDARD
            .encode(format!("mock private key {name} {seed}").as_bytes())
    );
    (public, private)
}

/// The keypair object: `user_id` only in create and show responses.
pub fn keypair_view(k: &Keypair, ctx: &NovaCtx, with_user: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("fingerprint".into(), json!(k.fingerprint));
    m.insert("name".into(), json!(k.name));
    m.insert("public_key".into(), json!(k.public_key));
    if ctx.version.at_least(2, 2) {
        m.insert("type".into(), json!(k.key_type));
    }
    if with_user {
        m.insert("user_id".into(), json!(k.user_id));
    }
    m
}

fn validate_create(body: &Value, ctx: &NovaCtx) -> Result<(), Invalid> {
    let v = ctx.version;
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    if let Some(kp) = top.get("keypair") {
        check_type("keypair", kp, &["object"])?;
        let obj = kp.as_object().cloned().unwrap_or_default();
        let mut allowed = vec!["name", "public_key"];
        if v.at_least(2, 2) {
            allowed.push("type");
        }
        if v.at_least(2, 10) {
            allowed.push("user_id");
        }
        if let Some(n) = obj.get("name") {
            check_string("name", n, 1, 255)?;
            let s = n.as_str().unwrap_or_default();
            let extra_ok = v.at_least(2, 92);
            let ok = s.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || c == ' '
                    || c == '_'
                    || c == '-'
                    || (extra_ok && (c == '@' || c == '.'))
            });
            if !ok {
                let pattern = if extra_ok {
                    "^[a-zA-Z0-9 @._-]+$"
                } else {
                    "^[a-zA-Z0-9 _-]+$"
                };
                return Err(field_error(
                    "name",
                    n,
                    &format!("{} does not match '{pattern}'", py_repr(n)),
                ));
            }
        }
        if let Some(p) = obj.get("public_key") {
            check_type("public_key", p, &["string"])?;
        }
        if let Some(t) = obj.get("type").filter(|_| v.at_least(2, 2)) {
            check_enum("type", t, &["ssh", "x509"])?;
        }
        if let Some(u) = obj.get("user_id").filter(|_| v.at_least(2, 10)) {
            check_string("user_id", u, 1, 255)?;
        }
        let required: &[&str] = if v.at_least(2, 92) {
            &["name", "public_key"]
        } else {
            &["name"]
        };
        check_required(Some("keypair"), &obj, kp, required)?;
        check_no_extra(Some("keypair"), &obj, kp, &allowed)?;
    }
    check_required(None, top, body, &["keypair"])?;
    check_no_extra(None, top, body, &["keypair"])
}

fn target_user(ctx: &NovaCtx, requested: Option<&str>) -> ApiResult<String> {
    match requested {
        Some(u) if u != ctx.user_id => {
            if ctx.is_admin {
                Ok(u.to_string())
            } else {
                Err(ApiError::policy("os_compute_api:os-keypairs:create"))
            }
        }
        _ => Ok(ctx.user_id.clone()),
    }
}

async fn create(State(st): State<SharedState>, ctx: NovaCtx, body: Bytes) -> ApiResult {
    let body = parse_json(&body)?;
    validate_create(&body, &ctx).map_err(ApiError::bad_request)?;
    let kp = &body["keypair"];
    let name = kp["name"].as_str().unwrap_or_default().to_string();
    let key_type = kp["type"].as_str().unwrap_or("ssh").to_string();
    let user = target_user(
        &ctx,
        kp.get("user_id")
            .and_then(Value::as_str)
            .filter(|_| ctx.version.at_least(2, 10)),
    )?;
    let (public_key, private_key) = match kp.get("public_key").and_then(Value::as_str) {
        Some(p) => {
            if fingerprint(p, &key_type).is_none() {
                return Err(ApiError::bad_request(
                    "Keypair data is invalid: failed to generate fingerprint",
                ));
            }
            (p.to_string(), None)
        }
        None => {
            let (public, private) = generated_pair(&name);
            (public, Some(private))
        }
    };
    let now = st.now();
    let mut inner = st.nova.lock();
    let owned = inner.keypairs.keys().filter(|(u, _)| *u == user).count();
    if owned >= KEYPAIR_QUOTA {
        return Err(ApiError::forbidden("Quota exceeded, too many key pairs."));
    }
    let key = (user.clone(), name.clone());
    if inner.keypairs.contains_key(&key) {
        return Err(ApiError::conflict(format!(
            "Key pair '{name}' already exists."
        )));
    }
    let fingerprint_of = fingerprint(&public_key, &key_type).unwrap_or_default();
    let id = inner.next_keypair_id;
    inner.next_keypair_id += 1;
    let record = Keypair {
        name,
        user_id: user,
        key_type,
        fingerprint: fingerprint_of,
        public_key,
        created: now,
        id,
    };
    let mut view = keypair_view(&record, &ctx, true);
    if let Some(p) = private_key {
        view.insert("private_key".into(), json!(p));
    }
    inner.keypairs.insert(key, record);
    let status = if ctx.version.at_least(2, 2) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({"keypair": view}))).into_response())
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let q = Query::parse(raw.as_deref());
    let v = ctx.version;
    let user = if v.at_least(2, 10) {
        target_user(&ctx, q.last("user_id"))?
    } else {
        ctx.user_id.clone()
    };
    let inner = st.nova.lock();
    let paginated = v.at_least(2, 35);
    let limit = if paginated {
        parse_limit(&q, inner.config.max_limit).map_err(ApiError::bad_request)?
    } else {
        usize::MAX
    };
    let mut range: Box<dyn Iterator<Item = &Keypair>> = Box::new(
        inner
            .keypairs
            .range((user.clone(), String::new())..)
            .take_while(|((u, _), _)| *u == user)
            .map(|(_, k)| k),
    );
    if paginated && let Some(m) = q.last("marker") {
        if !inner.keypairs.contains_key(&(user.clone(), m.to_string())) {
            return Err(ApiError::bad_request(format!(
                "Marker {m} could not be found."
            )));
        }
        let m = m.to_string();
        range = Box::new(range.skip_while(move |k| k.name <= m));
    }
    let page: Vec<&Keypair> = range.take(limit).collect();
    let items: Vec<Value> = page
        .iter()
        .map(|k| json!({"keypair": keypair_view(k, &ctx, false)}))
        .collect();
    let mut body = json!({"keypairs": items});
    if paginated
        && limit > 0
        && page.len() == limit
        && let Some(last) = page.last()
    {
        body["keypairs_links"] = next_link(&ctx.base_url, "os-keypairs", &q, &last.name);
    }
    Ok(Json(body))
}

fn not_found(name: &str, user: &str) -> ApiError {
    ApiError::not_found(format!("Keypair {name} not found for user {user}"))
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let q = Query::parse(raw.as_deref());
    let user = if ctx.version.at_least(2, 10) {
        target_user(&ctx, q.last("user_id"))?
    } else {
        ctx.user_id.clone()
    };
    let inner = st.nova.lock();
    let k = inner
        .keypairs
        .get(&(user.clone(), name.clone()))
        .ok_or_else(|| not_found(&name, &user))?;
    Ok(Json(json!({"keypair": keypair_show_view(k, &ctx)})))
}

/// The GET /os-keypairs/{name} object (adds the database fields).
pub fn keypair_show_view(k: &Keypair, ctx: &NovaCtx) -> Map<String, Value> {
    let mut m = keypair_view(k, ctx, true);
    m.insert("deleted".into(), json!(false));
    m.insert(
        "created_at".into(),
        json!(k.created.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
    );
    m.insert("updated_at".into(), Value::Null);
    m.insert("deleted_at".into(), Value::Null);
    m.insert("id".into(), json!(k.id));
    m
}

async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let q = Query::parse(raw.as_deref());
    let user = if ctx.version.at_least(2, 10) {
        target_user(&ctx, q.last("user_id"))?
    } else {
        ctx.user_id.clone()
    };
    let mut inner = st.nova.lock();
    if inner
        .keypairs
        .remove(&(user.clone(), name.clone()))
        .is_none()
    {
        return Err(not_found(&name, &user));
    }
    Ok(if ctx.version.at_least(2, 2) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::ACCEPTED
    }
    .into_response())
}

/// Keypair routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/os-keypairs", get(index).post(create))
        .route("/os-keypairs/{keypair_name}", get(show).delete(delete))
}
