//! `GET /flavors`, `/flavors/detail`, `/flavors/{id}` shaped per microversion
//! (description 2.55, extra_specs 2.61, swap 0 instead of "" from 2.75, rxtx_factor and
//! OS-FLV-DISABLED:disabled removed at 2.102).
//!
//! Lists take Nova's `minRam`, `minDisk` (integers, else 400 `Invalid minRam filter [x]`),
//! `is_public` (admins only: `none` for all, a boolean, else 400 `Invalid is_public filter
//! [x]`; absent or `true` lists the public flavors plus the private ones the caller's
//! project may use; non-admins always get that), `sort_key` (a flavor column), `sort_dir`
//! (`asc` by default), `limit` and `marker` (400 `marker [x] not found`), with a
//! `flavors_links` next link on a full page.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde_json::{Map, Value, json};

use crate::nova::{ApiVersion, NovaCtx};
use crate::state::SharedState;

use super::error::{ApiError, ApiResult};
use super::model::Flavor;
use super::query::{Query, next_link, parse_limit};
use super::servers::views::self_and_bookmark;

/// The list entry of a flavor.
pub fn flavor_summary(f: &Flavor, v: ApiVersion, base_url: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(f.id));
    m.insert(
        "links".into(),
        self_and_bookmark(base_url, "flavors", &f.id),
    );
    m.insert("name".into(), json!(f.name));
    if v.at_least(2, 55) {
        m.insert("description".into(), json!(f.description));
    }
    Value::Object(m)
}

/// The full flavor view.
pub fn flavor_detail(f: &Flavor, v: ApiVersion, base_url: &str) -> Value {
    let mut m = match flavor_summary(f, v, base_url) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("ram".into(), json!(f.ram));
    m.insert("disk".into(), json!(f.disk));
    m.insert("vcpus".into(), json!(f.vcpus));
    m.insert("OS-FLV-EXT-DATA:ephemeral".into(), json!(f.ephemeral));
    m.insert("os-flavor-access:is_public".into(), json!(f.is_public));
    let swap = if f.swap == 0 && !v.at_least(2, 75) {
        json!("")
    } else {
        json!(f.swap)
    };
    m.insert("swap".into(), swap);
    if !v.at_least(2, 102) {
        m.insert("OS-FLV-DISABLED:disabled".into(), json!(false));
        m.insert("rxtx_factor".into(), json!(1.0));
    }
    if v.at_least(2, 61) {
        m.insert("extra_specs".into(), json!(f.extra_specs));
    }
    Value::Object(m)
}

/// `minRam` / `minDisk`: Nova's `int()` of the value, else 400 with its message.
fn int_filter(q: &Query, key: &str) -> ApiResult<i64> {
    match q.last(key) {
        None => Ok(0),
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request(format!("Invalid {key} filter [{raw}]"))),
    }
}

/// The `is_public` filter as Nova reads it: non-admins always get `true`; an admin's value
/// is `none` (any case) for all, a strict boolean, else 400. Absent means `true`.
fn is_public_filter(ctx: &NovaCtx, q: &Query) -> ApiResult<Option<bool>> {
    if !ctx.is_admin {
        return Ok(Some(true));
    }
    let Some(raw) = q.last("is_public") else {
        return Ok(Some(true));
    };
    match raw.trim().to_ascii_lowercase().as_str() {
        "none" => Ok(None),
        "1" | "t" | "true" | "on" | "y" | "yes" => Ok(Some(true)),
        "0" | "f" | "false" | "off" | "n" | "no" => Ok(Some(false)),
        _ => Err(ApiError::bad_request(format!(
            "Invalid is_public filter [{raw}]"
        ))),
    }
}

fn list(st: &SharedState, ctx: &NovaCtx, raw: Option<&str>, detail: bool) -> ApiResult<Value> {
    let inner = st.nova.lock();
    let q = Query::parse(raw);
    let v = ctx.version;
    if v.at_least(2, 102) {
        super::query::reject_unknown(
            &q,
            &[
                "is_public",
                "minRam",
                "minDisk",
                "sort_key",
                "sort_dir",
                "limit",
                "marker",
                "name",
            ],
        )
        .map_err(ApiError::bad_request)?;
    }
    let limit = parse_limit(&q, inner.config.max_limit).map_err(ApiError::bad_request)?;
    let min_ram = int_filter(&q, "minRam")?;
    let min_disk = int_filter(&q, "minDisk")?;
    let is_public = is_public_filter(ctx, &q)?;
    let name = if v.at_least(2, 102) {
        q.last("name")
    } else {
        None
    };
    let mut flavors: Vec<&Flavor> = inner
        .flavors
        .iter()
        .map(|f| &**f)
        .filter(|f| i64::from(f.ram) >= min_ram && i64::from(f.disk) >= min_disk)
        .filter(|f| name.is_none_or(|n| f.name.contains(n)))
        .filter(|f| match is_public {
            // Public, plus (as in Nova's query) the private ones the caller's project may use.
            Some(true) => {
                f.is_public
                    || inner
                        .flavor_access
                        .access
                        .get(&f.id)
                        .is_some_and(|projects| projects.contains(&ctx.project_id))
            }
            Some(false) => !f.is_public,
            None => true,
        })
        .collect();
    let sort_key = q.last("sort_key").unwrap_or("flavorid");
    let desc = match q.last("sort_dir").unwrap_or("asc") {
        "" | "asc" => false,
        "desc" => true,
        _ => {
            return Err(ApiError::bad_request(
                "Unknown sort direction, must be 'desc' or 'asc'",
            ));
        }
    };
    match sort_key {
        "flavorid" | "id" => flavors.sort_by(|a, b| a.id.cmp(&b.id)),
        "name" => flavors.sort_by(|a, b| a.name.cmp(&b.name)),
        "memory_mb" => flavors.sort_by_key(|f| f.ram),
        "root_gb" => flavors.sort_by_key(|f| f.disk),
        "vcpus" => flavors.sort_by_key(|f| f.vcpus),
        other => {
            return Err(ApiError::bad_request(format!(
                "Invalid input for query parameters sort_key. Value: {other}. '{other}' is not one of ['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus']"
            )));
        }
    }
    if desc {
        flavors.reverse();
    }
    if let Some(m) = q.last("marker") {
        let pos = flavors
            .iter()
            .position(|f| f.id == m)
            .ok_or_else(|| ApiError::bad_request(format!("marker [{m}] not found")))?;
        flavors.drain(..=pos);
    }
    flavors.truncate(limit);
    let items: Vec<Value> = flavors
        .iter()
        .map(|f| {
            if detail {
                flavor_detail(f, v, &ctx.base_url)
            } else {
                flavor_summary(f, v, &ctx.base_url)
            }
        })
        .collect();
    let mut body = json!({"flavors": items});
    if limit > 0
        && flavors.len() == limit
        && let Some(last) = flavors.last()
    {
        let path = if detail { "flavors/detail" } else { "flavors" };
        body["flavors_links"] = next_link(&ctx.base_url, path, &q, &last.id);
    }
    Ok(body)
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    list(&st, &ctx, q.as_deref(), false).map(Json)
}

async fn detail(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    list(&st, &ctx, q.as_deref(), true).map(Json)
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let inner = st.nova.lock();
    let f = inner
        .flavor(&id)
        .filter(|f| super::flavor_admin::visible(&inner, &ctx, f))
        .ok_or_else(|| ApiError::not_found(format!("Flavor {id} could not be found.")))?;
    Ok(Json(
        json!({"flavor": flavor_detail(f, ctx.version, &ctx.base_url)}),
    ))
}

/// Flavor routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/flavors", get(index))
        .route("/flavors/detail", get(detail))
        .route("/flavors/{flavor_id}", get(show))
}
