//! The `nova` binary's retry defaults (issue 19, class 8): with no `--connect-retries`
//! on the command line, a connection lost after a GET or DELETE was sent is re-sent up to
//! 3 times, as the README's Reliability table says; a create is never re-sent and says
//! the server may exist. An in-process mock-cloud drops the connections and counts the
//! requests.

use mock_cloud::faults::Fault;
use mock_cloud::{MockCloud, MockConfig};

mod support;

use support::*;

const LIST_ROUTE: &str = "GET /compute/v2.1/servers/detail";
const DELETE_ROUTE: &str = "DELETE /compute/v2.1/servers/{id}";
const CREATE_ROUTE: &str = "POST /compute/v2.1/servers";

/// Faults of `route` fired so far (any action).
fn fired(cloud: &MockCloud, route: &str) -> u64 {
    cloud
        .control()
        .faults_fired()
        .iter()
        .filter(|(key, _)| key.starts_with(route))
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn a_get_whose_connection_drops_is_resent_three_times_by_default() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    seed_demo_servers(&cloud, 1, "kept");

    // three lost answers: the fourth attempt succeeds
    cloud
        .control()
        .add_fault(Fault::drop_after(LIST_ROUTE).times(3));
    let listed = ok(&nova(&auth, &["list"]).await);
    assert!(listed.contains("kept-"), "{listed}");
    assert_eq!(
        fired(&cloud, LIST_ROUTE),
        3,
        "{:?}",
        cloud.control().faults_fired()
    );
    assert!(cloud.control().faults().is_empty());

    // four lost answers: the budget of 3 extra attempts is spent, one clear error
    cloud.control().reset_faults_fired();
    cloud
        .control()
        .add_fault(Fault::drop_after(LIST_ROUTE).times(4));
    let out = nova(&auth, &["list"]).await;
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(fired(&cloud, LIST_ROUTE), 4);
    cloud.control().clear_faults();

    // `--connect-retries 0` turns the re-sending off
    cloud.control().reset_faults_fired();
    cloud.control().add_fault(Fault::drop_after(LIST_ROUTE));
    let out = nova(&auth, &["--connect-retries", "0", "list"]).await;
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(fired(&cloud, LIST_ROUTE), 1);
}

#[tokio::test]
async fn a_delete_whose_answer_is_lost_is_resent_and_its_404_is_success() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let id = seed_demo_servers(&cloud, 1, "doomed").remove(0);

    cloud.control().add_fault(Fault::drop_after(DELETE_ROUTE));
    let out = nova(&auth, &["delete", &id]).await;
    let stdout = ok(&out);
    assert!(stdout.contains("doomed-1"), "{stdout}");
    assert_eq!(fired(&cloud, DELETE_ROUTE), 1);
    let listed = ok(&nova(&auth, &["list"]).await);
    assert!(!listed.contains(&id), "{listed}");
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_not_resent_and_may_exist() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();

    cloud.control().add_fault(Fault::drop_after(CREATE_ROUTE));
    cloud.reset_counts();
    let out = nova(&auth, &[DEMO_BOOT, &["lost-answer"]].concat()).await;
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("it may have reached the server"),
        "says the server may exist: {stderr}"
    );
    assert_eq!(cloud.count(CREATE_ROUTE), 1, "{:?}", cloud.counts());
    // the handler ran: the one server exists, once
    let listed = ok(&nova(&auth, &["list"]).await);
    assert_eq!(listed.matches("lost-answer").count(), 1, "{listed}");
}
