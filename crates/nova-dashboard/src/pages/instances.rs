//! `GET /instances`: the instance list with filters, paging by marker and live status of
//! rows in transition; `GET /instances/{id}/row`: one row, for the live update.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode};
use maud::{Markup, html};
use nova_v2::{Server, ServerQuery, ServerStatus};
use serde::Deserialize;

use super::layout::{notice, page};
use super::view::{self, Names};
use super::{Authed, authed, failure, html_response, redirect};
use crate::SharedState;
use crate::cloud::CloudConnection;
use crate::error::DashboardError;

/// Statuses offered by the status filter.
const STATUS_FILTERS: &[&str] = &[
    "ACTIVE",
    "BUILD",
    "ERROR",
    "SHUTOFF",
    "PAUSED",
    "SUSPENDED",
    "REBOOT",
    "HARD_REBOOT",
    "RESIZE",
    "VERIFY_RESIZE",
    "SHELVED_OFFLOADED",
];

/// The query of the list page.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Name filter (Nova treats it as a regular expression).
    #[serde(default)]
    pub name: Option<String>,
    /// Status filter.
    #[serde(default)]
    pub status: Option<String>,
    /// The last id of the previous page.
    #[serde(default)]
    pub marker: Option<String>,
    /// Page size.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// `GET /`
pub async fn root() -> Response {
    redirect("/instances")
}

/// Image and flavor names for showing rows (one call each; a failure only costs the names).
pub async fn names(cloud: &CloudConnection) -> Names {
    let mut names = Names::default();
    if let Ok(images) = cloud.images().await {
        names.images = images
            .into_iter()
            .filter_map(|i| i.name.map(|name| (i.id, name)))
            .collect::<HashMap<_, _>>();
    }
    if cloud.microversion() < nova_core::MicroVersion::new(2, 47)
        && let Ok(flavors) = cloud.compute.flavors().list(&Default::default()).await
    {
        names.flavors = flavors
            .value
            .items
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect();
    }
    names
}

/// One row of the table; rows in transition carry `data-poll` for the live update.
pub fn row(server: &Server, names: &Names, poll_ms: u32, watched: bool) -> Markup {
    let poll =
        (watched || view::in_transition(server)).then(|| view::server_path(&server.id, "/row"));
    html! {
        tr id=(format!("server-{}", server.id)) data-poll=[poll] data-poll-ms=(poll_ms) {
            td { a href=(view::server_path(&server.id, "")) { (server.name) } }
            td { (view::status_badge(server)) }
            td { (view::task_state(server)) }
            td { (view::power_state(server)) }
            td { @for line in view::addresses(server) { div { (line) } } @if server.addresses.is_empty() { "-" } }
            td { (view::flavor_name(server, names)) }
            td { (view::image_name(server, names)) }
            td { (view::age(server.created.as_deref())) }
        }
    }
}

fn query_string(query: &ListQuery, marker: Option<&str>, limit: u32) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(name) = query.name.as_deref().filter(|n| !n.is_empty()) {
        out.append_pair("name", name);
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        out.append_pair("status", status);
    }
    if let Some(marker) = marker {
        out.append_pair("marker", marker);
    }
    out.append_pair("limit", &limit.to_string());
    out.finish()
}

/// The page's body.
pub fn list_body(
    state: &SharedState,
    query: &ListQuery,
    servers: &[Server],
    next: bool,
    names: &Names,
    flash: Option<&str>,
    session: Option<&crate::session::UserSession>,
) -> Markup {
    let limit = page_size(state, query);
    let status = query.status.clone().unwrap_or_default();
    html! {
        h1 { "Instances" }
        @if let Some(text) = flash { (notice(text)) }
        form method="get" action="/instances" class="filters" role="search" {
            label for="filter-name" { "Name" }
            input id="filter-name" name="name" value=(query.name.clone().unwrap_or_default());
            label for="filter-status" { "Status" }
            select id="filter-status" name="status" {
                option value="" selected[status.is_empty()] { "Any" }
                @for s in STATUS_FILTERS { option value=(s) selected[status == *s] { (s) } }
            }
            label for="filter-limit" { "Per page" }
            input id="filter-limit" name="limit" type="number" min="1" max=(state.config.max_page_size) value=(limit);
            button type="submit" { "Filter" }
            a class="button primary" href="/launch" id="launch-link" { "Launch Instance" }
        }
        table class="servers" {
            caption { "Servers of this project (" (servers.len()) " shown)" }
            thead { tr {
                th scope="col" { "Name" } th scope="col" { "Status" } th scope="col" { "Task" }
                th scope="col" { "Power state" } th scope="col" { "IP addresses" }
                th scope="col" { "Flavor" } th scope="col" { "Image" } th scope="col" { "Age" }
            } }
            tbody {
                @for server in servers { (row(server, names, state.config.poll_interval_ms, session.is_some_and(|s| state.sessions.watched(s, &server.id)))) }
                @if servers.is_empty() { tr { td colspan="8" { "No instances." } } }
            }
        }
        nav class="pager" aria-label="Pages" {
            @if query.marker.is_some() {
                a href=(format!("/instances?{}", query_string(query, None, limit))) { "First page" }
            }
            @if let (true, Some(last)) = (next, servers.last()) {
                a id="next-page" href=(format!("/instances?{}", query_string(query, Some(&last.id), limit))) { "Next page" }
            }
        }
    }
}

fn page_size(state: &SharedState, query: &ListQuery) -> u32 {
    query
        .limit
        .unwrap_or(state.config.page_size)
        .clamp(1, state.config.max_page_size.max(1))
}

/// The list request for the page's query.
pub fn server_query(state: &SharedState, query: &ListQuery) -> ServerQuery {
    let mut q = ServerQuery::new().limit(page_size(state, query));
    if let Some(name) = query
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        q = q.name(name);
    }
    if let Some(status) = query
        .status
        .as_deref()
        .filter(|s| STATUS_FILTERS.contains(s))
    {
        q = q.status(status.parse::<ServerStatus>().unwrap_or_default());
    }
    if let Some(marker) = query.marker.as_deref().filter(|m| !m.is_empty()) {
        q = q.marker(marker);
    }
    q
}

fn millis(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// `GET /instances`. The `Server-Timing` header reports the list call (`nova`), the name
/// lookups (`names`) and the rendering (`render`) in milliseconds.
pub async fn list(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let authed: Authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let cloud = &authed.session.cloud;
    let started = Instant::now();
    let page = match cloud
        .compute
        .servers()
        .list(&server_query(&state, &query))
        .await
    {
        Ok(page) => page.value,
        Err(error) => return failure(&state, &authed, DashboardError::Compute(error)),
    };
    let listed = Instant::now();
    let names = names(cloud).await;
    let named = Instant::now();
    let flash = state.sessions.take_flash(&authed.id);
    let markup = page_markup(
        &state,
        &authed,
        &query,
        &page.items,
        page.next.is_some(),
        &names,
        flash.as_deref(),
    );
    let rendered = Instant::now();
    let mut response = html_response(StatusCode::OK, markup);
    let timing = format!(
        "nova;dur={}, names;dur={}, render;dur={}",
        millis(listed - started),
        millis(named - listed),
        millis(rendered - named)
    );
    if let Ok(value) = HeaderValue::from_str(&timing) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

/// The whole list page (what `list` renders, separate so it can be measured).
pub fn page_markup(
    state: &SharedState,
    authed: &Authed,
    query: &ListQuery,
    servers: &[Server],
    next: bool,
    names: &Names,
    flash: Option<&str>,
) -> Markup {
    page(
        "Instances",
        Some(&authed.session),
        list_body(
            state,
            query,
            servers,
            next,
            names,
            flash,
            Some(&authed.session),
        ),
    )
}

/// `GET /instances/{id}/row`: the row now (`GET /servers/{id}`); a deleted server's row
/// says so and stops polling.
pub async fn row_fragment(state: &SharedState, authed: &Authed, id: &str) -> Response {
    let cloud = &authed.session.cloud;
    match cloud.compute.servers().get(id).await {
        Ok(server) => {
            let names = names(cloud).await;
            html_response(
                StatusCode::OK,
                row(
                    &server.value,
                    &names,
                    state.config.poll_interval_ms,
                    state.sessions.watched(&authed.session, id),
                ),
            )
        }
        Err(error) if error.is_not_found() => html_response(
            StatusCode::OK,
            html! { tr id=(format!("server-{id}")) class="gone" { td colspan="8" { "Deleted." } } },
        ),
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => {
            state.sessions.remove(&authed.id);
            (StatusCode::UNAUTHORIZED, "session expired").into_response()
        }
        Err(error) => (StatusCode::BAD_GATEWAY, error.to_string()).into_response(),
    }
}

/// `GET /instances/{id}/row`
pub async fn row_handler(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match authed(&state, &headers, true) {
        Ok(authed) => row_fragment(&state, &authed, &id).await,
        Err(rejected) => rejected.into_response(),
    }
}
