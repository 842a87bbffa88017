//! The test control API under `/_mock/nova` (no auth, plain JSON):
//!
//! | method and path | body | effect |
//! |---|---|---|
//! | `POST /servers/bulk` | `{"count": N, "name_prefix": "s", "project": "demo"}` (project id or `demo`/`admin`) | seed N ACTIVE servers → 201 `{"created": N}` |
//! | `GET /servers/count` | | `{"count": N}` |
//! | `PUT /quota` | `{"instances": N, "project": "demo"?, "cores": C?, "ram": MiB?}` | set instance quota (one project, or the default); `cores` / `ram` set the cores and RAM quotas of every project → 204 |
//! | `PUT /build_polls` | `{"polls": N}` | GETs a new server stays BUILD → 204 |
//! | `POST /servers/{id}/fail` | `{"message": "..."}` | push the server into ERROR with a fault → 204 (404 if unknown) |
//! | `GET /images` | | `{"images": [{"id", "name"}]}` |

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::state::SharedState;

#[derive(Debug, Deserialize)]
struct Bulk {
    count: usize,
    #[serde(default = "default_prefix")]
    name_prefix: String,
    #[serde(default = "default_project")]
    project: String,
}

fn default_prefix() -> String {
    "server".into()
}

fn default_project() -> String {
    "demo".into()
}

#[derive(Debug, Deserialize)]
struct Quota {
    instances: u32,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    cores: Option<u32>,
    #[serde(default)]
    ram: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct Polls {
    polls: u32,
}

#[derive(Debug, Deserialize)]
struct Fail {
    #[serde(default = "default_fault")]
    message: String,
}

fn default_fault() -> String {
    "No valid host was found. There are not enough hosts available.".into()
}

async fn bulk(State(st): State<SharedState>, Json(b): Json<Bulk>) -> Response {
    let ids = st.nova.seed_servers(b.count, &b.name_prefix, &b.project);
    (StatusCode::CREATED, Json(json!({"created": ids.len()}))).into_response()
}

async fn count(State(st): State<SharedState>) -> Json<serde_json::Value> {
    Json(json!({"count": st.nova.server_count()}))
}

async fn quota(State(st): State<SharedState>, Json(q): Json<Quota>) -> StatusCode {
    st.nova
        .set_instance_quota(q.project.as_deref(), q.instances);
    if q.cores.is_some() || q.ram.is_some() {
        st.nova.set_cores_ram_quota(q.cores, q.ram);
    }
    StatusCode::NO_CONTENT
}

async fn build_polls(State(st): State<SharedState>, Json(p): Json<Polls>) -> StatusCode {
    st.nova.set_build_polls(p.polls);
    StatusCode::NO_CONTENT
}

async fn fail(
    State(st): State<SharedState>,
    Path(id): Path<String>,
    Json(f): Json<Fail>,
) -> StatusCode {
    if st.nova.fail_server(&id, &f.message) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn images(State(st): State<SharedState>) -> Json<serde_json::Value> {
    let items: Vec<_> = st
        .nova
        .images()
        .into_iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    Json(json!({"images": items}))
}

/// The control routes (nested by the server at `/_mock/nova`).
pub fn control_router() -> axum::Router<SharedState> {
    use axum::routing::{get, post, put};
    axum::Router::new()
        .route("/servers/bulk", post(bulk))
        .route("/servers/count", get(count))
        .route("/quota", put(quota))
        .route("/build_polls", put(build_polls))
        .route("/servers/{server_id}/fail", post(fail))
        .route("/images", get(images))
}
