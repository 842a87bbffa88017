//! Availability zones (`GET /os-availability-zone[/detail]`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default};

/// One availability zone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AvailabilityZone {
    /// `zoneName`.
    #[serde(rename = "zoneName", default, deserialize_with = "null_as_default")]
    pub name: String,
    /// `zoneState`.
    #[serde(rename = "zoneState", default, deserialize_with = "null_as_default")]
    pub state: ZoneState,
    /// Hosts and their services (detail only; `null` in the plain list).
    #[serde(default, deserialize_with = "lenient")]
    pub hosts: Option<BTreeMap<String, BTreeMap<String, ZoneService>>>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `zoneState`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ZoneState {
    /// Whether the zone is available.
    #[serde(default, deserialize_with = "null_as_default")]
    pub available: bool,
}

/// One service on one host of a zone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ZoneService {
    /// Service enabled.
    #[serde(default, deserialize_with = "null_as_default")]
    pub active: bool,
    /// Service up.
    #[serde(default, deserialize_with = "null_as_default")]
    pub available: bool,
    /// Last heartbeat.
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
}
