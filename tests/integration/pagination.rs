//! Listing servers page by page: the stream follows `servers_links` and yields every server
//! exactly once.

use std::collections::BTreeSet;

use futures::TryStreamExt;
use integration_tests::TestCloud;
use nova_v2::ServerQuery;

/// Needs mock powers: 2,500 servers exist only in a mock. They are seeded in the mock's
/// `admin` project so the demo project's quota stays free for the tests running alongside.
#[tokio::test]
async fn listing_2500_servers_yields_each_exactly_once() {
    let cloud = TestCloud::start_exclusive().await;
    let Some(mock) =
        cloud.require_mock("seeds 2,500 servers without the API (no real quota allows them)")
    else {
        return;
    };
    let prefix = format!("{}-bulk", integration_tests::run_prefix());
    assert_eq!(mock.seed_servers_in("admin", 2500, &prefix).await, 2500);
    let Some(admin) = cloud.admin_compute("latest").await else {
        return;
    };
    mock.reset_counts().await;
    let all: Vec<_> = admin
        .servers()
        .list_all(ServerQuery::new().name(format!("^{prefix}-")).limit(1000))
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(all.len(), 2500);
    let names: BTreeSet<&str> = all.iter().map(|s| s.name.as_str()).collect();
    let expected: BTreeSet<String> = (1..=2500).map(|n| format!("{prefix}-{n}")).collect();
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(names, expected, "every seeded server, none twice");
    let ids: BTreeSet<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 2500, "no server twice");
    // 1000 + 1000 + 500: three pages, and the short last page ends the stream.
    assert_eq!(mock.count("GET /compute/v2.1/servers/detail").await, 3);
}

/// Runs everywhere: three servers listed one per page.
#[tokio::test]
async fn pages_of_one_follow_the_links_and_yield_each_server_once() {
    let cloud = TestCloud::start().await;
    let created = cloud.resources(3).await;
    let client = cloud.compute("latest").await;
    let servers = client.servers();
    let mut ids = BTreeSet::new();
    for n in 1..=3 {
        let request = cloud
            .server_request(&created.name(&format!("page-{n}")), client.microversion())
            .await;
        // ACTIVE, so that a real Nova lists each from its cell and no longer as a build
        // request (paging across the two is Nova's business, not this test's).
        ids.insert(cloud.boot_active(&created, &*client, &request).await);
    }
    let mine = format!("^{}page-", created.prefix());

    let first = servers
        .list(&ServerQuery::new().name(&mine).limit(1))
        .await
        .expect("first page")
        .value;
    assert_eq!(first.items.len(), 1);
    assert!(first.next.is_some(), "a full page links to the next one");

    let listed: Vec<_> = servers
        .list_all(ServerQuery::new().name(&mine).limit(1))
        .try_collect()
        .await
        .expect("listed");
    let listed_ids: Vec<&str> = listed.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(listed_ids.len(), 3, "{listed_ids:?}");
    let unique: BTreeSet<String> = listed_ids.iter().map(|id| id.to_string()).collect();
    assert_eq!(unique, ids, "each server exactly once");
}
