//! Flavor management (admin): create, extra specs, and access of private flavors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::FieldGate;
use super::string_enum::null_as_default;

/// A flavor's extra specs (`key -> value`, both strings).
pub type ExtraSpecs = BTreeMap<String, String>;

/// One project allowed to use a private flavor (`GET /flavors/{id}/os-flavor-access`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FlavorAccess {
    /// The flavor id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flavor_id: String,
    /// The project (tenant) id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tenant_id: String,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A request to create a flavor (`POST /flavors`, admin).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateFlavor {
    /// The name.
    pub name: String,
    /// Memory in MiB.
    pub ram: u64,
    /// Virtual CPUs.
    pub vcpus: u64,
    /// Root disk in GiB.
    pub disk: u64,
    /// The id (Nova generates a UUID when unset).
    pub id: Option<String>,
    /// Ephemeral disk in GiB.
    pub ephemeral: Option<u64>,
    /// Swap in MiB.
    pub swap: Option<u64>,
    /// RX/TX factor.
    pub rxtx_factor: Option<f64>,
    /// Public (default) or private (only projects given access can use it).
    pub is_public: Option<bool>,
    /// Description (2.55+).
    pub description: Option<String>,
}

impl CreateFlavor {
    /// A flavor named `name` with `ram` MiB, `vcpus` vCPUs and a `disk` GiB root disk.
    pub fn new(name: impl Into<String>, ram: u64, vcpus: u64, disk: u64) -> Self {
        Self {
            name: name.into(),
            ram,
            vcpus,
            disk,
            ..Self::default()
        }
    }

    /// Sets the flavor id.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the ephemeral disk (GiB).
    pub fn ephemeral(mut self, gib: u64) -> Self {
        self.ephemeral = Some(gib);
        self
    }

    /// Sets the swap (MiB).
    pub fn swap(mut self, mib: u64) -> Self {
        self.swap = Some(mib);
        self
    }

    /// Sets the RX/TX factor.
    pub fn rxtx_factor(mut self, factor: f64) -> Self {
        self.rxtx_factor = Some(factor);
        self
    }

    /// Makes the flavor public or private.
    pub fn is_public(mut self, public: bool) -> Self {
        self.is_public = Some(public);
        self
    }

    /// Sets the description (2.55+).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.description.is_some() {
            gates.push(FieldGate::new("description", &[FLAVOR_DESCRIPTION]));
        }
        gates
    }

    /// The `{"flavor": {...}}` request body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(self.name.clone()));
        m.insert("ram".into(), Value::from(self.ram));
        m.insert("vcpus".into(), Value::from(self.vcpus));
        m.insert("disk".into(), Value::from(self.disk));
        if let Some(id) = &self.id {
            m.insert("id".into(), Value::from(id.clone()));
        }
        if let Some(e) = self.ephemeral {
            m.insert("OS-FLV-EXT-DATA:ephemeral".into(), Value::from(e));
        }
        if let Some(s) = self.swap {
            m.insert("swap".into(), Value::from(s));
        }
        if let Some(r) = self.rxtx_factor {
            m.insert("rxtx_factor".into(), Value::from(r));
        }
        if let Some(p) = self.is_public {
            m.insert("os-flavor-access:is_public".into(), Value::from(p));
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), Value::from(d.clone()));
        }
        let mut body = Map::new();
        body.insert("flavor".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// Flavor descriptions (create and update) start at 2.55.
pub const FLAVOR_DESCRIPTION: crate::VersionReq =
    crate::VersionReq::at_least(crate::MicroVersion::new(2, 55));

#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: Value, file: &str) {
    match key {
        "extra_specs" => {
            let specs: ExtraSpecs = serde_json::from_value(inner).expect(file);
            assert!(!specs.is_empty(), "{file}");
        }
        _ => {
            let access: Vec<FlavorAccess> = serde_json::from_value(inner).expect(file);
            assert!(
                !access.is_empty()
                    && access
                        .iter()
                        .all(|a| !a.tenant_id.is_empty() && a.extra.is_empty()),
                "{file}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_uses_nova_names_and_gates_description() {
        let plain = CreateFlavor::new("f", 512, 1, 1);
        assert!(plain.field_gates().is_empty());
        assert_eq!(
            plain.to_body(),
            serde_json::json!({"flavor": {"name": "f", "ram": 512, "vcpus": 1, "disk": 1}})
        );
        let full = plain
            .id("x")
            .ephemeral(2)
            .swap(64)
            .is_public(false)
            .description("d");
        let body = full.to_body();
        assert_eq!(body["flavor"]["os-flavor-access:is_public"], false);
        assert_eq!(body["flavor"]["OS-FLV-EXT-DATA:ephemeral"], 2);
        assert_eq!(body["flavor"]["id"], "x");
        let gates: Vec<&str> = full.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(gates, ["description"]);
    }
}
