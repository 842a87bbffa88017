//! Flavors: the hardware templates of servers.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::link::Link;
use super::string_enum::{lenient, null_as_default};

/// A flavor as listed by `GET /flavors` (id, name, links; description from 2.55).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FlavorSummary {
    /// The flavor id (a string, often numeric).
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The flavor name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Description (2.55+).
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    /// Links.
    #[serde(default, deserialize_with = "null_as_default")]
    pub links: Vec<Link>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A flavor as returned by `GET /flavors/detail` and `GET /flavors/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Flavor {
    /// The flavor id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The flavor name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Virtual CPUs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub vcpus: u64,
    /// Memory in MiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub ram: u64,
    /// Root disk in GiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disk: u64,
    /// Swap in MiB (Nova sends `""` for none below 2.75; read as 0).
    #[serde(default, deserialize_with = "swap_mib")]
    pub swap: u64,
    /// `OS-FLV-EXT-DATA:ephemeral`, GiB.
    #[serde(
        rename = "OS-FLV-EXT-DATA:ephemeral",
        default,
        deserialize_with = "lenient"
    )]
    pub ephemeral: Option<u64>,
    /// `OS-FLV-DISABLED:disabled` (gone from 2.102).
    #[serde(
        rename = "OS-FLV-DISABLED:disabled",
        default,
        deserialize_with = "lenient"
    )]
    pub disabled: Option<bool>,
    /// `os-flavor-access:is_public`.
    #[serde(
        rename = "os-flavor-access:is_public",
        default,
        deserialize_with = "lenient"
    )]
    pub is_public: Option<bool>,
    /// `rxtx_factor` (gone from 2.102).
    #[serde(default, deserialize_with = "lenient")]
    pub rxtx_factor: Option<f64>,
    /// Description (2.55+).
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    /// Extra specs (2.61+, if policy allows).
    #[serde(default, deserialize_with = "lenient")]
    pub extra_specs: Option<BTreeMap<String, String>>,
    /// Links.
    #[serde(default, deserialize_with = "null_as_default")]
    pub links: Vec<Link>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn swap_mib<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    })
}
