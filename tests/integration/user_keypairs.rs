//! Keypairs of another user (2.10+): the mock's admin creates, lists, shows and deletes a
//! keypair owned by the demo user; the demo user cannot reach the admin's keypairs; and the
//! gate fails before sending below 2.10. Skipped (SKIPPED) without mock admin powers.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use integration_tests::TestCloud;
use nova_core::Error;
use nova_v2::CreateKeypair;

use crate::PUBLIC_KEY;

#[tokio::test]
async fn admin_manages_another_users_keypairs() {
    let Some(cloud) = TestCloud::start().await.as_member().await else {
        return;
    };
    let Some(admin) = cloud.admin_compute("2.10").await else {
        return;
    };
    let names = cloud.resources(0).await;
    let demo = cloud.compute("2.10").await;
    let access = cloud.session().access_info().await.expect("demo token");
    let demo_user = access.user.as_ref().expect("a user token").id.clone();
    let name = names.name("for-demo");
    names.keypair(&name);

    let created = admin
        .keypairs()
        .create(
            &CreateKeypair::new(&name)
                .public_key(PUBLIC_KEY)
                .user_id(&demo_user),
        )
        .await
        .expect("admin creates a keypair for demo")
        .value;
    let outcome = AssertUnwindSafe(async {
        assert_eq!(created.user_id.as_deref(), Some(demo_user.as_str()));
        let theirs = admin.user_keypairs();
        let listed = theirs.list(&demo_user).await.expect("list").value;
        assert!(listed.iter().any(|k| k.name == name), "{listed:?}");
        let own = admin
            .keypairs()
            .list(&Default::default())
            .await
            .expect("admin's own")
            .value
            .items;
        assert!(
            own.iter().all(|k| k.name != name),
            "not the admin's keypair"
        );
        let shown = theirs.get(&name, &demo_user).await.expect("get").value;
        assert_eq!(shown.public_key.as_deref(), Some(PUBLIC_KEY));
        let demo_sees = demo
            .keypairs()
            .get(&name)
            .await
            .expect("demo owns it")
            .value;
        assert_eq!(demo_sees.fingerprint, shown.fingerprint);

        let admin_user = "not-the-demo-user";
        let refused = demo.user_keypairs().list(admin_user).await;
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    })
    .catch_unwind()
    .await;
    let deleted = admin.user_keypairs().delete(&name, &demo_user).await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    deleted.expect("admin deletes demo's keypair");
    let gone = demo.keypairs().get(&name).await;
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
}

#[tokio::test]
async fn another_users_keypairs_need_2_10() {
    let cloud = TestCloud::start().await;
    let (client, sent) = cloud.counted_compute("2.9");
    let error = client
        .user_keypairs()
        .list("someone")
        .await
        .expect_err("2.9");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    let error = client
        .keypairs()
        .create(
            &CreateKeypair::new("never-sent")
                .public_key(PUBLIC_KEY)
                .user_id("someone"),
        )
        .await
        .expect_err("user_id from 2.10");
    assert!(
        matches!(
            error,
            Error::FieldNotSupported {
                field: "user_id",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(sent.sent(), 0);
}
