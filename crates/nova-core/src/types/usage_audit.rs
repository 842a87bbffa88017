//! The instance usage audit log (`/os-instance_usage_audit_log`, admin): how far the
//! periodic `instance_usage_audit` task got on each compute host for one audit period.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default, string_enum};

string_enum! {
    /// The state of one host's audit task.
    pub enum AuditTaskState {
        /// The task is still running.
        Running => "RUNNING",
        /// The task has finished.
        Done => "DONE",
    }
}

/// One host's audit task in [`InstanceUsageAuditLog::log`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AuditHostLog {
    /// `RUNNING` or `DONE`.
    #[serde(default, deserialize_with = "lenient")]
    pub state: Option<AuditTaskState>,
    /// Servers audited on the host.
    #[serde(default, deserialize_with = "null_as_default")]
    pub instances: u64,
    /// Errors while auditing.
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: u64,
    /// The task's message.
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The audit report of one period (`instance_usage_audit_logs` of the index,
/// `instance_usage_audit_log` of `GET /os-instance_usage_audit_log/{before}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstanceUsageAuditLog {
    /// Start of the audit period, `YYYY-MM-DD hh:mm:ss` (UTC).
    #[serde(default, deserialize_with = "null_as_default")]
    pub period_beginning: String,
    /// End of the audit period, `YYYY-MM-DD hh:mm:ss` (UTC).
    #[serde(default, deserialize_with = "null_as_default")]
    pub period_ending: String,
    /// Compute hosts known to Nova.
    #[serde(default, deserialize_with = "null_as_default")]
    pub num_hosts: u64,
    /// Hosts whose task is done.
    #[serde(default, deserialize_with = "null_as_default")]
    pub num_hosts_done: u64,
    /// Hosts whose task is running.
    #[serde(default, deserialize_with = "null_as_default")]
    pub num_hosts_running: u64,
    /// Hosts whose task has not run.
    #[serde(default, deserialize_with = "null_as_default")]
    pub num_hosts_not_run: u64,
    /// The hosts whose task has not run.
    #[serde(default, deserialize_with = "null_as_default")]
    pub hosts_not_run: Vec<String>,
    /// Servers audited over all hosts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_instances: u64,
    /// Errors over all hosts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_errors: u64,
    /// A summary such as `3 of 4 hosts done. 3 errors.` or `ALL hosts done. 0 errors.`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub overall_status: String,
    /// Each host's task, by host name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub log: BTreeMap<String, AuditHostLog>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The sample check of this module (see `sample_tests.rs`).
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &Value, _minor: u32, file: &str) -> bool {
    if key != "instance_usage_audit_logs" && key != "instance_usage_audit_log" {
        return false;
    }
    let report: InstanceUsageAuditLog = serde_json::from_value(inner.clone()).expect(file);
    assert!(report.extra.is_empty(), "{file}: {:?}", report.extra.keys());
    assert!(!report.period_beginning.is_empty(), "{file}");
    assert!(report.period_beginning < report.period_ending, "{file}");
    assert_eq!(
        report.num_hosts,
        report.num_hosts_done + report.num_hosts_running + report.num_hosts_not_run,
        "{file}"
    );
    assert_eq!(
        report.hosts_not_run.len() as u64,
        report.num_hosts_not_run,
        "{file}"
    );
    assert!(!report.overall_status.is_empty(), "{file}");
    let mut instances = 0;
    let mut errors = 0;
    for (host, log) in &report.log {
        assert!(
            log.extra.is_empty(),
            "{file}: {host}: {:?}",
            log.extra.keys()
        );
        assert_eq!(log.state, Some(AuditTaskState::Done), "{file}: {host}");
        assert!(log.message.is_some(), "{file}: {host}");
        instances += log.instances;
        errors += log.errors;
    }
    assert_eq!(instances, report.total_instances, "{file}");
    assert_eq!(errors, report.total_errors, "{file}");
    true
}

/// Reads a `before` time as Nova does (`YYYY-MM-DD hh:mm:ss`, optionally `.ffffff`);
/// `None` when Nova would answer 400.
pub fn parse_audit_before(text: &str) -> Option<chrono::NaiveDateTime> {
    let format = if text.contains('.') {
        "%Y-%m-%d %H:%M:%S%.f"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    if text.ends_with('.') {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(text, format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_times_parse_like_nova() {
        assert!(parse_audit_before("2012-07-05 10:00:00").is_some());
        assert!(parse_audit_before("2015-08-27 09:49:58.123456").is_some());
        for bad in [
            "2012-07-05",
            "2012-07-05T10:00:00",
            "2012-13-05 10:00:00",
            "yesterday",
            "2012-07-05 10:00:00.",
            "",
        ] {
            assert!(parse_audit_before(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn unknown_states_and_fields_are_kept() {
        let json = serde_json::json!({
            "period_beginning": "2012-06-01 00:00:00",
            "log": {"h1": {"state": "PAUSED", "instances": null, "new": 1}},
            "hosts_not_run": null,
            "future": true
        });
        let report: InstanceUsageAuditLog = serde_json::from_value(json).expect("lenient");
        let h1 = &report.log["h1"];
        assert_eq!(h1.state, Some(AuditTaskState::Unknown("PAUSED".into())));
        assert_eq!(h1.instances, 0);
        assert!(h1.extra.contains_key("new") && report.extra.contains_key("future"));
        assert!(report.hosts_not_run.is_empty());
    }
}
