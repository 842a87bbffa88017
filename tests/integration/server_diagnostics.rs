//! Integration tests: server diagnostics (admin; standard shape from 2.48) and topology
//! (2.78+; pinning for admins only).

use integration_tests::TestCloud;
use nova_core::Error;

#[tokio::test]
async fn diagnostics_are_admin_only_free_form_below_2_48_and_standard_from_2_48() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let (_created, client, id) = cloud.active_server("2.48", "diag").await;
    let denied = client.server_diagnostics().diagnostics(&id).await;
    assert!(matches!(denied, Err(Error::Forbidden(_))), "{denied:?}");
    let Some(admin) = cloud.admin_compute("2.48").await else {
        return;
    };
    let standard = admin
        .server_diagnostics()
        .diagnostics(&id)
        .await
        .expect("2.48")
        .value;
    assert_eq!(standard.state.as_deref(), Some("running"));
    assert!(standard.extra.is_empty(), "{:?}", standard.extra);
    assert_eq!(standard.num_cpus, Some(standard.cpu_details.len() as u32));
    assert!(standard.memory_details.is_some());
    let old_admin = cloud.admin_compute("2.47").await.expect("admin");
    let free = old_admin
        .server_diagnostics()
        .diagnostics(&id)
        .await
        .expect("2.47")
        .value;
    assert!(free.state.is_none());
    assert!(free.extra.contains_key("cpu0_time"), "{:?}", free.extra);
}

#[tokio::test]
async fn topology_needs_2_78_and_shows_pinning_to_admins_only() {
    let cloud = TestCloud::start().await;
    let (_created, client, id) = cloud.active_server("2.78", "topo").await;
    let old = cloud.compute("2.77").await;
    let error = old
        .server_diagnostics()
        .topology(&id)
        .await
        .expect_err("2.77");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    let user_view = client
        .server_diagnostics()
        .topology(&id)
        .await
        .expect("topology")
        .value;
    assert!(
        user_view
            .nodes
            .iter()
            .all(|n| n.cpu_pinning.is_none() && n.host_node.is_none())
    );
    let Some(admin) = cloud.admin_compute("2.78").await else {
        return;
    };
    let admin_view = admin
        .server_diagnostics()
        .topology(&id)
        .await
        .expect("topology")
        .value;
    if cloud.mock().is_some() {
        // Nova's fake driver reports no NUMA topology; mock-cloud's servers have one.
        assert!(!admin_view.nodes.is_empty());
    }
    assert!(
        admin_view
            .nodes
            .iter()
            .all(|n| n.cpu_pinning.is_some() && n.host_node.is_some())
    );
    assert_eq!(admin_view.nodes.len(), user_view.nodes.len());
}
