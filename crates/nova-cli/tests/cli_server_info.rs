//! `nova` server sub-resource commands against an in-process mock-cloud: interfaces, volume
//! attachments, consoles, instance actions, diagnostics and topology.

mod support;
use support::*;

use mock_cloud::{MockCloud, MockConfig};
use serde_json::Value;

fn column_values(list: &Value, column: &str) -> Vec<String> {
    list.as_array()
        .expect("a JSON list")
        .iter()
        .map(|row| match &row[column] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interfaces_and_volumes_attach_list_update_and_detach() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    boot(&auth, "att-1").await;
    let v = |version: &'static str, args: &[&'static str]| {
        let mut all = vec!["--os-compute-api-version", version];
        all.extend_from_slice(args);
        all
    };
    let net = "a1b2c3d4-0000-4000-8000-000000000001";
    let attached = json(
        &nova(
            &auth,
            &v(
                "2.70",
                &[
                    "interface-attach",
                    "--net-id",
                    net,
                    "--fixed-ip",
                    "10.7.7.7",
                    "--tag",
                    "data",
                    "-f",
                    "json",
                    "att-1",
                ],
            ),
        )
        .await,
    );
    let port = attached["port_id"].as_str().expect("port_id").to_owned();
    assert_eq!(attached["tag"], "data");
    let listed = json(
        &nova(
            &auth,
            &v("2.70", &["interface-list", "-f", "json", "att-1"]),
        )
        .await,
    );
    assert!(column_values(&listed, "IP addresses").contains(&"10.7.7.7".to_owned()));
    assert!(column_values(&listed, "Tag").contains(&"data".to_owned()));
    ok(&nova(&auth, &["interface-detach", "att-1", &port]).await);
    let listed = json(&nova(&auth, &["interface-list", "-f", "json", "att-1"]).await);
    assert!(!column_values(&listed, "Port ID").contains(&port));

    let vol = "c0ffee00-1111-4222-8333-444455556666";
    let other = "c0ffee00-1111-4222-8333-777788889999";
    let shown = json(
        &nova(
            &auth,
            &v(
                "2.79",
                &[
                    "volume-attach",
                    "--tag",
                    "db",
                    "--delete-on-termination",
                    "-f",
                    "json",
                    "att-1",
                    vol,
                    "/dev/vdc",
                ],
            ),
        )
        .await,
    );
    assert_eq!(shown["device"], "/dev/vdc");
    assert_eq!(shown["delete_on_termination"], true);
    // The tag flag is refused before sending at a version without it.
    let refused = nova(
        &auth,
        &v("2.48", &["volume-attach", "--tag", "x", "att-1", other]),
    )
    .await;
    failed(&refused, 2);
    let table = json(
        &nova(
            &auth,
            &v("2.79", &["volume-attachments", "-f", "json", "att-1"]),
        )
        .await,
    );
    assert_eq!(column_values(&table, "VOLUME ID"), [vol]);
    assert_eq!(column_values(&table, "TAG"), ["db"]);
    // Swapping is admin-only; the admin can.
    let denied = nova(&auth, &["volume-update", "att-1", vol, other]).await;
    assert!(failed(&denied, 1).contains("Policy"));
    ok(&nova(
        &auth,
        &v(
            "2.85",
            &[
                "volume-update",
                "--no-delete-on-termination",
                "att-1",
                vol,
                vol,
            ],
        ),
    )
    .await);
    let table = json(
        &nova(
            &auth,
            &v("2.85", &["volume-attachments", "-f", "json", "att-1"]),
        )
        .await,
    );
    assert_eq!(column_values(&table, "DELETE ON TERMINATION"), ["false"]);
    let id = column_values(&table, "SERVER ID").remove(0);
    ok(&nova_admin(&auth, &["volume-update", &id, vol, other]).await);
    ok(&nova(&auth, &["volume-detach", "att-1", other]).await);
    let table = json(&nova(&auth, &["volume-attachments", "-f", "json", "att-1"]).await);
    assert!(table.as_array().expect("list").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consoles_actions_diagnostics_and_topology() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = boot(&auth, "info-1").await;

    for version in ["2.5", "2.6"] {
        let console = json(
            &nova(
                &auth,
                &[
                    "--os-compute-api-version",
                    version,
                    "get-vnc-console",
                    "-f",
                    "json",
                    "info-1",
                    "novnc",
                ],
            )
            .await,
        );
        assert_eq!(column_values(&console, "Type"), ["novnc"], "{version}");
        assert!(
            column_values(&console, "Url")[0].contains("token"),
            "{version}"
        );
    }
    let bad = nova(
        &auth,
        &["get-serial-console", "--console-type", "vnc", "info-1"],
    )
    .await;
    assert!(failed(&bad, 2).contains("currently supported 'serial'"));
    let mks = nova(
        &auth,
        &[
            "--os-compute-api-version",
            "2.7",
            "get-mks-console",
            "info-1",
        ],
    )
    .await;
    failed(&mks, 2);

    ok(&nova(&auth, &["stop", "info-1"]).await);
    let actions = json(&nova(&auth, &["instance-action-list", "-f", "json", "info-1"]).await);
    let names = column_values(&actions, "Action");
    assert!(
        names.contains(&"create".to_owned()) && names.contains(&"stop".to_owned()),
        "{names:?}"
    );
    let stop = actions
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["Action"] == "stop")
        .expect("stop");
    let request = stop["Request_ID"].as_str().expect("request id");
    let shown = json(&nova(&auth, &["instance-action", "-f", "json", "info-1", request]).await);
    assert_eq!(shown["action"], "stop");
    assert!(
        shown["events"].as_array().is_some_and(|e| !e.is_empty()),
        "{shown}"
    );
    let paged = json(
        &nova(
            &auth,
            &[
                "--os-compute-api-version",
                "2.58",
                "instance-action-list",
                "--limit",
                "1",
                "-f",
                "json",
                "info-1",
            ],
        )
        .await,
    );
    assert_eq!(paged.as_array().expect("list").len(), 1);

    let denied = nova(&auth, &["diagnostics", &id]).await;
    failed(&denied, 1);
    let diag = json(
        &nova_admin(
            &auth,
            &[
                "--os-compute-api-version",
                "2.48",
                "diagnostics",
                "-f",
                "json",
                &id,
            ],
        )
        .await,
    );
    assert_eq!(diag["driver"], "libvirt");
    let topology = json(
        &nova(
            &auth,
            &[
                "--os-compute-api-version",
                "2.78",
                "server-topology",
                "-f",
                "json",
                "info-1",
            ],
        )
        .await,
    );
    assert!(
        topology["nodes"].as_array().is_some_and(|n| !n.is_empty()),
        "{topology}"
    );
}
