//! `GET /instances/{id}`: one server with its fault and the request ids of its actions;
//! start, stop, reboot; delete after a confirmation page.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use maud::{Markup, html};
use nova_v2::{InstanceActionQuery, RebootType, Server, ServerAction, ServerStatus};

use super::layout::{csrf_field, notice, page};
use super::view::{self, Names};
use super::{Authed, authed, csrf_rejected, failure, html_response, redirect};
use crate::SharedState;
use crate::error::DashboardError;
use crate::form::FormData;

/// How long rows of a server keep polling after an action on it, even while Nova shows
/// no change yet (its task state appears a moment later, or not at all for a quick delete).
pub const WATCH_AFTER_ACTION: std::time::Duration = std::time::Duration::from_secs(120);

/// The status block of the page; while the server is in transition it carries `data-poll`
/// and the page's script replaces it with a fresh copy.
pub fn summary_block(
    server: &Server,
    names: &Names,
    poll_ms: u32,
    csrf: &str,
    watched: bool,
) -> Markup {
    let poll =
        (watched || view::in_transition(server)).then(|| view::server_path(&server.id, "/summary"));
    html! {
        section id="summary" data-poll=[poll] data-poll-ms=(poll_ms) aria-live="polite" {
            div class="actions" {
                @for offered in ACTIONS.iter().filter(|a| a.offered_when == server.status) {
                    (action_button(csrf, &server.id, offered))
                }
                a class="button danger" id="delete-link" href=(view::server_path(&server.id, "/delete")) { "Delete" }
            }
            dl class="fields" {
                dt { "Status" } dd { (view::status_badge(server)) }
                dt { "Task" } dd id="task-state" { (view::task_state(server)) }
                dt { "Power state" } dd { (view::power_state(server)) }
                dt { "IP addresses" } dd { @for line in view::addresses(server) { div { (line) } } }
                dt { "Flavor" } dd { (view::flavor_name(server, names)) }
                dt { "Image" } dd { (view::image_name(server, names)) }
                @if let Some(progress) = server.progress { dt { "Progress" } dd { (progress) "%" } }
            }
            @if let Some(fault) = &server.fault {
                div class="error fault" role="alert" {
                    h2 { "Fault" }
                    p id="fault-message" { (fault.message) }
                    @if let Some(code) = fault.code { p { "Code " (code) } }
                    @if let Some(created) = &fault.created { p { "At " (created) } }
                    @if let Some(details) = &fault.details { pre { (details) } }
                }
            }
        }
    }
}

/// One power action the page offers: its form value, its button label, the status in which
/// it is offered, and what it asks Nova to do.
struct OfferedAction {
    form_value: &'static str,
    label: &'static str,
    offered_when: ServerStatus,
    request: fn() -> ServerAction,
}

/// Every action of the status block, in button order; the form handler accepts exactly these.
const ACTIONS: [OfferedAction; 4] = [
    OfferedAction {
        form_value: "start",
        label: "Start",
        offered_when: ServerStatus::Shutoff,
        request: || ServerAction::Start,
    },
    OfferedAction {
        form_value: "stop",
        label: "Stop",
        offered_when: ServerStatus::Active,
        request: || ServerAction::Stop,
    },
    OfferedAction {
        form_value: "reboot",
        label: "Soft reboot",
        offered_when: ServerStatus::Active,
        request: || ServerAction::Reboot(RebootType::Soft),
    },
    OfferedAction {
        form_value: "hard_reboot",
        label: "Hard reboot",
        offered_when: ServerStatus::Active,
        request: || ServerAction::Reboot(RebootType::Hard),
    },
];

fn action_button(csrf: &str, id: &str, offered: &OfferedAction) -> Markup {
    html! {
        form method="post" action=(view::server_path(id, "/action")) class="inline" {
            (csrf_field(csrf))
            input type="hidden" name="action" value=(offered.form_value);
            button type="submit" id=(format!("action-{}", offered.form_value)) { (offered.label) }
        }
    }
}

/// After Nova accepted a request on server `id`: keep its rows polling, say what was
/// requested with Nova's request id, and go to `to`.
fn requested(
    state: &SharedState,
    authed: &Authed,
    id: &str,
    what: String,
    request_id: Option<String>,
    to: &str,
) -> Response {
    let rid = request_id.unwrap_or_else(|| "-".into());
    state.sessions.watch(&authed.id, id, WATCH_AFTER_ACTION);
    state
        .sessions
        .set_flash(&authed.id, format!("{what} requested (request {rid})."));
    redirect(to)
}

async fn load(
    authed: &Authed,
    id: &str,
) -> Result<(Server, Names, Vec<nova_v2::InstanceAction>, Option<String>), DashboardError> {
    let cloud = &authed.session.cloud;
    let server = cloud.compute.servers().get(id).await?;
    let actions = cloud
        .compute
        .instance_actions()
        .list(id, &InstanceActionQuery::new())
        .await
        .map(|page| page.value.items)
        .unwrap_or_default();
    let names = super::instances::names(cloud).await;
    Ok((server.value, names, actions, server.request_id))
}

/// `GET /instances/{id}`
pub async fn show(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let (server, names, actions, request_id) = match load(&authed, &id).await {
        Ok(loaded) => loaded,
        Err(error) => return failure(&state, &authed, error),
    };
    let csrf = &authed.session.csrf;
    let flash = state.sessions.take_flash(&authed.id);
    let body = html! {
        p { a href="/instances" { "All instances" } }
        h1 { "Instance " span id="server-name" { (server.name) } }
        @if let Some(text) = &flash { (notice(text)) }
        (summary_block(&server, &names, state.config.poll_interval_ms, csrf, state.sessions.watched(&authed.session, &server.id)))
        h2 { "Details" }
        dl class="fields" {
            dt { "ID" } dd { code id="server-id" { (server.id) } }
            @if let Some(d) = &server.description { dt { "Description" } dd { (d) } }
            dt { "Key pair" } dd { (server.key_name.clone().unwrap_or_else(|| "-".into())) }
            dt { "Availability zone" } dd { (server.availability_zone.clone().unwrap_or_else(|| "-".into())) }
            dt { "Created" } dd { (server.created.clone().unwrap_or_default()) " (" (view::age(server.created.as_deref())) " ago)" }
            dt { "Security groups" } dd { (server.security_groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")) }
            @if let Some(hostname) = &server.hostname { dt { "Hostname" } dd { (hostname) } }
            @if let Some(tags) = server.tags.as_ref().filter(|t| !t.is_empty()) { dt { "Tags" } dd { (tags.join(", ")) } }
            dt { "Metadata" } dd {
                @if server.metadata.is_empty() { "-" }
                @for (k, v) in &server.metadata { div { code { (k) } " = " (v) } }
            }
            dt { "Request ID of this page" } dd { code { (request_id.unwrap_or_else(|| "-".into())) } }
        }
        h2 { "Actions and their request IDs" }
        table class="actions-log" {
            thead { tr { th scope="col" { "Action" } th scope="col" { "Request ID" } th scope="col" { "Started" } th scope="col" { "Message" } } }
            tbody {
                @for a in &actions {
                    tr { td { (a.action) } td { code { (a.request_id) } } td { (a.start_time.clone().unwrap_or_default()) } td { (a.message.clone().unwrap_or_default()) } }
                }
                @if actions.is_empty() { tr { td colspan="4" { "None recorded." } } }
            }
        }
    };
    html_response(
        StatusCode::OK,
        page(
            &format!("Instance {}", server.name),
            Some(&authed.session),
            body,
        ),
    )
}

/// `GET /instances/{id}/summary`: the status block now, for the live update.
pub async fn summary(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let authed = match authed(&state, &headers, true) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let cloud = &authed.session.cloud;
    match cloud.compute.servers().get(&id).await {
        Ok(server) => {
            let names = super::instances::names(cloud).await;
            html_response(
                StatusCode::OK,
                summary_block(
                    &server.value,
                    &names,
                    state.config.poll_interval_ms,
                    &authed.session.csrf,
                    state.sessions.watched(&authed.session, &id),
                ),
            )
        }
        Err(error) if error.is_not_found() => html_response(
            StatusCode::OK,
            html! { section id="summary" { p { "This instance has been deleted." } } },
        ),
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => {
            state.sessions.remove(&authed.id);
            (StatusCode::UNAUTHORIZED, "session expired").into_response()
        }
        Err(error) => (StatusCode::BAD_GATEWAY, error.to_string()).into_response(),
    }
}

/// `GET /instances/{id}/delete`: asks for confirmation.
pub async fn confirm_delete(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let server = match authed.session.cloud.compute.servers().get(&id).await {
        Ok(server) => server.value,
        Err(error) => return failure(&state, &authed, error.into()),
    };
    let body = html! {
        h1 { "Delete instance " (server.name) "?" }
        p { "The server " code { (server.id) } " and its local disks will be deleted. This cannot be undone." }
        form method="post" action=(view::server_path(&server.id, "/delete")) {
            (csrf_field(&authed.session.csrf))
            button type="submit" class="danger" id="confirm-delete" { "Delete " (server.name) }
            " "
            a href=(view::server_path(&server.id, "")) { "Cancel" }
        }
    };
    html_response(
        StatusCode::OK,
        page("Delete instance", Some(&authed.session), body),
    )
}

/// `POST /instances/{id}/delete`
pub async fn delete(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    if !FormData::parse(&body).csrf_ok(&authed.session.csrf) {
        return csrf_rejected(Some(&authed.session));
    }
    match authed.session.cloud.compute.servers().delete(&id).await {
        Ok(done) => requested(
            &state,
            &authed,
            &id,
            format!("Deletion of instance {id}"),
            done.request_id,
            "/instances",
        ),
        Err(error) => failure(&state, &authed, error.into()),
    }
}

/// `POST /instances/{id}/action` with `action` = start, stop, reboot or hard_reboot.
pub async fn action(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let form = FormData::parse(&body);
    if !form.csrf_ok(&authed.session.csrf) {
        return csrf_rejected(Some(&authed.session));
    }
    let Some(offered) = ACTIONS
        .iter()
        .find(|a| form.get("action") == Some(a.form_value))
    else {
        return failure(
            &state,
            &authed,
            DashboardError::field("Action", "must be start, stop, reboot or hard_reboot"),
        );
    };
    match authed
        .session
        .cloud
        .compute
        .servers()
        .action(&id, &(offered.request)())
        .await
    {
        Ok(done) => requested(
            &state,
            &authed,
            &id,
            offered.label.to_owned(),
            done.request_id,
            &view::server_path(&id, ""),
        ),
        Err(error) => failure(&state, &authed, error.into()),
    }
}
