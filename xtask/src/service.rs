//! Long-running children of xtask (mock-cloud, the conformance services) in
//! process groups of their own, stopped on every exit path: explicitly ([`ServiceProcess::stop`]), on drop, and on
//! SIGINT/SIGTERM/SIGHUP (a watcher thread stops every live group, then exits).
//! Each child also gets a pipe on stdin that it watches (`parent_watch.py`,
//! `--exit-on-stdin-eof`), so even a SIGKILL of xtask stops the services.

use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::process;

/// How long a group may take to exit after SIGTERM before it gets SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Process group ids of every child still running.
static LIVE_GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Starts (once) a thread that, on SIGINT, SIGTERM or SIGHUP, kills every live
/// group and exits with status 130.
pub fn install_signal_handler() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("xtask-signals".into())
            .spawn(|| {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async {
                    use tokio::signal::unix::{SignalKind, signal};
                    let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
                        signal(SignalKind::interrupt()),
                        signal(SignalKind::terminate()),
                        signal(SignalKind::hangup()),
                    ) else {
                        return;
                    };
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                        _ = hup.recv() => {}
                    }
                });
                eprintln!("xtask: interrupted; stopping every service this run started");
                let groups: Vec<u32> = LIVE_GROUPS
                    .lock()
                    .map(|groups| groups.clone())
                    .unwrap_or_default();
                for group in &groups {
                    signal_group(*group, "-TERM");
                }
                std::thread::sleep(Duration::from_secs(2));
                for group in &groups {
                    signal_group(*group, "-KILL");
                }
                std::process::exit(130);
            });
        if let Err(error) = spawned {
            eprintln!("xtask: cannot watch for signals: {error}");
        }
    });
}

/// Sends `signal` (`-TERM`, `-KILL`, `-0`) to every process of a group;
/// true when at least one process received it.
fn signal_group(group: u32, signal: &str) -> bool {
    Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|status| status.success())
        .unwrap_or(false)
}

/// One started child that leads its own process group, with output in a log file.
pub struct ServiceProcess {
    name: String,
    child: Option<Child>,
    log: PathBuf,
}

impl ServiceProcess {
    /// Starts `command` as the leader of a new process group, stdin a pipe,
    /// stdout and stderr appended to `log`.
    pub fn start(name: &str, mut command: Command, log: &Path) -> Result<ServiceProcess, String> {
        let out = File::create(log).map_err(|error| format!("cannot create {log:?}: {error}"))?;
        let err = out
            .try_clone()
            .map_err(|error| format!("cannot open {log:?}: {error}"))?;
        command
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(out)
            .stderr(err);
        process::show(&command);
        let child = command
            .spawn()
            .map_err(|error| format!("cannot start {name}: {error}"))?;
        if let Ok(mut groups) = LIVE_GROUPS.lock() {
            groups.push(child.id());
        }
        println!("{name}: pid {} (log {})", child.id(), log.display());
        Ok(ServiceProcess {
            name: name.to_string(),
            child: Some(child),
            log: log.to_path_buf(),
        })
    }

    /// The process id of the group leader, while it runs.
    pub fn id(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The service's name, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `Err` with the exit status and the log's tail when the process has exited.
    pub fn check_alive(&mut self) -> Result<(), String> {
        let Some(child) = self.child.as_mut() else {
            return Err(format!("{} was already stopped", self.name));
        };
        match child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!(
                "{} exited ({status}); last lines of {}:\n{}",
                self.name,
                self.log.display(),
                log_tail(&self.log, 30)
            )),
            Err(error) => Err(format!("cannot wait for {}: {error}", self.name)),
        }
    }

    /// The last lines of the log, for error messages.
    pub fn log_tail(&self) -> String {
        log_tail(&self.log, 30)
    }

    /// Stops the whole group (SIGTERM, then SIGKILL after a timeout) and
    /// verifies that no process of it is left.
    pub fn stop(&mut self) -> Result<(), String> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let group = child.id();
        drop(child.stdin.take());
        signal_group(group, "-TERM");
        let mut deadline = Instant::now() + STOP_TIMEOUT;
        let mut leader_done = false;
        let mut killed = false;
        loop {
            if !leader_done {
                leader_done = matches!(child.try_wait(), Ok(Some(_)));
            }
            if leader_done && !signal_group(group, "-0") {
                break;
            }
            if Instant::now() >= deadline {
                if killed {
                    return Err(format!(
                        "{} (process group {group}) is still alive after SIGKILL",
                        self.name
                    ));
                }
                signal_group(group, "-KILL");
                killed = true;
                deadline = Instant::now() + Duration::from_secs(5);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Ok(mut groups) = LIVE_GROUPS.lock() {
            groups.retain(|live| *live != group);
        }
        if killed {
            println!("{}: process group {group} needed SIGKILL; gone", self.name);
        } else {
            println!("{}: process group {group} stopped", self.name);
        }
        Ok(())
    }
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        if let Err(message) = self.stop() {
            eprintln!("xtask: {message}");
        }
    }
}

/// The last `lines` lines of a file (empty when unreadable).
pub fn log_tail(path: &Path, lines: usize) -> String {
    let mut text = String::new();
    if let Ok(mut file) = File::open(path) {
        let _ = file.read_to_string(&mut text);
    }
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
