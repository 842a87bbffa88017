//! The admin-side commands run as a user runs them: usage, server groups, quotas, flavor
//! management, another user's keypairs, another project's limits and the zone tree.

mod support;
use support::*;

use mock_cloud::seed::{DEMO_PROJECT_ID, DEMO_USER_ID};
use mock_cloud::{MockCloud, MockConfig};
use serde_json::Value;

fn rows(value: &Value) -> &Vec<Value> {
    value.as_array().expect("a JSON list")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_shows_the_own_project_and_usage_list_is_for_admins() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    seed_demo_servers(&cloud, 3, "usage");

    let out = nova(&auth, &["usage", "-f", "json"]).await;
    let own = json(&out);
    assert_eq!(rows(&own).len(), 1, "{own}");
    assert_eq!(own[0]["Servers"], "3");
    assert!(
        own[0]["CPU Hours"]
            .as_str()
            .is_some_and(|h| h.contains('.'))
    );
    assert!(
        text(&out.stderr).starts_with("Usage from "),
        "novaclient's header line"
    );

    // A window before the servers existed: no usage.
    let past = json(
        &nova(
            &auth,
            &[
                "usage",
                "--start",
                "2012-01-01",
                "--end",
                "2012-01-20",
                "-f",
                "json",
            ],
        )
        .await,
    );
    assert!(rows(&past).is_empty(), "{past}");
    failed(&nova(&auth, &["usage", "--start", "20/01/2012"]).await, 2);

    let stderr = failed(&nova(&auth, &["usage-list"]).await, 1);
    assert!(stderr.contains("Forbidden"), "{stderr}");
    let all = json(&nova_admin(&auth, &["usage-list", "-f", "json"]).await);
    let demo = rows(&all)
        .iter()
        .find(|r| r["Tenant ID"] == DEMO_PROJECT_ID)
        .expect("the demo project is listed");
    assert_eq!(demo["Servers"], "3");
    let table = ok(&nova_admin(&auth, &["usage", "--tenant", DEMO_PROJECT_ID]).await);
    assert!(table.contains("| Servers | RAM MiB-Hours |"), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_groups_follow_the_microversion_from_create_to_delete() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    fn v<'a>(version: &'a str, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec!["--os-compute-api-version", version];
        all.extend_from_slice(args);
        all
    }

    let created = json(
        &nova(
            &auth,
            &v(
                "2.64",
                &[
                    "server-group-create",
                    "--rule",
                    "max_server_per_host=2",
                    "spread",
                    "anti-affinity",
                    "-f",
                    "json",
                ],
            ),
        )
        .await,
    );
    let group = &created[0];
    assert_eq!(group["Policy"], "anti-affinity", "{created}");
    assert_eq!(group["Rules"]["max_server_per_host"], 2);
    let id = group["Id"].as_str().expect("id").to_owned();

    // Below 2.64 no --rule, and the group shows `Policies` and `Metadata`.
    let stderr = failed(
        &nova(
            &auth,
            &v(
                "2.63",
                &[
                    "server-group-create",
                    "--rule",
                    "max_server_per_host=2",
                    "x",
                    "anti-affinity",
                ],
            ),
        )
        .await,
        2,
    );
    assert!(stderr.contains("2.64"), "{stderr}");
    let old = json(&nova(&auth, &v("2.63", &["server-group-get", &id, "-f", "json"])).await);
    assert_eq!(old[0]["Policies"][0], "anti-affinity", "{old}");
    assert!(old[0].get("Policy").is_none());

    let listed = json(&nova(&auth, &["server-group-list", "--limit", "5", "-f", "json"]).await);
    assert!(rows(&listed).iter().any(|g| g["Id"] == id.as_str()));
    failed(
        &nova(&auth, &["server-group-create", "g", "clustered"]).await,
        2,
    );

    let deleted = ok(&nova(&auth, &["server-group-delete", &id]).await);
    assert_eq!(
        deleted.trim(),
        format!("Server group {id} has been successfully deleted.")
    );
    failed(&nova(&auth, &["server-group-delete", &id]).await, 4);
    let stderr = failed(
        &nova(&auth, &["server-group-delete", &id, "no-such-group"]).await,
        1,
    );
    assert!(stderr.contains("Unable to delete any"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_updates_shows_and_resets_a_projects_quota() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let limit_of = |shown: &Value, quota: &str| -> Value {
        rows(shown)
            .iter()
            .find(|r| r["Quota"] == quota)
            .map_or(Value::Null, |r| r["Limit"].clone())
    };

    let before = json(&nova(&auth, &["quota-show", "-f", "json"]).await);
    let default_instances = limit_of(&before, "instances");
    assert!(default_instances.is_i64(), "{before}");
    assert!(limit_of(&before, "floating_ips").is_null(), "gone at 2.36");

    ok(&nova_admin(
        &auth,
        &[
            "quota-update",
            "--instances",
            "7",
            "--cores",
            "-1",
            DEMO_PROJECT_ID,
        ],
    )
    .await);
    let after = json(&nova(&auth, &["quota-show", "-f", "json"]).await);
    assert_eq!(limit_of(&after, "instances"), 7);
    assert_eq!(limit_of(&after, "cores"), -1);
    let detail = json(&nova(&auth, &["quota-show", "--detail", "-f", "json"]).await);
    let instances = rows(&detail)
        .iter()
        .find(|r| r["Quota"] == "instances")
        .expect("instances");
    assert_eq!(instances["Limit"], 7);
    assert!(instances["In Use"].is_i64());

    // novaclient offers --floating-ips only below 2.36; the demo user may not update.
    failed(
        &nova_admin(
            &auth,
            &["quota-update", "--floating-ips", "3", DEMO_PROJECT_ID],
        )
        .await,
        2,
    );
    failed(
        &nova(
            &auth,
            &["quota-update", "--instances", "1", DEMO_PROJECT_ID],
        )
        .await,
        1,
    );

    ok(&nova_admin(&auth, &["quota-delete", "--tenant", DEMO_PROJECT_ID]).await);
    let reset = json(&nova(&auth, &["quota-show", "-f", "json"]).await);
    assert_eq!(limit_of(&reset, "instances"), default_instances);
    let defaults = json(&nova(&auth, &["quota-defaults", "-f", "json"]).await);
    assert_eq!(limit_of(&defaults, "instances"), default_instances);

    ok(&nova_admin(
        &auth,
        &["quota-class-update", "--key-pairs", "42", "default"],
    )
    .await);
    let class = json(&nova_admin(&auth, &["quota-class-show", "default", "-f", "json"]).await);
    assert_eq!(limit_of(&class, "key_pairs"), 42);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_manages_a_private_flavor_its_keys_and_access() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let created = json(
        &nova_admin(
            &auth,
            &[
                "flavor-create",
                "--is-public",
                "false",
                "--description",
                "for tests",
                "--swap",
                "128",
                "m1.private",
                "auto",
                "256",
                "1",
                "1",
                "-f",
                "json",
            ],
        )
        .await,
    );
    let flavor = &created[0];
    assert_eq!(flavor["Name"], "m1.private", "{created}");
    assert_eq!(flavor["Is_Public"], false);
    assert_eq!(flavor["Swap"], 128);
    assert_eq!(flavor["Description"], "for tests");
    let id = flavor["ID"].as_str().expect("id").to_owned();

    ok(&nova_admin(
        &auth,
        &["flavor-key", &id, "set", "hw:cpu_policy=dedicated", "a=b"],
    )
    .await);
    ok(&nova_admin(&auth, &["flavor-key", &id, "unset", "a"]).await);
    let shown = json(&nova_admin(&auth, &["flavor-show", &id, "-f", "json"]).await);
    assert_eq!(
        shown["extra_specs"]["hw:cpu_policy"], "dedicated",
        "{shown}"
    );
    assert!(shown["extra_specs"].get("a").is_none(), "{shown}");

    let added = json(
        &nova_admin(
            &auth,
            &["flavor-access-add", &id, DEMO_PROJECT_ID, "-f", "json"],
        )
        .await,
    );
    assert!(
        rows(&added)
            .iter()
            .any(|r| r["Tenant_ID"] == DEMO_PROJECT_ID)
    );
    let listed = json(
        &nova_admin(
            &auth,
            &["flavor-access-list", "--flavor", &id, "-f", "json"],
        )
        .await,
    );
    assert_eq!(rows(&listed).len(), 1, "{listed}");
    let stderr = failed(
        &nova_admin(&auth, &["flavor-access-list", "--flavor", "m1.tiny"]).await,
        2,
    );
    assert!(stderr.contains("public flavors"), "{stderr}");
    let removed = json(
        &nova_admin(
            &auth,
            &["flavor-access-remove", &id, DEMO_PROJECT_ID, "-f", "json"],
        )
        .await,
    );
    assert!(rows(&removed).is_empty(), "{removed}");

    let updated =
        json(&nova_admin(&auth, &["flavor-update", &id, "new words", "-f", "json"]).await);
    assert_eq!(updated[0]["Description"], "new words");
    failed(
        &nova(&auth, &["flavor-create", "mine", "auto", "64", "1", "1"]).await,
        1,
    );
    ok(&nova_admin(&auth, &["flavor-delete", &id]).await);
    failed(&nova_admin(&auth, &["flavor-show", &id]).await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_reads_another_users_keypairs_another_projects_limits_and_the_zone_tree() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    // Nova generates the key below 2.92.
    ok(&nova(
        &auth,
        &[
            "--os-compute-api-version",
            "2.91",
            "keypair-add",
            "demo-key",
        ],
    )
    .await);

    let theirs = json(
        &nova_admin(
            &auth,
            &["keypair-list", "--user", DEMO_USER_ID, "-f", "json"],
        )
        .await,
    );
    assert!(
        rows(&theirs).iter().any(|k| k["Name"] == "demo-key"),
        "{theirs}"
    );
    let own = json(&nova_admin(&auth, &["keypair-list", "-f", "json"]).await);
    assert!(rows(&own).iter().all(|k| k["Name"] != "demo-key"), "{own}");
    let shown = json(
        &nova_admin(
            &auth,
            &[
                "keypair-show",
                "--user",
                DEMO_USER_ID,
                "demo-key",
                "-f",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(shown["user_id"], DEMO_USER_ID, "{shown}");
    failed(
        &nova(&auth, &["keypair-list", "--user", "someone-else"]).await,
        1,
    );
    ok(&nova_admin(
        &auth,
        &["keypair-delete", "--user", DEMO_USER_ID, "demo-key"],
    )
    .await);
    let gone = json(&nova(&auth, &["keypair-list", "-f", "json"]).await);
    assert!(rows(&gone).is_empty(), "{gone}");
    // keypair-add --user: the admin makes a keypair the demo user then owns.
    let private = ok(&nova_admin(
        &auth,
        &[
            "--os-compute-api-version",
            "2.91",
            "keypair-add",
            "--user",
            DEMO_USER_ID,
            "given-key",
        ],
    )
    .await);
    assert!(
        private.contains("PRIVATE KEY"),
        "generated key printed once"
    );
    let given = json(&nova(&auth, &["keypair-list", "-f", "json"]).await);
    assert!(
        rows(&given).iter().any(|k| k["Name"] == "given-key"),
        "{given}"
    );

    ok(&nova_admin(
        &auth,
        &["quota-update", "--instances", "3", DEMO_PROJECT_ID],
    )
    .await);
    let limits = json(
        &nova_admin(
            &auth,
            &["limits", "--tenant", DEMO_PROJECT_ID, "-f", "json"],
        )
        .await,
    );
    let instances = rows(&limits)
        .iter()
        .find(|r| r["Name"] == "Instances")
        .expect("instances");
    assert_eq!(instances["Max"], 3, "{limits}");
    failed(
        &nova(&auth, &["limits", "--tenant", "someone-else"]).await,
        1,
    );

    let tree = json(&nova_admin(&auth, &["availability-zone-list", "-f", "json"]).await);
    let names: Vec<&str> = rows(&tree)
        .iter()
        .filter_map(|r| r["Name"].as_str())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("|- ")), "{names:?}");
    assert!(
        rows(&tree).iter().any(
            |r| r["Name"].as_str().is_some_and(|n| n.starts_with("| |- "))
                && r["Status"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("enabled"))
        ),
        "{tree}"
    );
    let plain = json(&nova(&auth, &["availability-zone-list", "-f", "json"]).await);
    assert!(
        rows(&plain)
            .iter()
            .all(|r| !r["Name"].as_str().unwrap_or("|").starts_with('|')),
        "{plain}"
    );
}
