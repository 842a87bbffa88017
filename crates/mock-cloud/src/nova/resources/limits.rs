//! `GET /limits` per microversion (network limits gone at 2.36, maxImageMeta at 2.39,
//! personality limits at 2.57).

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::keypairs::KEYPAIR_QUOTA;
use super::store::Inner;

/// The `limits` body for `ctx`'s project and version.
pub fn limits_body(inner: &Inner, ctx: &NovaCtx) -> Value {
    let v = ctx.version;
    let (instances, cores, ram) = inner.instances_used(&ctx.project_id);
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
    put("maxTotalCores", json!(inner.config.cores_quota));
    put(
        "maxTotalInstances",
        json!(inner.instance_quota(&ctx.project_id)),
    );
    put("maxTotalKeypairs", json!(KEYPAIR_QUOTA));
    put("maxTotalRAMSize", json!(inner.config.ram_quota));
    put("maxServerGroups", json!(10));
    put("maxServerGroupMembers", json!(10));
    put("totalCoresUsed", json!(cores));
    put("totalInstancesUsed", json!(instances));
    put("totalRAMUsed", json!(ram));
    put("totalServerGroupsUsed", json!(0));
    json!({"limits": {"absolute": a, "rate": []}})
}

async fn show(State(st): State<SharedState>, ctx: NovaCtx) -> Json<Value> {
    let inner = st.nova.lock();
    Json(limits_body(&inner, &ctx))
}

/// Limits route.
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new().route("/limits", axum::routing::get(show))
}
