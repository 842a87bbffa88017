//! Host aggregates (`/os-aggregates`, admin only by default policy): list, create, show,
//! update, delete, the `add_host` / `remove_host` / `set_metadata` actions and image caching
//! (`POST /os-aggregates/{id}/images`, 2.81+). `uuid` is shown from 2.41; the create answer
//! has no `hosts` nor `metadata` (as Nova). Hosts are the config's `compute_host` and
//! `extra_compute_hosts`. Messages are those of `nova/exception.py` and
//! `nova/api/openstack/compute/aggregates.py`.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json, require_admin};
use super::store::Inner;
use super::validation::*;

/// A stored aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRecord {
    /// Integer id (the URL id).
    pub id: u64,
    /// UUID (shown 2.41+).
    pub uuid: String,
    /// Name (unique).
    pub name: String,
    /// Member hosts, in the order added.
    pub hosts: Vec<String>,
    /// Metadata; `availability_zone` lives here too, as in Nova.
    pub metadata: BTreeMap<String, String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The aggregates part of the store.
#[derive(Debug, Default)]
pub struct AggregateState {
    /// Aggregates by id.
    pub aggregates: BTreeMap<u64, AggregateRecord>,
    /// The last id handed out.
    pub last_id: u64,
    /// Image ids each aggregate was asked to cache (for tests).
    pub cached_images: BTreeMap<u64, Vec<String>>,
}

fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The aggregate object at `ctx`'s microversion; `full` adds `hosts` and `metadata`.
pub fn aggregate_view(a: &AggregateRecord, ctx: &NovaCtx, full: bool) -> Value {
    let mut m = Map::new();
    m.insert(
        "availability_zone".into(),
        json!(a.metadata.get("availability_zone")),
    );
    m.insert("created_at".into(), json!(time(&a.created_at)));
    m.insert("deleted".into(), json!(false));
    m.insert("deleted_at".into(), Value::Null);
    if full {
        m.insert("hosts".into(), json!(a.hosts));
    }
    m.insert("id".into(), json!(a.id));
    if full {
        m.insert("metadata".into(), json!(a.metadata));
    }
    m.insert("name".into(), json!(a.name));
    m.insert("updated_at".into(), json!(a.updated_at.as_ref().map(time)));
    if ctx.version.at_least(2, 41) {
        m.insert("uuid".into(), json!(a.uuid));
    }
    Value::Object(m)
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Aggregate {id} could not be found."))
}

fn find<'a>(inner: &'a mut Inner, id: &str) -> ApiResult<&'a mut AggregateRecord> {
    id.parse::<u64>()
        .ok()
        .and_then(|n| inner.aggregates.aggregates.get_mut(&n))
        .ok_or_else(|| not_found(id))
}

fn known_host(inner: &Inner, host: &str) -> bool {
    inner.config.compute_hosts().iter().any(|h| h == host)
}

fn name_taken(inner: &Inner, name: &str, except: Option<u64>) -> bool {
    inner
        .aggregates
        .aggregates
        .values()
        .any(|a| a.name == name && Some(a.id) != except)
}

/// `{"aggregate": {...}}` of create (`required` name) and update (at least one field).
fn validate_aggregate_body(body: &Value, create: bool) -> Result<Map<String, Value>, Invalid> {
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    check_required(None, top, body, &["aggregate"])?;
    check_no_extra(None, top, body, &["aggregate"])?;
    let agg = &top["aggregate"];
    check_type("aggregate", agg, &["object"])?;
    let obj = agg.as_object().cloned().unwrap_or_default();
    if create {
        check_required(Some("aggregate"), &obj, agg, &["name"])?;
    } else if obj.is_empty() {
        return Err(field_error(
            "aggregate",
            agg,
            &format!("{} does not have enough properties", py_repr(agg)),
        ));
    }
    check_no_extra(Some("aggregate"), &obj, agg, &["name", "availability_zone"])?;
    if let Some(name) = obj.get("name") {
        check_name("name", name)?;
    }
    match obj.get("availability_zone") {
        Some(Value::Null) if create => {}
        Some(zone) => check_name("availability_zone", zone)?,
        None => {}
    }
    Ok(obj)
}

/// GET /os-aggregates
async fn index(State(st): State<SharedState>, ctx: NovaCtx) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-aggregates:index")?;
    let inner = st.nova.lock();
    let list: Vec<Value> = inner
        .aggregates
        .aggregates
        .values()
        .map(|a| aggregate_view(a, &ctx, true))
        .collect();
    Ok(Json(json!({ "aggregates": list })))
}

/// POST /os-aggregates
async fn create(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let obj = validate_aggregate_body(&body, true).map_err(ApiError::bad_request)?;
    require_admin(&ctx, "os_compute_api:os-aggregates:create")?;
    let now = st.now();
    let mut inner = st.nova.lock();
    let name = obj["name"].as_str().unwrap_or_default().to_string();
    if name_taken(&inner, &name, None) {
        return Err(ApiError::conflict(format!(
            "Aggregate {name} already exists."
        )));
    }
    let mut metadata = BTreeMap::new();
    if let Some(zone) = obj.get("availability_zone").and_then(Value::as_str) {
        metadata.insert("availability_zone".to_string(), zone.to_string());
    }
    let state = &mut inner.aggregates;
    state.last_id += 1;
    let record = AggregateRecord {
        id: state.last_id,
        uuid: uuid::Uuid::new_v4().to_string(),
        name,
        hosts: Vec::new(),
        metadata,
        created_at: now,
        updated_at: None,
    };
    let view = aggregate_view(&record, &ctx, false);
    state.aggregates.insert(record.id, record);
    Ok(Json(json!({ "aggregate": view })))
}

/// GET /os-aggregates/{id}
async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-aggregates:show")?;
    let mut inner = st.nova.lock();
    let a = find(&mut inner, &id)?;
    Ok(Json(json!({ "aggregate": aggregate_view(a, &ctx, true) })))
}

/// PUT /os-aggregates/{id}
async fn update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let obj = validate_aggregate_body(&body, false).map_err(ApiError::bad_request)?;
    require_admin(&ctx, "os_compute_api:os-aggregates:update")?;
    let now = st.now();
    let mut inner = st.nova.lock();
    let agg_id = find(&mut inner, &id)?.id;
    if let Some(name) = obj.get("name").and_then(Value::as_str)
        && name_taken(&inner, name, Some(agg_id))
    {
        return Err(ApiError::conflict(format!(
            "Aggregate {name} already exists."
        )));
    }
    let a = find(&mut inner, &id)?;
    if let Some(name) = obj.get("name").and_then(Value::as_str) {
        a.name = name.to_string();
    }
    if let Some(zone) = obj.get("availability_zone").and_then(Value::as_str) {
        a.metadata
            .insert("availability_zone".to_string(), zone.to_string());
    }
    a.updated_at = Some(now);
    Ok(Json(json!({ "aggregate": aggregate_view(a, &ctx, true) })))
}

/// DELETE /os-aggregates/{id}: 200 with no body (as Nova); 400 while it has hosts.
async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    require_admin(&ctx, "os_compute_api:os-aggregates:delete")?;
    let mut inner = st.nova.lock();
    let a = find(&mut inner, &id)?;
    if !a.hosts.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Cannot remove host from aggregate {}. Reason: Host aggregate is not empty.",
            a.id
        )));
    }
    let agg_id = a.id;
    inner.aggregates.aggregates.remove(&agg_id);
    inner.aggregates.cached_images.remove(&agg_id);
    Ok(StatusCode::OK.into_response())
}

/// POST /os-aggregates/{id}/action: `add_host`, `remove_host`, `set_metadata`.
async fn action(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_json(&body)?;
    let Some(obj) = body.as_object().filter(|o| o.len() == 1) else {
        return Err(ApiError::malformed());
    };
    let Some((name, args)) = obj.iter().next() else {
        return Err(ApiError::malformed());
    };
    let bad = ApiError::bad_request;
    let args_obj = args.as_object().cloned().unwrap_or_default();
    match name.as_str() {
        "add_host" | "remove_host" => {
            check_type(name, args, &["object"]).map_err(bad)?;
            check_required(Some(name), &args_obj, args, &["host"]).map_err(bad)?;
            check_no_extra(Some(name), &args_obj, args, &["host"]).map_err(bad)?;
            check_string("host", &args_obj["host"], 1, 255).map_err(bad)?;
        }
        "set_metadata" => {
            check_type(name, args, &["object"]).map_err(bad)?;
            check_required(Some(name), &args_obj, args, &["metadata"]).map_err(bad)?;
            check_no_extra(Some(name), &args_obj, args, &["metadata"]).map_err(bad)?;
            let meta = &args_obj["metadata"];
            check_type("metadata", meta, &["object"]).map_err(bad)?;
            for (k, v) in meta.as_object().into_iter().flatten() {
                if k.is_empty() || k.chars().count() > 255 {
                    return Err(bad(format!(
                        "Invalid input for field/attribute metadata. Value: {}. \
                         Additional properties are not allowed ('{k}' was unexpected)",
                        py_str(meta)
                    )));
                }
                check_string_or_null(k, v, 0, 255).map_err(bad)?;
            }
        }
        other => {
            return Err(bad(format!("There is no such action: {other}")));
        }
    }
    require_admin(&ctx, &format!("os_compute_api:os-aggregates:{name}"))?;
    let now = st.now();
    let mut inner = st.nova.lock();
    let host = args_obj
        .get("host")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match name.as_str() {
        "add_host" => {
            find(&mut inner, &id)?;
            if !known_host(&inner, &host) {
                return Err(ApiError::not_found(format!(
                    "Compute host {host} could not be found."
                )));
            }
            let a = find(&mut inner, &id)?;
            if a.hosts.contains(&host) {
                return Err(ApiError::conflict(format!(
                    "Aggregate {} already has host {host}.",
                    a.id
                )));
            }
            a.hosts.push(host);
            a.updated_at = Some(now);
            Ok(Json(json!({ "aggregate": aggregate_view(a, &ctx, true) })))
        }
        "remove_host" => {
            let missing =
                || ApiError::not_found(format!("Cannot remove host {host} in aggregate {id}"));
            let a = find(&mut inner, &id).map_err(|_| missing())?;
            if !a.hosts.contains(&host) {
                return Err(missing());
            }
            a.hosts.retain(|h| h != &host);
            a.updated_at = Some(now);
            Ok(Json(json!({ "aggregate": aggregate_view(a, &ctx, true) })))
        }
        _ => {
            let a = find(&mut inner, &id)?;
            for (k, v) in args_obj["metadata"].as_object().into_iter().flatten() {
                match v.as_str() {
                    Some(text) => {
                        a.metadata.insert(k.clone(), text.to_string());
                    }
                    None => {
                        a.metadata.remove(k);
                    }
                }
            }
            a.updated_at = Some(now);
            Ok(Json(json!({ "aggregate": aggregate_view(a, &ctx, true) })))
        }
    }
}

/// POST /os-aggregates/{id}/images (2.81+): 202, no body.
async fn cache_images(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    if !ctx.version.at_least(2, 81) {
        return Err(ApiError::resource_not_found());
    }
    let body = parse_json(&body)?;
    let bad = ApiError::bad_request;
    let top = body.as_object().cloned().unwrap_or_default();
    check_type("", &body, &["object"]).map_err(bad)?;
    check_required(None, &top, &body, &["cache"]).map_err(bad)?;
    check_no_extra(None, &top, &body, &["cache"]).map_err(bad)?;
    let cache = &top["cache"];
    check_type("cache", cache, &["array"]).map_err(bad)?;
    let entries = cache.as_array().cloned().unwrap_or_default();
    if entries.is_empty() {
        return Err(bad(field_error(
            "cache",
            cache,
            &format!("{} is too short", py_repr(cache)),
        )));
    }
    let mut image_ids = Vec::new();
    for entry in &entries {
        check_type("cache", entry, &["object"]).map_err(bad)?;
        let e = entry.as_object().cloned().unwrap_or_default();
        check_required(Some("cache"), &e, entry, &["id"]).map_err(bad)?;
        check_no_extra(Some("cache"), &e, entry, &["id"]).map_err(bad)?;
        let image = e["id"].as_str().unwrap_or_default();
        if !is_uuid(image) {
            return Err(bad(format_error("id", &e["id"], "uuid")));
        }
        image_ids.push(image.to_string());
    }
    require_admin(&ctx, "os_compute_api:os-aggregates:images")?;
    let mut inner = st.nova.lock();
    let agg_id = find(&mut inner, &id)?.id;
    let mut unique = image_ids.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != image_ids.len() {
        return Err(bad("Duplicate images in request".to_string()));
    }
    if let Some(missing) = image_ids.iter().find(|i| inner.image(i).is_none()) {
        return Err(bad(format!("Image {missing} could not be found.")));
    }
    inner
        .aggregates
        .cached_images
        .entry(agg_id)
        .or_default()
        .extend(image_ids);
    Ok(StatusCode::ACCEPTED.into_response())
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/os-aggregates", get(index).post(create))
        .route("/os-aggregates/{id}", get(show).put(update).delete(delete))
        .route("/os-aggregates/{id}/action", post(action))
        .route("/os-aggregates/{id}/images", post(cache_images))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::nova::ApiVersion;
    use crate::nova::resources::sample_tests::{keys, reference_sample};

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "admin", "admin", true)
    }

    fn sample_keys(rel: &str, key: &str) -> BTreeSet<String> {
        keys(&reference_sample(&format!("os-aggregates/{rel}"))[key])
    }

    #[test]
    fn views_have_the_sample_keys_at_each_version() {
        let record = AggregateRecord {
            id: 1,
            uuid: "6ba28ba7-f29b-45cc-a30b-6e3a40c2fb14".into(),
            name: "name".into(),
            hosts: vec!["compute-0".into()],
            metadata: [("availability_zone".to_string(), "london".to_string())].into(),
            created_at: Utc::now(),
            updated_at: None,
        };
        assert_eq!(
            keys(&aggregate_view(&record, &ctx(1), true)),
            sample_keys("aggregates-add-host-post-resp.json", "aggregate")
        );
        assert_eq!(
            keys(&aggregate_view(&record, &ctx(41), false)),
            sample_keys("v2.41/aggregate-post-resp.json", "aggregate"),
            "the create answer has no hosts nor metadata"
        );
        assert_eq!(
            keys(&aggregate_view(&record, &ctx(81), true)),
            sample_keys("v2.81/aggregates-get-resp.json", "aggregate")
        );
        let view = aggregate_view(&record, &ctx(41), true);
        assert_eq!(view["availability_zone"], "london");
        assert_eq!(view["updated_at"], Value::Null);
    }

    #[test]
    fn bodies_are_validated_like_novas_schema() {
        let missing = json!({"aggregate": {"availability_zone": "x"}});
        let error = validate_aggregate_body(&missing, true).expect_err("no name");
        assert!(error.contains("'name' is a required property"), "{error}");
        let empty = json!({"aggregate": {}});
        let error = validate_aggregate_body(&empty, false).expect_err("nothing to update");
        assert!(error.contains("does not have enough properties"), "{error}");
        let extra = json!({"aggregate": {"name": "a", "hosts": []}});
        assert!(validate_aggregate_body(&extra, true).is_err());
        let null_zone = json!({"aggregate": {"name": "a", "availability_zone": null}});
        assert!(validate_aggregate_body(&null_zone, true).is_ok());
    }
}
