//! Integration tests: compute services (admin) and evacuate. Below 2.53 services are
//! addressed by host and binary, from 2.53 by UUID; state changes persist; a compute service
//! hosting servers cannot be deleted; evacuate needs the source host's nova-compute down and
//! moves the server to another host (ACTIVE, SHUTOFF from 2.95). These change the mock's
//! services, so each test has its own mock (skipped against other clouds).

use integration_tests::{TestCloud, wait_for};
use mock_cloud::MockConfig;
use nova_core::Error;
use nova_core::compute::ComputeClient;
use nova_core::types::{
    EvacuateServer, MigrationQuery, MigrationType, ServiceQuery, ServiceStatus, UpdateService,
};
use nova_v2::ServerStatus;
use secrecy::ExposeSecret;

async fn compute_uuid(admin: &dyn ComputeClient, host: &str) -> String {
    let query = ServiceQuery::new().host(host).binary("nova-compute");
    let listed = admin.services().list(&query).await.expect("list").value;
    assert_eq!(listed.len(), 1, "{listed:?}");
    listed[0].id.clone().expect("an id")
}

#[tokio::test]
async fn services_are_one_compute_per_host_plus_control_services_with_fields_per_version() {
    let Some(cloud) = TestCloud::start_mock(MockConfig::default()).await else {
        return;
    };
    let old = cloud.admin_compute("2.10").await.expect("admin");
    let new = cloud.admin_compute("2.53").await.expect("admin");
    let all = old
        .services()
        .list(&ServiceQuery::new())
        .await
        .expect("list")
        .value;
    let mut pairs: Vec<(String, String)> = all
        .iter()
        .map(|s| (s.binary.clone(), s.host.clone()))
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("nova-compute".to_string(), "compute-0".to_string()),
            ("nova-compute".to_string(), "compute-1".to_string()),
            ("nova-conductor".to_string(), "controller".to_string()),
            ("nova-scheduler".to_string(), "controller".to_string()),
        ]
    );
    assert!(
        all.iter().all(|s| s.forced_down.is_none()),
        "forced_down from 2.11"
    );
    assert!(
        all.iter()
            .all(|s| s.id.as_deref().is_some_and(|i| i.parse::<u64>().is_ok()))
    );
    let computes = new
        .services()
        .list(&ServiceQuery::new().binary("nova-compute"))
        .await
        .expect("filtered")
        .value;
    assert_eq!(computes.len(), 2);
    for s in &computes {
        assert!(uuid::Uuid::parse_str(s.id.as_deref().unwrap_or_default()).is_ok());
        assert_eq!(s.forced_down, Some(false));
        assert_eq!(s.status, Some(ServiceStatus::Enabled));
        assert_eq!(s.state.as_deref(), Some("up"));
    }
    let demo = cloud.compute("2.53").await;
    let refused = demo
        .services()
        .list(&ServiceQuery::new())
        .await
        .expect_err("admin");
    assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
}

#[tokio::test]
async fn services_change_by_host_and_binary_below_2_53_and_by_uuid_from_2_53() {
    let Some(cloud) = TestCloud::start_mock(MockConfig::default()).await else {
        return;
    };
    let old = cloud.admin_compute("2.11").await.expect("admin");
    let new = cloud.admin_compute("2.53").await.expect("admin");
    let disabled = old
        .services()
        .disable("compute-1", "nova-compute", Some("maintenance".into()))
        .await
        .expect("disable")
        .value;
    assert_eq!(disabled.status, Some(ServiceStatus::Disabled));
    assert_eq!(disabled.disabled_reason.as_deref(), Some("maintenance"));
    let down = old
        .services()
        .force_down("compute-1", "nova-compute", true)
        .await
        .expect("force down")
        .value;
    assert_eq!(down.forced_down, Some(true));
    let uuid = compute_uuid(&*new, "compute-1").await;
    let listed = new
        .services()
        .list(&ServiceQuery::new().host("compute-1"))
        .await
        .expect("list")
        .value;
    assert_eq!(listed[0].status, Some(ServiceStatus::Disabled), "persisted");
    assert_eq!(listed[0].state.as_deref(), Some("down"));
    let back = new
        .services()
        .update(&uuid, &UpdateService::enable().forced_down(false))
        .await
        .expect("update")
        .value;
    assert_eq!(back.status, Some(ServiceStatus::Enabled));
    assert_eq!(
        (back.forced_down, back.disabled_reason),
        (Some(false), None)
    );
    let missing = old
        .services()
        .enable("compute-9", "nova-compute")
        .await
        .expect_err("no such host");
    match missing {
        Error::NotFound(fault) => assert_eq!(
            fault.message,
            "Could not find binary nova-compute on host compute-9."
        ),
        other => panic!("{other:?}"),
    }
    let scheduler = compute_uuid_of(&*new, "nova-scheduler").await;
    let refused = new
        .services()
        .update(&scheduler, &UpdateService::disable(None))
        .await
        .expect_err("only nova-compute");
    assert!(matches!(refused, Error::BadRequest(_)), "{refused:?}");
}

async fn compute_uuid_of(admin: &dyn ComputeClient, binary: &str) -> String {
    let query = ServiceQuery::new().binary(binary);
    let listed = admin.services().list(&query).await.expect("list").value;
    listed[0].id.clone().expect("an id")
}

#[tokio::test]
async fn a_compute_service_hosting_servers_cannot_be_deleted_an_idle_one_can() {
    let Some(cloud) = TestCloud::start_mock(MockConfig::default()).await else {
        return;
    };
    let admin = cloud.admin_compute("2.53").await.expect("admin");
    let demo = cloud.compute("latest").await;
    let created = cloud.resources(1).await;
    let request = cloud
        .server_request(&created.name("busy"), demo.microversion())
        .await;
    cloud.boot_active(&created, &*demo, &request).await;
    let busy = compute_uuid(&*admin, "compute-0").await;
    match admin.services().delete(&busy).await {
        Err(Error::Conflict(fault)) => assert!(
            fault.message.contains("hosting instances"),
            "{}",
            fault.message
        ),
        other => panic!("a hosting compute service: {other:?}"),
    }
    let idle = compute_uuid(&*admin, "compute-1").await;
    admin.services().delete(&idle).await.expect("idle deleted");
    let left = admin
        .hypervisors()
        .detail(&Default::default())
        .await
        .expect("hypervisors")
        .value
        .items;
    assert_eq!(left.len(), 1, "its hypervisor went with it");
    let again = admin.services().delete(&idle).await.expect_err("gone");
    assert!(matches!(again, Error::NotFound(_)), "{again:?}");
    let old = cloud.admin_compute("2.52").await.expect("admin");
    let not_int = old.services().delete("abc").await.expect_err("integer ids");
    assert!(matches!(not_int, Error::BadRequest(_)), "{not_int:?}");
}

#[tokio::test]
async fn evacuate_needs_the_source_compute_down_then_rebuilds_on_another_host() {
    let Some(cloud) = TestCloud::start_mock(MockConfig::default()).await else {
        return;
    };
    let admin = cloud.admin_compute("2.53").await.expect("admin");
    let old = cloud.admin_compute("2.13").await.expect("admin");
    let shutoff = cloud.admin_compute("2.95").await.expect("admin");
    let demo = cloud.compute("latest").await;
    let created = cloud.resources(2).await;
    let request = cloud
        .server_request(&created.name("evac-1"), demo.microversion())
        .await;
    let first = cloud.boot_active(&created, &*demo, &request).await;
    let request = cloud
        .server_request(&created.name("evac-2"), demo.microversion())
        .await;
    let second = cloud.boot_active(&created, &*demo, &request).await;

    let request = EvacuateServer::new().host("compute-1");
    match admin.servers().evacuate(&first, &request).await {
        Err(Error::BadRequest(fault)) => assert_eq!(
            fault.message,
            "Compute service of compute-0 is still in use."
        ),
        other => panic!("source compute up: {other:?}"),
    }
    let refused = demo
        .servers()
        .evacuate(&first, &request)
        .await
        .expect_err("admin");
    assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

    let source = compute_uuid(&*admin, "compute-0").await;
    admin
        .services()
        .update(&source, &UpdateService::new().forced_down(true))
        .await
        .expect("forced down");
    let same = admin
        .servers()
        .evacuate(&first, &EvacuateServer::new().host("compute-0"))
        .await
        .expect_err("same host");
    assert!(matches!(same, Error::BadRequest(_)), "{same:?}");
    let unknown = admin
        .servers()
        .evacuate(&first, &EvacuateServer::new().host("compute-9"))
        .await
        .expect_err("unknown host");
    assert!(matches!(unknown, Error::NotFound(_)), "{unknown:?}");

    let result = old
        .servers()
        .evacuate(&first, &request.clone().admin_pass("n3w-Pass"))
        .await
        .expect("evacuated")
        .value;
    let pass = result.admin_pass.expect("adminPass below 2.14");
    assert_eq!(pass.expose_secret(), "n3w-Pass");
    let moved = wait_for(&*admin, &first, ServerStatus::Active).await;
    assert_eq!(moved.host.as_deref(), Some("compute-1"));
    let query = MigrationQuery::new()
        .instance_uuid(first.as_str())
        .migration_type(MigrationType::Evacuation);
    let records = admin
        .migrations()
        .list(&query)
        .await
        .expect("migrations")
        .value;
    let record = records.items.first().expect("an evacuation record");
    assert_eq!(record.source_compute.as_deref(), Some("compute-0"));
    assert_eq!(record.dest_compute.as_deref(), Some("compute-1"));

    let result = shutoff
        .servers()
        .evacuate(&second, &EvacuateServer::new())
        .await
        .expect("scheduler picks")
        .value;
    assert!(result.admin_pass.is_none(), "no adminPass from 2.14");
    let stopped = wait_for(&*admin, &second, ServerStatus::Shutoff).await;
    assert_eq!(stopped.host.as_deref(), Some("compute-1"));
}
