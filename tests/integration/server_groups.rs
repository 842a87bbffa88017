//! Server groups: `policies` and `metadata` below 2.64, `policy` and `rules` from 2.64, soft
//! policies from 2.15, owners from 2.13, list paging, and gates that fail before any request.
//! Runs as the configured (non-admin) user everywhere; the admin's `all_projects` checks use
//! the mock's admin and are skipped elsewhere.

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use futures::FutureExt;
use integration_tests::TestCloud;
use nova_core::Error;
use nova_core::compute::ComputeClient;
use nova_v2::{CreateServerGroup, ServerGroupPolicy, ServerGroupQuery};

/// Runs `body`, then deletes every group id it recorded in `created` (pass or fail).
async fn with_cleanup(
    client: &dyn ComputeClient,
    created: &Mutex<Vec<String>>,
    body: impl std::future::Future<Output = ()>,
) {
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    let ids = std::mem::take(&mut *created.lock().expect("ids"));
    for id in ids {
        match client.server_groups().delete(&id).await {
            Ok(_) | Err(Error::NotFound(_)) => {}
            Err(error) => eprintln!("cleanup of server group {id}: {error}"),
        }
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[tokio::test]
async fn server_groups_have_policies_below_2_64_and_policy_with_rules_from_2_64() {
    let cloud = TestCloud::start().await;
    let names = cloud.resources(0).await;
    let old = cloud.compute("2.63").await;
    let new = cloud.compute("2.64").await;
    let created = Mutex::new(Vec::new());
    with_cleanup(&*new, &created, async {
        let request = CreateServerGroup::new(names.name("old"), ServerGroupPolicy::AntiAffinity);
        let group = old
            .server_groups()
            .create(&request)
            .await
            .expect("create")
            .value;
        created.lock().expect("ids").push(group.id.clone());
        assert_eq!(
            group.policies.as_deref(),
            Some(&["anti-affinity".to_string()][..])
        );
        assert!(group.policy.is_none() && group.rules.is_none());
        assert!(group.metadata.is_some(), "metadata below 2.64");
        assert!(
            group.project_id.is_some() && group.user_id.is_some(),
            "owners from 2.13"
        );
        assert!(group.members.is_empty());

        let request = CreateServerGroup::new(names.name("new"), ServerGroupPolicy::AntiAffinity)
            .max_server_per_host(2);
        let ruled = new
            .server_groups()
            .create(&request)
            .await
            .expect("create")
            .value;
        created.lock().expect("ids").push(ruled.id.clone());
        assert_eq!(ruled.policy.as_deref(), Some("anti-affinity"));
        assert_eq!(ruled.max_server_per_host(), Some(2));
        assert!(ruled.policies.is_none() && ruled.metadata.is_none());

        // The same group read at both versions.
        let shown_old = old.server_groups().get(&ruled.id).await.expect("get").value;
        assert_eq!(
            shown_old.effective_policy(),
            Some(ServerGroupPolicy::AntiAffinity)
        );
        assert!(shown_old.rules.is_none());
        let shown_new = new.server_groups().get(&group.id).await.expect("get").value;
        assert_eq!(shown_new.name, names.name("old"));
        assert_eq!(shown_new.policy.as_deref(), Some("anti-affinity"));

        let soft = CreateServerGroup::new(names.name("soft"), ServerGroupPolicy::SoftAffinity);
        let soft = cloud
            .compute("2.15")
            .await
            .server_groups()
            .create(&soft)
            .await
            .expect("soft policies from 2.15")
            .value;
        created.lock().expect("ids").push(soft.id.clone());
        assert_eq!(
            soft.effective_policy(),
            Some(ServerGroupPolicy::SoftAffinity)
        );

        new.server_groups().delete(&group.id).await.expect("delete");
        let gone = new.server_groups().get(&group.id).await;
        assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
    })
    .await;
}

#[tokio::test]
async fn server_group_list_pages_with_limit_and_offset() {
    let cloud = TestCloud::start().await;
    let names = cloud.resources(0).await;
    let client = cloud.compute("latest").await;
    let created = Mutex::new(Vec::new());
    with_cleanup(&*client, &created, async {
        for n in 0..3 {
            let request = CreateServerGroup::new(
                names.name(&format!("page-{n}")),
                ServerGroupPolicy::Affinity,
            );
            let group = client
                .server_groups()
                .create(&request)
                .await
                .expect("create")
                .value;
            created.lock().expect("ids").push(group.id);
        }
        let groups = client.server_groups();
        let all = groups
            .list(&ServerGroupQuery::new())
            .await
            .expect("list")
            .value;
        let ours: Vec<&str> = all
            .iter()
            .filter(|g| g.name.starts_with(names.prefix()))
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(ours.len(), 3, "{ours:?}");
        let second = groups
            .list(&ServerGroupQuery::new().limit(1).offset(1))
            .await
            .expect("page")
            .value;
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].id, all[1].id, "offset 1 is the second group");
        let rest = groups
            .list(&ServerGroupQuery::new().offset(u32::try_from(all.len()).expect("small")))
            .await
            .expect("past the end")
            .value;
        assert!(rest.is_empty());

        // Nova ignores `all_projects` from a non-admin: the same groups as without it.
        let mine = groups
            .list(&ServerGroupQuery::new().all_projects(true))
            .await
            .expect("all_projects as a member")
            .value;
        let ids = |list: &[nova_v2::ServerGroup]| -> Vec<String> {
            list.iter().map(|g| g.id.clone()).collect()
        };
        if cloud.mock().is_some() {
            assert_eq!(ids(&mine), ids(&all));
        }
        if let Some(admin) = cloud.admin_compute("latest").await {
            let everyone = admin
                .server_groups()
                .list(&ServerGroupQuery::new().all_projects(true))
                .await
                .expect("admin lists all projects")
                .value;
            let seen = everyone
                .iter()
                .filter(|g| g.name.starts_with(names.prefix()))
                .count();
            assert_eq!(seen, 3, "the admin sees the demo project's groups");
            let own = admin
                .server_groups()
                .list(&ServerGroupQuery::new())
                .await
                .expect("admin's own")
                .value;
            assert!(own.iter().all(|g| !g.name.starts_with(names.prefix())));

            // An admin-project group never shows in the member's `all_projects` list.
            let request = CreateServerGroup::new(names.name("admins"), ServerGroupPolicy::Affinity);
            let theirs = admin
                .server_groups()
                .create(&request)
                .await
                .expect("admin group")
                .value;
            let member_view = groups
                .list(&ServerGroupQuery::new().all_projects(true))
                .await;
            admin
                .server_groups()
                .delete(&theirs.id)
                .await
                .expect("delete admin group");
            let member_view = member_view.expect("member list").value;
            assert!(
                member_view.iter().all(|g| g.id != theirs.id),
                "{member_view:?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn server_group_gates_fail_before_sending() {
    let cloud = TestCloud::start().await;
    let (v2_14, sent_14) = cloud.counted_compute("2.14");
    let soft = CreateServerGroup::new("never-sent", ServerGroupPolicy::SoftAntiAffinity);
    let error = v2_14.server_groups().create(&soft).await.expect_err("2.14");
    assert!(
        matches!(
            error,
            Error::FieldNotSupported {
                field: "policy=soft-*",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(sent_14.sent(), 0);

    let (v2_63, sent_63) = cloud.counted_compute("2.63");
    let ruled = CreateServerGroup::new("never-sent", ServerGroupPolicy::AntiAffinity)
        .max_server_per_host(1);
    let error = v2_63
        .server_groups()
        .create(&ruled)
        .await
        .expect_err("2.63");
    assert!(
        matches!(error, Error::FieldNotSupported { field: "rules", .. }),
        "{error:?}"
    );
    let (v2_64, sent_64) = cloud.counted_compute("2.64");
    let wrong =
        CreateServerGroup::new("never-sent", ServerGroupPolicy::Affinity).max_server_per_host(1);
    let error = v2_64
        .server_groups()
        .create(&wrong)
        .await
        .expect_err("affinity rules");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert!(!error.may_have_reached_server());
    assert_eq!(
        sent_63.sent() + sent_64.sent(),
        0,
        "nothing left the client"
    );
}
