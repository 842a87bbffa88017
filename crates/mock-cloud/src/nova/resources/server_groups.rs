//! `/os-server-groups`: list (`all_projects` for admins, ignored for others; `limit`,
//! `offset`; unknown query parameters refused from 2.75), show, create, delete. Below 2.64 a group has `policies` and `metadata`; from 2.64 `policy` and `rules`.
//! Soft policies from 2.15; `project_id` and `user_id` from 2.13. Ten groups per project.

use std::collections::BTreeMap;

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
use super::validation::*;

/// Server groups allowed per project (`server_groups` quota default).
pub const SERVER_GROUP_QUOTA: usize = 10;

/// A stored server group.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerGroupRecord {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// The policy (`affinity`, `anti-affinity`, `soft-affinity`, `soft-anti-affinity`).
    pub policy: String,
    /// Rules (`max_server_per_host`).
    pub rules: Map<String, Value>,
    /// Member server ids.
    pub members: Vec<String>,
    /// Owner project.
    pub project_id: String,
    /// Owner user.
    pub user_id: String,
    /// Creation sequence (list order).
    pub seq: u64,
}

/// The server groups of the mock.
#[derive(Debug, Clone, Default)]
pub struct ServerGroupState {
    /// Groups by id.
    pub groups: BTreeMap<String, ServerGroupRecord>,
    /// Next creation sequence.
    pub next_seq: u64,
}

impl ServerGroupState {
    /// Groups owned by `project`.
    pub fn count_in(&self, project: &str) -> usize {
        self.groups
            .values()
            .filter(|g| g.project_id == project)
            .count()
    }
}

/// The group object at `ctx`'s microversion.
pub fn group_view(g: &ServerGroupRecord, ctx: &NovaCtx) -> Value {
    let v = ctx.version;
    let mut m = Map::new();
    m.insert("id".into(), json!(g.id));
    m.insert("name".into(), json!(g.name));
    if v.at_least(2, 64) {
        m.insert("policy".into(), json!(g.policy));
        m.insert("rules".into(), Value::Object(g.rules.clone()));
    } else {
        m.insert("policies".into(), json!([g.policy]));
    }
    m.insert("members".into(), json!(g.members));
    if !v.at_least(2, 64) {
        m.insert("metadata".into(), json!({}));
    }
    if v.at_least(2, 13) {
        m.insert("project_id".into(), json!(g.project_id));
        m.insert("user_id".into(), json!(g.user_id));
    }
    Value::Object(m)
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Instance group {id} could not be found."))
}

fn policies_for(ctx: &NovaCtx) -> &'static [&'static str] {
    if ctx.version.at_least(2, 15) {
        &[
            "anti-affinity",
            "affinity",
            "soft-anti-affinity",
            "soft-affinity",
        ]
    } else {
        &["anti-affinity", "affinity"]
    }
}

/// Validates a create body; returns (name, policy, rules).
fn validate_create(
    body: &Value,
    ctx: &NovaCtx,
) -> Result<(String, String, Map<String, Value>), Invalid> {
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    check_required(None, top, body, &["server_group"])?;
    check_no_extra(None, top, body, &["server_group"])?;
    let sg = &top["server_group"];
    check_type("server_group", sg, &["object"])?;
    let obj = sg.as_object().cloned().unwrap_or_default();
    let allowed_policies = policies_for(ctx);
    let (required, allowed): (&[&str], &[&str]) = if ctx.version.at_least(2, 64) {
        (&["name", "policy"], &["name", "policy", "rules"])
    } else {
        (&["name", "policies"], &["name", "policies"])
    };
    check_required(Some("server_group"), &obj, sg, required)?;
    check_no_extra(Some("server_group"), &obj, sg, allowed)?;
    let name = &obj["name"];
    check_name("name", name)?;
    let policy = if ctx.version.at_least(2, 64) {
        let p = &obj["policy"];
        check_enum("policy", p, allowed_policies)?;
        p.as_str().unwrap_or_default().to_string()
    } else {
        let ps = &obj["policies"];
        check_type("policies", ps, &["array"])?;
        let list = ps.as_array().cloned().unwrap_or_default();
        if list.len() != 1 {
            let msg = if list.is_empty() {
                format!("{} is too short", py_repr(ps))
            } else {
                format!("{} is too long", py_repr(ps))
            };
            return Err(field_error("policies", ps, &msg));
        }
        check_enum("policies", &list[0], allowed_policies)?;
        list[0].as_str().unwrap_or_default().to_string()
    };
    let mut rules = Map::new();
    if let Some(r) = obj.get("rules") {
        check_type("rules", r, &["object"])?;
        let robj = r.as_object().cloned().unwrap_or_default();
        check_no_extra(Some("rules"), &robj, r, &["max_server_per_host"])?;
        if let Some(max) = robj.get("max_server_per_host") {
            let n = check_positive_integer("max_server_per_host", max)?;
            if policy != "anti-affinity" {
                return Err("Only anti-affinity policy supports rules.".into());
            }
            rules.insert("max_server_per_host".into(), json!(n));
        }
    }
    Ok((name.as_str().unwrap_or_default().to_string(), policy, rules))
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let q = Query::parse(raw.as_deref());
    if ctx.version.at_least(2, 75) {
        super::query::reject_unknown(&q, &["all_projects", "limit", "offset"])
            .map_err(ApiError::bad_request)?;
    }
    // Like Nova: `all_projects` from a non-admin is ignored (own groups), not refused.
    let all = ctx.is_admin && q.keys().any(|k| k == "all_projects");
    let parse = |key: &str| -> ApiResult<Option<usize>> {
        match q.last(key) {
            None => Ok(None),
            Some(text) => match text.parse::<i64>() {
                Ok(n) if n >= 0 => Ok(Some(n as usize)),
                Ok(_) => Err(ApiError::bad_request(format!(
                    "{key} param must be positive"
                ))),
                Err(_) => Err(ApiError::bad_request(format!(
                    "{key} param must be an integer"
                ))),
            },
        }
    };
    let offset = parse("offset")?.unwrap_or(0);
    let inner = st.nova.lock();
    let max = inner.config.max_limit;
    let limit = parse("limit")?.map_or(max, |l| l.min(max));
    let mut groups: Vec<&ServerGroupRecord> = inner
        .server_groups
        .groups
        .values()
        .filter(|g| all || g.project_id == ctx.project_id)
        .collect();
    groups.sort_by_key(|g| g.seq);
    let items: Vec<Value> = groups
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|g| group_view(g, &ctx))
        .collect();
    Ok(Json(json!({"server_groups": items})))
}

fn visible<'a>(
    inner: &'a super::store::Inner,
    ctx: &NovaCtx,
    id: &str,
) -> ApiResult<&'a ServerGroupRecord> {
    inner
        .server_groups
        .groups
        .get(id)
        .filter(|g| ctx.is_admin || g.project_id == ctx.project_id)
        .ok_or_else(|| not_found(id))
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let inner = st.nova.lock();
    let g = visible(&inner, &ctx, &id)?;
    Ok(Json(json!({"server_group": group_view(g, &ctx)})))
}

async fn create(State(st): State<SharedState>, ctx: NovaCtx, body: Bytes) -> ApiResult {
    let body = parse_json(&body)?;
    let (name, policy, rules) = validate_create(&body, &ctx).map_err(ApiError::bad_request)?;
    let mut inner = st.nova.lock();
    let quota = super::quotas::limit_of(&inner, &ctx.project_id, None, "server_groups");
    if quota >= 0 && inner.server_groups.count_in(&ctx.project_id) as i64 >= quota {
        return Err(ApiError::forbidden(
            "Quota exceeded, too many server groups.",
        ));
    }
    let seq = inner.server_groups.next_seq;
    inner.server_groups.next_seq += 1;
    let record = ServerGroupRecord {
        id: uuid::Uuid::new_v4().to_string(),
        name,
        policy,
        rules,
        members: Vec::new(),
        project_id: ctx.project_id.clone(),
        user_id: ctx.user_id.clone(),
        seq,
    };
    let view = group_view(&record, &ctx);
    inner.server_groups.groups.insert(record.id.clone(), record);
    Ok(Json(json!({"server_group": view})).into_response())
}

async fn delete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let mut inner = st.nova.lock();
    visible(&inner, &ctx, &id)?;
    inner.server_groups.groups.remove(&id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Server group routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/os-server-groups", get(index).post(create))
        .route(
            "/os-server-groups/{server_group_id}",
            get(show).delete(delete),
        )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::nova::ApiVersion;
    use crate::nova::resources::sample_tests::{keys, reference_sample};

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "p", "u", false)
    }

    fn sample_keys(dir: &str) -> BTreeSet<String> {
        keys(
            &reference_sample(&format!(
                "os-server-groups/{dir}/server-groups-get-resp.json"
            ))["server_group"],
        )
    }

    #[test]
    fn the_view_has_the_sample_keys_at_each_version() {
        let group = ServerGroupRecord {
            id: "g".into(),
            name: "test".into(),
            policy: "anti-affinity".into(),
            rules: Map::new(),
            members: Vec::new(),
            project_id: "p".into(),
            user_id: "u".into(),
            seq: 0,
        };
        for (dir, minor) in [("", 1), ("v2.13", 13), ("v2.64", 64)] {
            let view = group_view(&group, &ctx(minor));
            let keys: BTreeSet<String> =
                view.as_object().expect("object").keys().cloned().collect();
            assert_eq!(keys, sample_keys(dir), "2.{minor}");
        }
    }

    #[test]
    fn create_validation_follows_the_version() {
        let old = json!({"server_group": {"name": "g", "policies": ["soft-affinity"]}});
        assert!(validate_create(&old, &ctx(14)).is_err(), "soft from 2.15");
        assert!(validate_create(&old, &ctx(15)).is_ok());
        let ruled = json!({"server_group": {"name": "g", "policy": "affinity",
            "rules": {"max_server_per_host": 2}}});
        let error = validate_create(&ruled, &ctx(64)).expect_err("affinity takes no rules");
        assert_eq!(error, "Only anti-affinity policy supports rules.");
        assert!(
            validate_create(&ruled, &ctx(63)).is_err(),
            "no policy below 2.64"
        );
    }
}
