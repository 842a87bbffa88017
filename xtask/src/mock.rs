//! The mock-cloud binary as a child of xtask (integration, bench, the
//! conformance reverse check): started in its own process group with a piped
//! stdin (`--exit-on-stdin-eof`), ready once it writes its URL to a ready
//! file, and always stopped (see [`ServiceProcess`]).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::service::{self, ServiceProcess};

/// How long the mock-cloud binary may take to start listening.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// Password of the `demo` user that mock-cloud seeds and that the conformance
/// cloud is bootstrapped with.
pub const DEMO_PASSWORD: &str = "demo-password";

/// `OS_*` variables for the `demo` user (project `demo`, domain `Default`,
/// region `RegionOne`) of a cloud whose identity endpoint is `auth_url`.
pub fn demo_user_env(auth_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("OS_AUTH_URL", auth_url.to_string()),
        ("OS_AUTH_TYPE", "password".to_string()),
        ("OS_IDENTITY_API_VERSION", "3".to_string()),
        ("OS_USERNAME", "demo".to_string()),
        ("OS_PASSWORD", DEMO_PASSWORD.to_string()),
        ("OS_PROJECT_NAME", "demo".to_string()),
        ("OS_USER_DOMAIN_NAME", "Default".to_string()),
        ("OS_PROJECT_DOMAIN_NAME", "Default".to_string()),
        ("OS_REGION_NAME", "RegionOne".to_string()),
        ("OS_INTERFACE", "public".to_string()),
    ]
}

/// A running mock-cloud binary.
pub(crate) struct MockProcess {
    service: ServiceProcess,
    url: String,
}

impl MockProcess {
    /// Starts `binary` (a mock-cloud build) on a free loopback port, with its
    /// ready file and log named `<name>.ready` / `<name>.log` in `dir`, and
    /// waits (bounded) until it listens.
    pub(crate) fn start(binary: &Path, dir: &Path, name: &str) -> Result<MockProcess, String> {
        service::install_signal_handler();
        std::fs::create_dir_all(dir).map_err(|error| format!("cannot create {dir:?}: {error}"))?;
        let ready_file = dir.join(format!("{name}.ready"));
        let _ = std::fs::remove_file(&ready_file);
        let mut command = Command::new(binary);
        command
            .args(["--port", "0", "--exit-on-stdin-eof", "--ready-file"])
            .arg(&ready_file);
        let mut service = ServiceProcess::start(name, command, &dir.join(format!("{name}.log")))?;
        let started = Instant::now();
        let url = loop {
            service.check_alive()?;
            if let Ok(text) = std::fs::read_to_string(&ready_file) {
                let text = text.trim();
                if !text.is_empty() {
                    break text.to_string();
                }
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!(
                    "{name} was not ready within {READY_TIMEOUT:?}; log:\n{}",
                    service.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        println!("{name} ready at {url}");
        Ok(MockProcess { service, url })
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The identity endpoint (`.../identity/v3`).
    pub(crate) fn auth_url(&self) -> String {
        format!("{}/identity/v3", self.url)
    }

    /// The process id, while it runs.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.service.id()
    }

    /// The environment that points the suite at this mock: the demo user, plus
    /// `MOCK_CLOUD_URL` so tests can use the mock's control API.
    pub(crate) fn os_env(&self) -> Vec<(&'static str, String)> {
        let mut env = demo_user_env(&self.auth_url());
        env.push(("MOCK_CLOUD_URL", self.url.clone()));
        env
    }

    /// Stops the process group and checks that nothing of it is left.
    pub(crate) fn stop(mut self) -> Result<(), String> {
        self.service.stop()
    }
}
