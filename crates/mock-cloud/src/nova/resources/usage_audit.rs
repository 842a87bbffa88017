//! `GET /os-instance_usage_audit_log[/{before}]` (admin): the report of the periodic
//! instance usage audit for the last monthly period completed before now (or `before`),
//! over the compute hosts (`compute_host` + `extra_compute_hosts`).
//!
//! Mock model: the audit task has run (`DONE`, no errors) on every host whose nova-compute
//! is up, counting the servers it holds now; a host whose nova-compute is down has not run.
//! `before` is parsed like Nova (`%Y-%m-%d %H:%M:%S[.%f]`, else 400).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, require_admin};
use super::store::Inner;

/// `before` as Nova's `strptime` reads it, or `None`.
pub fn parse_before(text: &str) -> Option<NaiveDateTime> {
    if text.ends_with('.') {
        return None;
    }
    let format = if text.contains('.') {
        "%Y-%m-%d %H:%M:%S%.f"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    NaiveDateTime::parse_from_str(text, format).ok()
}

fn month_start(year: i32, month: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

fn previous_month(t: NaiveDateTime) -> NaiveDateTime {
    if t.month() == 1 {
        month_start(t.year() - 1, 12)
    } else {
        month_start(t.year(), t.month() - 1)
    }
}

/// Nova's `last_completed_audit_period` for the default `month` unit: the month that ended
/// last at or before `now` (a period ending exactly at `now` is not complete).
pub fn last_completed_month(now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let mut end = month_start(now.year(), now.month());
    if end >= now {
        end = previous_month(end);
    }
    (previous_month(end), end)
}

fn report(inner: &Inner, before: NaiveDateTime) -> Value {
    let (begin, end) = last_completed_month(before);
    let hosts = inner.config.compute_hosts();
    let mut log = Map::new();
    let mut not_run = Vec::new();
    let mut total_instances = 0u64;
    for host in &hosts {
        if inner.services.is_compute_down(host) {
            not_run.push(host.clone());
            continue;
        }
        let instances = inner
            .servers
            .values()
            .filter(|s| s.host.as_deref() == Some(host.as_str()))
            .count() as u64;
        total_instances += instances;
        log.insert(
            host.clone(),
            json!({
                "errors": 0,
                "instances": instances,
                "message": format!(
                    "Instance usage audit ran for host {host}, {instances} instances in 0.01 seconds."
                ),
                "state": "DONE",
            }),
        );
    }
    let done = log.len();
    let total_errors = 0;
    let overall = format!(
        "{} hosts done. {total_errors} errors.",
        if done == hosts.len() {
            "ALL".to_owned()
        } else {
            format!("{done} of {}", hosts.len())
        }
    );
    let fmt = "%Y-%m-%d %H:%M:%S";
    json!({
        "hosts_not_run": not_run,
        "log": log,
        "num_hosts": hosts.len(),
        "num_hosts_done": done,
        "num_hosts_not_run": not_run.len(),
        "num_hosts_running": 0,
        "overall_status": overall,
        "period_beginning": begin.format(fmt).to_string(),
        "period_ending": end.format(fmt).to_string(),
        "total_errors": total_errors,
        "total_instances": total_instances,
    })
}

async fn index(State(st): State<SharedState>, ctx: NovaCtx) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-instance-usage-audit-log:list")?;
    let now = st.now().naive_utc();
    let inner = st.nova.lock();
    Ok(Json(
        json!({"instance_usage_audit_logs": report(&inner, now)}),
    ))
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(before): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&ctx, "os_compute_api:os-instance-usage-audit-log:show")?;
    let at = parse_before(&before)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid timestamp for date {before}")))?;
    let inner = st.nova.lock();
    Ok(Json(
        json!({"instance_usage_audit_log": report(&inner, at)}),
    ))
}

/// Instance usage audit log routes.
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/os-instance_usage_audit_log", get(index))
        .route("/os-instance_usage_audit_log/{before}", get(show))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        parse_before(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn the_period_is_the_last_month_completed_before_the_time() {
        let (b, e) = last_completed_month(at("2012-07-05 10:00:00"));
        assert_eq!(
            (b, e),
            (at("2012-06-01 00:00:00"), at("2012-07-01 00:00:00"))
        );
        // A period ending exactly now is not complete yet.
        let (b, e) = last_completed_month(at("2012-07-01 00:00:00"));
        assert_eq!(
            (b, e),
            (at("2012-05-01 00:00:00"), at("2012-06-01 00:00:00"))
        );
        let (b, e) = last_completed_month(at("2013-01-15 00:00:00.5"));
        assert_eq!(
            (b, e),
            (at("2012-12-01 00:00:00"), at("2013-01-01 00:00:00"))
        );
        let (b, _) = last_completed_month(at("2013-02-02 00:00:00"));
        assert_eq!(b, at("2013-01-01 00:00:00"));
    }

    #[test]
    fn timestamps_parse_like_novas_strptime() {
        assert!(parse_before("2015-08-27 09:49:58.123456").is_some());
        for bad in [
            "2015-08-27",
            "2015-08-27T09:49:58",
            "x",
            "2015-08-27 09:49:58.",
        ] {
            assert!(parse_before(bad).is_none(), "{bad}");
        }
    }
}
