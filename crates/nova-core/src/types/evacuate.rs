//! The `evacuate` server action (admin): rebuild a server of a failed host on another host.
//!
//! `onSharedStorage` is required below 2.14 and removed from 2.14; `force` exists from 2.29
//! to 2.67; the answer carries `adminPass` only below 2.14. From 2.95 the evacuated server
//! ends SHUTOFF instead of ACTIVE.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::field_gate::{BELOW_2_14, FORCE_EVACUATE, FieldGate};

/// An `evacuate` request.
#[derive(Debug, Clone, Default)]
pub struct EvacuateServer {
    /// The target host (the scheduler picks one when absent).
    pub host: Option<String>,
    /// The new admin password (never printed).
    pub admin_pass: Option<SecretString>,
    /// `onSharedStorage` (below 2.14, where it is required: sent as `false` when unset).
    pub on_shared_storage: Option<bool>,
    /// `force`: skip the scheduler's checks of `host` (2.29 to 2.67).
    pub force: Option<bool>,
}

impl EvacuateServer {
    /// Evacuate anywhere the scheduler picks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Evacuates to `host`.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Sets the admin password.
    pub fn admin_pass(mut self, pass: impl Into<String>) -> Self {
        self.admin_pass = Some(SecretString::from(pass.into()));
        self
    }

    /// Declares the server's disks on shared storage (below 2.14).
    pub fn on_shared_storage(mut self, shared: bool) -> Self {
        self.on_shared_storage = Some(shared);
        self
    }

    /// Forces the target host past the scheduler (2.29 to 2.67).
    pub fn force(mut self, force: bool) -> Self {
        self.force = Some(force);
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.on_shared_storage.is_some() {
            gates.push(FieldGate::new("onSharedStorage", &[BELOW_2_14]));
        }
        if self.force.is_some() {
            gates.push(FieldGate::new("force", &[FORCE_EVACUATE]));
        }
        gates
    }

    /// The `{"evacuate": {...}}` body; `shared_storage_field` below 2.14 (then
    /// `onSharedStorage` is always sent, `false` when unset).
    pub fn to_body(&self, shared_storage_field: bool) -> Value {
        let mut m = Map::new();
        if let Some(host) = &self.host {
            m.insert("host".into(), Value::from(host.clone()));
        }
        if let Some(pass) = &self.admin_pass {
            m.insert("adminPass".into(), Value::from(pass.expose_secret()));
        }
        if shared_storage_field {
            let shared = self.on_shared_storage.unwrap_or(false);
            m.insert("onSharedStorage".into(), Value::from(shared));
        }
        if let Some(force) = self.force {
            m.insert("force".into(), Value::from(force));
        }
        let mut body = Map::new();
        body.insert("evacuate".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// The answer to `evacuate`: the admin password below 2.14, nothing from 2.14.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvacuateResult {
    /// The new admin password (below 2.14; never printed).
    #[serde(rename = "adminPass", default)]
    pub admin_pass: Option<SecretString>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Value {
        crate::types::sample_tests::reference_sample(&format!("os-evacuate/{path}"))
    }

    #[test]
    fn bodies_follow_the_samples_per_version() {
        let v214 = EvacuateServer::new()
            .host("testHost")
            .admin_pass("MySecretPass");
        assert_eq!(
            v214.to_body(false),
            sample("v2.14/server-evacuate-req.json")
        );
        assert_eq!(
            v214.to_body(false),
            sample("v2.68/server-evacuate-req.json")
        );
        let v229 = v214.clone().force(false);
        assert_eq!(
            v229.to_body(false),
            sample("v2.29/server-evacuate-req.json")
        );
        let v295 = EvacuateServer::new().host("testHost");
        assert_eq!(
            v295.to_body(false),
            sample("v2.95/server-evacuate-req.json")
        );
        let old = EvacuateServer::new().host("TargetHost");
        assert_eq!(
            old.to_body(true),
            serde_json::json!({"evacuate": {"host": "TargetHost", "onSharedStorage": false}})
        );
        let fields: Vec<&str> = v229
            .clone()
            .on_shared_storage(true)
            .field_gates()
            .iter()
            .map(|g| g.field)
            .collect();
        assert_eq!(fields, ["onSharedStorage", "force"]);
        assert!(!format!("{v229:?}").contains("MySecretPass"));
        let result: EvacuateResult =
            serde_json::from_value(serde_json::json!({"adminPass": "s3cret"})).expect("result");
        assert!(result.admin_pass.is_some());
        assert!(!format!("{result:?}").contains("s3cret"));
    }
}
