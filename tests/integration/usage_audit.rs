//! The instance usage audit log (admin): the report over the compute hosts for the last
//! month completed before now or before a given time, the hosts whose audit has not run,
//! the 403 for a non-admin and the 400 for a time Nova cannot read. Needs the mock's admin
//! (SKIPPED elsewhere).

use integration_tests::TestCloud;
use keystone_auth::{Adapter, HeaderMap, Method};
use nova_core::Error;
use nova_v2::InstanceUsageAuditLog;

/// The report's own arithmetic holds.
fn assert_consistent(report: &InstanceUsageAuditLog) {
    assert!(report.extra.is_empty(), "{:?}", report.extra);
    assert_eq!(
        report.num_hosts,
        report.num_hosts_done + report.num_hosts_running + report.num_hosts_not_run
    );
    assert_eq!(report.hosts_not_run.len() as u64, report.num_hosts_not_run);
    let instances: u64 = report.log.values().map(|l| l.instances).sum();
    assert_eq!(instances, report.total_instances);
    assert!(report.period_beginning < report.period_ending);
}

#[tokio::test]
async fn admin_reads_the_audit_of_the_last_completed_month_over_every_host() {
    let cloud = TestCloud::start_exclusive().await;
    let Some(admin) = cloud.admin_compute("2.11").await else {
        return;
    };
    let audit = admin.usage_audit_logs();
    let now = audit.get().await.expect("the current report").value;
    assert_consistent(&now);
    assert!(now.num_hosts >= 1);
    if cloud.mock().is_some() {
        // mock-cloud's seed has run the audit task on every host; a fresh real cloud has not.
        assert_eq!(now.num_hosts_not_run, 0, "{now:?}");
        assert_eq!(now.overall_status, "ALL hosts done. 0 errors.");
    } else {
        assert!(now.overall_status.contains(" hosts done. "), "{now:?}");
    }
    assert!(now.period_beginning.ends_with("-01 00:00:00"), "{now:?}");

    let july = audit
        .get_before("2012-07-05 10:00:00")
        .await
        .expect("a past report")
        .value;
    assert_eq!(july.period_beginning, "2012-06-01 00:00:00");
    assert_eq!(july.period_ending, "2012-07-01 00:00:00");
    let first = audit
        .get_before("2012-07-01 00:00:00.000000")
        .await
        .expect("on the boundary")
        .value;
    assert_eq!(
        first.period_ending, "2012-06-01 00:00:00",
        "a period ending exactly then is not complete yet"
    );

    if cloud.mock().is_none() {
        // Forcing a real compute service down would stop every test running alongside.
        return;
    }
    // A host whose nova-compute is down has not run its audit.
    let host = now.log.keys().last().cloned().expect("a host");
    let services = admin.services();
    services
        .force_down(&host, "nova-compute", true)
        .await
        .expect("force down");
    let partial = audit.get().await.map(|r| r.value);
    services
        .force_down(&host, "nova-compute", false)
        .await
        .expect("back up");
    let partial = partial.expect("the report with a host down");
    assert_consistent(&partial);
    assert_eq!(partial.hosts_not_run, std::slice::from_ref(&host));
    assert!(!partial.log.contains_key(&host));
    assert_eq!(
        partial.overall_status,
        format!(
            "{} of {} hosts done. 0 errors.",
            partial.num_hosts - 1,
            partial.num_hosts
        )
    );
}

#[tokio::test]
async fn non_admins_are_refused_and_bad_times_get_a_400() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let demo = cloud.compute("2.1").await;
    let error = demo.usage_audit_logs().get().await.expect_err("admin only");
    match &error {
        Error::Forbidden(fault) => assert_eq!(
            fault.message,
            "Policy doesn't allow os_compute_api:os-instance-usage-audit-log:list to be performed."
        ),
        other => panic!("expected a 403, got {other:?}"),
    }
    let error = demo
        .usage_audit_logs()
        .get_before("2012-07-05T10:00:00")
        .await
        .expect_err("refused before sending");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");

    // The mock itself answers Nova's 400 to a time it cannot read (sent raw, as admin).
    let mut config = cloud.config().clone();
    config.auth.username = Some("admin".to_string());
    config.auth.user_id = None;
    config.auth.password = Some(mock_cloud::seed::ADMIN_PASSWORD.into());
    config.auth.project_name = Some("admin".to_string());
    config.auth.project_id = None;
    let session = config
        .session_builder()
        .expect("auth method")
        .build()
        .expect("session");
    let adapter = Adapter::new(session, config.endpoint_filter("compute"));
    let response = adapter
        .send(
            Method::GET,
            "os-instance_usage_audit_log/2012-07-05T10:00:00",
            HeaderMap::new(),
            None,
        )
        .await
        .expect("an answer");
    assert_eq!(response.status.as_u16(), 400);
    let body: serde_json::Value = response.json().expect("JSON");
    assert_eq!(
        body["badRequest"]["message"],
        "Invalid timestamp for date 2012-07-05T10:00:00"
    );
}
