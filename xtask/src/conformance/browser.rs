//! The dashboard's browser test (headless Chromium over WebDriver) against the real cloud:
//! `cargo test -p nova-dashboard --test browser` with `NOVA_DASHBOARD_BROWSER_CLOUD` naming
//! the `conformance-demo` cloud of a `clouds.yaml` written into the run directory.
//! Its screenshots go to `target/dashboard-browser/conformance-demo/`.

use std::path::Path;

use super::suite::{self, SuiteOutcome};
use crate::process;

/// The cloud of `clouds.yaml` the browser logs in to.
const CLOUD: &str = "conformance-demo";

/// Runs the browser test against the cloud described by `clouds_yaml` (written to
/// `run_dir/clouds.yaml`); returns the summary line.
pub fn run(clouds_yaml: &str, run_dir: &Path) -> Result<String, String> {
    let path = run_dir.join("clouds.yaml");
    std::fs::write(&path, clouds_yaml)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    let mut command = process::cargo(&[
        "test",
        "--locked",
        "-p",
        "nova-dashboard",
        "--test",
        "browser",
        "--",
        "--nocapture",
    ]);
    command
        .env("OS_CLIENT_CONFIG_FILE", &path)
        .env("NOVA_DASHBOARD_BROWSER_CLOUD", CLOUD)
        .env_remove("OS_CLOUD");
    let (result, outcome) = suite::run_counting(command);
    result?;
    summary(&outcome)
}

fn summary(outcome: &SuiteOutcome) -> Result<String, String> {
    let shots = process::target_dir().join("dashboard-browser").join(CLOUD);
    Ok(if outcome.counts.passed == 0 {
        return Err("the browser test did not run".to_owned());
    } else if !outcome.skipped.is_empty() {
        "skip  dashboard browser test against the real cloud: chromium/chromedriver unavailable (see SKIPPED above)".to_owned()
    } else {
        format!(
            "ok    dashboard browser test (headless Chromium) against the real cloud; screenshots in {}",
            shots.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_whether_the_browser_ran() {
        let mut outcome = SuiteOutcome::default();
        assert!(summary(&outcome).is_err());
        outcome
            .add_line("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
        assert!(summary(&outcome).is_ok_and(|line| line.starts_with("ok")));
        outcome.add_line("SKIPPED launch_watch_and_delete_in_headless_chromium: no chromium");
        assert!(summary(&outcome).is_ok_and(|line| line.starts_with("skip")));
    }
}
