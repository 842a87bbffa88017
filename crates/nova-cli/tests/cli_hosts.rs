//! The hosts commands against the mock: hypervisors, services (host names below 2.53, UUIDs
//! from 2.53), `evacuate` and `host-evacuate`.

mod support;
use support::*;

use mock_cloud::{MockCloud, MockConfig};

#[tokio::test]
async fn hypervisor_and_service_listings_follow_novaclient() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let ids = seed_demo_servers(&cloud, 1, "hosted");

    let listed = json(&nova_admin(&auth, &["hypervisor-list", "-f", "json"]).await);
    let names: Vec<&str> = listed
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["Hypervisor hostname"].as_str())
        .collect();
    assert_eq!(names, ["compute-0.example.com", "compute-1.example.com"]);

    let shown = json(
        &nova_admin(
            &auth,
            &["hypervisor-show", "compute-0.example.com", "-f", "json"],
        )
        .await,
    );
    assert_eq!(shown["service_host"], "compute-0", "flattened: {shown}");
    assert!(shown.get("uptime").is_some(), "2.88+ show: {shown}");

    let servers =
        json(&nova_admin(&auth, &["hypervisor-servers", "compute-0", "-f", "json"]).await);
    assert_eq!(servers[0]["ID"], ids[0].as_str(), "{servers}");

    let stats = nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.87",
            "hypervisor-stats",
            "-f",
            "json",
        ],
    )
    .await;
    assert_eq!(json(&stats)["count"], 2);

    let services = json(
        &nova_admin(
            &auth,
            &["service-list", "--binary", "nova-compute", "-f", "json"],
        )
        .await,
    );
    assert_eq!(services.as_array().map(Vec::len), Some(2));
    assert!(services[0].get("Forced down").is_some(), "{services}");

    let refused = nova(&auth, &["service-list"]).await;
    let stderr = failed(&refused, 1);
    assert!(stderr.contains("os-services:list"), "{stderr}");
}

#[tokio::test]
async fn force_down_then_evacuate_and_host_evacuate() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let ids = seed_demo_servers(&cloud, 3, "evac");

    // Refused while compute-0 is up.
    let early = nova_admin(&auth, &["evacuate", &ids[0], "compute-1"]).await;
    let stderr = failed(&early, 1);
    assert!(
        stderr.contains("Compute service of compute-0 is still in use."),
        "{stderr}"
    );

    // Below 2.53 by host name.
    let down = nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.52",
            "service-force-down",
            "compute-0",
            "-f",
            "json",
        ],
    )
    .await;
    assert_eq!(json(&down)[0]["Forced down"], true);

    // Below 2.14 the answer carries the admin password; the one the user gave is
    // masked in what the CLI prints (conformance/cli-differences.toml).
    let old = nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.13",
            "evacuate",
            "--password",
            "Secr3t-pass",
            &ids[0],
            "compute-1",
            "-f",
            "json",
        ],
    )
    .await;
    assert_eq!(json(&old)["adminPass"], "***");
    assert!(!text(&old.stdout).contains("Secr3t-pass"));

    let table = ok(&nova_admin(
        &auth,
        &["host-evacuate", "--target_host", "compute-1", "compute-0"],
    )
    .await);
    assert!(table.contains("Evacuate Accepted"), "{table}");
    for id in &ids[1..] {
        assert!(table.contains(id.as_str()), "{table}");
    }
    assert!(!table.contains(ids[0].as_str()), "already moved: {table}");

    // From 2.53 by UUID: bring compute-0 back.
    let listed = json(
        &nova_admin(
            &auth,
            &["service-list", "--host", "compute-0", "-f", "json"],
        )
        .await,
    );
    let uuid = listed[0]["Id"].as_str().expect("uuid").to_owned();
    let up = json(
        &nova_admin(
            &auth,
            &["service-force-down", "--unset", &uuid, "-f", "json"],
        )
        .await,
    );
    assert_eq!(up[0]["Forced down"], false);
    let disabled = json(
        &nova_admin(
            &auth,
            &["service-disable", "--reason", "repair", &uuid, "-f", "json"],
        )
        .await,
    );
    assert_eq!(disabled[0]["Disabled Reason"], "repair");
    let gone = nova_admin(&auth, &["service-delete", &uuid]).await;
    ok(&gone);
}
