//! Flavor management as the mock's admin: create (private, with a description), extra specs,
//! access for another project, description update (2.55), delete; what a non-admin is refused,
//! and the 2.55 gates that fail before sending. Skipped (SKIPPED) without mock admin powers.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use integration_tests::TestCloud;
use nova_core::Error;
use nova_v2::{CreateFlavor, ExtraSpecs};

#[tokio::test]
async fn admin_manages_a_private_flavor_end_to_end() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let Some(admin) = cloud.admin_compute("2.61").await else {
        return;
    };
    let names = cloud.resources(0).await;
    let demo = cloud.compute("2.61").await;
    let request = CreateFlavor::new(names.name("private"), 256, 1, 1)
        .swap(64)
        .is_public(false)
        .description("made by the flavor_admin test");
    let flavor = admin
        .flavor_admin()
        .create(&request)
        .await
        .expect("admin creates a flavor")
        .value;
    let id = flavor.id.clone();
    let outcome = AssertUnwindSafe(async {
        assert_eq!(flavor.name, names.name("private"));
        assert_eq!(
            (flavor.ram, flavor.vcpus, flavor.disk, flavor.swap),
            (256, 1, 1, 64)
        );
        assert_eq!(flavor.is_public, Some(false));
        assert_eq!(
            flavor.description.as_deref(),
            Some("made by the flavor_admin test")
        );
        let manage = admin.flavor_admin();

        // Extra specs: set, read one, list, unset.
        let specs = ExtraSpecs::from([
            ("hw:cpu_policy".to_string(), "dedicated".to_string()),
            ("hw:numa_nodes".to_string(), "1".to_string()),
        ]);
        let set = manage
            .set_extra_specs(&id, &specs)
            .await
            .expect("set")
            .value;
        assert_eq!(set, specs);
        assert_eq!(
            manage
                .extra_spec(&id, "hw:cpu_policy")
                .await
                .expect("get key")
                .value,
            "dedicated"
        );
        assert_eq!(manage.extra_specs(&id).await.expect("list").value, specs);
        let shown = admin.flavors().get(&id).await.expect("show").value;
        assert_eq!(
            shown.extra_specs.as_ref(),
            Some(&specs),
            "extra_specs in the flavor at 2.61"
        );
        manage
            .unset_extra_spec(&id, "hw:numa_nodes")
            .await
            .expect("unset");
        let left = manage.extra_specs(&id).await.expect("list").value;
        assert_eq!(left.keys().collect::<Vec<_>>(), ["hw:cpu_policy"]);
        let missing = manage.extra_spec(&id, "hw:numa_nodes").await;
        assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");

        // Access: add, list, duplicate, remove.
        // A project Keystone knows (real Nova checks): the configured user's.
        let access_info = cloud.session().access_info().await.expect("token");
        let project = access_info
            .project
            .as_ref()
            .expect("project-scoped")
            .id
            .as_str();
        let access = manage.add_access(&id, project).await.expect("add").value;
        assert_eq!(access.len(), 1);
        assert_eq!(
            (access[0].flavor_id.as_str(), access[0].tenant_id.as_str()),
            (id.as_str(), project)
        );
        assert_eq!(manage.access_list(&id).await.expect("list").value, access);
        let twice = manage
            .add_access(&id, project)
            .await
            .expect_err("duplicate");
        assert!(matches!(twice, Error::Conflict(_)), "{twice:?}");
        let after = manage
            .remove_access(&id, project)
            .await
            .expect("remove")
            .value;
        assert!(after.is_empty());
        // Private flavors stay out of default lists; the demo project cannot see this one.
        let listed = admin
            .flavors()
            .list(&Default::default())
            .await
            .expect("list")
            .value
            .items;
        assert!(
            listed.iter().all(|f| f.id != id),
            "private flavors are not listed"
        );
        let hidden = demo.flavors().get(&id).await;
        assert!(matches!(hidden, Err(Error::NotFound(_))), "{hidden:?}");
        let public_id = listed.first().expect("a public flavor").id.clone();
        let public = manage.access_list(&public_id).await;
        assert!(matches!(public, Err(Error::NotFound(_))), "{public:?}");

        // Description (2.55+).
        let updated = manage
            .update_description(&id, Some("renamed"))
            .await
            .expect("update")
            .value;
        assert_eq!(updated.description.as_deref(), Some("renamed"));
        let cleared = manage
            .update_description(&id, None)
            .await
            .expect("clear")
            .value;
        assert_eq!(cleared.description, None);

        // The demo user may read extra specs but change nothing. Real Nova hides a private
        // flavor's extra specs from a project without access (404); mock-cloud shows them.
        let demo_manage = demo.flavor_admin();
        let read = demo_manage.extra_specs(&id).await;
        if cloud.mock().is_some() {
            assert_eq!(read.expect("read").value.len(), 1);
        } else {
            assert!(matches!(read, Err(Error::NotFound(_))), "{read:?}");
        }
        for refused in [
            demo_manage
                .create(&CreateFlavor::new(names.name("nope"), 64, 1, 0))
                .await
                .map(|_| ()),
            demo_manage.set_extra_specs(&id, &specs).await.map(|_| ()),
            demo_manage.add_access(&id, project).await.map(|_| ()),
            demo_manage.delete(&id).await.map(|_| ()),
        ] {
            assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
        }
        let duplicate = admin
            .flavor_admin()
            .create(&request)
            .await
            .expect_err("same name");
        assert!(matches!(duplicate, Error::Conflict(_)), "{duplicate:?}");
    })
    .catch_unwind()
    .await;
    let deleted = admin.flavor_admin().delete(&id).await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    deleted.expect("delete");
    let gone = admin.flavors().get(&id).await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
}

#[tokio::test]
async fn flavor_descriptions_need_2_55_and_fail_before_sending() {
    let cloud = TestCloud::start().await;
    let (client, sent) = cloud.counted_compute("2.54");
    let manage = client.flavor_admin();
    let error = manage
        .create(&CreateFlavor::new("never-sent", 64, 1, 0).description("d"))
        .await
        .expect_err("description from 2.55");
    assert!(
        matches!(
            error,
            Error::FieldNotSupported {
                field: "description",
                ..
            }
        ),
        "{error:?}"
    );
    let error = manage
        .update_description("1", Some("d"))
        .await
        .expect_err("update from 2.55");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    let error = manage
        .set_extra_specs(
            "1",
            &ExtraSpecs::from([("bad/key".to_string(), "v".to_string())]),
        )
        .await
        .expect_err("bad key");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    let error = manage
        .create(&CreateFlavor::new("never-sent", 0, 1, 0))
        .await
        .expect_err("no memory");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert_eq!(sent.sent(), 0, "nothing left the client");
}
