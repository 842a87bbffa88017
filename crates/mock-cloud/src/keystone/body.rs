//! Token bodies and the service catalog, shaped like Keystone's samples
//! (`keystone/auth/responses/project-scoped-password.json`).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::directory::Directory;
use super::tokens::{TokenRecord, TokenScope};
use crate::state::Urls;

/// Keystone's timestamp format: six fractional digits and `Z`.
pub fn isotime(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The catalog every scoped token carries: identity, compute and image, each with a
/// public, internal and admin endpoint in `region`.
pub fn catalog(urls: &Urls, region: &str) -> Value {
    let endpoints = |url: &str, ids: [&str; 3]| -> Value {
        ["public", "internal", "admin"]
            .iter()
            .zip(ids)
            .map(|(interface, id)| {
                json!({
                    "id": id,
                    "interface": interface,
                    "region": region,
                    "region_id": region,
                    "url": url,
                })
            })
            .collect()
    };
    json!([
        {
            "endpoints": endpoints(&urls.identity, [
                "0c3e2f6a8b1d4e5f9a7b6c5d4e3f2a10",
                "0c3e2f6a8b1d4e5f9a7b6c5d4e3f2a11",
                "0c3e2f6a8b1d4e5f9a7b6c5d4e3f2a12",
            ]),
            "id": "5f1b7a2c3d4e4f6a8b9c0d1e2f3a4b5c",
            "type": "identity",
            "name": "keystone",
        },
        {
            "endpoints": endpoints(&urls.compute, [
                "1d4f3a7b9c2e4f6a8b0c1d2e3f4a5b20",
                "1d4f3a7b9c2e4f6a8b0c1d2e3f4a5b21",
                "1d4f3a7b9c2e4f6a8b0c1d2e3f4a5b22",
            ]),
            "id": "6a2c8b3d4e5f4a7b9c0d1e2f3a4b5c6d",
            "type": "compute",
            "name": "nova",
        },
        {
            "endpoints": endpoints(&format!("{}/image", urls.base), [
                "2e5a4b8c0d3f4a7b9c1d2e3f4a5b6c30",
                "2e5a4b8c0d3f4a7b9c1d2e3f4a5b6c31",
                "2e5a4b8c0d3f4a7b9c1d2e3f4a5b6c32",
            ]),
            "id": "7b3d9c4e5f6a4b8c0d1e2f3a4b5c6d7e",
            "type": "image",
            "name": "glance",
        },
    ])
}

/// The `{"token": {...}}` body for a record.
pub fn token_body(record: &TokenRecord, dir: &Directory, catalog: Option<&Value>) -> Value {
    let mut token = Map::new();
    token.insert("methods".into(), json!(record.methods));
    if let Some(user) = dir.user(&record.user_id) {
        token.insert(
            "user".into(),
            json!({
                "domain": domain_ref(dir, &user.domain_id),
                "id": user.id,
                "name": user.name,
                "password_expires_at": null,
            }),
        );
    }
    token.insert("audit_ids".into(), json!(record.audit_ids));
    token.insert("expires_at".into(), json!(isotime(record.expires_at)));
    token.insert("issued_at".into(), json!(isotime(record.issued_at)));
    let scoped = match &record.scope {
        TokenScope::Unscoped => false,
        TokenScope::Project(id) => {
            if let Some(project) = dir.project(id) {
                token.insert(
                    "project".into(),
                    json!({
                        "domain": domain_ref(dir, &project.domain_id),
                        "id": project.id,
                        "name": project.name,
                    }),
                );
            }
            token.insert("is_domain".into(), json!(false));
            true
        }
        TokenScope::Domain(id) => {
            token.insert("domain".into(), domain_ref(dir, id));
            true
        }
        TokenScope::System => {
            token.insert("system".into(), json!({"all": true}));
            true
        }
    };
    if scoped {
        let roles: Vec<Value> = record
            .role_ids
            .iter()
            .filter_map(|id| dir.role(id))
            .map(|r| json!({"id": r.id, "name": r.name}))
            .collect();
        token.insert("roles".into(), Value::Array(roles));
        if let Some(catalog) = catalog {
            token.insert("catalog".into(), catalog.clone());
        }
    }
    if let Some(app) = &record.app_credential {
        token.insert(
            "application_credential".into(),
            json!({"id": app.id, "name": app.name, "restricted": app.restricted}),
        );
    }
    json!({"token": token})
}

fn domain_ref(dir: &Directory, id: &str) -> Value {
    let name = dir.domain(id).map(|d| d.name.as_str()).unwrap_or(id);
    json!({"id": id, "name": name})
}
