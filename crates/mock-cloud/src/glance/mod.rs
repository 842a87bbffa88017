//! A minimal Glance v2 under `/image`, enough for a client to turn an image
//! name into an id: `GET /image/v2/images` (`name`, `limit`, `marker`) and
//! `GET /image/v2/images/{id}`, over the images the Nova store knows
//! (seeded images and createImage snapshots, with the properties createImage and backup
//! sent as top-level keys, as Glance shows them). Both need a valid
//! `X-Auth-Token`, as behind keystonemiddleware.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::keystone::errors::unauthorized;
use crate::nova::resources::model::Image;
use crate::request_id::{OPENSTACK_REQUEST_ID, new_request_id};
use crate::state::SharedState;

/// The query of `GET /image/v2/images` that this mock understands.
#[derive(Debug, Default, Deserialize)]
pub struct ImageQuery {
    /// Exact name filter.
    pub name: Option<String>,
    /// Page size.
    pub limit: Option<usize>,
    /// The id after which the page starts.
    pub marker: Option<String>,
}

/// The Glance routes, with the state applied (merge into the cloud's router).
pub fn router(state: SharedState) -> Router {
    use axum::routing::get;
    Router::new()
        .route("/image", get(versions_root))
        .route("/image/", get(versions_root))
        .route("/image/versions", get(versions_explicit))
        .route("/image/v2/images", get(list))
        .route("/image/v2/images/{image_id}", get(show))
        .with_state(state)
}

/// Glance's version list (`glance/api/versions.py`, a deployment without an
/// image cache and without multiple stores), hrefs under `<base>/image/v2/`.
/// Needs no token, like the real one.
fn version_list(state: &SharedState) -> Value {
    let href = format!("{}/image/v2/", state.urls.base);
    let version = |id: &str, status: &str| {
        json!({"id": format!("v{id}"), "status": status,
               "links": [{"rel": "self", "href": href}]})
    };
    let mut versions = vec![version("2.15", "SUPPORTED"), version("2.9", "SUPPORTED")];
    versions.push(version("2.17", "CURRENT"));
    for minor in (0..=7).rev() {
        versions.push(version(&format!("2.{minor}"), "SUPPORTED"));
    }
    json!({ "versions": versions })
}

/// `GET /image`: 300 Multiple Choices with the version list (keystoneauth's
/// discovery reads it; without it openstackclient cannot resolve an image).
async fn versions_root(State(state): State<SharedState>) -> Response {
    (
        StatusCode::MULTIPLE_CHOICES,
        axum::Json(version_list(&state)),
    )
        .into_response()
}

/// `GET /image/versions`: the same list with 200.
async fn versions_explicit(State(state): State<SharedState>) -> Response {
    axum::Json(version_list(&state)).into_response()
}

/// An image as Glance v2 shows it: its properties as top-level keys, and a snapshot or
/// backup private to the project that took it.
fn image_view(image: &Image, created: &str) -> Value {
    let mut view = base_view(&image.id, &image.name, created);
    if let Some(owner) = &image.owner {
        view["owner"] = json!(owner);
        view["visibility"] = json!("private");
    }
    if let Value::Object(map) = &mut view {
        for (key, value) in &image.properties {
            map.entry(key.clone()).or_insert_with(|| json!(value));
        }
    }
    view
}

fn base_view(id: &str, name: &str, created: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "status": "active",
        "visibility": "public",
        "protected": false,
        "os_hidden": false,
        "container_format": "bare",
        "disk_format": "qcow2",
        "min_disk": 0,
        "min_ram": 0,
        "size": 25165824,
        "tags": [],
        "owner": null,
        "created_at": created,
        "updated_at": created,
        "self": format!("/v2/images/{id}"),
        "file": format!("/v2/images/{id}/file"),
        "schema": "/v2/schemas/image",
    })
}

fn with_request_id(mut response: Response) -> Response {
    if let Ok(value) = HeaderValue::from_str(&new_request_id()) {
        response.headers_mut().insert(OPENSTACK_REQUEST_ID, value);
    }
    response
}

fn authorized(state: &SharedState, headers: &HeaderMap) -> Result<(), Box<Response>> {
    headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .and_then(|token| state.keystone.tokens.valid(token, state.now()))
        .map(|_| ())
        .ok_or_else(|| Box::new(with_request_id(unauthorized(&state.urls))))
}

fn created(state: &SharedState) -> String {
    state.now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

async fn list(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Query(query): Query<ImageQuery>,
) -> Response {
    if let Err(response) = authorized(&state, &headers) {
        return *response;
    }
    let created = created(&state);
    let mut images: Vec<Image> = state
        .nova
        .image_records()
        .into_iter()
        .filter(|i| query.name.as_ref().is_none_or(|n| *n == i.name))
        .collect();
    if let Some(marker) = &query.marker {
        match images.iter().position(|i| i.id == *marker) {
            Some(at) => {
                images.drain(..=at);
            }
            None => {
                return with_request_id(
                    (
                        StatusCode::BAD_REQUEST,
                        format!("400 Bad Request\n\nmarker {marker} could not be found.\n\n"),
                    )
                        .into_response(),
                );
            }
        }
    }
    let limit = query.limit.unwrap_or(25).max(1);
    let more = images.len() > limit;
    images.truncate(limit);
    let mut body = json!({
        "images": images
            .iter()
            .map(|image| image_view(image, &created))
            .collect::<Vec<_>>(),
        "first": "/v2/images",
        "schema": "/v2/schemas/images",
    });
    if more && let Some(last) = images.last() {
        body["next"] = json!(format!("/v2/images?marker={}&limit={limit}", last.id));
    }
    with_request_id(axum::Json(body).into_response())
}

async fn show(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(response) = authorized(&state, &headers) {
        return *response;
    }
    let created = created(&state);
    match state.nova.image_records().into_iter().find(|i| i.id == id) {
        Some(image) => with_request_id(axum::Json(image_view(&image, &created)).into_response()),
        None => with_request_id(
            (
                StatusCode::NOT_FOUND,
                format!("404 Not Found\n\nNo image found with ID {id}\n\n"),
            )
                .into_response(),
        ),
    }
}
