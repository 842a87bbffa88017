//! The read side of Keystone's identity API, served from the same
//! [`Directory`] that issues tokens: projects, users, domains, roles and role
//! assignments with Keystone's filters, `links` and default policy, so that
//! lookups such as openstacksdk's `identity.find_project` and
//! `openstack project list` work.

mod assignments;
mod collection;
mod policy;
mod views;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::directory::Directory;
use super::errors::{json_response, keystone_error, unauthorized};
use crate::nova::resources::query::Query;
use crate::state::SharedState;
use collection::{ListError, Listing};
use policy::Caller;

/// A refusal, ready to send.
type Refusal = Box<Response>;

/// Identity routes (absolute paths under `/identity/v3`).
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/identity/v3/projects", get(list_projects))
        .route("/identity/v3/projects/{project_id}", get(get_project))
        .route("/identity/v3/users", get(list_users))
        .route("/identity/v3/users/{user_id}", get(get_user))
        .route(
            "/identity/v3/users/{user_id}/projects",
            get(list_user_projects),
        )
        .route("/identity/v3/domains", get(list_domains))
        .route("/identity/v3/domains/{domain_id}", get(get_domain))
        .route("/identity/v3/roles", get(list_roles))
        .route("/identity/v3/roles/{role_id}", get(get_role))
        .route("/identity/v3/role_assignments", get(assignments::list))
        .route("/identity/v3/auth/projects", get(auth_projects))
        .route("/identity/v3/auth/domains", get(auth_domains))
}

/// The caller of a request: its `X-Auth-Token` must be valid (else Keystone's 401).
fn caller(state: &SharedState, headers: &HeaderMap) -> Result<Caller, Refusal> {
    headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .and_then(|token| state.keystone.tokens.valid(token, state.now()))
        .map(|token| Caller { token })
        .ok_or_else(|| Box::new(unauthorized(&state.urls)))
}

/// Keystone's 403 `ForbiddenAction` for a policy rule.
fn forbidden(action: &str) -> Refusal {
    Box::new(keystone_error(
        StatusCode::FORBIDDEN,
        &format!("You are not authorized to perform the requested action: identity:{action}."),
    ))
}

/// Keystone's 404 for an unknown entity (`Could not find project: X.`).
fn not_found(kind: &str, id: &str) -> Refusal {
    Box::new(keystone_error(
        StatusCode::NOT_FOUND,
        &format!("Could not find {kind}: {id}."),
    ))
}

fn listing<'a>(state: &SharedState, path: &str, raw_query: Option<&'a str>) -> Listing<'a> {
    Listing {
        url: format!("{}{path}", state.urls.auth),
        raw_query,
        query: Query::parse(raw_query),
    }
}

fn wrap(listing: &Listing<'_>, collection: &str, refs: Vec<Value>, paged: bool) -> Response {
    match listing.wrap(collection, refs, paged) {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(ListError::MarkerNotFound(marker)) => keystone_error(
            StatusCode::NOT_FOUND,
            &format!("Marker {marker} could not be found."),
        ),
        Err(ListError::BadLimit(limit)) => keystone_error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid input for field 'limit': {limit:?} is not of type 'integer'"),
        ),
    }
}

fn member(key: &str, value: Value) -> Response {
    json_response(StatusCode::OK, &json!({ key: value }))
}

fn respond(result: Result<Response, Refusal>) -> Response {
    result.unwrap_or_else(|refusal| *refusal)
}

const PROJECT_FILTERS: &[&str] = &["domain_id", "enabled", "name", "parent_id", "is_domain"];

/// Projects as list entries, with `is_domain` defaulting to false as Keystone's list does.
fn project_refs(dir: &Directory, auth_url: &str, query: &Query) -> Vec<Value> {
    let refs: Vec<Value> = dir
        .projects
        .iter()
        .map(|p| views::project(p, auth_url))
        .collect();
    let mut refs = collection::filter(refs, query, PROJECT_FILTERS);
    if query.last("is_domain").is_none() {
        refs.retain(|p| p["is_domain"] == json!(false));
    }
    refs
}

/// `GET /v3/projects`: admin and system readers see all, a domain-scoped
/// reader its domain's; members are refused (`identity:list_projects`).
async fn list_projects(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_list_in_domain(dir) {
            return Err(forbidden("list_projects"));
        }
        let listing = listing(&state, "/projects", raw.as_deref());
        let mut refs = project_refs(dir, &state.urls.auth, &listing.query);
        if let Some(domain) = caller.scoped_domain() {
            refs.retain(|p| p["domain_id"] == json!(domain));
        }
        Ok(wrap(&listing, "projects", refs, true))
    })())
}

/// `GET /v3/projects/{id}`: also any user of the project's own token.
async fn get_project(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(project_id): Path<String>,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        let project = dir.project(&project_id);
        let domain_id = project.map(|p| p.domain_id.as_str()).unwrap_or_default();
        // policy is checked before the lookup, so a member learns nothing of other ids
        if !caller.may_get_project(dir, &project_id, domain_id) {
            return Err(forbidden("get_project"));
        }
        let project = project.ok_or_else(|| not_found("project", &project_id))?;
        Ok(member("project", views::project(project, &state.urls.auth)))
    })())
}

const USER_FILTERS: &[&str] = &["domain_id", "enabled", "name"];

/// `GET /v3/users` (`identity:list_users`).
async fn list_users(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_list_in_domain(dir) {
            return Err(forbidden("list_users"));
        }
        let listing = listing(&state, "/users", raw.as_deref());
        let refs = dir
            .users
            .iter()
            .map(|u| views::user(u, &state.urls.auth))
            .collect();
        let mut refs = collection::filter(refs, &listing.query, USER_FILTERS);
        if let Some(domain) = caller.scoped_domain() {
            refs.retain(|u| u["domain_id"] == json!(domain));
        }
        Ok(wrap(&listing, "users", refs, true))
    })())
}

/// `GET /v3/users/{id}`: also the user themself (`identity:get_user`).
async fn get_user(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        let user = dir.user(&user_id);
        let domain_id = user.map(|u| u.domain_id.as_str()).unwrap_or_default();
        if !caller.may_get_user(dir, &user_id, domain_id) {
            return Err(forbidden("get_user"));
        }
        let user = user.ok_or_else(|| not_found("user", &user_id))?;
        Ok(member("user", views::user(user, &state.urls.auth)))
    })())
}

/// The projects `user_id` holds a role on (directly, or on their domain
/// with nothing inherited: only project grants count), in id order.
fn projects_of(dir: &Directory, auth_url: &str, user_id: &str) -> Vec<Value> {
    dir.projects
        .iter()
        .filter(|p| {
            dir.grants.iter().any(|g| {
                g.user_id == user_id && g.target == super::directory::Target::Project(p.id.clone())
            })
        })
        .map(|p| views::project(p, auth_url))
        .collect()
}

/// `GET /v3/users/{id}/projects` (`identity:list_user_projects`): what
/// `openstack project list --my-projects` asks.
async fn list_user_projects(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        let user = dir.user(&user_id);
        let domain_id = user.map(|u| u.domain_id.as_str()).unwrap_or_default();
        if !caller.may_get_user(dir, &user_id, domain_id) {
            return Err(forbidden("list_user_projects"));
        }
        if user.is_none() {
            return Err(not_found("user", &user_id));
        }
        let listing = listing(
            &state,
            &format!("/users/{user_id}/projects"),
            raw.as_deref(),
        );
        let refs = projects_of(dir, &state.urls.auth, &user_id);
        let refs = collection::filter(refs, &listing.query, &["domain_id", "enabled", "name"]);
        Ok(wrap(&listing, "projects", refs, false))
    })())
}

/// `GET /v3/auth/projects`: the projects the token's user may scope to (any valid token).
async fn auth_projects(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        let listing = listing(&state, "/auth/projects", raw.as_deref());
        let refs = projects_of(dir, &state.urls.auth, &caller.token.user_id);
        Ok(wrap(&listing, "projects", refs, false))
    })())
}

/// `GET /v3/auth/domains`: the domains the token's user holds a role on.
async fn auth_domains(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        let user_id = &caller.token.user_id;
        let listing = listing(&state, "/auth/domains", raw.as_deref());
        let refs = dir
            .domains
            .iter()
            .filter(|d| {
                dir.grants.iter().any(|g| {
                    &g.user_id == user_id
                        && g.target == super::directory::Target::Domain(d.id.clone())
                })
            })
            .map(|d| views::domain(d, &state.urls.auth))
            .collect();
        Ok(wrap(&listing, "domains", refs, false))
    })())
}

/// `GET /v3/domains` (`identity:list_domains`).
async fn list_domains(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_list_domains(dir) {
            return Err(forbidden("list_domains"));
        }
        let listing = listing(&state, "/domains", raw.as_deref());
        let refs = dir
            .domains
            .iter()
            .map(|d| views::domain(d, &state.urls.auth))
            .collect();
        let mut refs = collection::filter(refs, &listing.query, &["name", "enabled"]);
        if let Some(domain) = caller.scoped_domain() {
            refs.retain(|d| d["id"] == json!(domain));
        }
        Ok(wrap(&listing, "domains", refs, true))
    })())
}

/// `GET /v3/domains/{id}`: also users scoped to the domain or one of its projects.
async fn get_domain(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(domain_id): Path<String>,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_get_domain(dir, &domain_id) {
            return Err(forbidden("get_domain"));
        }
        let domain = dir
            .domain(&domain_id)
            .ok_or_else(|| not_found("domain", &domain_id))?;
        Ok(member("domain", views::domain(domain, &state.urls.auth)))
    })())
}

/// `GET /v3/roles` (`identity:list_roles`).
async fn list_roles(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_read_roles(dir) {
            return Err(forbidden("list_roles"));
        }
        let listing = listing(&state, "/roles", raw.as_deref());
        let refs = dir
            .roles
            .iter()
            .map(|r| views::role(r, &state.urls.auth))
            .collect();
        let refs = collection::filter(refs, &listing.query, &["name", "domain_id"]);
        Ok(wrap(&listing, "roles", refs, true))
    })())
}

/// `GET /v3/roles/{id}` (`identity:get_role`).
async fn get_role(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(role_id): Path<String>,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_read_roles(dir) {
            return Err(forbidden("get_role"));
        }
        let role = dir
            .role(&role_id)
            .ok_or_else(|| not_found("role", &role_id))?;
        Ok(member("role", views::role(role, &state.urls.auth)))
    })())
}
