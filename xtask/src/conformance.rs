//! `cargo xtask conformance`: the `tests/` suite against a real Keystone,
//! Nova, Placement and Glance (pinned releases from PyPI, on SQLite, on
//! loopback), then the reverse check: python-openstackclient and
//! python-novaclient against the mock-cloud binary.
//!
//! Phases, each timed: the venv (`target/conformance/venv`, reused while
//! `conformance/requirements.txt` is unchanged), the real cloud
//! (`target/conformance/run-*`), the suite, the dashboard's browser test
//! (headless Chromium, see `browser.rs`), stopping the cloud, the reverse
//! check. Every process started here leads its own process group and is
//! stopped on every exit path (see `service.rs`).
//!
//! After the suite, the differential CLI check (`cli_diff.rs`) runs the
//! `nova` lines of `conformance/cli-scenarios.toml` with python-novaclient
//! and with ours on the same cloud: `--quick` (the default, every command at
//! least once) or `--full` (every scenario). `--cli-only [--quick|--full]`
//! runs only that check, against the cloud `--serve` keeps up.
//!
//! `--suite-only` / `--reverse-only` run one half. `--serve [MINUTES]`
//! starts the real cloud alone and keeps it up (default 60 minutes, or until
//! interrupted) with a `clouds.yaml` holding a `conformance-demo` (member)
//! and a `conformance-admin` cloud, for comparing tools by hand.

mod browser;
mod cli_diff;
mod cloud;
mod coverage;
mod probe;
mod reverse;
mod suite;
mod venv;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::process;

const USAGE: &str = "usage: cargo xtask conformance [--quick | --full] \
                     [--suite-only | --reverse-only | --cli-only | --serve [MINUTES]] [--bless-readme]";

/// Wall-clock time of each phase, printed at the end.
#[derive(Default)]
pub struct Timings {
    phases: Vec<(String, f64)>,
}

impl Timings {
    /// Records that `name` took from `started` until now, and prints it.
    pub fn record(&mut self, name: &str, started: Instant) {
        let seconds = started.elapsed().as_secs_f64();
        println!("== {name}: {seconds:.1}s");
        self.phases.push((name.to_string(), seconds));
    }

    fn print(&self) {
        println!("== timings");
        for (name, seconds) in &self.phases {
            println!("  {seconds:>6.1}s  {name}");
        }
    }
}

/// Entry point for `cargo xtask conformance`.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(rest) = args.strip_prefix(&["--serve".to_string()]) {
        let minutes = match rest {
            [] => 60,
            [minutes] => minutes.parse::<u64>().map_err(|_| USAGE.to_string())?,
            _ => return Err(USAGE.to_string()),
        };
        return serve(minutes);
    }
    // `--bless-readme`: the README's route-coverage table is rewritten from this run.
    let bless_readme = args.iter().any(|arg| arg == "--bless-readme");
    let args: Vec<String> = args
        .iter()
        .filter(|arg| *arg != "--bless-readme")
        .cloned()
        .collect();
    let (selection, args) = cli_selection(&args);
    if args.first().map(String::as_str) == Some("--cli-only") {
        if args.len() != 1 {
            return Err(USAGE.to_string());
        }
        return cli_only(selection);
    }
    let (suite_wanted, reverse_wanted) = match args.as_slice() {
        [] => (true, true),
        [flag] if flag == "--suite-only" => (true, false),
        [flag] if flag == "--reverse-only" => (false, true),
        _ => return Err(USAGE.to_string()),
    };
    crate::service::install_signal_handler();
    let total = Instant::now();
    let mut timings = Timings::default();
    let root = process::workspace_root();
    let conformance_dir = root.join("conformance");
    let work = root.join("target").join("conformance");

    let step = Instant::now();
    let venv = venv::ensure(
        &work.join("venv"),
        &conformance_dir.join("requirements.txt"),
    )?;
    timings.record("venv", step);
    let run_dir = fresh_run_dir(&work)?;
    println!("run directory: {}", run_dir.display());

    let mut failures = Vec::new();
    let mut summary = Vec::new();
    if suite_wanted {
        let outcome = real_cloud_suite(&venv, &conformance_dir, &run_dir, selection, &mut timings);
        match outcome.coverage {
            Ok(coverage) => {
                summary.push(format!("ok    {}", coverage.summary()));
                if let Err(message) = write_coverage(&coverage, &root, &work, bless_readme) {
                    summary.push(format!("FAIL  route coverage: {message}"));
                    failures.push("route coverage");
                }
            }
            Err(message) => {
                summary.push(format!("FAIL  route coverage: {message}"));
                failures.push("route coverage");
            }
        }
        match outcome.suite {
            Ok(line) => summary.push(line),
            Err(message) => {
                summary.push(format!("FAIL  suite against the real cloud: {message}"));
                failures.push("suite against the real cloud");
            }
        }
        match outcome.cli_diff {
            Ok(line) => summary.push(format!(
                "ok    CLI differential against the real cloud: {line}"
            )),
            Err(message) => {
                summary.push(format!(
                    "FAIL  CLI differential against the real cloud: {message}"
                ));
                failures.push("CLI differential against the real cloud");
            }
        }
        match outcome.browser {
            Ok(line) => summary.push(line),
            Err(message) => {
                summary.push(format!(
                    "FAIL  dashboard browser test against the real cloud: {message}"
                ));
                failures.push("dashboard browser test against the real cloud");
            }
        }
    }
    if reverse_wanted {
        let step = Instant::now();
        match reverse::run(&venv, &run_dir) {
            Ok(steps) => summary.push(format!(
                "ok    reverse check: {} client commands against mock-cloud ({})",
                steps.len(),
                steps
                    .iter()
                    .map(|step| step
                        .command
                        .split_whitespace()
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(" "))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Err(message) => {
                summary.push(format!("FAIL  reverse check: {message}"));
                failures.push("reverse check");
            }
        }
        timings.record(
            "reverse check (openstack + nova CLIs against mock-cloud)",
            step,
        );
    }

    println!();
    timings.print();
    println!("  {:>6.1}s  total", total.elapsed().as_secs_f64());
    println!("== conformance summary");
    for line in &summary {
        println!("  {line}");
    }
    println!("logs and configs: {}", run_dir.display());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("conformance failed: {}", failures.join(", ")))
    }
}

/// Takes `--quick` / `--full` out of `args`: the selection (quick by default) and the rest.
fn cli_selection(args: &[String]) -> (cli_diff::Selection, Vec<String>) {
    let mut selection = cli_diff::Selection::Quick;
    let mut rest = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--quick" => selection = cli_diff::Selection::Quick,
            "--full" => selection = cli_diff::Selection::Full,
            _ => rest.push(arg.clone()),
        }
    }
    (selection, rest)
}

/// `--cli-only`: the differential CLI check against the cloud `--serve` keeps up.
fn cli_only(selection: cli_diff::Selection) -> Result<(), String> {
    let root = process::workspace_root();
    let work = root.join("target").join("conformance");
    let venv = venv::ensure(
        &work.join("venv"),
        &root.join("conformance").join("requirements.txt"),
    )?;
    let auth_url = cli_diff::served_auth_url(&work)?;
    let run_dir = work.join(format!("cli-only-{}", std::process::id()));
    std::fs::create_dir_all(&run_dir)
        .map_err(|error| format!("cannot create {}: {error}", run_dir.display()))?;
    println!("cli differential against the served cloud at {auth_url}");
    let summary = cli_diff::run(&venv, &auth_url, &run_dir, selection)?;
    println!("ok    CLI differential: {}", summary.line());
    Ok(())
}

/// `--serve`: the real cloud alone, up for `minutes` or until interrupted.
fn serve(minutes: u64) -> Result<(), String> {
    crate::service::install_signal_handler();
    let root = process::workspace_root();
    let conformance_dir = root.join("conformance");
    let work = root.join("target").join("conformance");
    let mut timings = Timings::default();
    let venv = venv::ensure(
        &work.join("venv"),
        &conformance_dir.join("requirements.txt"),
    )?;
    let run_dir = fresh_run_dir(&work)?;
    let cloud = cloud::RealCloud::start(&venv, &conformance_dir, &run_dir, &mut timings)?;
    let clouds_yaml = cloud.write_clouds_yaml()?;
    println!("real cloud up: identity {}", cloud.auth_url());
    println!("clouds.yaml:   {}", clouds_yaml.display());
    println!("python venv:   {}", venv.root().display());
    println!(
        "use: OS_CLIENT_CONFIG_FILE={} OS_CLOUD=conformance-demo (or conformance-admin)",
        clouds_yaml.display()
    );
    println!("up for {minutes} minutes; Ctrl-C stops it sooner");
    std::thread::sleep(std::time::Duration::from_secs(minutes * 60));
    cloud.stop()
}

/// What the real cloud's half of the run gave: the suite's summary line and the dashboard
/// browser test's.
struct RealCloudOutcome {
    suite: Result<String, String>,
    cli_diff: Result<String, String>,
    browser: Result<String, String>,
    coverage: Result<coverage::RouteCoverage, String>,
}

/// Starts the real cloud, runs the suite and the dashboard's browser test against it, stops
/// the cloud.
fn real_cloud_suite(
    venv: &venv::Venv,
    conformance_dir: &Path,
    run_dir: &Path,
    selection: cli_diff::Selection,
    timings: &mut Timings,
) -> RealCloudOutcome {
    let step = Instant::now();
    let cloud = match cloud::RealCloud::start(venv, conformance_dir, run_dir, timings) {
        Ok(cloud) => cloud,
        Err(message) => {
            return RealCloudOutcome {
                suite: Err(message),
                cli_diff: Err("the real cloud did not start".to_owned()),
                browser: Err("the real cloud did not start".to_owned()),
                coverage: Err("the real cloud did not start".to_owned()),
            };
        }
    };
    timings.record("real cloud ready (total)", step);
    println!("real cloud: identity {}", cloud.auth_url());

    let step = Instant::now();
    let clouds_yaml = match cloud.write_clouds_yaml() {
        Ok(path) => path,
        Err(message) => {
            let _ = cloud.stop();
            return RealCloudOutcome {
                suite: Err(message),
                cli_diff: Err("the clouds.yaml for the real cloud could not be written".to_owned()),
                browser: Err("the clouds.yaml for the real cloud could not be written".to_owned()),
                coverage: Err("the suite did not run".to_owned()),
            };
        }
    };
    let (result, outcome) = suite::run(&cloud.suite_env(&clouds_yaml));
    timings.record("integration suite against the real cloud", step);
    // The suite's requests only: read before the browser test adds its own.
    let coverage = route_coverage(&cloud, conformance_dir);

    let step = Instant::now();
    let browser = browser::run(&cloud.clouds_yaml(), run_dir);
    timings.record("dashboard browser test against the real cloud", step);

    let step = Instant::now();
    let cli_diff =
        cli_diff::run(venv, &cloud.auth_url(), run_dir, selection).map(|summary| summary.line());
    timings.record("CLI differential against the real cloud", step);

    let step = Instant::now();
    let stopped = cloud.stop();
    timings.record("stop the real cloud", step);

    println!(
        "conformance: integration suite against the real cloud: {}",
        outcome.summary()
    );
    println!(
        "conformance: auth methods exercised against the real cloud: {}",
        outcome.auth_methods.len()
    );
    for method in &outcome.auth_methods {
        println!("  {method}");
    }
    for (why, tests) in outcome.skips_by_reason() {
        println!("  skipped {} ({why}):", tests.len());
        for test in tests {
            println!("    {test}");
        }
    }
    let suite = result.and(stopped).map(|()| {
        format!(
            "ok    suite against real Keystone 30.0.0 + Nova 34.0.0: {}; auth methods exercised: {}",
            outcome.summary(),
            outcome
                .auth_methods
                .iter()
                .map(|m| m.split(" (").next().unwrap_or(m))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    RealCloudOutcome {
        suite,
        cli_diff,
        browser,
        coverage,
    }
}

/// The route coverage of the requests the real cloud's Nova has answered so far.
fn route_coverage(
    cloud: &cloud::RealCloud,
    conformance_dir: &Path,
) -> Result<coverage::RouteCoverage, String> {
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))
    };
    Ok(coverage::RouteCoverage::compute(
        &read(&cloud.routes_file())?,
        &read(&cloud.request_log())?,
        &read(&conformance_dir.join("route-exclusions.tsv"))?,
    ))
}

/// Prints the coverage (not-exercised routes grouped by reason), writes its table to
/// `target/conformance/route-coverage.md` and, with `bless_readme`, into README.md.
fn write_coverage(
    coverage: &coverage::RouteCoverage,
    root: &Path,
    work: &Path,
    bless_readme: bool,
) -> Result<(), String> {
    println!("conformance: {}", coverage.summary());
    for (why, routes) in coverage.not_exercised_by_reason() {
        println!("  not exercised {} ({why}):", routes.len());
        for route in routes {
            println!("    {route}");
        }
    }
    for stale in &coverage.stale_exclusions {
        println!("  note: conformance/route-exclusions.tsv: {stale}");
    }
    let table = coverage.markdown();
    let path = work.join("route-coverage.md");
    std::fs::write(&path, &table)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    println!("route coverage table: {}", path.display());
    if bless_readme {
        let readme_path = root.join("README.md");
        let readme = std::fs::read_to_string(&readme_path)
            .map_err(|error| format!("cannot read {}: {error}", readme_path.display()))?;
        let updated = coverage::replace_readme_table(&readme, &table)
            .ok_or_else(|| format!("README.md has no `{}` marker", coverage::README_BEGIN))?;
        std::fs::write(&readme_path, updated)
            .map_err(|error| format!("cannot write {}: {error}", readme_path.display()))?;
        println!("README.md: route coverage table rewritten");
    }
    Ok(())
}

/// A new `run-<seconds>-<pid>` directory; older runs are removed first.
fn fresh_run_dir(work: &Path) -> Result<PathBuf, String> {
    if let Ok(entries) = std::fs::read_dir(work) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("run-") {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let dir = work.join(format!("run-{seconds}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    Ok(dir)
}
