//! Flavors: the list, the details, one flavor, a lookup by name, the fields each
//! microversion adds, and the list queries (filters, sorting, paging, admin visibility).

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use integration_tests::TestCloud;
use keystone_auth::{HeaderMap, Method};
use nova_core::Error;
use nova_v2::{CreateFlavor, FlavorQuery, FlavorSummary, FlavorVisibility, Page, SortDir};
use serde_json::Value;

#[tokio::test]
async fn flavor_list_details_show_and_find_agree() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("latest").await;
    let flavors = client.flavors();
    let summaries = flavors
        .list(&Default::default())
        .await
        .expect("flavor list")
        .value
        .items;
    let details = flavors
        .list_detail(&Default::default())
        .await
        .expect("flavor details")
        .value
        .items;
    assert!(!summaries.is_empty(), "{} lists flavors", cloud.name());
    let mut summary_ids: Vec<&str> = summaries.iter().map(|f| f.id.as_str()).collect();
    let mut detail_ids: Vec<&str> = details.iter().map(|f| f.id.as_str()).collect();
    summary_ids.sort_unstable();
    detail_ids.sort_unstable();
    assert_eq!(
        summary_ids, detail_ids,
        "the list and the details name the same flavors"
    );
    assert!(
        summaries.iter().all(|f| !f.links.is_empty()),
        "every flavor links to itself"
    );

    let chosen = cloud.flavor().await;
    let shown = flavors.get(&chosen.id).await.expect("show").value;
    assert_eq!(shown.id, chosen.id);
    assert_eq!(shown.name, chosen.name);
    assert_eq!(
        (shown.ram, shown.disk, shown.vcpus),
        (chosen.ram, chosen.disk, chosen.vcpus)
    );
    let in_details = details
        .iter()
        .find(|f| f.id == chosen.id)
        .expect("the chosen flavor is in the details");
    assert_eq!(in_details.ram, shown.ram);
    assert_eq!(
        flavors.find(&chosen.name).await.expect("by name").value.id,
        chosen.id
    );
    assert_eq!(
        flavors.find(&chosen.id).await.expect("by id").value.id,
        chosen.id
    );
}

#[tokio::test]
async fn an_unknown_flavor_is_not_found_by_id_or_by_name() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("latest").await;
    let missing = format!("{}-no-flavor", integration_tests::run_prefix());
    let error = client
        .flavors()
        .get(&missing)
        .await
        .expect_err("no such flavor");
    match &error {
        Error::NotFound(fault) => assert!(fault.message.contains(&missing), "{}", fault.message),
        other => panic!("expected a 404, got {other:?}"),
    }
    let error = client
        .flavors()
        .find(&missing)
        .await
        .expect_err("no such flavor");
    assert!(
        matches!(&error, Error::NotFoundByName { kind: "flavor", .. }),
        "{error:?}"
    );
}

/// The raw `GET /flavors/detail` at `version`: each flavor's JSON object.
async fn raw_flavors(cloud: &TestCloud, version: &str) -> Vec<Value> {
    let mut headers = HeaderMap::new();
    let standard = format!("compute {version}");
    headers.insert("OpenStack-API-Version", standard.parse().expect("header"));
    headers.insert(
        "X-OpenStack-Nova-API-Version",
        version.parse().expect("header"),
    );
    let response = cloud
        .compute_adapter()
        .send(Method::GET, "flavors/detail", headers, None)
        .await
        .expect("an answer")
        .error_for_status()
        .expect("flavor details");
    let body: Value = response.json().expect("JSON");
    body["flavors"].as_array().cloned().expect("a flavor list")
}

#[tokio::test]
async fn flavor_description_appears_at_2_55() {
    let cloud = TestCloud::start().await;
    let before = raw_flavors(&cloud, "2.54").await;
    assert!(
        before.iter().all(|f| f.get("description").is_none()),
        "no description below 2.55: {before:?}"
    );
    let after = raw_flavors(&cloud, "2.55").await;
    assert!(
        after.iter().all(|f| f.get("description").is_some()),
        "every flavor has a description (maybe null) from 2.55: {after:?}"
    );
    let client = cloud.compute("2.55").await;
    let typed = client
        .flavors()
        .list_detail(&Default::default())
        .await
        .expect("typed")
        .value
        .items;
    assert_eq!(typed.len(), after.len());
}

/// A raw `GET {path}` as the demo user: the status and the JSON body.
async fn raw_get(cloud: &TestCloud, path: &str) -> (u16, Value) {
    let response = cloud
        .compute_adapter()
        .send(Method::GET, path, HeaderMap::new(), None)
        .await
        .expect("an answer");
    let status = response.status.as_u16();
    (status, response.json().unwrap_or(Value::Null))
}

#[tokio::test]
async fn flavor_queries_filter_sort_and_page_like_nova() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("2.1").await;
    let flavors = client.flavors();
    let all = flavors
        .list_detail(&Default::default())
        .await
        .expect("all")
        .value
        .items;
    let chosen = cloud.flavor().await;

    // minRam / minDisk keep the flavors at least that big.
    let big = flavors
        .list_detail(&FlavorQuery::new().min_ram(chosen.ram).min_disk(chosen.disk))
        .await
        .expect("filtered")
        .value;
    assert!(big.items.iter().any(|f| f.id == chosen.id));
    assert!(
        big.items
            .iter()
            .all(|f| f.ram >= chosen.ram && f.disk >= chosen.disk),
        "{:?}",
        big.items
    );
    let expected = all
        .iter()
        .filter(|f| f.ram >= chosen.ram && f.disk >= chosen.disk)
        .count();
    assert_eq!(big.items.len(), expected);

    // sort_key / sort_dir.
    let by_ram = flavors
        .list_detail(
            &FlavorQuery::new()
                .sort_key("memory_mb")
                .sort_dir(SortDir::Desc),
        )
        .await
        .expect("sorted")
        .value
        .items;
    assert_eq!(by_ram.len(), all.len());
    assert!(
        by_ram.windows(2).all(|w| w[0].ram >= w[1].ram),
        "{by_ram:?}"
    );

    // Pages of one, following the marker, give every flavor once, in the same order as
    // the unpaged list; each full page links to the next.
    let mut paged: Vec<String> = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..=all.len() {
        let mut query = FlavorQuery::new().limit(1);
        if let Some(m) = &marker {
            query = query.marker(m.clone());
        }
        let page = flavors.list(&query).await.expect("page").value;
        assert!(page.items.len() <= 1);
        let Some(last) = page.items.last() else {
            break;
        };
        assert!(page.next.is_some(), "a full page links to the next");
        paged.push(last.id.clone());
        marker = Some(last.id.clone());
    }
    let unpaged: Vec<String> = flavors
        .list(&Default::default())
        .await
        .expect("list")
        .value
        .items
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(paged, unpaged);
}

#[tokio::test]
async fn bad_flavor_query_values_get_novas_400s() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("2.1").await;
    let missing = format!("{}-no-flavor", integration_tests::run_prefix());
    let error = client
        .flavors()
        .list(&FlavorQuery::new().marker(missing.clone()))
        .await
        .expect_err("unknown marker");
    match &error {
        Error::BadRequest(fault) => {
            assert_eq!(fault.message, format!("marker [{missing}] not found"));
        }
        other => panic!("expected a 400, got {other:?}"),
    }
    let (status, body) = raw_get(&cloud, "flavors?minRam=lots").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["badRequest"]["message"], "Invalid minRam filter [lots]",
        "{body}"
    );
    let (status, body) = raw_get(&cloud, "flavors/detail?minDisk=1.5").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["badRequest"]["message"], "Invalid minDisk filter [1.5]",
        "{body}"
    );
    if cloud.mock().is_some() {
        let error = client
            .flavors()
            .list(&FlavorQuery::new().sort_key("colour"))
            .await
            .expect_err("unknown sort key");
        assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
        let (status, _) = raw_get(&cloud, "flavors?sort_dir=sideways").await;
        assert_eq!(status, 400);
    }
}

#[tokio::test]
async fn admins_list_private_flavors_with_is_public_false_or_none() {
    let cloud = TestCloud::start().await;
    let Some(admin) = cloud.admin_compute("2.55").await else {
        return;
    };
    let names = cloud.resources(0).await;
    let demo = cloud.compute("2.55").await;
    let name = names.name("hidden");
    let flavor = admin
        .flavor_admin()
        .create(&CreateFlavor::new(&name, 128, 1, 1).is_public(false))
        .await
        .expect("a private flavor")
        .value;
    let ids = |page: Page<FlavorSummary>| -> Vec<String> {
        page.items.into_iter().map(|f| f.id).collect()
    };
    let list = |who: &dyn nova_core::compute::ComputeClient, q: FlavorQuery| {
        let api = who.flavors();
        async move { api.list(&q).await.expect("list").value }
    };
    let outcome = AssertUnwindSafe(async {
        let public = ids(list(admin.as_ref(), FlavorQuery::new()).await);
        assert!(!public.contains(&flavor.id), "public by default");
        let private = list(
            admin.as_ref(),
            FlavorQuery::new().is_public(FlavorVisibility::Private),
        )
        .await;
        assert!(private.items.iter().any(|f| f.id == flavor.id));
        let private_ids = ids(private);
        assert!(
            public.iter().all(|id| !private_ids.contains(id)),
            "is_public=false lists private flavors only"
        );
        let every = ids(list(
            admin.as_ref(),
            FlavorQuery::new().is_public(FlavorVisibility::All),
        )
        .await);
        assert!(
            every.contains(&flavor.id) && public.iter().all(|id| every.contains(id)),
            "is_public=None lists public and private flavors"
        );
        // A non-admin's is_public is ignored: public flavors (and its project's) only.
        let demo_all = ids(list(
            demo.as_ref(),
            FlavorQuery::new().is_public(FlavorVisibility::All),
        )
        .await);
        assert!(!demo_all.contains(&flavor.id));
        assert!(demo_all.iter().all(|id| every.contains(id)));
    })
    .catch_unwind()
    .await;
    admin
        .flavor_admin()
        .delete(&flavor.id)
        .await
        .expect("delete the private flavor");
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
