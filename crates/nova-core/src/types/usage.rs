//! Simple tenant usage (`/os-simple-tenant-usage`): per-project usage over a time window.
//!
//! Nova writes time stamps without a zone, in UTC, as `2012-10-08T21:10:44.587336`; it
//! accepts `start`/`end` as `YYYY-MM-DDTHH:MM:SS[.ffffff]` or `YYYY-MM-DD HH:MM:SS[.ffffff]`.
//! From 2.40 the lists are paged (`limit`, `marker` = the last server's `instance_id`) and
//! carry `tenant_usages_links` / `tenant_usage_links`.

use std::fmt;

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::FieldGate;
use super::link::Link;
use super::string_enum::{lenient, null_as_default};

/// A UTC time stamp as Nova's usage API writes and reads it (no zone, microseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UsageTime(NaiveDateTime);

impl UsageTime {
    /// The current UTC time.
    pub fn now() -> Self {
        Self(Utc::now().naive_utc())
    }

    /// Midnight (UTC) of a calendar day; `None` for an impossible date.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(Self)
    }

    /// Parses `YYYY-MM-DD` (midnight), or Nova's `YYYY-MM-DDTHH:MM:SS[.ffffff]` (also with a
    /// space instead of `T`, and an ignored trailing `Z`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_suffix('Z').unwrap_or(text);
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Self(t));
            }
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(Self)
    }

    /// This time moved by `days` (negative: earlier); saturates at the calendar's ends.
    pub fn add_days(self, days: i64) -> Self {
        Self(
            self.0
                .checked_add_signed(Duration::days(days))
                .unwrap_or(self.0),
        )
    }

    /// This time moved by `seconds`; unchanged if that leaves the calendar.
    pub fn add_seconds(self, seconds: i64) -> Self {
        Self(
            self.0
                .checked_add_signed(Duration::seconds(seconds))
                .unwrap_or(self.0),
        )
    }

    /// Seconds from `earlier` to this time (negative when `earlier` is later).
    pub fn seconds_since(self, earlier: Self) -> f64 {
        (self.0 - earlier.0).num_microseconds().map_or_else(
            || (self.0 - earlier.0).num_seconds() as f64,
            |us| us as f64 / 1e6,
        )
    }

    /// The calendar day, `YYYY-MM-DD` (novaclient's display format).
    pub fn date_string(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// The form sent in queries and written by Nova: `YYYY-MM-DDTHH:MM:SS.ffffff`.
    pub fn to_nova_string(&self) -> String {
        self.0.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

impl fmt::Display for UsageTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_nova_string())
    }
}

/// One server's usage within the window (the `detailed` lists and the single project).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerUsage {
    /// The server UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub instance_id: String,
    /// The server name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Hours the server existed within the window.
    #[serde(default, deserialize_with = "null_as_default")]
    pub hours: f64,
    /// The flavor's memory in MiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub memory_mb: u64,
    /// The flavor's root plus ephemeral disk in GiB.
    #[serde(default, deserialize_with = "null_as_default")]
    pub local_gb: u64,
    /// The flavor's VCPUs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub vcpus: u64,
    /// The flavor name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub flavor: String,
    /// The server's state (`active`, `terminated`, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: String,
    /// When the server was created (Nova's zone-less UTC form).
    #[serde(default, deserialize_with = "lenient")]
    pub started_at: Option<String>,
    /// When the server was deleted, if it was.
    #[serde(default, deserialize_with = "lenient")]
    pub ended_at: Option<String>,
    /// Seconds since the server started (until it ended, or now).
    #[serde(default, deserialize_with = "null_as_default")]
    pub uptime: u64,
    /// The server's project.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tenant_id: String,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One project's usage over a window.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TenantUsage {
    /// The project.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tenant_id: String,
    /// Server hours.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_hours: f64,
    /// MiB-hours of memory.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_memory_mb_usage: f64,
    /// VCPU-hours.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_vcpus_usage: f64,
    /// GiB-hours of local disk.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_local_gb_usage: f64,
    /// The window's start (Nova's zone-less UTC form).
    #[serde(default, deserialize_with = "lenient")]
    pub start: Option<String>,
    /// The window's end.
    #[serde(default, deserialize_with = "lenient")]
    pub stop: Option<String>,
    /// The servers (present for one project, and in `detailed` lists).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub server_usages: Option<Vec<ServerUsage>>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TenantUsage {
    /// Adds a following page's servers and totals to this usage (same project).
    pub fn merge(&mut self, next: TenantUsage) {
        self.total_hours += next.total_hours;
        self.total_memory_mb_usage += next.total_memory_mb_usage;
        self.total_vcpus_usage += next.total_vcpus_usage;
        self.total_local_gb_usage += next.total_local_gb_usage;
        if let Some(more) = next.server_usages {
            self.server_usages.get_or_insert_with(Vec::new).extend(more);
        }
    }

    /// The last server's id: the marker of the following page (2.40+).
    pub fn last_instance_id(&self) -> Option<&str> {
        self.server_usages
            .as_ref()
            .and_then(|s| s.last())
            .map(|s| s.instance_id.as_str())
            .filter(|id| !id.is_empty())
    }
}

/// One page of a usage response: the value and the `rel=next` link (2.40+).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsagePage<T> {
    /// The usage(s) of this page.
    pub usage: T,
    /// The links (`tenant_usages_links` / `tenant_usage_links`), empty below 2.40.
    pub links: Vec<Link>,
}

/// The window and paging of a usage request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsageQuery {
    /// The window's start (Nova's default: now).
    pub start: Option<UsageTime>,
    /// The window's end (Nova's default: now).
    pub end: Option<UsageTime>,
    /// `detailed=1`: list each project's servers (the all-projects list only).
    pub detailed: bool,
    /// At most this many servers per page (2.40+).
    pub limit: Option<u32>,
    /// Continue after this server id (2.40+).
    pub marker: Option<String>,
}

impl UsageQuery {
    /// The window from `start` to `end`.
    pub fn new(start: UsageTime, end: UsageTime) -> Self {
        Self {
            start: Some(start),
            end: Some(end),
            ..Self::default()
        }
    }

    /// Lists each project's servers (all-projects list only).
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.detailed = detailed;
        self
    }

    /// At most `limit` servers per page (2.40+).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continues after server `marker` (2.40+).
    pub fn marker(mut self, marker: impl Into<String>) -> Self {
        self.marker = Some(marker.into());
        self
    }

    /// The version-gated parameters this query sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.limit.is_some() {
            gates.push(FieldGate::new("limit", &[super::field_gate::SINCE_2_40]));
        }
        if self.marker.is_some() {
            gates.push(FieldGate::new("marker", &[super::field_gate::SINCE_2_40]));
        }
        gates
    }

    /// The query pairs in Nova's names (`detailed` only when `with_detailed`).
    pub fn to_pairs(&self, with_detailed: bool) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(start) = self.start {
            pairs.push(("start", start.to_nova_string()));
        }
        if let Some(end) = self.end {
            pairs.push(("end", end.to_nova_string()));
        }
        if with_detailed && self.detailed {
            pairs.push(("detailed", "1".to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(marker) = &self.marker {
            pairs.push(("marker", marker.clone()));
        }
        pairs
    }
}

#[cfg(test)]
fn check_usage(usage: &TenantUsage, minor: u32, file: &str) {
    assert!(!usage.tenant_id.is_empty(), "{file}: tenant_id");
    assert!(usage.extra.is_empty(), "{file}: {:?}", usage.extra);
    assert!(usage.total_hours > 0.0, "{file}");
    for t in [&usage.start, &usage.stop] {
        let text = t.as_deref().unwrap_or_default();
        assert!(UsageTime::parse(text).is_some(), "{file}: time {text:?}");
    }
    for s in usage.server_usages.iter().flatten() {
        assert!(s.extra.is_empty(), "{file}: {:?}", s.extra);
        assert!(!s.instance_id.is_empty() && s.memory_mb > 0, "{file}");
        assert!(s.ended_at.is_none(), "{file}");
        let started = s.started_at.as_deref().unwrap_or_default();
        assert!(UsageTime::parse(started).is_some(), "{file}: {started}");
    }
    let _ = minor;
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &serde_json::Value, minor: u32, file: &str) -> bool {
    match key {
        "tenant_usage" => {
            let usage: TenantUsage = serde_json::from_value(inner.clone()).expect(file);
            assert!(usage.server_usages.is_some(), "{file}");
            check_usage(&usage, minor, file);
            true
        }
        "tenant_usages" => {
            let list: Vec<TenantUsage> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            for usage in &list {
                check_usage(usage, minor, file);
                if file.contains("detail") || file.contains("-all") {
                    assert!(usage.server_usages.is_some(), "{file}");
                }
            }
            true
        }
        "tenant_usage_links" | "tenant_usages_links" => {
            let links: Vec<Link> = serde_json::from_value(inner.clone()).expect(file);
            assert!(minor >= 40, "{file}: links before 2.40");
            let next = super::link::next_link(&links).unwrap_or_default();
            assert!(next.contains("marker="), "{file}: {next}");
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_nova_forms_and_print_as_nova_writes_them() {
        let t = UsageTime::parse("2012-10-08T21:10:44.587336").expect("nova form");
        assert_eq!(t.to_nova_string(), "2012-10-08T21:10:44.587336");
        assert_eq!(
            UsageTime::parse("2016-10-12 18:22:04.868106"),
            UsageTime::parse("2016-10-12T18:22:04.868106")
        );
        let day = UsageTime::parse("2012-01-20").expect("date");
        assert_eq!(day.to_nova_string(), "2012-01-20T00:00:00.000000");
        assert_eq!(day.add_days(-28).date_string(), "2011-12-23");
        assert_eq!(UsageTime::from_ymd(2012, 1, 20), Some(day));
        assert!(UsageTime::parse("20-01-2012").is_none());
        assert!(UsageTime::parse("").is_none());
        assert_eq!(day.add_seconds(5400).seconds_since(day), 5400.0);
    }

    #[test]
    fn query_pairs_and_gates() {
        let start = UsageTime::from_ymd(2024, 1, 1).expect("date");
        let end = start.add_days(1);
        let q = UsageQuery::new(start, end)
            .detailed(true)
            .limit(2)
            .marker("m");
        let pairs = q.to_pairs(true);
        assert_eq!(pairs[0], ("start", "2024-01-01T00:00:00.000000".to_owned()));
        assert_eq!(pairs[2], ("detailed", "1".to_owned()));
        assert_eq!(q.to_pairs(false).len(), 4, "no detailed for one project");
        let fields: Vec<&str> = q.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(fields, ["limit", "marker"]);
        assert!(UsageQuery::default().to_pairs(true).is_empty());
    }

    #[test]
    fn merge_adds_totals_and_servers() {
        let page = |id: &str| TenantUsage {
            tenant_id: "p".into(),
            total_hours: 1.5,
            total_vcpus_usage: 3.0,
            server_usages: Some(vec![ServerUsage {
                instance_id: id.into(),
                ..ServerUsage::default()
            }]),
            ..TenantUsage::default()
        };
        let mut first = page("a");
        first.merge(page("b"));
        assert_eq!(first.total_hours, 3.0);
        assert_eq!(first.total_vcpus_usage, 6.0);
        assert_eq!(first.last_instance_id(), Some("b"));
    }
}
