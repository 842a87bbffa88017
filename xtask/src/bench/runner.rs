//! Runs one benchmark program under `bench-measure` and collects what it cost: the
//! child's wall time, CPU time and peak RSS, the mock's CPU time meanwhile, and the
//! requests the mock counted.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::control;

/// How long one benchmark process may run.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// One program with its arguments and environment.
#[derive(Debug, Clone)]
pub struct Program {
    /// The executable.
    pub path: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Variables set on top of the inherited environment.
    pub env: Vec<(String, String)>,
}

/// What one run cost.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// Wall time of the child, ms.
    pub wall_ms: f64,
    /// User + system CPU of the child, ms.
    pub cpu_ms: f64,
    /// Peak RSS of the child, KiB.
    pub rss_kib: u64,
    /// Items the program reported (servers listed, GETs made...), if it reports any.
    pub items: Option<u64>,
    /// CPU the mock used during the run, ms (mock-cloud only).
    pub mock_cpu_ms: Option<f64>,
    /// Requests the mock counted during the run (mock-cloud only).
    pub requests: Option<u64>,
}

/// Where the cloud's own figures come from: the mock's pid and control URL, when it is ours.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The mock's base URL.
    pub url: String,
    /// The mock's pid.
    pub pid: u32,
    /// Clock ticks per second for `/proc/PID/stat`.
    pub ticks_per_second: f64,
}

impl Probe {
    /// CPU time (user + system) the mock has used so far, ms.
    fn cpu_ms(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        let after_name = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // after "pid (comm)": state is field 0, utime field 11, stime field 12
        let user: f64 = fields.get(11)?.parse().ok()?;
        let system: f64 = fields.get(12)?.parse().ok()?;
        Some((user + system) * 1000.0 / self.ticks_per_second)
    }

    fn reset_counters(&self) -> Result<(), String> {
        control::request(&self.url, "POST", "/_mock/counters/reset", None).map(|_| ())
    }

    fn requests(&self) -> Result<u64, String> {
        let counters = control::json(&self.url, "GET", "/_mock/counters", None)?;
        Ok(counters
            .as_object()
            .map(|map| map.values().filter_map(serde_json::Value::as_u64).sum())
            .unwrap_or(0))
    }
}

/// Clock ticks per second (`getconf CLK_TCK`, else 100).
pub fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|ticks| *ticks > 0.0)
        .unwrap_or(100.0)
}

/// Runs `program` under `measure` (the bench-measure binary); its output goes to
/// `logs/<tag>.out` and `.err`.
pub fn run(
    measure: &Path,
    program: &Program,
    probe: Option<&Probe>,
    logs: &Path,
    tag: &str,
) -> Result<Sample, String> {
    let out_path = logs.join(format!("{tag}.out"));
    let err_path = logs.join(format!("{tag}.err"));
    let out = std::fs::File::create(&out_path)
        .map_err(|error| format!("cannot create {out_path:?}: {error}"))?;
    let err = std::fs::File::create(&err_path)
        .map_err(|error| format!("cannot create {err_path:?}: {error}"))?;
    if let Some(probe) = probe {
        probe.reset_counters()?;
    }
    let mock_before = probe.and_then(Probe::cpu_ms);
    let mut command = Command::new(measure);
    command
        .arg(&program.path)
        .args(&program.args)
        .env_remove("OS_CLOUD")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    for (key, value) in &program.env {
        command.env(key, value);
    }
    let mut child = command
        .spawn()
        .map_err(|error| format!("cannot start {measure:?}: {error}"))?;
    let deadline = Instant::now() + RUN_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{tag}: still running after {RUN_TIMEOUT:?}; killed"
                ));
            }
            Err(error) => return Err(format!("{tag}: cannot wait: {error}")),
        }
    };
    let mock_after = probe.and_then(Probe::cpu_ms);
    let requests = probe.map(Probe::requests).transpose()?;
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "{tag} failed ({status}); see {err_path:?}:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    let measured = stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("bench-measure: "))
        .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
        .ok_or_else(|| format!("{tag}: bench-measure printed no measurement"))?;
    let number = |key: &str| measured.get(key).and_then(serde_json::Value::as_f64);
    let items = stdout
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|value| value.get("items").and_then(serde_json::Value::as_u64));
    Ok(Sample {
        wall_ms: number("wall_ms").unwrap_or(0.0),
        cpu_ms: number("user_ms").unwrap_or(0.0) + number("sys_ms").unwrap_or(0.0),
        rss_kib: measured
            .get("max_rss_kib")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0),
        items,
        mock_cpu_ms: mock_before
            .zip(mock_after)
            .map(|(before, after)| after - before),
        requests,
    })
}

/// The last JSON line of a program's output (its `Outcome`), for one-off runs.
pub fn outcome_note(program: &Program) -> Result<String, String> {
    let mut command = Command::new(&program.path);
    command.args(&program.args).env_remove("OS_CLOUD");
    for (key, value) in &program.env {
        command.env(key, value);
    }
    let output = command
        .output()
        .map_err(|error| format!("cannot run {:?}: {error}", program.path))?;
    if !output.status.success() {
        return Err(format!(
            "{:?} failed: {}",
            program.path,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|value| {
            value
                .get("note")
                .and_then(|n| n.as_str().map(str::to_owned))
        })
        .ok_or_else(|| format!("{:?} printed no note", program.path))
}
