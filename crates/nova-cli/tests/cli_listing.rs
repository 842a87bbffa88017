//! The listing options as a user runs them: `flavor-list` filters, sorting, pages and
//! `--all`; `keypair-list` pages; `limits --reserved`; and the admin's
//! `instance-usage-audit-log [--before]`.

mod support;
use support::*;

use mock_cloud::{MockCloud, MockConfig};
use serde_json::Value;

fn rows(value: &Value) -> &Vec<Value> {
    value.as_array().expect("a JSON list")
}

fn column(value: &Value, name: &str) -> Vec<Value> {
    rows(value).iter().map(|row| row[name].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flavor_list_filters_sorts_pages_and_shows_private_flavors_with_all() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let every = json(&nova(&auth, &["flavor-list", "-f", "json"]).await);
    let ids = column(&every, "ID");
    assert!(ids.len() >= 3, "{every}");

    let big = json(&nova(&auth, &["flavor-list", "--min-ram", "2048", "-f", "json"]).await);
    let rams = column(&big, "Memory_MiB");
    assert!(!rams.is_empty() && rams.len() < ids.len(), "{big}");
    assert!(rams.iter().all(|r| r.as_u64().is_some_and(|r| r >= 2048)));

    let sorted = json(
        &nova(
            &auth,
            &[
                "flavor-list",
                "--sort-key",
                "memory_mb",
                "--sort-dir",
                "desc",
                "-f",
                "json",
            ],
        )
        .await,
    );
    let rams: Vec<u64> = column(&sorted, "Memory_MiB")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(rams.len(), ids.len());
    assert!(rams.windows(2).all(|w| w[0] >= w[1]), "{rams:?}");

    let first = json(&nova(&auth, &["flavor-list", "--limit", "1", "-f", "json"]).await);
    assert_eq!(column(&first, "ID"), [ids[0].clone()]);
    let marker = ids[0].as_str().expect("an id");
    let second = json(
        &nova(
            &auth,
            &[
                "flavor-list",
                "--marker",
                marker,
                "--limit",
                "1",
                "-f",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(column(&second, "ID"), [ids[1].clone()]);

    failed(
        &nova(&auth, &["flavor-list", "--sort-dir", "sideways"]).await,
        2,
    );
    let stderr = failed(&nova(&auth, &["flavor-list", "--marker", "nope"]).await, 1);
    assert!(stderr.contains("marker [nope] not found"), "{stderr}");

    ok(&nova_admin(
        &auth,
        &[
            "flavor-create",
            "--is-public",
            "false",
            "hidden",
            "auto",
            "64",
            "1",
            "1",
        ],
    )
    .await);
    let names = |v: &Value| column(v, "Name");
    let public = json(&nova_admin(&auth, &["flavor-list", "-f", "json"]).await);
    assert!(!names(&public).contains(&Value::from("hidden")));
    let all = json(&nova_admin(&auth, &["flavor-list", "--all", "-f", "json"]).await);
    assert!(names(&all).contains(&Value::from("hidden")), "{all}");
    assert_eq!(names(&all).len(), names(&public).len() + 1);
    let demo_all = json(&nova(&auth, &["flavor-list", "--all", "-f", "json"]).await);
    assert!(!names(&demo_all).contains(&Value::from("hidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keypair_list_pages_with_marker_and_limit_from_2_35() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    for name in ["kp-a", "kp-b", "kp-c"] {
        ok(&nova(
            &auth,
            &["--os-compute-api-version", "2.91", "keypair-add", name],
        )
        .await);
    }
    let first = json(&nova(&auth, &["keypair-list", "--limit", "2", "-f", "json"]).await);
    let first = column(&first, "Name");
    assert_eq!(first.len(), 2, "{first:?}");
    let marker = first[1].as_str().expect("a name");
    let rest = json(&nova(&auth, &["keypair-list", "--marker", marker, "-f", "json"]).await);
    let rest = column(&rest, "Name");
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert!(!first.contains(&rest[0]));

    let stderr = failed(
        &nova(
            &auth,
            &[
                "--os-compute-api-version",
                "2.34",
                "keypair-list",
                "--limit",
                "1",
            ],
        )
        .await,
        2,
    );
    assert!(
        stderr.contains("field limit requires compute API version >=2.35"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_reserved_and_the_usage_audit_log() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let plain = json(&nova(&auth, &["limits", "-f", "json"]).await);
    let reserved = json(
        &nova(
            &auth,
            &[
                "--os-compute-api-version",
                "2.74",
                "limits",
                "--reserved",
                "-f",
                "json",
            ],
        )
        .await,
    );
    assert!(column(&reserved, "Name").contains(&Value::from("Instances")));
    let latest = nova(&auth, &["limits", "--reserved", "-f", "json"]).await;
    assert_eq!(json(&latest), plain, "reservations are always 0");
    assert!(text(&latest.stderr).contains("--reserved is not sent"));

    let report = json(&nova_admin(&auth, &["instance-usage-audit-log", "-f", "json"]).await);
    assert_eq!(
        report["overall_status"], "ALL hosts done. 0 errors.",
        "{report}"
    );
    assert_eq!(report["num_hosts"], 2, "compute-0 and compute-1: {report}");
    let past = json(
        &nova_admin(
            &auth,
            &[
                "instance-usage-audit-log",
                "--before",
                "2012-07-05 10:00:00",
                "-f",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(past["period_beginning"], "2012-06-01 00:00:00");
    assert_eq!(past["period_ending"], "2012-07-01 00:00:00");
    let table = ok(&nova_admin(&auth, &["instance-usage-audit-log"]).await);
    assert!(table.contains("| hosts_not_run"), "{table}");

    let stderr = failed(&nova(&auth, &["instance-usage-audit-log"]).await, 1);
    assert!(stderr.contains("Forbidden"), "{stderr}");
    let stderr = failed(
        &nova_admin(
            &auth,
            &["instance-usage-audit-log", "--before", "yesterday"],
        )
        .await,
        2,
    );
    assert!(stderr.contains("\"yesterday\" is not a time"), "{stderr}");
}
