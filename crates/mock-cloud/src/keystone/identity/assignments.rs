//! `GET /v3/role_assignments` (`identity:list_role_assignments`): the grants
//! of the directory with Keystone's filters (`user.id`, `role.id`,
//! `scope.project.id`, `scope.domain.id`, `scope.system`, `group.id`),
//! `include_names` and `effective` (no groups and no inheritance here, so
//! effective assignments are the direct ones).

use axum::extract::{RawQuery, State};
use axum::response::Response;
use http::HeaderMap;
use serde_json::{Value, json};

use super::super::directory::{Directory, Grant, Target};
use super::{caller, forbidden, listing, respond, views, wrap};
use crate::nova::resources::query::Query;
use crate::state::SharedState;

fn flag(query: &Query, key: &str) -> bool {
    // Keystone's `query_filter_is_true`: present with an empty value or a true word
    query
        .last(key)
        .is_some_and(|v| v.is_empty() || !matches!(v.to_ascii_lowercase().as_str(), "0" | "false"))
}

fn keep(grant: &Grant, query: &Query) -> bool {
    if query.last("group.id").is_some() {
        return false;
    }
    if query.last("user.id").is_some_and(|u| u != grant.user_id) {
        return false;
    }
    if query.last("role.id").is_some_and(|r| r != grant.role_id) {
        return false;
    }
    if let Some(p) = query.last("scope.project.id") {
        return grant.target == Target::Project(p.to_owned());
    }
    if let Some(d) = query.last("scope.domain.id") {
        return grant.target == Target::Domain(d.to_owned());
    }
    if query.last("scope.system").is_some() {
        return grant.target == Target::System;
    }
    true
}

fn entry(dir: &Directory, auth_url: &str, grant: &Grant, names: bool) -> Value {
    let (scope, link) = match &grant.target {
        Target::Project(p) => {
            let mut scope = json!({"id": p});
            if names && let Some(project) = dir.project(p) {
                scope["name"] = json!(project.name);
                scope["domain"] = views::domain_ref(dir, &project.domain_id);
            }
            (json!({"project": scope}), format!("projects/{p}"))
        }
        Target::Domain(d) => {
            let scope = if names {
                views::domain_ref(dir, d)
            } else {
                json!({"id": d})
            };
            (json!({"domain": scope}), format!("domains/{d}"))
        }
        Target::System => (json!({"system": {"all": true}}), "system".to_owned()),
    };
    let mut user = json!({"id": grant.user_id});
    let mut role = json!({"id": grant.role_id});
    if names {
        if let Some(u) = dir.user(&grant.user_id) {
            user["name"] = json!(u.name);
            user["domain"] = views::domain_ref(dir, &u.domain_id);
        }
        if let Some(r) = dir.role(&grant.role_id) {
            role["name"] = json!(r.name);
        }
    }
    json!({
        "links": {"assignment": format!(
            "{auth_url}/{link}/users/{}/roles/{}", grant.user_id, grant.role_id)},
        "role": role,
        "scope": scope,
        "user": user,
    })
}

/// `GET /v3/role_assignments`: admin and system readers see every grant, a
/// domain-scoped reader its domain's; members are refused.
pub async fn list(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    respond((|| {
        let caller = caller(&state, &headers)?;
        let dir = &state.keystone.directory;
        if !caller.may_list_in_domain(dir) {
            return Err(forbidden("list_role_assignments"));
        }
        let listing = listing(&state, "/role_assignments", raw.as_deref());
        let names = flag(&listing.query, "include_names");
        let refs = dir
            .grants
            .iter()
            .filter(|g| keep(g, &listing.query))
            .map(|g| entry(dir, &state.urls.auth, g, names))
            .collect();
        Ok(wrap(&listing, "role_assignments", refs, false))
    })())
}
