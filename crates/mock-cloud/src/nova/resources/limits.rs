//! `GET /limits` per microversion (network limits gone at 2.36, maxImageMeta at 2.39,
//! personality limits at 2.57; unknown query parameters such as `reserved` refused from
//! 2.75).

use axum::Json;
use axum::extract::{RawQuery, State};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult};
use super::query::Query;
use super::quotas::limit_of;
use super::store::Inner;

/// The `limits` body for `ctx`'s project and version.
pub fn limits_body(inner: &Inner, ctx: &NovaCtx) -> Value {
    limits_body_for(inner, ctx, &ctx.project_id)
}

/// The `limits` body for `project` at `ctx`'s version (limits follow `/os-quota-sets`).
pub fn limits_body_for(inner: &Inner, ctx: &NovaCtx, project: &str) -> Value {
    let v = ctx.version;
    let (instances, cores, ram) = inner.instances_used(project);
    let quota = |resource: &str| limit_of(inner, project, None, resource);
    let mut a = Map::new();
    let mut put = |k: &str, val: Value| {
        a.insert(k.to_string(), val);
    };
    if !v.at_least(2, 39) {
        put("maxImageMeta", json!(128));
    }
    if !v.at_least(2, 57) {
        put("maxPersonality", json!(5));
        put("maxPersonalitySize", json!(10240));
    }
    if !v.at_least(2, 36) {
        put("maxSecurityGroupRules", json!(-1));
        put("maxSecurityGroups", json!(-1));
        put("maxTotalFloatingIps", json!(-1));
        put("totalSecurityGroupsUsed", json!(0));
        put("totalFloatingIpsUsed", json!(0));
    }
    put("maxServerMeta", json!(128));
    put("maxTotalCores", json!(quota("cores")));
    put("maxTotalInstances", json!(quota("instances")));
    put("maxTotalKeypairs", json!(quota("key_pairs")));
    put("maxTotalRAMSize", json!(quota("ram")));
    put("maxServerGroups", json!(quota("server_groups")));
    put(
        "maxServerGroupMembers",
        json!(quota("server_group_members")),
    );
    put("totalCoresUsed", json!(cores));
    put("totalInstancesUsed", json!(instances));
    put("totalRAMUsed", json!(ram));
    put(
        "totalServerGroupsUsed",
        json!(inner.server_groups.count_in(project)),
    );
    json!({"limits": {"absolute": a, "rate": []}})
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let q = Query::parse(raw.as_deref());
    // Unknown parameters (novaclient's `reserved` among them) are ignored below 2.75 and
    // refused from it; reservations are always 0 since Nova counts usage.
    if ctx.version.at_least(2, 75) {
        super::query::reject_unknown(&q, &["tenant_id"]).map_err(ApiError::bad_request)?;
    }
    let project = match q.last("tenant_id") {
        Some(t) if t != ctx.project_id => {
            if !ctx.is_admin {
                return Err(ApiError::policy("os_compute_api:limits:other_project"));
            }
            t.to_string()
        }
        _ => ctx.project_id.clone(),
    };
    let inner = st.nova.lock();
    Ok(Json(limits_body_for(&inner, &ctx, &project)))
}

/// Limits route.
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new().route("/limits", axum::routing::get(show))
}
