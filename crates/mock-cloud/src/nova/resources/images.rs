//! The image proxy `GET /images[/detail|/{id}]` (removed at 2.36, answering 404 from then on).
//! Snapshots made by `createImage` appear here too.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult};
use super::model::Image;
use super::servers::views::self_and_bookmark;

fn image_view(i: &Image, base_url: &str, detail: bool) -> Value {
    let mut v = json!({
        "id": i.id,
        "name": i.name,
        "links": self_and_bookmark(base_url, "images", &i.id),
    });
    if detail {
        v["status"] = json!("ACTIVE");
        v["progress"] = json!(100);
        v["minDisk"] = json!(0);
        v["minRam"] = json!(0);
        v["metadata"] = json!(i.properties);
        v["created"] = json!(i.created.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        v["updated"] = v["created"].clone();
        v["OS-EXT-IMG-SIZE:size"] = json!(25165824);
        if let Some(sid) = &i.server_id {
            v["server"] = json!({"id": sid, "links": self_and_bookmark(base_url, "servers", sid)});
        }
    }
    v
}

fn require_proxy(ctx: &NovaCtx) -> ApiResult<()> {
    if ctx.version.at_least(2, 36) {
        Err(ApiError::resource_not_found())
    } else {
        Ok(())
    }
}

async fn index(State(st): State<SharedState>, ctx: NovaCtx) -> ApiResult<Json<Value>> {
    require_proxy(&ctx)?;
    let inner = st.nova.lock();
    let items: Vec<Value> = inner
        .images
        .iter()
        .map(|i| image_view(i, &ctx.base_url, false))
        .collect();
    Ok(Json(json!({"images": items})))
}

async fn detail(State(st): State<SharedState>, ctx: NovaCtx) -> ApiResult<Json<Value>> {
    require_proxy(&ctx)?;
    let inner = st.nova.lock();
    let items: Vec<Value> = inner
        .images
        .iter()
        .map(|i| image_view(i, &ctx.base_url, true))
        .collect();
    Ok(Json(json!({"images": items})))
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    require_proxy(&ctx)?;
    let inner = st.nova.lock();
    let i = inner
        .image(&id)
        .ok_or_else(|| ApiError::not_found("Image not found."))?;
    Ok(Json(json!({"image": image_view(i, &ctx.base_url, true)})))
}

/// Image proxy routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/images", get(index))
        .route("/images/detail", get(detail))
        .route("/images/{image_id}", get(show))
}
