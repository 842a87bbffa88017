//! The real cloud: Keystone, Placement and Glance under gunicorn and Nova as
//! one process (`conformance/nova_aio.py`), all on SQLite under a fresh
//! `target/conformance/run-*` directory and bound to free 127.0.0.1 ports.
//!
//! Start order: keystone-manage (db_sync, fernet_setup, credential_setup,
//! bootstrap) → Keystone → identity seed (demo user, catalog) → Placement and
//! Glance → Nova → compute seed (flavors, images). Every child leads its own
//! process group and is stopped when [`RealCloud`] is dropped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Timings;
use super::probe;
use super::venv::Venv;
use crate::mock::DEMO_PASSWORD;
use crate::process;
use crate::service::ServiceProcess;

/// How long each WSGI service may take to answer HTTP.
const SERVICE_TIMEOUT: Duration = Duration::from_secs(90);
/// How long Nova may take to write its ready file (databases, four services).
const NOVA_TIMEOUT: Duration = Duration::from_secs(180);
/// The seeded users' passwords (throw-away, local to this run; the same as mock-cloud's).
const ADMIN_PASSWORD: &str = "admin-password";

/// Ports of the four services.
struct Ports {
    keystone: u16,
    placement: u16,
    glance: u16,
    nova: u16,
}

/// A running real cloud. Dropping it stops every service.
pub struct RealCloud {
    /// Started services, stopped in reverse order.
    services: Vec<ServiceProcess>,
    ports: Ports,
    run_dir: PathBuf,
}

impl RealCloud {
    /// Configures, starts and seeds the cloud under `run_dir`, recording the
    /// time of each step in `timings`.
    pub fn start(
        venv: &Venv,
        conformance_dir: &Path,
        run_dir: &Path,
        timings: &mut Timings,
    ) -> Result<RealCloud, String> {
        let ports = match probe::free_ports(4)?.as_slice() {
            [keystone, placement, glance, nova] => Ports {
                keystone: *keystone,
                placement: *placement,
                glance: *glance,
                nova: *nova,
            },
            _ => return Err("could not pick four ports".to_string()),
        };
        let mut cloud = RealCloud {
            services: Vec::new(),
            ports,
            run_dir: run_dir.to_path_buf(),
        };
        let step = Instant::now();
        cloud.write_configs(venv, conformance_dir)?;
        cloud.keystone_manage(venv)?;
        timings.record("keystone-manage setup", step);

        let step = Instant::now();
        let keystone = cloud.serve(
            venv,
            conformance_dir,
            "keystone",
            cloud.ports.keystone,
            "keystone.wsgi.api:application",
            (
                "OS_KEYSTONE_CONFIG_FILES",
                cloud.path("keystone/keystone.conf"),
            ),
        )?;
        cloud.services.push(keystone);
        // Glance's schema while Keystone starts.
        let mut db_sync = Command::new(venv.bin("glance-manage"));
        db_sync
            .arg("--config-file")
            .arg(cloud.path("glance/glance-api.conf"))
            .arg("db_sync");
        cloud.quiet(db_sync, "glance-manage-db_sync")?;
        cloud.wait_http(0, cloud.ports.keystone, "/v3")?;
        cloud.bootstrap(venv, conformance_dir, "identity")?;
        timings.record("keystone up + identity seed", step);

        let step = Instant::now();
        let placement = cloud.serve(
            venv,
            conformance_dir,
            "placement",
            cloud.ports.placement,
            "placement.wsgi.api:application",
            ("OS_PLACEMENT_CONFIG_DIR", cloud.path("placement")),
        )?;
        cloud.services.push(placement);
        let glance = cloud.serve(
            venv,
            conformance_dir,
            "glance",
            cloud.ports.glance,
            "glance.wsgi.api:application",
            ("OS_GLANCE_CONFIG_DIR", cloud.path("glance")),
        )?;
        cloud.services.push(glance);
        cloud.wait_http(1, cloud.ports.placement, "/")?;
        cloud.wait_http(2, cloud.ports.glance, "/")?;
        timings.record("placement + glance up", step);

        let step = Instant::now();
        cloud.start_nova(venv, conformance_dir)?;
        timings.record("nova (api, conductor, scheduler, compute) up", step);

        let step = Instant::now();
        cloud.bootstrap(venv, conformance_dir, "compute")?;
        timings.record("flavors + images seed", step);
        Ok(cloud)
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.run_dir.join(relative)
    }

    /// `http://127.0.0.1:PORT/v3`, the identity endpoint.
    pub fn auth_url(&self) -> String {
        format!("http://127.0.0.1:{}/v3", self.ports.keystone)
    }

    /// `routes.tsv`: every route of the installed Nova (`conformance/request_log.py`).
    pub fn routes_file(&self) -> PathBuf {
        self.path("nova/routes.tsv")
    }

    /// `requests.tsv`: one line per request Nova's API answered (`conformance/request_log.py`).
    pub fn request_log(&self) -> PathBuf {
        self.path("nova/requests.tsv")
    }

    fn compute_url(&self) -> String {
        format!("http://127.0.0.1:{}/v2.1", self.ports.nova)
    }

    /// The environment of the integration suite: the member `conformance-demo` cloud of
    /// `clouds_yaml` (written from [`RealCloud::clouds_yaml`]) as the configured user and
    /// the bootstrap `conformance-admin` as `NOVA_TEST_ADMIN_CLOUD`, as an operator would
    /// point the suite at a cloud of their own.
    pub fn suite_env(&self, clouds_yaml: &Path) -> Vec<(&'static str, String)> {
        vec![
            (
                "OS_CLIENT_CONFIG_FILE",
                clouds_yaml.to_string_lossy().into_owned(),
            ),
            ("OS_CLOUD", "conformance-demo".to_string()),
            ("NOVA_TEST_ADMIN_CLOUD", "conformance-admin".to_string()),
        ]
    }

    /// Writes [`RealCloud::clouds_yaml`] to `clouds.yaml` in the run directory: its path.
    pub fn write_clouds_yaml(&self) -> Result<PathBuf, String> {
        let path = self.path("clouds.yaml");
        std::fs::write(&path, self.clouds_yaml())
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        Ok(path)
    }

    /// A `clouds.yaml` with the member `conformance-demo` and the
    /// bootstrap `conformance-admin` clouds.
    pub fn clouds_yaml(&self) -> String {
        let auth_url = self.auth_url();
        let entry = |name: &str, user: &str, password: &str, project: &str| {
            format!(
                "  {name}:\n    auth:\n      auth_url: {auth_url}\n      username: {user}\n      password: {password}\n      project_name: {project}\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n    interface: public\n    identity_api_version: 3\n"
            )
        };
        format!(
            "clouds:\n{}{}",
            entry(
                "conformance-demo",
                "demo",
                crate::mock::DEMO_PASSWORD,
                "demo"
            ),
            entry("conformance-admin", "admin", ADMIN_PASSWORD, "admin")
        )
    }

    /// Renders `conformance/templates/*` into the run directory.
    fn write_configs(&self, venv: &Venv, conformance_dir: &Path) -> Result<(), String> {
        for dir in [
            "keystone",
            "placement",
            "glance/images",
            "glance/staging",
            "glance/tasks",
            "glance/locks",
            "nova/instances",
            "nova/locks",
        ] {
            let path = self.path(dir);
            std::fs::create_dir_all(&path)
                .map_err(|error| format!("cannot create {}: {error}", path.display()))?;
        }
        let run_dir = self.run_dir.to_string_lossy().into_owned();
        let venv_dir = venv.root().to_string_lossy().into_owned();
        let auth_url = self.auth_url();
        for (template, target) in [
            ("keystone.conf", "keystone/keystone.conf"),
            ("placement.conf", "placement/placement.conf"),
            ("glance-api.conf", "glance/glance-api.conf"),
            ("nova.conf", "nova/nova.conf"),
        ] {
            let source = conformance_dir.join("templates").join(template);
            let text = std::fs::read_to_string(&source)
                .map_err(|error| format!("cannot read {}: {error}", source.display()))?;
            let text = render(
                &text,
                &[
                    ("RUN_DIR", &run_dir),
                    ("VENV", &venv_dir),
                    ("AUTH_URL", &auth_url),
                    ("ADMIN_PASSWORD", ADMIN_PASSWORD),
                ],
            )?;
            let target = self.path(target);
            std::fs::write(&target, text)
                .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
        }
        // Nova's stock paste pipeline, as installed with the package.
        let paste = venv.root().join("etc/nova/api-paste.ini");
        std::fs::copy(&paste, self.path("nova/api-paste.ini"))
            .map_err(|error| format!("cannot copy {}: {error}", paste.display()))?;
        Ok(())
    }

    /// Runs a one-shot command with its output in `<name>.log`; the log's tail on failure.
    fn quiet(&self, mut command: Command, name: &str) -> Result<(), String> {
        let log = self.path(&format!("{name}.log"));
        let file = std::fs::File::create(&log)
            .map_err(|error| format!("cannot create {}: {error}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|error| format!("cannot open {}: {error}", log.display()))?;
        command
            .current_dir(&self.run_dir)
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err);
        process::show(&command);
        let status = command
            .status()
            .map_err(|error| format!("cannot run {name}: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "{name} failed ({status}); last lines of {}:\n{}",
                log.display(),
                crate::service::log_tail(&log, 30)
            ))
        }
    }

    fn keystone_manage(&self, venv: &Venv) -> Result<(), String> {
        let config = self.path("keystone/keystone.conf");
        let user = id_name("-un")?;
        let group = id_name("-gn")?;
        let owner = [
            "--keystone-user",
            user.as_str(),
            "--keystone-group",
            group.as_str(),
        ];
        let auth_url = self.auth_url();
        let steps: [(&str, Vec<&str>); 4] = [
            ("db_sync", vec![]),
            ("fernet_setup", owner.to_vec()),
            ("credential_setup", owner.to_vec()),
            (
                "bootstrap",
                vec![
                    "--bootstrap-admin-url",
                    &auth_url,
                    "--bootstrap-public-url",
                    &auth_url,
                    "--bootstrap-internal-url",
                    &auth_url,
                    "--bootstrap-region-id",
                    "RegionOne",
                ],
            ),
        ];
        for (step, args) in steps {
            let mut command = Command::new(venv.bin("keystone-manage"));
            command
                .arg("--config-file")
                .arg(&config)
                .arg(step)
                .args(args);
            if step == "bootstrap" {
                // The password goes through the environment, not argv.
                command.env("OS_BOOTSTRAP_PASSWORD", ADMIN_PASSWORD);
            }
            self.quiet(command, &format!("keystone-manage-{step}"))?;
        }
        Ok(())
    }

    /// Starts one WSGI service under gunicorn through `conformance/serve.py`.
    fn serve(
        &self,
        venv: &Venv,
        conformance_dir: &Path,
        name: &str,
        port: u16,
        app: &str,
        config_env: (&str, PathBuf),
    ) -> Result<ServiceProcess, String> {
        let mut command = Command::new(venv.python());
        command
            .arg(conformance_dir.join("serve.py"))
            .args([
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                app,
            ])
            .env(config_env.0, config_env.1)
            .current_dir(&self.run_dir);
        ServiceProcess::start(name, command, &self.path(&format!("{name}.log")))
    }

    /// Waits, bounded, until `GET path` answers below 500 (the service at
    /// `self.services[index]` must stay alive meanwhile).
    fn wait_http(&mut self, index: usize, port: u16, path: &str) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < SERVICE_TIMEOUT {
            if let Some(service) = self.services.get_mut(index) {
                service.check_alive()?;
            }
            if let Some(status) = probe::http_status(port, path)
                && status < 500
            {
                let name = self.services.get(index).map_or("service", |s| s.name());
                println!(
                    "{name}: GET {path} -> {status} after {:.1}s",
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let tail = self
            .services
            .get(index)
            .map(ServiceProcess::log_tail)
            .unwrap_or_default();
        Err(format!(
            "127.0.0.1:{port}{path} did not answer within {SERVICE_TIMEOUT:?}; log:\n{tail}"
        ))
    }

    fn start_nova(&mut self, venv: &Venv, conformance_dir: &Path) -> Result<(), String> {
        let ready = self.path("nova/ready");
        let _ = std::fs::remove_file(&ready);
        let mut command = Command::new(venv.python());
        command
            .arg(conformance_dir.join("nova_aio.py"))
            .arg("--config-dir")
            .arg(self.path("nova"))
            .args(["--port", &self.ports.nova.to_string(), "--ready-file"])
            .arg(&ready)
            .arg("--cell0-connection")
            .arg(format!(
                "sqlite:///{}",
                self.path("nova/nova_cell0.sqlite").display()
            ))
            .arg("--routes-file")
            .arg(self.routes_file())
            .arg("--request-log")
            .arg(self.request_log())
            .env("OS_NOVA_DISABLE_EVENTLET_PATCHING", "1")
            .current_dir(&self.run_dir);
        let mut nova = ServiceProcess::start("nova", command, &self.path("nova.log"))?;
        let started = Instant::now();
        loop {
            nova.check_alive()?;
            if ready.exists() {
                break;
            }
            if started.elapsed() > NOVA_TIMEOUT {
                let tail = nova.log_tail();
                return Err(format!(
                    "nova was not ready within {NOVA_TIMEOUT:?}; log:\n{tail}"
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        println!(
            "nova: ready after {:.1}s at {}",
            started.elapsed().as_secs_f64(),
            self.compute_url()
        );
        self.services.push(nova);
        Ok(())
    }

    /// Runs `bootstrap.py <phase>` with its settings as JSON on stdin.
    fn bootstrap(&self, venv: &Venv, conformance_dir: &Path, phase: &str) -> Result<(), String> {
        let settings = serde_json::json!({
            "auth_url": self.auth_url(),
            "admin_password": ADMIN_PASSWORD,
            "demo_password": DEMO_PASSWORD,
            "compute": self.compute_url(),
            "placement": format!("http://127.0.0.1:{}", self.ports.placement),
            "image": format!("http://127.0.0.1:{}", self.ports.glance),
        });
        let mut command = Command::new(venv.python());
        command
            .arg(conformance_dir.join("bootstrap.py"))
            .arg(phase)
            .current_dir(&self.run_dir)
            .stdin(Stdio::piped());
        process::show(&command);
        let mut child = command
            .spawn()
            .map_err(|error| format!("cannot run bootstrap.py {phase}: {error}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(settings.to_string().as_bytes())
                .map_err(|error| format!("cannot feed bootstrap.py: {error}"))?;
        }
        let status = child
            .wait()
            .map_err(|error| format!("bootstrap.py {phase} did not finish: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("bootstrap.py {phase} failed ({status})"))
        }
    }

    /// Stops every service (newest first) and checks that none is left.
    pub fn stop(mut self) -> Result<(), String> {
        self.stop_all()
    }

    fn stop_all(&mut self) -> Result<(), String> {
        let mut failures = Vec::new();
        while let Some(mut service) = self.services.pop() {
            if let Err(message) = service.stop() {
                failures.push(message);
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("; "))
        }
    }
}

impl Drop for RealCloud {
    fn drop(&mut self) {
        if let Err(message) = self.stop_all() {
            eprintln!("xtask: {message}");
        }
    }
}

/// `id -un` / `id -gn`: the owner keystone-manage gives its key repositories.
fn id_name(flag: &str) -> Result<String, String> {
    let output = Command::new("id")
        .arg(flag)
        .output()
        .map_err(|error| format!("cannot run `id {flag}`: {error}"))?;
    let name = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if output.status.success() && !name.is_empty() {
        Ok(name)
    } else {
        Err(format!("`id {flag}` failed"))
    }
}

/// Replaces every `@NAME@` placeholder; an unknown placeholder is an error.
fn render(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("@{name}@"), value);
    }
    let leftover =
        out.split('@').skip(1).step_by(2).find(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        });
    match leftover {
        Some(name) => Err(format!("template placeholder @{name}@ has no value")),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_every_placeholder() {
        let out = render(
            "a = @RUN_DIR@/x\nb = @AUTH_URL@",
            &[("RUN_DIR", "/r"), ("AUTH_URL", "http://h/v3")],
        )
        .expect("renders");
        assert_eq!(out, "a = /r/x\nb = http://h/v3");
    }

    #[test]
    fn an_unknown_placeholder_is_an_error() {
        let error = render("a = @MISSING@", &[("RUN_DIR", "/r")]).expect_err("must fail");
        assert!(error.contains("@MISSING@"), "{error}");
    }
}
