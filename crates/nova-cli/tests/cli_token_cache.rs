//! The opt-in token cache as a user meets it: `OS_CACHE_AUTH=true` runs of
//! the `nova` binary against an in-process mock-cloud on 127.0.0.1.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use mock_cloud::{MockCloud, MockConfig};

mod support;

use support::*;

fn cache_env(auth: &str, cache_home: &Path) -> Vec<(&'static str, String)> {
    let mut env = env_for(auth);
    env.push(("OS_CACHE_AUTH", "true".to_owned()));
    env.push(("XDG_CACHE_HOME", cache_home.display().to_string()));
    env
}

async fn run_with(env: Vec<(&'static str, String)>, args: &[&str]) -> std::process::Output {
    let mut cmd = command_with(env, args);
    tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("nova runs")
}

fn cache_files(cache_home: &Path) -> Vec<PathBuf> {
    let dir = cache_home.join("nova-cli").join("auth");
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_cache_skips_keystone_and_holds_only_the_token() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");

    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(cloud.count(TOKEN_ROUTE), 1);
    let files = cache_files(home.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = std::fs::metadata(&files[0])
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let saved = std::fs::read_to_string(&files[0]).expect("read");
    assert!(!saved.contains("demo-password"), "the password is on disk");

    let warm = run_with(cache_env(&auth, home.path()), &["--timings", "list"]).await;
    ok(&warm);
    assert_eq!(cloud.count(TOKEN_ROUTE), 1, "a warm cache asked Keystone");
    let timings = text(&warm.stderr);
    assert!(!timings.contains("/identity/"), "{timings}");
    assert!(timings.contains("/compute/v2.1/servers"), "{timings}");

    // without the opt-in, nothing is read or written
    ok(&nova(&auth, &["list"]).await);
    assert_eq!(cloud.count(TOKEN_ROUTE), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_replaced() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    let before = std::fs::read_to_string(&cache_files(home.path())[0]).expect("read");
    assert!(cloud.control().revoke_all_tokens() >= 1);

    // the cached token gets a 401: nova re-authenticates and succeeds
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(cloud.count(TOKEN_ROUTE), 2);
    let after = std::fs::read_to_string(&cache_files(home.path())[0]).expect("read");
    assert_ne!(before, after, "the rejected token stayed in the cache");

    // and the new one is used by the next run
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(cloud.count(TOKEN_ROUTE), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_or_readable_cache_files_are_not_used() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    let file = cache_files(home.path())[0].clone();

    std::fs::write(&file, "{\"auth_token\": \"x\", garbage").expect("write");
    let out = run_with(cache_env(&auth, home.path()), &["list"]).await;
    ok(&out);
    assert!(
        text(&out.stderr).contains("ignoring the token cache"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(cloud.count(TOKEN_ROUTE), 2);

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = run_with(cache_env(&auth, home.path()), &["list"]).await;
    ok(&out);
    assert!(text(&out.stderr).contains("0600"), "{}", text(&out.stderr));
    assert_eq!(
        cloud.count(TOKEN_ROUTE),
        3,
        "a world-readable cache was used"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_runs_share_one_whole_file() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");
    let (a, b) = tokio::join!(
        run_with(cache_env(&auth, home.path()), &["list"]),
        run_with(cache_env(&auth, home.path()), &["list"]),
    );
    ok(&a);
    ok(&b);
    assert_eq!(cache_files(home.path()).len(), 1);
    let before = cloud.count(TOKEN_ROUTE);
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(cloud.count(TOKEN_ROUTE), before, "the file was not whole");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_login_deletes_the_cache() {
    let cloud = MockCloud::start(MockConfig::default()).await.expect("mock");
    let auth = cloud.auth_url().to_owned();
    let home = tempfile::tempdir().expect("tmp");
    ok(&run_with(cache_env(&auth, home.path()), &["list"]).await);
    assert_eq!(cache_files(home.path()).len(), 1);
    cloud.control().expire_all_tokens();
    let mut env = cache_env(&auth, home.path());
    for (k, v) in &mut env {
        if *k == "OS_PASSWORD" {
            *v = "wrong".to_owned();
        }
    }
    let out = run_with(env, &["list"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(cache_files(home.path()).is_empty());
}
