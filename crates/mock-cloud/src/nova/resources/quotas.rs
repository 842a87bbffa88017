//! `/os-quota-sets` (show, detail, defaults, update, delete; `?user_id=`) and
//! `/os-quota-class-sets` (show, update), shaped per microversion: nova-network resources
//! gone from quota sets at 2.36 and from classes at 2.50, `injected_file*` gone at 2.57,
//! `server_groups` shown in classes from 2.50 (but taken by an update at every version, as
//! Nova's schema does). `instances`, `cores` and `ram` are the same numbers
//! `GET /limits` and server create use.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json};
use super::query::Query;
use super::store::Inner;
use super::validation::*;

/// Resources and their built-in defaults, in Nova's (alphabetical) order.
const DEFAULTS: [(&str, i64); 14] = [
    ("cores", 20),
    ("fixed_ips", -1),
    ("floating_ips", 10),
    ("injected_file_content_bytes", 10240),
    ("injected_file_path_bytes", 255),
    ("injected_files", 5),
    ("instances", 10),
    ("key_pairs", 100),
    ("metadata_items", 128),
    ("ram", 51200),
    ("security_group_rules", 20),
    ("security_groups", 10),
    ("server_group_members", 10),
    ("server_groups", 10),
];

const NETWORK: [&str; 4] = [
    "fixed_ips",
    "floating_ips",
    "security_group_rules",
    "security_groups",
];
const INJECTED: [&str; 3] = [
    "injected_file_content_bytes",
    "injected_file_path_bytes",
    "injected_files",
];

/// Quota overrides: per project, per (project, user) and per class.
#[derive(Debug, Clone, Default)]
pub struct QuotaState {
    /// Project limits.
    pub projects: HashMap<String, BTreeMap<String, i64>>,
    /// User limits within a project.
    pub users: HashMap<(String, String), BTreeMap<String, i64>>,
    /// Quota class limits (`default` changes the defaults).
    pub classes: HashMap<String, BTreeMap<String, i64>>,
}

/// The resources of a quota set at `ctx`'s version.
fn set_resources(ctx: &NovaCtx) -> Vec<&'static str> {
    let v = ctx.version;
    DEFAULTS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !(v.at_least(2, 36) && NETWORK.contains(k)))
        .filter(|k| !(v.at_least(2, 57) && INJECTED.contains(k)))
        .collect()
}

/// The resources of a quota class at `ctx`'s version.
fn class_resources(ctx: &NovaCtx) -> Vec<&'static str> {
    let v = ctx.version;
    DEFAULTS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !(v.at_least(2, 50) && NETWORK.contains(k)))
        .filter(|k| !(v.at_least(2, 57) && INJECTED.contains(k)))
        .filter(|k| v.at_least(2, 50) || !k.starts_with("server_group"))
        .collect()
}

/// The resources a quota class update takes at `ctx`'s version: every resource below 2.50
/// (Nova's schema has `server_groups` there although the view only shows them from 2.50),
/// then without the network ones, and from 2.57 without `injected_file*`.
fn class_update_resources(ctx: &NovaCtx) -> Vec<&'static str> {
    let v = ctx.version;
    DEFAULTS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !(v.at_least(2, 50) && NETWORK.contains(k)))
        .filter(|k| !(v.at_least(2, 57) && INJECTED.contains(k)))
        .collect()
}

/// The default limit of `resource` (class `default`, else the mock's config, else Nova's).
pub fn default_of(inner: &Inner, resource: &str) -> i64 {
    if let Some(n) = inner
        .quotas
        .classes
        .get("default")
        .and_then(|c| c.get(resource))
    {
        return *n;
    }
    match resource {
        "instances" => i64::from(inner.config.instance_quota),
        "cores" => i64::from(inner.config.cores_quota),
        "ram" => i64::from(inner.config.ram_quota),
        "key_pairs" => super::keypairs::KEYPAIR_QUOTA as i64,
        other => DEFAULTS
            .iter()
            .find(|(k, _)| *k == other)
            .map_or(-1, |(_, n)| *n),
    }
}

/// The effective limit of `resource` for `project` (and `user`): user, project, default.
pub fn limit_of(inner: &Inner, project: &str, user: Option<&str>, resource: &str) -> i64 {
    if let Some(user) = user
        && let Some(n) = inner
            .quotas
            .users
            .get(&(project.to_string(), user.to_string()))
            .and_then(|m| m.get(resource))
    {
        return *n;
    }
    if resource == "instances"
        && let Some(n) = inner.instance_quota_overrides.get(project)
    {
        return i64::from(*n);
    }
    inner
        .quotas
        .projects
        .get(project)
        .and_then(|m| m.get(resource))
        .copied()
        .unwrap_or_else(|| default_of(inner, resource))
}

fn in_use(inner: &Inner, project: &str, user: Option<&str>, resource: &str) -> i64 {
    let (instances, cores, ram) = inner.instances_used(project);
    match resource {
        "instances" => i64::from(instances),
        "cores" => i64::from(cores),
        "ram" => i64::from(ram),
        "server_groups" => inner.server_groups.count_in(project) as i64,
        "key_pairs" => user.map_or(0, |u| {
            inner
                .keypairs
                .keys()
                .filter(|(owner, _)| owner == u)
                .count() as i64
        }),
        _ => 0,
    }
}

fn user_of(raw: Option<&str>) -> Option<String> {
    Query::parse(raw).last("user_id").map(str::to_string)
}

fn quota_view(inner: &Inner, ctx: &NovaCtx, project: &str, user: Option<&str>, id: bool) -> Value {
    let mut m = Map::new();
    if id {
        m.insert("id".into(), json!(project));
    }
    for r in set_resources(ctx) {
        m.insert(r.into(), json!(limit_of(inner, project, user, r)));
    }
    Value::Object(m)
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(project): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    if project != ctx.project_id && !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-quota-sets:show"));
    }
    let user = user_of(raw.as_deref());
    let inner = st.nova.lock();
    Ok(Json(
        json!({"quota_set": quota_view(&inner, &ctx, &project, user.as_deref(), true)}),
    ))
}

async fn detail(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(project): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    if project != ctx.project_id && !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-quota-sets:detail"));
    }
    let user = user_of(raw.as_deref());
    let inner = st.nova.lock();
    let mut m = Map::new();
    m.insert("id".into(), json!(project));
    for r in set_resources(&ctx) {
        m.insert(
            r.into(),
            json!({
                "in_use": in_use(&inner, &project, user.as_deref(), r),
                "limit": limit_of(&inner, &project, user.as_deref(), r),
                "reserved": 0
            }),
        );
    }
    Ok(Json(json!({"quota_set": m})))
}

async fn defaults(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(project): Path<String>,
) -> Json<Value> {
    let inner = st.nova.lock();
    let mut m = Map::new();
    m.insert("id".into(), json!(project));
    for r in set_resources(&ctx) {
        m.insert(r.into(), json!(default_of(&inner, r)));
    }
    Json(json!({"quota_set": m}))
}

/// Nova's quota value: an integer >= -1, or a string of one.
fn check_quota_value(field: &str, value: &Value) -> Result<i64, Invalid> {
    check_type(field, value, &["integer", "string"])?;
    let n = match value {
        Value::String(s) => s.parse::<i64>().map_err(|_| {
            field_error(
                field,
                value,
                &format!("{} does not match '^-?[0-9]+$'", py_repr(value)),
            )
        })?,
        other => other.as_i64().unwrap_or(i64::MAX),
    };
    check_range(field, value, n, -1, MAX_INT)
}

/// Validates `{"<wrapper>": {resource: value, ...}}`; returns the values and `force`.
fn validate_update(
    body: &Value,
    wrapper: &str,
    resources: &[&str],
    allow_force: bool,
) -> Result<(BTreeMap<String, i64>, bool), Invalid> {
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    check_required(None, top, body, &[wrapper])?;
    check_no_extra(None, top, body, &[wrapper])?;
    let inner = &top[wrapper];
    check_type(wrapper, inner, &["object"])?;
    let obj = inner.as_object().cloned().unwrap_or_default();
    let mut allowed: Vec<&str> = resources.to_vec();
    if allow_force {
        allowed.push("force");
    }
    check_no_extra(Some(wrapper), &obj, inner, &allowed)?;
    let mut values = BTreeMap::new();
    let mut force = false;
    for (k, v) in &obj {
        if k == "force" {
            check_boolean("force", v)?;
            force = truthy(v);
        } else {
            values.insert(k.clone(), check_quota_value(k, v)?);
        }
    }
    Ok((values, force))
}

async fn update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(project): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-quota-sets:update"));
    }
    let body = parse_json(&body)?;
    let resources = set_resources(&ctx);
    let (values, force) =
        validate_update(&body, "quota_set", &resources, true).map_err(ApiError::bad_request)?;
    let user = user_of(raw.as_deref());
    let mut inner = st.nova.lock();
    if !force {
        for (r, limit) in &values {
            let used = in_use(&inner, &project, user.as_deref(), r);
            if *limit >= 0 && *limit < used {
                return Err(ApiError::bad_request(format!(
                    "Quota limit {limit} for {r} must be greater than or equal to already used and reserved {used}."
                )));
            }
        }
    }
    for (r, limit) in values {
        match &user {
            Some(u) => {
                inner
                    .quotas
                    .users
                    .entry((project.clone(), u.clone()))
                    .or_default()
                    .insert(r, limit);
            }
            None => {
                if r == "instances" {
                    inner
                        .instance_quota_overrides
                        .insert(project.clone(), u32::try_from(limit).unwrap_or(u32::MAX));
                }
                inner
                    .quotas
                    .projects
                    .entry(project.clone())
                    .or_default()
                    .insert(r, limit);
            }
        }
    }
    Ok(Json(
        json!({"quota_set": quota_view(&inner, &ctx, &project, user.as_deref(), false)}),
    ))
}

async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(project): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-quota-sets:delete"));
    }
    let user = user_of(raw.as_deref());
    let mut inner = st.nova.lock();
    match user {
        Some(u) => {
            inner.quotas.users.remove(&(project, u));
        }
        None => {
            inner.quotas.projects.remove(&project);
            inner.quotas.users.retain(|(p, _), _| *p != project);
            inner.instance_quota_overrides.remove(&project);
        }
    }
    Ok(StatusCode::ACCEPTED.into_response())
}

fn class_view(inner: &Inner, ctx: &NovaCtx, class: &str, id: bool) -> Value {
    let mut m = Map::new();
    if id {
        m.insert("id".into(), json!(class));
    }
    for r in class_resources(ctx) {
        let value = inner
            .quotas
            .classes
            .get(class)
            .and_then(|c| c.get(r))
            .copied()
            .unwrap_or_else(|| default_of(inner, r));
        m.insert(r.into(), json!(value));
    }
    Value::Object(m)
}

async fn class_show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(class): Path<String>,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-quota-class-sets:show"));
    }
    let inner = st.nova.lock();
    Ok(Json(
        json!({"quota_class_set": class_view(&inner, &ctx, &class, true)}),
    ))
}

async fn class_update(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(class): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:os-quota-class-sets:update",
        ));
    }
    if class.is_empty() || class.len() > 255 {
        return Err(ApiError::bad_request(
            "The quota class name must be 1-255 characters.",
        ));
    }
    let body = parse_json(&body)?;
    let resources = class_update_resources(&ctx);
    let (values, _) = validate_update(&body, "quota_class_set", &resources, false)
        .map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    if class == "default" {
        // The defaults server create and `GET /limits` enforce follow the default class.
        let as_u32 = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        for (r, limit) in &values {
            match r.as_str() {
                "instances" => inner.config.instance_quota = as_u32(*limit),
                "cores" => inner.config.cores_quota = as_u32(*limit),
                "ram" => inner.config.ram_quota = as_u32(*limit),
                _ => {}
            }
        }
    }
    let entry = inner.quotas.classes.entry(class.clone()).or_default();
    for (r, limit) in values {
        entry.insert(r, limit);
    }
    Ok(Json(
        json!({"quota_class_set": class_view(&inner, &ctx, &class, false)}),
    ))
}

/// Quota routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/os-quota-sets/{project_id}",
            get(show).put(update).delete(delete),
        )
        .route("/os-quota-sets/{project_id}/detail", get(detail))
        .route("/os-quota-sets/{project_id}/defaults", get(defaults))
        .route(
            "/os-quota-class-sets/{class}",
            get(class_show).put(class_update),
        )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::nova::ApiVersion;
    use crate::nova::resources::sample_tests::{keys, reference_sample};
    use crate::nova::resources::{NovaConfig, NovaStore};

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "p", "u", true)
    }

    fn sample_keys(area: &str, file: &str, wrapper: &str) -> BTreeSet<String> {
        keys(&reference_sample(&format!("{area}/{file}"))[wrapper])
    }

    #[test]
    fn quota_views_have_the_sample_keys() {
        let store = NovaStore::new(&NovaConfig::default());
        let inner = store.lock();
        // The 2.1 sample was recorded with nova-network's `networks` quota, which the mock
        // (like Nova without nova-network) does not have.
        let mut old = sample_keys(
            "os-quota-sets",
            "quotas-show-defaults-get-resp.json",
            "quota_set",
        );
        old.remove("networks");
        assert_eq!(keys(&quota_view(&inner, &ctx(1), "p", None, true)), old);
        let updated = sample_keys(
            "os-quota-sets/v2.57",
            "quotas-update-post-resp.json",
            "quota_set",
        );
        assert_eq!(
            keys(&quota_view(&inner, &ctx(57), "p", None, false)),
            updated
        );
        for (dir, minor) in [
            ("os-quota-class-sets", 1),
            ("os-quota-class-sets/v2.50", 50),
            ("os-quota-class-sets/v2.57", 57),
        ] {
            let sample = sample_keys(dir, "quota-classes-show-get-resp.json", "quota_class_set");
            assert_eq!(
                keys(&class_view(&inner, &ctx(minor), "test_class", true)),
                sample,
                "{dir}"
            );
        }
        let detail_36 = sample_keys(
            "os-quota-sets/v2.36",
            "quotas-show-detail-get-resp.json",
            "quota_set",
        );
        let mut ours: BTreeSet<String> = set_resources(&ctx(36))
            .iter()
            .map(|s| s.to_string())
            .collect();
        ours.insert("id".into());
        assert_eq!(ours, detail_36);
    }

    #[test]
    fn limits_fall_back_from_user_to_project_to_class_to_config() {
        let store = NovaStore::new(&NovaConfig::default());
        let mut inner = store.lock();
        assert_eq!(limit_of(&inner, "p", None, "cores"), 20);
        inner
            .quotas
            .classes
            .entry("default".into())
            .or_default()
            .insert("cores".into(), 30);
        assert_eq!(limit_of(&inner, "p", None, "cores"), 30);
        inner
            .quotas
            .projects
            .entry("p".into())
            .or_default()
            .insert("cores".into(), 40);
        assert_eq!(limit_of(&inner, "p", Some("u"), "cores"), 40);
        inner
            .quotas
            .users
            .entry(("p".into(), "u".into()))
            .or_default()
            .insert("cores".into(), 50);
        assert_eq!(limit_of(&inner, "p", Some("u"), "cores"), 50);
        assert_eq!(limit_of(&inner, "q", None, "cores"), 30);
        assert!(check_quota_value("cores", &json!(-2)).is_err());
        assert_eq!(check_quota_value("cores", &json!("-1")), Ok(-1));
    }
}
