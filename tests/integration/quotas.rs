//! Quotas, quota classes and another project's limits, as the mock's admin: show, detail,
//! defaults, update, reset; the fields each microversion drops; admin-only operations
//! refused to the demo user. Skipped (SKIPPED) against a cloud without mock admin powers.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use integration_tests::TestCloud;
use nova_core::Error;
use nova_v2::UpdateQuotaSet;

/// The project id of the configured (demo) user.
async fn demo_project(cloud: &TestCloud) -> String {
    let access = cloud.session().access_info().await.expect("demo token");
    access.project.as_ref().expect("project-scoped").id.clone()
}

/// Runs `body`, then `cleanup` (pass or fail), then re-raises a panic of `body`.
async fn then_always(
    body: impl std::future::Future<Output = ()>,
    cleanup: impl std::future::Future<Output = ()>,
) {
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    cleanup.await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[tokio::test]
async fn admin_updates_a_project_quota_and_its_limits_follow() {
    // Exclusive: the demo project's quota is shared by every test of a mock binary run.
    let cloud = TestCloud::start_exclusive().await;
    let Some(admin) = cloud.admin_compute("2.57").await else {
        return;
    };
    let demo = cloud.compute("2.57").await;
    let project = demo_project(&cloud).await;
    let before = demo
        .quotas()
        .get(&project, None)
        .await
        .expect("own quota")
        .value;
    assert_eq!(before.id.as_deref(), Some(project.as_str()));
    assert!(before.instances.is_some() && before.injected_files.is_none());
    assert!(before.fixed_ips.is_none(), "network quotas gone at 2.36");

    then_always(
        async {
            let update = UpdateQuotaSet::new().instances(7).cores(9).server_groups(4);
            let updated = admin
                .quotas()
                .update(&project, None, &update)
                .await
                .expect("admin update")
                .value;
            assert_eq!(
                (updated.instances, updated.cores, updated.server_groups),
                (Some(7), Some(9), Some(4))
            );
            assert!(updated.id.is_none(), "update answers carry no id");

            let shown = demo.quotas().get(&project, None).await.expect("get").value;
            assert_eq!((shown.instances, shown.cores), (Some(7), Some(9)));
            let detail = demo
                .quotas()
                .detail(&project, None)
                .await
                .expect("detail")
                .value;
            let instances = detail.instances.expect("instances detail");
            assert_eq!(instances.limit, 7);
            assert!(instances.in_use >= 0 && instances.reserved == 0);

            let own_limits = demo.limits().get().await.expect("limits").value.absolute;
            assert_eq!(own_limits.max_total_instances, Some(7));
            assert_eq!(own_limits.max_total_cores, Some(9));
            let theirs = admin
                .quotas()
                .project_limits(&project)
                .await
                .expect("admin reads the demo project's limits")
                .value
                .absolute;
            assert_eq!(theirs.max_total_instances, Some(7));

            let defaults = demo
                .quotas()
                .defaults(&project)
                .await
                .expect("defaults")
                .value;
            assert_ne!(defaults.instances, Some(7), "defaults are not the override");

            let refused = demo
                .quotas()
                .update(&project, None, &UpdateQuotaSet::new().instances(1000))
                .await
                .expect_err("demo is not an admin");
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
            let refused = demo
                .quotas()
                .project_limits("some-other-project")
                .await
                .expect_err("another project's limits are admin-only");
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

            admin.quotas().delete(&project, None).await.expect("reset");
            let reset = demo.quotas().get(&project, None).await.expect("get").value;
            assert_eq!(reset.instances, before.instances);
            assert_eq!(reset.cores, before.cores);
        },
        async {
            let _ = admin.quotas().delete(&project, None).await;
        },
    )
    .await;
}

#[tokio::test]
async fn quota_fields_follow_the_microversion() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("latest").await else {
        return;
    };
    let project = demo_project(&cloud).await;
    let at = |v: &'static str| cloud.admin_compute(v);
    let v2_35 = at("2.35").await.expect("admin");
    let old = v2_35
        .quotas()
        .detail(&project, None)
        .await
        .expect("detail")
        .value;
    assert!(old.fixed_ips.is_some() && old.security_groups.is_some());
    let v2_36 = at("2.36").await.expect("admin");
    let mid = v2_36.quotas().get(&project, None).await.expect("get").value;
    assert!(mid.fixed_ips.is_none() && mid.injected_files.is_some());
    let new = admin
        .quotas()
        .defaults(&project)
        .await
        .expect("defaults")
        .value;
    assert!(new.injected_files.is_none() && new.server_groups.is_some());
    assert!(new.extra.is_empty(), "{:?}", new.extra);

    // Gated fields and empty updates are refused before sending.
    let (counted, sent) = cloud.counted_compute("2.57");
    let quotas = counted.quotas();
    let error = quotas
        .update(&project, None, &UpdateQuotaSet::new().injected_files(3))
        .await
        .expect_err("gone at 2.57");
    assert!(
        matches!(
            error,
            Error::FieldNotSupported {
                field: "injected_files",
                ..
            }
        ),
        "{error:?}"
    );
    let error = quotas
        .update(&project, None, &UpdateQuotaSet::new().floating_ips(3))
        .await
        .expect_err("gone at 2.36");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    let error = quotas
        .update(&project, None, &UpdateQuotaSet::new().force(true))
        .await
        .expect_err("nothing to update");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert_eq!(sent.sent(), 0);
}

#[tokio::test]
async fn quota_classes_by_version_and_admin_only() {
    // Exclusive: the default class is global to the mock.
    let cloud = TestCloud::start_exclusive().await;
    let Some(v2_49) = cloud.admin_compute("2.49").await else {
        return;
    };
    let v2_50 = cloud.admin_compute("2.50").await.expect("admin");
    let latest = cloud.admin_compute("latest").await.expect("admin");

    let old = v2_49
        .quota_classes()
        .get("default")
        .await
        .expect("class")
        .value;
    assert_eq!(old.id.as_deref(), Some("default"));
    assert!(old.fixed_ips.is_some() && old.server_groups.is_none());
    let mid = v2_50
        .quota_classes()
        .get("default")
        .await
        .expect("class")
        .value;
    assert!(mid.fixed_ips.is_none() && mid.server_groups.is_some());
    assert!(mid.injected_files.is_some());
    let before = latest
        .quota_classes()
        .get("default")
        .await
        .expect("class")
        .value;
    assert!(before.injected_files.is_none() && before.extra.is_empty());
    let original = before.key_pairs.expect("key_pairs");

    then_always(
        async {
            let updated = latest
                .quota_classes()
                .update("default", &UpdateQuotaSet::new().key_pairs(original + 1))
                .await
                .expect("class update")
                .value;
            assert_eq!(updated.key_pairs, Some(original + 1));
            let shown = latest
                .quota_classes()
                .get("default")
                .await
                .expect("get")
                .value;
            assert_eq!(shown.key_pairs, Some(original + 1));

            let demo = cloud.compute("latest").await;
            let refused = demo
                .quota_classes()
                .get("default")
                .await
                .expect_err("admin-only");
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        },
        async {
            let _ = latest
                .quota_classes()
                .update("default", &UpdateQuotaSet::new().key_pairs(original))
                .await;
        },
    )
    .await;

    // Nova's 2.1 schema takes server_groups in a class although its view shows them from
    // 2.50 (novaclient's quota-class-update sends them at 2.1): same value, nothing changes.
    let groups = mid.server_groups.expect("server_groups at 2.50");
    v2_49
        .quota_classes()
        .update("default", &UpdateQuotaSet::new().server_groups(groups))
        .await
        .expect("server_groups taken below 2.50");
    let (counted, sent) = cloud.counted_compute("2.57");
    let error = counted
        .quota_classes()
        .update("default", &UpdateQuotaSet::new().injected_files(3))
        .await
        .expect_err("injected files in classes end at 2.57");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    let error = counted
        .quota_classes()
        .update("default", &UpdateQuotaSet::new().cores(3).force(true))
        .await
        .expect_err("classes take no force");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert_eq!(sent.sent(), 0);
}
