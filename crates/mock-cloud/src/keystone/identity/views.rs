//! How Keystone 30 renders directory entries (`wrap_member` with its `links.self`).

use serde_json::{Value, json};

use super::super::directory::{Directory, Domain, Project, Role, User};

fn self_link(auth_url: &str, collection: &str, id: &str) -> Value {
    json!({"self": format!("{auth_url}/{collection}/{id}")})
}

/// A project: top-level projects have their domain as `parent_id`.
pub fn project(p: &Project, auth_url: &str) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "domain_id": p.domain_id,
        "description": p.description,
        "enabled": true,
        "parent_id": p.domain_id,
        "is_domain": false,
        "tags": [],
        "options": {},
        "links": self_link(auth_url, "projects", &p.id),
    })
}

/// A user: `default_project_id` only when set, as Keystone stores it.
pub fn user(u: &User, auth_url: &str) -> Value {
    let mut view = json!({
        "id": u.id,
        "name": u.name,
        "domain_id": u.domain_id,
        "enabled": true,
        "password_expires_at": null,
        "options": {},
        "links": self_link(auth_url, "users", &u.id),
    });
    if let Some(project) = &u.default_project_id {
        view["default_project_id"] = json!(project);
    }
    view
}

/// A domain.
pub fn domain(d: &Domain, auth_url: &str) -> Value {
    json!({
        "id": d.id,
        "name": d.name,
        "description": d.description,
        "enabled": true,
        "tags": [],
        "options": {},
        "links": self_link(auth_url, "domains", &d.id),
    })
}

/// A global role (the mock has no domain-specific roles); the roles
/// `keystone-manage bootstrap` creates are immutable.
pub fn role(r: &Role, auth_url: &str) -> Value {
    let options = if matches!(
        r.name.as_str(),
        "admin" | "member" | "reader" | "manager" | "service"
    ) {
        json!({"immutable": true})
    } else {
        json!({})
    };
    json!({
        "id": r.id,
        "name": r.name,
        "domain_id": null,
        "description": null,
        "options": options,
        "links": self_link(auth_url, "roles", &r.id),
    })
}

/// `{"id", "name"}` of a domain, as embedded with `include_names`.
pub fn domain_ref(dir: &Directory, id: &str) -> Value {
    let name = dir.domain(id).map(|d| d.name.as_str()).unwrap_or(id);
    json!({"id": id, "name": name})
}
