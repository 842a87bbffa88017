//! `cargo xtask bench [--cloud NAME] [--runs N] [--quick]`: our crates against bare
//! reqwest, whole processes, side by side in one run.
//!
//! Builds `mock-cloud`, `nova-bench` (and `nova-cli` when it builds) in release mode, starts
//! the mock-cloud release binary (or uses cloud NAME from clouds.yaml: read-only scenarios
//! only), seeds it through its control API, then for each scenario runs one warm-up pair
//! and N measured pairs, alternating `bench-ours` and `bench-baseline` (A B A B ...), each
//! under `bench-measure` (wall, CPU user+sys and peak RSS from `getrusage`). The mock's CPU
//! (from `/proc/PID/stat`) and its request counters are read around every run. The report
//! is printed and written to `<target>/bench/report.md` and `report.json`.

mod control;
mod report;
mod runner;

use std::path::{Path, PathBuf};
use std::time::Instant;

use secrecy::ExposeSecret;

use crate::mock::MockProcess;
use crate::process;
use report::Row;
use runner::{Probe, Program, Sample};

const USAGE: &str = "usage: cargo xtask bench [--cloud NAME] [--runs N] [--quick]";

/// Options of one bench run.
#[derive(Debug, Clone)]
struct Options {
    cloud: Option<String>,
    runs: usize,
    quick: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        cloud: None,
        runs: 5,
        quick: false,
    };
    let mut runs_given = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--cloud" => {
                options.cloud = Some(args.next().ok_or(USAGE)?.clone());
            }
            "--runs" => {
                let text = args.next().ok_or(USAGE)?;
                options.runs = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .ok_or_else(|| format!("--runs {text}: expected 1 to 100\n{USAGE}"))?;
                runs_given = true;
            }
            "--quick" => options.quick = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if options.quick && !runs_given {
        options.runs = 2;
    }
    Ok(options)
}

/// Entry point.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let started = Instant::now();
    let bin = build()?;
    let out_dir = process::target_dir().join("bench");
    let logs = out_dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(|error| format!("cannot create {logs:?}: {error}"))?;
    let mut bench = Bench {
        measure: bin.join("bench-measure"),
        ours: bin.join("bench-ours"),
        base: bin.join("bench-baseline"),
        nova: Some(bin.join("nova")).filter(|p| p.exists() && nova_cli_built()),
        logs,
        runs: options.runs,
        rows: Vec::new(),
        notes: Vec::new(),
        probe: None,
    };
    let header = match &options.cloud {
        None => bench.against_mock(&bin, options.quick)?,
        Some(name) => bench.against_cloud(name)?,
    };
    let header = format!(
        "{header}\n\n{} measured pairs per scenario after one warm-up pair, alternating ours and baseline; whole processes under `bench-measure` (getrusage of the child). Total time {:.0} s.",
        options.runs,
        started.elapsed().as_secs_f64()
    );
    let markdown = report::markdown(&bench.rows, &header, &bench.notes);
    let json = report::json(&bench.rows, &header, &bench.notes);
    println!("\n{markdown}");
    let md_path = out_dir.join("report.md");
    let json_path = out_dir.join("report.json");
    std::fs::write(&md_path, &markdown)
        .map_err(|error| format!("cannot write {md_path:?}: {error}"))?;
    std::fs::write(
        &json_path,
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    )
    .map_err(|error| format!("cannot write {json_path:?}: {error}"))?;
    println!(
        "bench: report written to {} and {}",
        md_path.display(),
        json_path.display()
    );
    Ok(())
}

/// Whether the last release build of nova-cli succeeded (set by [`build`]).
fn nova_cli_built() -> bool {
    NOVA_CLI_BUILT.load(std::sync::atomic::Ordering::Relaxed)
}

static NOVA_CLI_BUILT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Builds the release binaries in one cargo run (so they share one feature set); without
/// nova-cli when it does not build. Returns the release directory.
fn build() -> Result<PathBuf, String> {
    let base = [
        "build",
        "--release",
        "--locked",
        "-p",
        "mock-cloud",
        "-p",
        "nova-bench",
    ];
    if process::workspace_root()
        .join("crates/nova-cli/Cargo.toml")
        .exists()
    {
        let mut with_cli = base.to_vec();
        with_cli.extend(["-p", "nova-cli"]);
        match process::run(process::cargo(&with_cli)) {
            Ok(()) => {
                NOVA_CLI_BUILT.store(true, std::sync::atomic::Ordering::Relaxed);
                return Ok(process::target_dir().join("release"));
            }
            Err(message) => {
                eprintln!("xtask: nova-cli did not build ({message}); the CLI rows are skipped")
            }
        }
    }
    process::run(process::cargo(&base))?;
    Ok(process::target_dir().join("release"))
}

/// One scenario to measure.
struct Case<'a> {
    name: &'a str,
    what: &'a str,
    ours: Program,
    base: Program,
    /// Items each side must report (checked on every run).
    expect: Option<u64>,
    servers: Option<u64>,
    targeted: bool,
    runs: usize,
}

struct Bench {
    measure: PathBuf,
    ours: PathBuf,
    base: PathBuf,
    nova: Option<PathBuf>,
    logs: PathBuf,
    runs: usize,
    rows: Vec<Row>,
    notes: Vec<String>,
    probe: Option<Probe>,
}

impl Bench {
    fn program(&self, path: &Path, args: &[&str], env: &[(String, String)]) -> Program {
        Program {
            path: path.to_path_buf(),
            args: args.iter().map(|a| (*a).to_string()).collect(),
            env: env.to_vec(),
        }
    }

    /// Both bench programs with the same scenario argument and environment.
    fn pair(&self, scenario: &str, env: &[(String, String)]) -> (Program, Program) {
        (
            self.program(&self.ours, &[scenario], env),
            self.program(&self.base, &[scenario], env),
        )
    }

    /// One warm-up pair, then `case.runs` measured pairs, A B A B ...
    fn measure(&mut self, case: Case<'_>) -> Result<(), String> {
        println!(
            "bench: {} ({} pairs after a warm-up pair)",
            case.name, case.runs
        );
        let mut ours = Vec::new();
        let mut base = Vec::new();
        for round in 0..=case.runs {
            for (program, samples, side) in [
                (&case.ours, &mut ours, "ours"),
                (&case.base, &mut base, "base"),
            ] {
                let tag = format!("{}-{side}-{round}", case.name);
                let sample = runner::run(
                    &self.measure,
                    program,
                    self.probe.as_ref(),
                    &self.logs,
                    &tag,
                )?;
                check_items(&tag, &sample, case.expect)?;
                if round > 0 {
                    samples.push(sample);
                }
            }
        }
        let summary = |samples: &[Sample]| report::summarize(samples);
        println!(
            "bench: {}: ours {:.1} ms / {:.1} ms CPU, baseline {:.1} ms / {:.1} ms CPU",
            case.name,
            summary(&ours).wall,
            summary(&ours).cpu,
            summary(&base).wall,
            summary(&base).cpu
        );
        self.rows.push(Row {
            name: case.name.to_string(),
            what: case.what.to_string(),
            sides: (side_name(&case.ours), side_name(&case.base)),
            servers: case.servers,
            targeted: case.targeted,
            ours,
            base,
        });
        Ok(())
    }

    fn against_mock(&mut self, bin: &Path, quick: bool) -> Result<String, String> {
        let mock = MockProcess::start(
            &bin.join("mock-cloud"),
            &process::target_dir().join("xtask"),
            "mock-cloud-bench",
        )?;
        let result = self.mock_scenarios(&mock, quick);
        let stopped = mock.stop();
        let header = result?;
        stopped?;
        Ok(header)
    }

    fn mock_scenarios(&mut self, mock: &MockProcess, quick: bool) -> Result<String, String> {
        let url = mock.url().to_string();
        self.probe = Some(Probe {
            url: url.clone(),
            pid: mock.pid().ok_or("mock-cloud is not running")?,
            ticks_per_second: runner::ticks_per_second(),
        });
        control::request(
            &url,
            "PUT",
            "/_mock/nova/quota",
            Some(r#"{"instances": 100000000, "cores": 100000000, "ram": 2000000000}"#),
        )?;
        control::request(
            &url,
            "PUT",
            "/_mock/nova/build_polls",
            Some(r#"{"polls": 2}"#),
        )?;
        let images = control::json(&url, "GET", "/_mock/nova/images", None)?;
        let image = images["images"][0]["id"]
            .as_str()
            .ok_or("the mock lists no image")?
            .to_string();
        let mut demo: Vec<(String, String)> = mock
            .os_env()
            .into_iter()
            .filter(|(key, _)| key.starts_with("OS_"))
            .map(|(key, value)| (key.to_string(), value))
            .collect();
        let ours_version = self.program(&self.ours, &["version"], &demo);
        let microversion = runner::outcome_note(&ours_version)?;
        for (key, value) in [
            ("BENCH_MICROVERSION", microversion.as_str()),
            ("BENCH_IMAGE", image.as_str()),
            ("BENCH_FLAVOR", "1"),
            ("BENCH_PAGE_SIZE", "1000"),
            ("BENCH_SHOWS", "1000"),
            ("BENCH_CREATES", "200"),
            ("BENCH_IN_FLIGHT", "16"),
            ("BENCH_POLL_MS", "10"),
        ] {
            demo.push((key.to_string(), value.to_string()));
        }
        let admin: Vec<(String, String)> = demo
            .iter()
            .map(|(key, value)| {
                let value = match key.as_str() {
                    "OS_USERNAME" | "OS_PROJECT_NAME" => "admin".to_string(),
                    "OS_PASSWORD" => "admin-password".to_string(),
                    _ => value.clone(),
                };
                (key.clone(), value)
            })
            .collect();
        let runs = self.runs;
        let big = if quick { 30_000 } else { 100_000 };

        // Servers created by these runs go to project admin; the lists read project demo.
        seed(&url, "admin", 1)?;
        let (ours, base) = self.pair("boot", &admin);
        self.measure(Case {
            name: "boot1",
            what: "authenticate, boot one server, poll until ACTIVE (2 BUILD polls, 10 ms apart)",
            ours,
            base,
            expect: Some(1),
            servers: None,
            targeted: true,
            runs,
        })?;
        let (ours, base) = self.pair("show", &admin);
        self.measure(Case {
            name: "show1000",
            what: "authenticate once, 1000 sequential GETs of one server",
            ours,
            base,
            expect: Some(1000),
            servers: None,
            targeted: true,
            runs,
        })?;
        let (ours, base) = self.pair("create", &admin);
        self.measure(Case {
            name: "create200c",
            what: "200 creates, 16 in flight, 200 distinct ids",
            ours,
            base,
            expect: Some(200),
            servers: None,
            targeted: true,
            runs,
        })?;

        let mut seeded = 0u64;
        for size in [1_000u64, 10_000, big] {
            seed(&url, "demo", size - seeded)?;
            seeded = size;
            if size == 1_000 {
                self.cli_rows(&demo, runs)?;
            }
            if size == 10_000 {
                let (ours, base) = self.pair("list", &demo);
                self.measure(Case {
                    name: "list10k",
                    what: "authenticate, list 10,000 servers with details, pages of 1000, count",
                    ours,
                    base,
                    expect: Some(size),
                    servers: Some(size),
                    targeted: true,
                    runs,
                })?;
            }
            let (ours, base) = self.pair("stream", &demo);
            let name = format!("stream{}k", size / 1000);
            let runs = if size > 10_000 { runs.min(3) } else { runs };
            self.measure(Case {
                name: &name,
                what: "streaming list, pages of 1000, count",
                ours,
                base,
                expect: Some(size),
                servers: Some(size),
                targeted: false,
                runs,
            })?;
        }
        if big != 100_000 {
            self.notes.push(format!(
                "--quick: the largest scaling size is {big} servers instead of 100,000."
            ));
        }
        self.notes.push(format!("Compute microversion {microversion} (negotiated once by `bench-ours version`, then given to both sides: ours pins it with `Client::new` and sends no version request)."));
        self.notes.push("The mock is the mock-cloud release binary on 127.0.0.1 (2 worker threads); `mock CPU` is its user+sys time during the run, read from /proc, and its share is mock / (mock + client).".to_string());
        Ok(format!(
            "Against the mock-cloud release binary at {url}, on {} CPUs.",
            cpus()
        ))
    }

    fn cli_rows(&mut self, demo: &[(String, String)], runs: usize) -> Result<(), String> {
        let Some(nova) = self.nova.clone() else {
            self.notes.push(
                "The nova CLI rows are missing: crates/nova-cli did not build in release mode."
                    .to_string(),
            );
            return Ok(());
        };
        let version_nova = self.program(&nova, &["--version"], demo);
        let version_base = self.program(&self.base, &["--version"], demo);
        self.measure(Case {
            name: "nova --version",
            what: "process start only (baseline: bench-baseline --version)",
            ours: version_nova,
            base: version_base,
            expect: None,
            servers: None,
            targeted: false,
            runs,
        })?;
        let list_nova = self.program(&nova, &["list"], demo);
        let list_base = self.program(&self.base, &["page"], demo);
        self.measure(Case { name: "nova list", what: "authenticate, one GET /servers/detail (1000 servers), print the table (baseline: decode and count)", ours: list_nova, base: list_base, expect: None, servers: Some(1000), targeted: false, runs })?;
        Ok(())
    }

    fn against_cloud(&mut self, name: &str) -> Result<String, String> {
        let config = keystone_auth::CloudConfig::from_cloud(name)
            .map_err(|error| format!("cloud {name}: {error}"))?;
        let auth = &config.auth;
        let mut base_env = Vec::new();
        let fields = [
            ("OS_AUTH_URL", auth.auth_url.clone()),
            ("OS_USERNAME", auth.username.clone()),
            (
                "OS_PASSWORD",
                auth.password
                    .as_ref()
                    .map(|p| p.expose_secret().to_string()),
            ),
            ("OS_USER_DOMAIN_NAME", auth.user_domain_name.clone()),
            ("OS_PROJECT_NAME", auth.project_name.clone()),
            ("OS_PROJECT_DOMAIN_NAME", auth.project_domain_name.clone()),
            ("OS_REGION_NAME", config.region_name.clone()),
            ("OS_INTERFACE", config.interface.clone()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                base_env.push((key.to_string(), value));
            }
        }
        let ours_env = vec![("OS_CLOUD".to_string(), name.to_string())];
        let microversion =
            runner::outcome_note(&self.program(&self.ours, &["version"], &ours_env))?;
        let knobs = [
            ("BENCH_MICROVERSION".to_string(), microversion.clone()),
            ("BENCH_PAGE_SIZE".to_string(), "1000".to_string()),
            ("BENCH_SHOWS".to_string(), "100".to_string()),
        ];
        let ours_env: Vec<_> = ours_env.into_iter().chain(knobs.iter().cloned()).collect();
        let base_env: Vec<_> = base_env.into_iter().chain(knobs.iter().cloned()).collect();
        let runs = self.runs;
        for (scenario, label, what) in [
            (
                "show",
                "show100",
                "100 sequential GETs of the newest server",
            ),
            (
                "list",
                "list",
                "list every server with details, pages of 1000",
            ),
        ] {
            let ours = self.program(&self.ours, &[scenario], &ours_env);
            let base = self.program(&self.base, &[scenario], &base_env);
            self.measure(Case {
                name: label,
                what,
                ours,
                base,
                expect: None,
                servers: None,
                targeted: false,
                runs,
            })?;
        }
        self.notes.push(format!("Against cloud {name}: read-only scenarios only (nothing is created), no request counts, no server-side CPU. The baseline authenticates with the password settings of the cloud's clouds.yaml entry."));
        Ok(format!(
            "Against cloud `{name}`, microversion {microversion}."
        ))
    }
}

fn side_name(program: &Program) -> String {
    let name = program
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name} {}", program.args.join(" "))
}

fn check_items(tag: &str, sample: &Sample, expect: Option<u64>) -> Result<(), String> {
    match (expect, sample.items) {
        (Some(want), Some(got)) if want != got => {
            Err(format!("{tag}: handled {got} items, expected {want}"))
        }
        (Some(want), None) => Err(format!("{tag}: reported no item count, expected {want}")),
        _ => Ok(()),
    }
}

fn seed(url: &str, project: &str, count: u64) -> Result<(), String> {
    if count == 0 {
        return Ok(());
    }
    let body = format!(
        r#"{{"count": {count}, "project": "{project}", "name_prefix": "bench-{project}"}}"#
    );
    control::request(url, "POST", "/_mock/nova/servers/bulk", Some(&body)).map(|_| ())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn options_parse_and_quick_lowers_the_runs() {
        let args = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(parse(&args(&[])).unwrap().runs, 5);
        assert_eq!(parse(&args(&["--quick"])).unwrap().runs, 2);
        assert_eq!(parse(&args(&["--quick", "--runs", "4"])).unwrap().runs, 4);
        assert_eq!(
            parse(&args(&["--cloud", "x"])).unwrap().cloud.as_deref(),
            Some("x")
        );
        assert!(parse(&args(&["--runs", "0"])).is_err());
        assert!(parse(&args(&["--frobnicate"])).is_err());
    }
}
