//! Simple tenant usage: a project reads its own usage, only an admin lists every project's
//! or reads another's; a window before the servers existed holds nothing; from 2.40 the
//! servers come in pages (`limit`, `marker`, a `next` link) that `get_all` / `list_all`
//! merge; paging is refused below 2.40 before any request. The admin checks seed servers in
//! a project of their own and are skipped against a cloud without mock powers.

use integration_tests::TestCloud;
use nova_core::Error;
use nova_v2::{TenantUsage, UsageQuery, UsageTime};

/// The project id of the configured (demo) user.
async fn demo_project(cloud: &TestCloud) -> String {
    let access = cloud.session().access_info().await.expect("demo token");
    access.project.as_ref().expect("project-scoped").id.clone()
}

/// From a day ago to a day ahead: covers every server made by the test.
fn around_now() -> UsageQuery {
    let now = UsageTime::now();
    UsageQuery::new(now.add_days(-1), now.add_days(1))
}

fn ids(usage: &TenantUsage) -> Vec<String> {
    usage
        .server_usages
        .iter()
        .flatten()
        .map(|s| s.instance_id.clone())
        .collect()
}

/// The totals are the servers' hours times their flavors.
fn assert_totals_match_servers(usage: &TenantUsage) {
    let servers = usage.server_usages.as_deref().unwrap_or_default();
    let hours: f64 = servers.iter().map(|s| s.hours).sum();
    let memory: f64 = servers.iter().map(|s| s.hours * s.memory_mb as f64).sum();
    let vcpus: f64 = servers.iter().map(|s| s.hours * s.vcpus as f64).sum();
    assert!((usage.total_hours - hours).abs() < 1e-6, "{usage:?}");
    assert!(
        (usage.total_memory_mb_usage - memory).abs() < 1e-3,
        "{usage:?}"
    );
    assert!((usage.total_vcpus_usage - vcpus).abs() < 1e-6, "{usage:?}");
}

#[tokio::test]
async fn a_project_reads_its_own_usage_but_not_every_projects_nor_anothers() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let demo = cloud.compute("2.40").await;
    let project = demo_project(&cloud).await;
    let own = demo
        .usage()
        .get_all(&project, &around_now())
        .await
        .expect("a project may read its own usage");
    assert_eq!(own.tenant_id, project);
    assert_totals_match_servers(&own);

    let error = demo
        .usage()
        .list(&around_now())
        .await
        .expect_err("the all-projects list is for admins");
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    let error = demo
        .usage()
        .get("0000000e737461636b20342065000000", &around_now())
        .await
        .expect_err("another project's usage is for admins");
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
}

#[tokio::test]
async fn admin_pages_a_projects_servers_from_2_40_and_get_all_merges_them() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.40").await else {
        return;
    };
    let Some(mock) = cloud.require_mock("seeds servers in a project of their own without the API")
    else {
        return;
    };
    let project = uuid::Uuid::new_v4().simple().to_string();
    assert_eq!(mock.seed_servers_in(&project, 5, "usage").await, 5);

    let first = admin
        .usage()
        .get(&project, &around_now().limit(2))
        .await
        .expect("first page")
        .value;
    assert_eq!(ids(&first.usage).len(), 2, "{first:?}");
    let next = nova_core::types::next_link(&first.links).expect("a full page links on");
    assert!(next.contains("marker="), "{next}");

    let all = admin
        .usage()
        .get_all(&project, &around_now().limit(2))
        .await
        .expect("every page");
    let mut seen = ids(&all);
    assert_eq!(seen.len(), 5, "{all:?}");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "no server twice");
    assert_totals_match_servers(&all);
    let servers = all.server_usages.as_deref().unwrap_or_default();
    assert!(servers.iter().all(|s| s.tenant_id == project
        && s.memory_mb > 0
        && s.vcpus > 0
        && !s.flavor.is_empty()
        && s.ended_at.is_none()
        && s.started_at.as_deref().and_then(UsageTime::parse).is_some()));

    // The all-projects list, detailed and paged, holds the project with all five servers.
    let listed = admin
        .usage()
        .list_all(&around_now().detailed(true).limit(2))
        .await
        .expect("list every page");
    let mine = listed
        .iter()
        .find(|u| u.tenant_id == project)
        .expect("the seeded project is listed");
    assert_eq!(ids(mine).len(), 5);
    // Without `detailed` the list carries totals only; its pages are followed by their
    // `next` links (no server ids to take a marker from).
    let plain = admin.usage().list(&around_now()).await.expect("list").value;
    assert!(plain.usage.iter().all(|u| u.server_usages.is_none()));
    let plain_all = admin
        .usage()
        .list_all(&around_now().limit(1))
        .await
        .expect("list every plain page");
    let totals = plain_all
        .iter()
        .find(|u| u.tenant_id == project)
        .expect("the seeded project is on some page");
    assert!(totals.server_usages.is_none());
    assert!(totals.total_memory_mb_usage >= mine.total_memory_mb_usage);

    let error = admin
        .usage()
        .get(&project, &around_now().marker("no-such-server"))
        .await
        .expect_err("unknown marker");
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
}

#[tokio::test]
async fn a_window_before_the_servers_existed_is_empty_and_paging_needs_2_40() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.39").await else {
        return;
    };
    let Some(mock) = cloud.require_mock("seeds servers in a project of their own without the API")
    else {
        return;
    };
    let project = uuid::Uuid::new_v4().simple().to_string();
    mock.seed_servers_in(&project, 1, "usage-old").await;
    let now = UsageTime::now();
    let past = UsageQuery::new(now.add_days(-10), now.add_days(-9));
    let usage = admin.usage().get(&project, &past).await.expect("get").value;
    assert_eq!(usage.usage.tenant_id, project);
    assert_eq!(usage.usage.total_hours, 0.0);
    assert!(ids(&usage.usage).is_empty());
    let listed = admin.usage().list_all(&past).await.expect("list");
    assert!(listed.iter().all(|u| u.tenant_id != project), "{listed:?}");

    let current = admin
        .usage()
        .get_all(&project, &around_now())
        .await
        .expect("get");
    assert_eq!(ids(&current).len(), 1, "one request below 2.40 holds all");

    let error = admin
        .usage()
        .get(&project, &around_now().limit(1))
        .await
        .expect_err("limit needs 2.40");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    let backwards = UsageQuery::new(now, now.add_days(-1));
    let error = admin
        .usage()
        .list(&backwards)
        .await
        .expect_err("start after end");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
}
