//! Availability zones in detail (hosts and services) are for admins: the mock's admin reads
//! them, the demo user is refused. Skipped (SKIPPED) without mock admin powers.

use integration_tests::TestCloud;
use nova_core::Error;

#[tokio::test]
async fn availability_zone_detail_is_admin_only() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let Some(admin) = cloud.admin_compute("latest").await else {
        return;
    };
    let zones = admin
        .availability_zones()
        .list_detail()
        .await
        .expect("admin zone detail")
        .value;
    assert!(zones.iter().any(|z| z.hosts.is_some()), "{zones:?}");
    let demo = cloud.compute("latest").await;
    let refused = demo.availability_zones().list_detail().await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
}
