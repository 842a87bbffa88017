//! Compute services (`/os-services`, admin): responses, update requests and list filters.
//!
//! Below 2.53 services are addressed by `host` + `binary` (`PUT /os-services/enable`, ...) and
//! ids are integers; from 2.53 by UUID (`PUT /os-services/{id}`). `forced_down` appears at
//! 2.11; from 2.69 a service of an unreachable cell is a partial record with status `UNKNOWN`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::FieldGate;
use super::hypervisor::opt_id_string;
use super::string_enum::{lenient, null_as_default, string_enum};

string_enum! {
    /// Whether the scheduler may use a service.
    pub enum ServiceStatus {
        /// Enabled.
        Enabled => "enabled",
        /// Disabled (see `disabled_reason`).
        Disabled => "disabled",
        /// A partial record from an unreachable cell (2.69+).
        UnknownState => "UNKNOWN",
    }
}

/// A compute service (`nova-compute`, `nova-scheduler`, `nova-conductor`, ...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Service {
    /// The id: integer below 2.53, UUID from 2.53 (absent from some old action answers).
    #[serde(default, deserialize_with = "opt_id_string")]
    pub id: Option<String>,
    /// The binary, e.g. `nova-compute`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub binary: String,
    /// The host.
    #[serde(default, deserialize_with = "null_as_default")]
    pub host: String,
    /// `enabled`, `disabled` or (2.69+, partial record) `UNKNOWN`.
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<ServiceStatus>,
    /// `up` or `down`.
    #[serde(default, deserialize_with = "lenient")]
    pub state: Option<String>,
    /// The availability zone (`internal` for control services).
    #[serde(default, deserialize_with = "lenient")]
    pub zone: Option<String>,
    /// Last heartbeat.
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    /// Why it is disabled.
    #[serde(default, deserialize_with = "lenient")]
    pub disabled_reason: Option<String>,
    /// Forced down by an operator (2.11+).
    #[serde(default, deserialize_with = "lenient")]
    pub forced_down: Option<bool>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Service {
    /// True for a partial record from an unreachable cell (2.69+).
    pub fn is_partial(&self) -> bool {
        self.status == Some(ServiceStatus::UnknownState)
    }
}

/// Filters of `GET /os-services`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceQuery {
    /// Only services of this host.
    pub host: Option<String>,
    /// Only services of this binary.
    pub binary: Option<String>,
}

impl ServiceQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only services of `host`.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Only services of `binary`.
    pub fn binary(mut self, binary: impl Into<String>) -> Self {
        self.binary = Some(binary.into());
        self
    }

    /// The query pairs, in Nova's names.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(host) = &self.host {
            pairs.push(("host", host.clone()));
        }
        if let Some(binary) = &self.binary {
            pairs.push(("binary", binary.clone()));
        }
        pairs
    }
}

/// `PUT /os-services/{id}` (2.53+): any of status, disabled reason and forced down.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateService {
    /// Enable (`true`) or disable (`false`).
    pub enabled: Option<bool>,
    /// Why it is disabled (only with `enabled = Some(false)`).
    pub disabled_reason: Option<String>,
    /// Force the service down, or clear that.
    pub forced_down: Option<bool>,
}

impl UpdateService {
    /// An empty update (set at least one field).
    pub fn new() -> Self {
        Self::default()
    }

    /// Enables the service.
    pub fn enable() -> Self {
        Self::new().enabled(true)
    }

    /// Disables the service, with an optional reason.
    pub fn disable(reason: Option<String>) -> Self {
        Self {
            enabled: Some(false),
            disabled_reason: reason,
            forced_down: None,
        }
    }

    /// Sets `status`.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// Sets `disabled_reason`.
    pub fn disabled_reason(mut self, reason: impl Into<String>) -> Self {
        self.disabled_reason = Some(reason.into());
        self
    }

    /// Sets `forced_down`.
    pub fn forced_down(mut self, down: bool) -> Self {
        self.forced_down = Some(down);
        self
    }

    /// The version-gated fields this request sets (the whole call is 2.53+).
    pub fn field_gates(&self) -> Vec<FieldGate> {
        Vec::new()
    }

    /// The JSON body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        if let Some(enabled) = self.enabled {
            let status = if enabled { "enabled" } else { "disabled" };
            m.insert("status".into(), Value::from(status));
        }
        if let Some(reason) = &self.disabled_reason {
            m.insert("disabled_reason".into(), Value::from(reason.clone()));
        }
        if let Some(down) = self.forced_down {
            m.insert("forced_down".into(), Value::from(down));
        }
        Value::Object(m)
    }
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &serde_json::Value, minor: u32, file: &str) -> bool {
    let check = |s: &Service| {
        assert!(!s.host.is_empty() && !s.binary.is_empty(), "{file}");
        assert!(s.extra.is_empty(), "{file}: {:?}", s.extra.keys());
        assert!(
            !matches!(s.status, Some(ServiceStatus::Unknown(_))),
            "{file}: {:?}",
            s.status
        );
        if s.is_partial() {
            assert!(minor >= 69, "{file}: partial record below 2.69");
            return;
        }
        if minor >= 53 {
            let id = s.id.as_deref().unwrap_or_default();
            assert!(id.len() == 36, "{file}: uuid id");
        }
        if s.forced_down.is_some() {
            assert!(minor >= 11, "{file}: forced_down below 2.11");
        }
        if minor >= 53 {
            assert!(s.forced_down.is_some() && s.zone.is_some(), "{file}");
        }
    };
    match key {
        "service" => {
            let s: Service = serde_json::from_value(inner.clone()).expect(file);
            check(&s);
        }
        "services" => {
            let list: Vec<Service> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            list.iter().for_each(check);
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Value {
        crate::types::sample_tests::reference_sample(&format!("os-services/{path}"))
    }

    #[test]
    fn update_bodies_match_the_2_53_samples() {
        let disable = UpdateService::disable(Some("maintenance".into()));
        assert_eq!(
            disable.to_body(),
            sample("v2.53/service-disable-log-put-req.json")
        );
        let down = UpdateService::new().forced_down(true);
        assert_eq!(
            down.to_body(),
            sample("v2.53/service-force-down-put-req.json")
        );
        let query = ServiceQuery::new().host("h").binary("nova-compute");
        assert_eq!(query.to_pairs().len(), 2);
    }
}
