//! Flavor management (admin): `POST /flavors`, `DELETE /flavors/{id}`, `PUT /flavors/{id}`
//! (description, 2.55+), `/flavors/{id}/os-extra_specs[/{key}]` and
//! `/flavors/{id}/os-flavor-access` with the `addTenantAccess` / `removeTenantAccess`
//! actions. Non-admins get Nova's 403 policy message for every change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json, require_admin};
use super::flavors::flavor_detail;
use super::model::Flavor;
use super::store::Inner;
use super::validation::*;

/// Projects allowed to use each private flavor.
#[derive(Debug, Clone, Default)]
pub struct FlavorAccessState {
    /// Flavor id -> project ids.
    pub access: BTreeMap<String, BTreeSet<String>>,
}

/// Whether `ctx` may see flavor `f`: public flavors, every flavor for admins, and private
/// flavors the caller's project was given access to.
pub fn visible(inner: &Inner, ctx: &NovaCtx, f: &Flavor) -> bool {
    f.is_public || ctx.is_admin || has_access(inner, &ctx.project_id, &f.id)
}

fn has_access(inner: &Inner, project: &str, flavor_id: &str) -> bool {
    inner
        .flavor_access
        .access
        .get(flavor_id)
        .is_some_and(|projects| projects.contains(project))
}

fn flavor_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Flavor {id} could not be found."))
}

fn flavor_index(inner: &Inner, id: &str) -> ApiResult<usize> {
    inner
        .flavors
        .iter()
        .position(|f| f.id == id)
        .ok_or_else(|| flavor_not_found(id))
}

fn check_non_negative(field: &str, value: &Value, min: i64) -> Result<u32, Invalid> {
    check_type(field, value, &["integer", "string"])?;
    let n = match value {
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| {
            field_error(
                field,
                value,
                &format!("{} does not match '^[0-9]+$'", py_repr(value)),
            )
        })?,
        other => other.as_i64().unwrap_or(i64::MAX),
    };
    let n = check_range(field, value, n, min.max(0), MAX_INT)?;
    // within 0..=MAX_INT, so it fits
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

struct NewFlavor {
    flavor: Flavor,
    id_given: bool,
    is_public: bool,
}

fn validate_create(body: &Value, ctx: &NovaCtx) -> Result<NewFlavor, Invalid> {
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    check_required(None, top, body, &["flavor"])?;
    check_no_extra(None, top, body, &["flavor"])?;
    let fl = &top["flavor"];
    check_type("flavor", fl, &["object"])?;
    let obj = fl.as_object().cloned().unwrap_or_default();
    let mut allowed = vec![
        "name",
        "id",
        "ram",
        "vcpus",
        "disk",
        "OS-FLV-EXT-DATA:ephemeral",
        "swap",
        "rxtx_factor",
        "os-flavor-access:is_public",
    ];
    if ctx.version.at_least(2, 55) {
        allowed.push("description");
    }
    check_required(Some("flavor"), &obj, fl, &["name", "ram", "vcpus", "disk"])?;
    check_no_extra(Some("flavor"), &obj, fl, &allowed)?;
    check_name("name", &obj["name"])?;
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(v) => {
            check_string("id", v, 1, 255)?;
            let s = v.as_str().unwrap_or_default();
            if !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_. ".contains(c))
                || s.trim() != s
            {
                return Err(field_error(
                    "id",
                    v,
                    &format!(
                        "{} does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'",
                        py_repr(v)
                    ),
                ));
            }
            Some(s.to_string())
        }
    };
    let ram = check_non_negative("ram", &obj["ram"], 1)?;
    let vcpus = check_non_negative("vcpus", &obj["vcpus"], 1)?;
    let disk = check_non_negative("disk", &obj["disk"], 0)?;
    let ephemeral = match obj.get("OS-FLV-EXT-DATA:ephemeral") {
        Some(v) => check_non_negative("OS-FLV-EXT-DATA:ephemeral", v, 0)?,
        None => 0,
    };
    let swap = match obj.get("swap") {
        Some(v) => check_non_negative("swap", v, 0)?,
        None => 0,
    };
    if let Some(r) = obj.get("rxtx_factor") {
        check_type("rxtx_factor", r, &["number", "string"])?;
    }
    let is_public = match obj.get("os-flavor-access:is_public") {
        Some(v) => {
            check_boolean("os-flavor-access:is_public", v)?;
            truthy(v)
        }
        None => true,
    };
    let description = match obj.get("description") {
        None | Some(Value::Null) => None,
        Some(d) => {
            check_string_or_null("description", d, 0, 65535)?;
            d.as_str().map(str::to_string)
        }
    };
    Ok(NewFlavor {
        id_given: id.is_some(),
        flavor: Flavor {
            id: id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            name: obj["name"].as_str().unwrap_or_default().to_string(),
            vcpus,
            ram,
            disk,
            ephemeral,
            swap,
            description,
            extra_specs: BTreeMap::new(),
            is_public,
        },
        is_public,
    })
}

async fn create(State(st): State<SharedState>, ctx: NovaCtx, body: Bytes) -> ApiResult {
    require_admin(&ctx, "os_compute_api:os-flavor-manage:create")?;
    let body = parse_json(&body)?;
    let new = validate_create(&body, &ctx).map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    if inner.flavors.iter().any(|f| f.name == new.flavor.name) {
        return Err(ApiError::conflict(format!(
            "Flavor with name {} already exists.",
            new.flavor.name
        )));
    }
    if new.id_given && inner.flavors.iter().any(|f| f.id == new.flavor.id) {
        return Err(ApiError::conflict(format!(
            "Flavor with ID {} already exists.",
            new.flavor.id
        )));
    }
    let view = flavor_detail(&new.flavor, ctx.version, &ctx.base_url);
    if !new.is_public {
        inner
            .flavor_access
            .access
            .insert(new.flavor.id.clone(), BTreeSet::new());
    }
    inner.flavors.push(Arc::new(new.flavor));
    Ok(Json(json!({"flavor": view})).into_response())
}

async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    require_admin(&ctx, "os_compute_api:os-flavor-manage:delete")?;
    let mut inner = st.nova.lock();
    let pos = flavor_index(&inner, &id)?;
    inner.flavors.remove(pos);
    inner.flavor_access.access.remove(&id);
    Ok(StatusCode::ACCEPTED.into_response())
}

async fn update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if !ctx.version.at_least(2, 55) {
        return Err(ApiError::resource_not_found());
    }
    require_admin(&ctx, "os_compute_api:os-flavor-manage:update")?;
    let body = parse_json(&body)?;
    let description = (|| -> Result<Option<String>, Invalid> {
        let Some(top) = body.as_object() else {
            return Err(type_message(&body, &["object"]));
        };
        check_required(None, top, &body, &["flavor"])?;
        check_no_extra(None, top, &body, &["flavor"])?;
        let fl = &top["flavor"];
        check_type("flavor", fl, &["object"])?;
        let obj = fl.as_object().cloned().unwrap_or_default();
        check_required(Some("flavor"), &obj, fl, &["description"])?;
        check_no_extra(Some("flavor"), &obj, fl, &["description"])?;
        check_string_or_null("description", &obj["description"], 0, 65535)?;
        Ok(obj["description"].as_str().map(str::to_string))
    })()
    .map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    let pos = flavor_index(&inner, &id)?;
    let flavor = Arc::make_mut(&mut inner.flavors[pos]);
    flavor.description = description;
    let view = flavor_detail(flavor, ctx.version, &ctx.base_url);
    Ok(Json(json!({"flavor": view})))
}

async fn specs_index(
    State(st): State<SharedState>,
    _ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let inner = st.nova.lock();
    let pos = flavor_index(&inner, &id)?;
    Ok(Json(json!({"extra_specs": inner.flavors[pos].extra_specs})))
}

async fn specs_show(
    State(st): State<SharedState>,
    _ctx: NovaCtx,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let inner = st.nova.lock();
    let pos = flavor_index(&inner, &id)?;
    let value = inner.flavors[pos].extra_specs.get(&key).ok_or_else(|| {
        ApiError::not_found(format!("Flavor {id} has no extra specs with key {key}."))
    })?;
    Ok(Json(json!({ key: value })))
}

/// Nova's extra specs object: keys `^[a-zA-Z0-9-_:. ]{1,255}$`, values strings (numbers and
/// booleans are stored as their text) up to 255 characters.
fn validate_specs(value: &Value) -> Result<BTreeMap<String, String>, Invalid> {
    check_type("extra_specs", value, &["object"])?;
    let mut out = BTreeMap::new();
    for (k, v) in value.as_object().into_iter().flatten() {
        let key_ok = !k.is_empty()
            && k.chars().count() <= 255
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:. ".contains(c));
        if !key_ok {
            return Err(field_error(
                "extra_specs",
                value,
                &format!("'{k}' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{{1,255}}$'"),
            ));
        }
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            other => {
                return Err(field_error(
                    k,
                    other,
                    &type_message(other, &["string", "number", "boolean"]),
                ));
            }
        };
        if text.chars().count() > 255 {
            return Err(field_error(k, v, &format!("{} is too long", py_repr(v))));
        }
        out.insert(k.clone(), text);
    }
    Ok(out)
}

fn store_specs(inner: &mut Inner, id: &str, specs: &BTreeMap<String, String>) -> ApiResult<()> {
    let pos = flavor_index(inner, id)?;
    let flavor = Arc::make_mut(&mut inner.flavors[pos]);
    for (k, v) in specs {
        flavor.extra_specs.insert(k.clone(), v.clone());
    }
    Ok(())
}

async fn specs_create(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-flavor-extra-specs:create")?;
    let body = parse_json(&body)?;
    let specs = (|| -> Result<BTreeMap<String, String>, Invalid> {
        let Some(top) = body.as_object() else {
            return Err(type_message(&body, &["object"]));
        };
        check_required(None, top, &body, &["extra_specs"])?;
        check_no_extra(None, top, &body, &["extra_specs"])?;
        validate_specs(&top["extra_specs"])
    })()
    .map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    store_specs(&mut inner, &id, &specs)?;
    Ok(Json(json!({"extra_specs": specs})))
}

async fn specs_update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, key)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-flavor-extra-specs:update")?;
    let body = parse_json(&body)?;
    let specs = validate_specs(&body).map_err(ApiError::bad_request)?;
    if !specs.contains_key(&key) {
        return Err(ApiError::bad_request("Request body and URI mismatch"));
    }
    if specs.len() > 1 {
        return Err(ApiError::bad_request(
            "Request body contains too many items",
        ));
    }
    let mut inner = st.nova.lock();
    store_specs(&mut inner, &id, &specs)?;
    Ok(Json(json!(specs)))
}

async fn specs_delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult<Response> {
    require_admin(&ctx, "os_compute_api:os-flavor-extra-specs:delete")?;
    let mut inner = st.nova.lock();
    let pos = flavor_index(&inner, &id)?;
    if !inner.flavors[pos].extra_specs.contains_key(&key) {
        return Err(ApiError::not_found(format!(
            "Flavor {id} has no extra specs with key {key}."
        )));
    }
    Arc::make_mut(&mut inner.flavors[pos])
        .extra_specs
        .remove(&key);
    Ok(StatusCode::OK.into_response())
}

fn access_view(inner: &Inner, id: &str) -> Value {
    let list: Vec<Value> = inner
        .flavor_access
        .access
        .get(id)
        .into_iter()
        .flatten()
        .map(|p| json!({"flavor_id": id, "tenant_id": p}))
        .collect();
    json!({"flavor_access": list})
}

fn private_flavor(inner: &Inner, id: &str) -> ApiResult<bool> {
    let pos = flavor_index(inner, id)?;
    Ok(!inner.flavors[pos].is_public)
}

async fn access_index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-flavor-access")?;
    let inner = st.nova.lock();
    if !private_flavor(&inner, &id)? {
        return Err(ApiError::not_found(
            "Access list not available for public flavors.",
        ));
    }
    Ok(Json(access_view(&inner, &id)))
}

async fn action(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let Some((name, args)) = body.as_object().and_then(|o| o.iter().next()) else {
        return Err(ApiError::malformed());
    };
    let adding = match name.as_str() {
        "addTenantAccess" => true,
        "removeTenantAccess" => false,
        _ => return Err(ApiError::resource_not_found()),
    };
    let rule = if adding {
        "os-flavor-access:add_tenant_access"
    } else {
        "os-flavor-access:remove_tenant_access"
    };
    require_admin(&ctx, &format!("os_compute_api:{rule}"))?;
    let tenant = (|| -> Result<String, Invalid> {
        let top = body.as_object().cloned().unwrap_or_default();
        check_no_extra(None, &top, &body, &[name.as_str()])?;
        check_type(name, args, &["object"])?;
        let obj = args.as_object().cloned().unwrap_or_default();
        check_required(Some(name), &obj, args, &["tenant"])?;
        check_no_extra(Some(name), &obj, args, &["tenant"])?;
        check_string("tenant", &obj["tenant"], 1, 255)?;
        Ok(obj["tenant"].as_str().unwrap_or_default().to_string())
    })()
    .map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    let private = private_flavor(&inner, &id)?;
    if adding {
        if !private {
            return Err(ApiError::conflict("Can not add access to a public flavor."));
        }
        let set = inner.flavor_access.access.entry(id.clone()).or_default();
        if !set.insert(tenant.clone()) {
            return Err(ApiError::conflict(format!(
                "Flavor access already exists for flavor {id} and project {tenant} combination."
            )));
        }
    } else {
        let removed = inner
            .flavor_access
            .access
            .get_mut(&id)
            .is_some_and(|set| set.remove(&tenant));
        if !removed {
            return Err(ApiError::not_found(format!(
                "Flavor access not found for {id} / {tenant} combination."
            )));
        }
    }
    Ok(Json(access_view(&inner, &id)))
}

/// Flavor management routes (merged with the read-only routes of `flavors`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/flavors", post(create))
        .route(
            "/flavors/{flavor_id}",
            axum::routing::put(update).delete(delete),
        )
        .route(
            "/flavors/{flavor_id}/os-extra_specs",
            get(specs_index).post(specs_create),
        )
        .route(
            "/flavors/{flavor_id}/os-extra_specs/{key}",
            get(specs_show).put(specs_update).delete(specs_delete),
        )
        .route("/flavors/{flavor_id}/os-flavor-access", get(access_index))
        .route("/flavors/{flavor_id}/action", post(action))
}
