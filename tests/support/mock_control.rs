//! mock-cloud's control API (`/_mock/...`), spoken over HTTP so that it works the same for an
//! in-process mock and for the binary started by `cargo xtask integration`.

use std::collections::BTreeMap;

use keystone_auth::{Request, Session, StaticToken};
use serde_json::Value;

/// mock-cloud's control API: counters, faults, token revocation, Nova seeding and quotas.
pub struct MockControl {
    base: String,
    http: Session,
}

impl MockControl {
    pub(crate) fn new(base: &str) -> MockControl {
        let http = Session::builder(StaticToken::new("control-api-needs-no-token"))
            .app_name("integration-tests")
            .build()
            .expect("plain HTTP session builds");
        MockControl {
            base: base.to_string(),
            http,
        }
    }

    /// The mock's base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.base
    }

    async fn call(&self, request: Request) -> Value {
        let response = self
            .http
            .send(request.authenticated(false))
            .await
            .expect("the mock's control API answers")
            .error_for_status()
            .expect("the control call succeeds");
        if response.body.is_empty() {
            Value::Null
        } else {
            response.json().expect("control API answers JSON")
        }
    }

    fn at(&self, path: &str) -> String {
        format!("{}/_mock{path}", self.base)
    }

    /// Requests seen per route template (`"POST /compute/v2.1/servers"`).
    pub async fn counts(&self) -> BTreeMap<String, u64> {
        serde_json::from_value(self.call(Request::get(self.at("/counters"))).await)
            .expect("counters are a map of numbers")
    }

    /// Requests seen on one route template (parameter names do not matter).
    pub async fn count(&self, route: &str) -> u64 {
        let wanted = normalize_route(route);
        self.counts()
            .await
            .into_iter()
            .filter(|(key, _)| normalize_route(key) == wanted)
            .map(|(_, n)| n)
            .sum()
    }

    /// Zeroes every counter. Exact counts against the shared mock binary need
    /// `TestCloud::start_exclusive`.
    pub async fn reset_counts(&self) {
        self.call(Request::post(self.at("/counters/reset"))).await;
    }

    /// Adds a fault (mock-cloud's `Fault` JSON).
    pub async fn add_fault(&self, fault: &Value) {
        self.call(Request::post(self.at("/faults")).json(fault))
            .await;
    }

    /// Revokes every token; returns how many.
    pub async fn revoke_tokens(&self) -> u64 {
        self.call(Request::post(self.at("/tokens/revoke"))).await["revoked"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Creates `count` ACTIVE servers named `<name_prefix>-<n>` (n from 1) in the demo
    /// project without the API (no quota, no validation).
    pub async fn seed_servers(&self, count: usize, name_prefix: &str) -> u64 {
        self.seed_servers_in("demo", count, name_prefix).await
    }

    /// Like [`MockControl::seed_servers`], in `project` (`demo`, `admin` or a project id).
    /// Returns how many were created.
    pub async fn seed_servers_in(&self, project: &str, count: usize, name_prefix: &str) -> u64 {
        let body = serde_json::json!({
            "count": count,
            "name_prefix": name_prefix,
            "project": project,
        });
        let answer = self
            .call(Request::post(self.at("/nova/servers/bulk")).json(&body))
            .await;
        answer["created"]
            .as_u64()
            .expect("the bulk seed says how many it created")
    }

    /// Sets the instance quota of every project.
    pub async fn set_instance_quota(&self, instances: u32) {
        self.call(
            Request::put(self.at("/nova/quota"))
                .json(&serde_json::json!({ "instances": instances })),
        )
        .await;
    }

    /// How many servers exist in the mock (all projects).
    pub async fn server_count(&self) -> u64 {
        let value = self
            .call(Request::get(self.at("/nova/servers/count")))
            .await;
        value
            .get("count")
            .and_then(Value::as_u64)
            .or_else(|| value.as_u64())
            .expect("server count is a number")
    }

    /// The mock's images as `(id, name)`, in seed order.
    pub async fn images(&self) -> Vec<(String, String)> {
        let value = self.call(Request::get(self.at("/nova/images"))).await;
        value["images"]
            .as_array()
            .expect("the images control answers a list")
            .iter()
            .map(|image| {
                (
                    image["id"].as_str().unwrap_or_default().to_string(),
                    image["name"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// Pushes server `id` into ERROR with a fault carrying `message`.
    pub async fn fail_server(&self, id: &str, message: &str) {
        self.call(
            Request::post(self.at(&format!("/nova/servers/{id}/fail")))
                .json(&serde_json::json!({ "message": message })),
        )
        .await;
    }
}

/// `"GET /servers/{server_id}"` and `"GET /servers/{id}"` name the same route.
fn normalize_route(route: &str) -> String {
    let mut out = String::with_capacity(route.len());
    let mut in_param = false;
    for c in route.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}
