//! The version document cached next to the token (`OS_CACHE_AUTH=true`):
//! runs of the `nova` binary against an in-process mock-cloud, counting every
//! request the mock saw.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mock_cloud::faults::Fault;
use mock_cloud::{MockCloud, MockConfig};

mod support;

use support::*;

const LIST_ROUTE: &str = "GET /compute/v2.1/servers/detail";

fn cache_env(auth: &str, cache_home: &Path) -> Vec<(&'static str, String)> {
    let mut env = env_for(auth);
    env.push(("OS_CACHE_AUTH", "true".to_owned()));
    env.push(("XDG_CACHE_HOME", cache_home.display().to_string()));
    env
}

fn version_files(cache_home: &Path) -> Vec<PathBuf> {
    let dir = cache_home.join("nova-cli").join("versions");
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Requests to the version document (any route of the compute root that is
/// not an API resource).
fn version_requests(counts: &BTreeMap<String, u64>) -> u64 {
    counts
        .iter()
        .filter(|(route, _)| route.starts_with("GET /compute") && !route.contains("/servers"))
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_list_sends_only_the_list_request() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");

    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    let cold = cloud.counts();
    assert_eq!(cold.get(TOKEN_ROUTE), Some(&1), "{cold:?}");
    assert_eq!(version_requests(&cold), 1, "{cold:?}");
    let files = version_files(home.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let meta = std::fs::metadata(&files[0]).expect("meta");
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
        0o600
    );

    cloud.reset_counts();
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    let warm = cloud.counts();
    assert_eq!(
        warm,
        BTreeMap::from([(LIST_ROUTE.to_owned(), 1)]),
        "a warm `nova list` sent more than the list"
    );

    // without the opt-in, nothing is read: discovery again
    cloud.reset_counts();
    ok(&nova(&auth, &["list"]).await);
    assert_eq!(version_requests(&cloud.counts()), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_version_file_is_ignored_with_a_warning() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    let file = version_files(home.path())[0].clone();
    std::fs::write(&file, "{\"endpoint\": [garbage").expect("write");

    cloud.reset_counts();
    let out = run_with(cache_env(&auth, home.path()), &["list"]).await;
    ok(&out);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ignoring the version cache"), "{stderr}");
    assert!(!stderr.contains("garbage"), "the file was quoted: {stderr}");
    assert_eq!(version_requests(&cloud.counts()), 1);
    // rewritten whole: the next run uses it
    cloud.reset_counts();
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(version_requests(&cloud.counts()), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_document_is_rediscovered() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    let file = version_files(home.path())[0].clone();

    // a cloud that "was" at 2.50: asking for 2.60 discovers again, in this run
    let mut saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    saved["document"]["max_version"] = "2.50".into();
    saved["range"]["max"] = "2.50".into();
    std::fs::write(&file, saved.to_string()).expect("write");
    cloud.reset_counts();
    let out = run_with(
        cache_env(&auth, home.path()),
        &["--os-compute-api-version", "2.60", "list"],
    )
    .await;
    ok(&out);
    assert_eq!(version_requests(&cloud.counts()), 1);
    let rewritten = std::fs::read_to_string(&file).expect("read");
    assert!(!rewritten.contains("2.50"), "{rewritten}");

    // a 406 from Nova drops the document; the next run discovers again
    cloud
        .control()
        .add_fault(Fault::status(LIST_ROUTE, 406).times(1));
    cloud.reset_counts();
    let out = run_with(cache_env(&auth, home.path()), &["list"]).await;
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(version_requests(&cloud.counts()), 0);
    assert!(version_files(home.path()).is_empty(), "kept after a 406");
    cloud.reset_counts();
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(version_requests(&cloud.counts()), 1);
}
