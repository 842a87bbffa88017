//! Integration tests: hypervisors (admin). Integer ids below 2.53 and UUIDs from 2.53, the
//! counters removed in 2.88 (with `statistics` and `uptime`), the old `/search` and
//! `/servers` routes below 2.53 and `hypervisor_hostname_pattern` / `with_servers` from 2.53,
//! paging from 2.33. Needs the mock's admin; skipped against other clouds.

use integration_tests::TestCloud;
use nova_core::Error;
use nova_core::types::HypervisorQuery;

#[tokio::test]
async fn hypervisor_ids_are_integers_below_2_53_uuids_from_2_53_and_counters_end_at_2_88() {
    let cloud = TestCloud::start().await;
    let Some(old) = cloud.admin_compute("2.52").await else {
        return;
    };
    let Some(new) = cloud.admin_compute("2.88").await else {
        return;
    };
    let listed = old
        .hypervisors()
        .detail(&HypervisorQuery::new())
        .await
        .expect("detail at 2.52")
        .value
        .items;
    let names: Vec<&str> = listed
        .iter()
        .map(|h| h.hypervisor_hostname.as_str())
        .collect();
    if cloud.mock().is_some() {
        assert_eq!(names, ["compute-0.example.com", "compute-1.example.com"]);
    }
    let hosts = cloud.compute_hosts(&*old).await;
    assert_eq!(listed.len(), hosts.len(), "one hypervisor per compute host");
    assert!(listed.iter().all(|h| h.id.parse::<u64>().is_ok()));
    assert!(
        listed
            .iter()
            .all(|h| h.vcpus.is_some() && h.cpu_info.is_some())
    );
    let stats = old.hypervisors().statistics().await.expect("stats").value;
    assert_eq!(stats.count, hosts.len() as i64);
    assert_eq!(
        stats.vcpus,
        listed.iter().filter_map(|h| h.vcpus).sum::<i64>()
    );
    let uptime = old.hypervisors().uptime(&listed[0].id).await;
    if cloud.mock().is_some() {
        let uptime = uptime.expect("uptime");
        assert!(uptime.value.uptime.is_some_and(|u| u.contains("up")));
    } else {
        // Nova's fake driver has no uptime: Nova answers 501.
        assert!(
            matches!(uptime, Err(Error::NotImplemented(_))),
            "{uptime:?}"
        );
    }

    let newer = new
        .hypervisors()
        .detail(&HypervisorQuery::new())
        .await
        .expect("detail at 2.88")
        .value
        .items;
    assert_eq!(newer.len(), hosts.len());
    assert!(newer.iter().all(|h| uuid::Uuid::parse_str(&h.id).is_ok()));
    assert!(
        newer
            .iter()
            .all(|h| h.vcpus.is_none() && h.cpu_info.is_none())
    );
    let shown = new
        .hypervisors()
        .get(&newer[0].id, false)
        .await
        .expect("show")
        .value;
    // From 2.88 show carries `uptime`; Nova's fake driver has none to give.
    assert_eq!(
        shown.uptime.is_some(),
        cloud.mock().is_some(),
        "{:?}",
        shown.uptime
    );
    let shown_host = shown.service.map(|s| s.host).expect("a service host");
    assert!(hosts.contains(&shown_host), "{shown_host} in {hosts:?}");
    let gone = new.hypervisors().statistics().await.expect_err("2.88");
    assert!(
        matches!(gone, Error::VersionNotSupported { .. }),
        "{gone:?}"
    );
    // An integer id is no longer an id from 2.53.
    let bad = new.hypervisors().get("1", false).await.expect_err("uuid");
    assert!(matches!(bad, Error::BadRequest(_)), "{bad:?}");
}

#[tokio::test]
async fn hypervisor_servers_are_the_servers_on_its_host_by_both_route_shapes() {
    let cloud = TestCloud::start().await;
    let Some(old) = cloud.admin_compute("2.52").await else {
        return;
    };
    let Some(new) = cloud.admin_compute("2.53").await else {
        return;
    };
    let (_created, _client, id) = cloud.active_server("latest", "hyp").await;
    let host = old
        .servers()
        .get(&id)
        .await
        .expect("admin show")
        .value
        .host
        .expect("admins see the host");

    let by_route = old
        .hypervisors()
        .search(&host, true)
        .await
        .expect("servers");
    let servers = by_route.value[0].servers.clone().unwrap_or_default();
    assert!(servers.iter().any(|s| s.uuid == id), "{servers:?}");
    if cloud.mock().is_some() {
        // mock-cloud's two hypervisors share a name prefix.
        let searched = old
            .hypervisors()
            .search("compute", false)
            .await
            .expect("search");
        assert_eq!(searched.value.len(), 2);
        assert!(searched.value.iter().all(|h| h.servers.is_none()));
    }
    let by_query = new
        .hypervisors()
        .search(&host, true)
        .await
        .expect("pattern");
    let servers = by_query.value[0].servers.clone().unwrap_or_default();
    assert!(servers.iter().any(|s| s.uuid == id));
    assert!(uuid::Uuid::parse_str(&by_query.value[0].id).is_ok());
    let none = new
        .hypervisors()
        .search("nowhere", false)
        .await
        .expect_err("no match");
    assert!(matches!(none, Error::NotFound(_)), "{none:?}");
    let stats = old.hypervisors().statistics().await.expect("stats").value;
    assert!(stats.running_vms >= 1 && stats.vcpus_used >= 1, "{stats:?}");
}

#[tokio::test]
async fn hypervisors_page_from_2_33_and_refuse_non_admins() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let Some(admin) = cloud.admin_compute("2.53").await else {
        return;
    };
    let first = admin
        .hypervisors()
        .list(&HypervisorQuery::new().limit(1))
        .await
        .expect("page 1")
        .value;
    let hosts = cloud.compute_hosts(&*admin).await;
    assert_eq!(first.items.len(), 1);
    assert!(first.next.is_some(), "a full page has a next link");
    let second = admin
        .hypervisors()
        .list(
            &HypervisorQuery::new()
                .limit(1)
                .marker(first.items[0].id.clone()),
        )
        .await
        .expect("page 2")
        .value;
    // The page after the marker: the second hypervisor, or nothing on a one-host cloud.
    assert_eq!(second.items.len(), hosts.len().min(2) - 1, "{hosts:?}");
    assert!(second.items.iter().all(|h| h.id != first.items[0].id));
    let old = cloud.admin_compute("2.32").await.expect("admin");
    let gated = old
        .hypervisors()
        .list(&HypervisorQuery::new().limit(1))
        .await
        .expect_err("limit needs 2.33");
    assert!(
        matches!(gated, Error::FieldNotSupported { .. }),
        "{gated:?}"
    );
    let demo = cloud.compute("2.53").await;
    match demo.hypervisors().list(&HypervisorQuery::new()).await {
        Err(Error::Forbidden(fault)) => assert!(
            fault.message.contains("os_compute_api:os-hypervisors:list"),
            "{}",
            fault.message
        ),
        other => panic!("non-admin: {other:?}"),
    }
}
