//! `GET /os-availability-zone` and `/os-availability-zone/detail` (admin).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult};

async fn index(State(st): State<SharedState>, _ctx: NovaCtx) -> Json<Value> {
    let zone = st.nova.lock().config.default_availability_zone.clone();
    Json(json!({"availabilityZoneInfo": [
        {"hosts": null, "zoneName": zone, "zoneState": {"available": true}}
    ]}))
}

async fn detail(State(st): State<SharedState>, ctx: NovaCtx) -> ApiResult<Json<Value>> {
    if !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:os-availability-zone:detail",
        ));
    }
    let (zone, host) = {
        let inner = st.nova.lock();
        (
            inner.config.default_availability_zone.clone(),
            inner.config.compute_host.clone(),
        )
    };
    let service =
        |name: &str| json!({name: {"active": true, "available": true, "updated_at": null}});
    Ok(Json(json!({"availabilityZoneInfo": [
        {
            "hosts": {
                "conductor": service("nova-conductor"),
                "scheduler": service("nova-scheduler"),
            },
            "zoneName": "internal",
            "zoneState": {"available": true}
        },
        {
            "hosts": {host: service("nova-compute")},
            "zoneName": zone,
            "zoneState": {"available": true}
        }
    ]})))
}

/// Availability zone routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/os-availability-zone", get(index))
        .route("/os-availability-zone/detail", get(detail))
}
