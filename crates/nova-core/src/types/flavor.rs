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

/// Which flavors an admin lists (`is_public`); other callers always get the public flavors
/// plus the private ones their project may use, whatever they send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlavorVisibility {
    /// `is_public=true`: the public flavors (Nova's default).
    Public,
    /// `is_public=false`: the private flavors only.
    Private,
    /// `is_public=None`: every flavor.
    All,
}

impl FlavorVisibility {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "true",
            Self::Private => "false",
            Self::All => "None",
        }
    }
}

/// Filters, sorting and paging of `GET /flavors[/detail]`. Unset fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlavorQuery {
    /// `is_public` (admin; see [`FlavorVisibility`]).
    pub is_public: Option<FlavorVisibility>,
    /// `minDisk`: root disk of at least this many GiB.
    pub min_disk: Option<u64>,
    /// `minRam`: memory of at least this many MiB.
    pub min_ram: Option<u64>,
    /// `sort_key`: a flavor column (`flavorid` by default; also `name`, `memory_mb`,
    /// `root_gb`, `vcpus`, ...).
    pub sort_key: Option<String>,
    /// `sort_dir` (Nova's default for flavors: ascending).
    pub sort_dir: Option<super::server_query::SortDir>,
    /// `limit`: page size (Nova caps it at its `max_limit`).
    pub limit: Option<u32>,
    /// `marker`: the last flavor id of the previous page.
    pub marker: Option<String>,
}

impl FlavorQuery {
    /// No filters: what `list()` / `list_detail()` send.
    pub fn new() -> Self {
        Self::default()
    }
    /// `is_public` (admin).
    pub fn is_public(mut self, v: FlavorVisibility) -> Self {
        self.is_public = Some(v);
        self
    }
    /// `minDisk` in GiB.
    pub fn min_disk(mut self, gib: u64) -> Self {
        self.min_disk = Some(gib);
        self
    }
    /// `minRam` in MiB.
    pub fn min_ram(mut self, mib: u64) -> Self {
        self.min_ram = Some(mib);
        self
    }
    /// `sort_key`.
    pub fn sort_key(mut self, key: impl Into<String>) -> Self {
        self.sort_key = Some(key.into());
        self
    }
    /// `sort_dir`.
    pub fn sort_dir(mut self, dir: super::server_query::SortDir) -> Self {
        self.sort_dir = Some(dir);
        self
    }
    /// Page size.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }
    /// Start after this flavor id.
    pub fn marker(mut self, id: impl Into<String>) -> Self {
        self.marker = Some(id.into());
        self
    }

    /// The query parameters in order (unencoded).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p: Vec<(&'static str, String)> = Vec::new();
        if let Some(v) = self.is_public {
            p.push(("is_public", v.as_str().to_owned()));
        }
        if let Some(d) = self.min_disk {
            p.push(("minDisk", d.to_string()));
        }
        if let Some(r) = self.min_ram {
            p.push(("minRam", r.to_string()));
        }
        if let Some(k) = &self.sort_key {
            p.push(("sort_key", k.clone()));
        }
        if let Some(d) = self.sort_dir {
            p.push(("sort_dir", d.as_str().to_owned()));
        }
        if let Some(l) = self.limit {
            p.push(("limit", l.to_string()));
        }
        if let Some(m) = &self.marker {
            p.push(("marker", m.clone()));
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SortDir;

    #[test]
    fn flavor_query_sends_only_what_is_set_in_novas_names() {
        assert!(FlavorQuery::new().to_pairs().is_empty());
        let q = FlavorQuery::new()
            .is_public(FlavorVisibility::All)
            .min_disk(10)
            .min_ram(2048)
            .sort_key("memory_mb")
            .sort_dir(SortDir::Desc)
            .limit(2)
            .marker("3");
        let pairs = q.to_pairs();
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("is_public", "None"),
                ("minDisk", "10"),
                ("minRam", "2048"),
                ("sort_key", "memory_mb"),
                ("sort_dir", "desc"),
                ("limit", "2"),
                ("marker", "3"),
            ]
        );
        assert_eq!(FlavorVisibility::Private.as_str(), "false");
    }
}
