//! The reverse check: clients we did not write (python-openstackclient and
//! python-novaclient, from the pinned venv) drive the mock-cloud binary
//! through boot-and-wait, list, show and delete, then the identity read API
//! (`project list`, lookup by name), keypair import, server snapshots with
//! metadata, `list --minimal` order, `quota-class-update` at 2.1 and a
//! removed API (`agent-list`, 410).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::venv::Venv;
use crate::mock::{MockProcess, demo_user_env};

/// Password of the `admin` user mock-cloud seeds.
const ADMIN_PASSWORD: &str = "admin-password";
use crate::process;

/// How long `server delete` may take to show in a listing.
const DELETE_TIMEOUT: Duration = Duration::from_secs(30);

/// One CLI step that passed.
pub struct Step {
    /// The command line, without the environment.
    pub command: String,
}

/// Builds and starts mock-cloud, runs both clients against it, stops it.
pub fn run(venv: &Venv, run_dir: &Path) -> Result<Vec<Step>, String> {
    process::run(process::cargo(&[
        "build",
        "--locked",
        "-p",
        "mock-cloud",
        "--bin",
        "mock-cloud",
    ]))?;
    let binary = process::target_dir().join("debug").join("mock-cloud");
    let mock = MockProcess::start(&binary, run_dir, "mock-cloud")?;
    let clients = Clients {
        venv,
        auth_url: mock.auth_url(),
        run_dir,
    };
    let outcome = clients.check().and_then(|mut steps| {
        steps.extend(clients.check_more()?);
        Ok(steps)
    });
    let stopped = mock.stop();
    let steps = outcome?;
    stopped?;
    Ok(steps)
}

struct Clients<'a> {
    venv: &'a Venv,
    auth_url: String,
    run_dir: &'a Path,
}

/// The public key `keypair-add --pub-key` imports, and the fingerprint Nova 34
/// gives it (`nova.crypto.generate_fingerprint`: MD5 of the decoded blob).
const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfSGbGFLvFx7BHLZXhL8a6Od4OC4xj3P3ezx7EBc7gV pin";
const PUBLIC_KEY_FINGERPRINT: &str = "24:0e:e5:82:d5:9c:cd:de:92:bc:72:93:19:37:85:ec";

/// Who runs a client command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum As {
    /// The `demo` member of project `demo`.
    Demo,
    /// The `admin` user of project `admin`.
    Admin,
}

impl Clients<'_> {
    fn check(&self) -> Result<Vec<Step>, String> {
        let mut steps = Vec::new();
        let name = "reverse-osc";
        let created = self.cli(
            &mut steps,
            "openstack",
            &[
                "server",
                "create",
                "--flavor",
                "m1.tiny",
                "--image",
                "cirros-0.6.2",
                "--nic",
                "none",
                "--wait",
                "-f",
                "json",
                name,
            ],
        )?;
        expect_json_field(
            &created,
            "status",
            "ACTIVE",
            "openstack server create --wait",
        )?;
        let listed = self.cli(&mut steps, "openstack", &["server", "list", "-f", "json"])?;
        expect_contains(&listed, name, "openstack server list")?;
        let shown = self.cli(
            &mut steps,
            "openstack",
            &["server", "show", "-f", "json", name],
        )?;
        expect_json_field(&shown, "name", name, "openstack server show")?;
        expect_json_field(&shown, "status", "ACTIVE", "openstack server show")?;
        self.cli(
            &mut steps,
            "openstack",
            &["server", "delete", "--wait", name],
        )?;
        let listed = self.cli(&mut steps, "openstack", &["server", "list", "-f", "json"])?;
        expect_absent(&listed, name, "openstack server list after delete")?;

        let name = "reverse-nova";
        let booted = self.cli(
            &mut steps,
            "nova",
            &[
                "boot",
                "--flavor",
                "m1.tiny",
                "--image",
                "cirros-0.6.2",
                "--nic",
                "none",
                "--poll",
                name,
            ],
        )?;
        expect_contains(&booted, "Finished", "nova boot --poll")?;
        let listed = self.cli(&mut steps, "nova", &["list"])?;
        expect_contains(&listed, name, "nova list")?;
        expect_contains(&listed, "ACTIVE", "nova list")?;
        let shown = self.cli(&mut steps, "nova", &["show", name])?;
        expect_contains(&shown, "ACTIVE", "nova show")?;
        self.cli(&mut steps, "nova", &["delete", name])?;
        // `nova delete` does not wait: poll `nova show` until the server is
        // gone (mock-cloud finishes a delete on the next GET of the server).
        let started = Instant::now();
        loop {
            let (shown, output) = self.try_cli("nova", &["show", name])?;
            if !shown && output.contains("No server with a name or ID") {
                steps.push(Step {
                    command: format!("nova show {name} (gone after delete)"),
                });
                break;
            }
            if started.elapsed() > DELETE_TIMEOUT {
                return Err(format!(
                    "nova show still finds {name} {DELETE_TIMEOUT:?} after nova delete:\n{output}"
                ));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let listed = self.cli(&mut steps, "nova", &["list"])?;
        expect_absent(&listed, name, "nova list after delete")?;
        Ok(steps)
    }

    /// The steps beyond the server lifecycle (issue 22 item 2 of the mock work).
    fn check_more(&self) -> Result<Vec<Step>, String> {
        let mut steps = Vec::new();
        // the identity read API: admin lists projects, a lookup by name
        // (GET /v3/projects/demo is 404, then ?name=demo) finds one
        let projects = self.cli_as(
            As::Admin,
            &mut steps,
            "openstack",
            &["project", "list", "-f", "json"],
        )?;
        expect_contains(&projects, "\"demo\"", "openstack project list")?;
        expect_contains(&projects, "\"admin\"", "openstack project list")?;
        let project = self.cli_as(
            As::Admin,
            &mut steps,
            "openstack",
            &["project", "show", "-f", "json", "demo"],
        )?;
        expect_json_field(&project, "name", "demo", "openstack project show demo")?;

        // keypair import: Nova's MD5 fingerprint of the decoded key
        let key_file = self.run_dir.join("reverse-key.pub");
        std::fs::write(&key_file, format!("{PUBLIC_KEY}\n"))
            .map_err(|error| format!("cannot write {}: {error}", key_file.display()))?;
        let key_path = key_file.to_string_lossy().into_owned();
        self.cli(
            &mut steps,
            "nova",
            &["keypair-add", "--pub-key", &key_path, "reverse-key"],
        )?;
        let keys = self.cli(&mut steps, "nova", &["keypair-list"])?;
        expect_contains(&keys, PUBLIC_KEY_FINGERPRINT, "nova keypair-list")?;

        // two servers: `list --minimal` shows the newer first
        for name in ["reverse-older", "reverse-newer"] {
            self.cli(
                &mut steps,
                "nova",
                &[
                    "boot",
                    "--flavor",
                    "m1.tiny",
                    "--image",
                    "cirros-0.6.2",
                    "--nic",
                    "none",
                    "--poll",
                    name,
                ],
            )?;
        }
        let minimal = self.cli(&mut steps, "nova", &["list", "--minimal"])?;
        match (minimal.find("reverse-newer"), minimal.find("reverse-older")) {
            (Some(newer), Some(older)) if newer < older => {}
            _ => {
                return Err(format!(
                    "nova list --minimal: expected reverse-newer before reverse-older in:\n{minimal}"
                ));
            }
        }

        // a snapshot with metadata, seen by the image service as properties
        self.cli(
            &mut steps,
            "nova",
            &[
                "image-create",
                "--metadata",
                "reverse=yes",
                "--poll",
                "reverse-newer",
                "reverse-snapshot",
            ],
        )?;
        let image = self.cli(
            &mut steps,
            "openstack",
            &["image", "show", "-f", "json", "reverse-snapshot"],
        )?;
        expect_contains(&image, "reverse", "openstack image show (properties)")?;
        expect_json_field(&image, "name", "reverse-snapshot", "openstack image show")?;
        for name in ["reverse-older", "reverse-newer"] {
            self.cli(&mut steps, "nova", &["delete", name])?;
        }

        // quota classes at 2.1 (admin), then read back
        self.cli_as(
            As::Admin,
            &mut steps,
            "nova",
            &[
                "--os-compute-api-version",
                "2.1",
                "quota-class-update",
                "--instances",
                "17",
                "default",
            ],
        )?;
        let classes = self.cli_as(
            As::Admin,
            &mut steps,
            "nova",
            &[
                "--os-compute-api-version",
                "2.1",
                "quota-class-show",
                "default",
            ],
        )?;
        expect_contains(&classes, "17", "nova quota-class-show default")?;

        // a removed API: Nova answers 410 and novaclient reports it
        let (ok, output) = self.try_cli_as(As::Admin, "nova", &["agent-list"])?;
        if ok || !output.contains("(HTTP 410)") {
            return Err(format!(
                "nova agent-list: expected a failure with (HTTP 410), got:\n{output}"
            ));
        }
        steps.push(Step {
            command: "nova agent-list (410 Gone)".into(),
        });
        Ok(steps)
    }

    /// Runs one client command as the mock's demo user; its stdout, or an
    /// error with both streams.
    fn cli(&self, steps: &mut Vec<Step>, program: &str, args: &[&str]) -> Result<String, String> {
        self.cli_as(As::Demo, steps, program, args)
    }

    /// [`Self::cli`] as `user`.
    fn cli_as(
        &self,
        user: As,
        steps: &mut Vec<Step>,
        program: &str,
        args: &[&str],
    ) -> Result<String, String> {
        let line = format!("{program} {}", args.join(" "));
        let (success, output) = self.try_cli_as(user, program, args)?;
        if !success {
            return Err(format!("`{line}` failed:\n{output}"));
        }
        steps.push(Step { command: line });
        Ok(output)
    }

    /// Runs one client command; whether it succeeded, and its stdout
    /// (followed by its stderr when it failed).
    fn try_cli(&self, program: &str, args: &[&str]) -> Result<(bool, String), String> {
        self.try_cli_as(As::Demo, program, args)
    }

    /// [`Self::try_cli`] as `user`.
    fn try_cli_as(&self, user: As, program: &str, args: &[&str]) -> Result<(bool, String), String> {
        let mut command = Command::new(self.venv.bin(program));
        command
            .args(args)
            .env_remove("OS_CLOUD")
            .envs(demo_user_env(&self.auth_url));
        if user == As::Admin {
            command.envs([
                ("OS_USERNAME", "admin"),
                ("OS_PASSWORD", ADMIN_PASSWORD),
                ("OS_PROJECT_NAME", "admin"),
            ]);
        }
        let line = format!("{program} {}", args.join(" "));
        println!("+ {line}");
        let output = command
            .output()
            .map_err(|error| format!("cannot run {program}: {error}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if output.status.success() {
            return Ok((true, stdout));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        Ok((false, format!("({}) {stdout}\n{stderr}", output.status)))
    }
}

fn expect_contains(output: &str, wanted: &str, what: &str) -> Result<(), String> {
    if output.contains(wanted) {
        Ok(())
    } else {
        Err(format!("{what}: expected {wanted:?} in:\n{output}"))
    }
}

fn expect_absent(output: &str, unwanted: &str, what: &str) -> Result<(), String> {
    if output.contains(unwanted) {
        Err(format!("{what}: {unwanted:?} is still there:\n{output}"))
    } else {
        Ok(())
    }
}

fn expect_json_field(output: &str, field: &str, wanted: &str, what: &str) -> Result<(), String> {
    // `--wait` writes "Progress: N" to stdout before the JSON document.
    let start = output.find(['{', '[']).unwrap_or(0);
    let value: serde_json::Value = serde_json::from_str(&output[start..])
        .map_err(|error| format!("{what}: output is not JSON ({error}):\n{output}"))?;
    match value.get(field).and_then(serde_json::Value::as_str) {
        Some(found) if found == wanted => Ok(()),
        found => Err(format!(
            "{what}: expected {field} = {wanted:?}, found {found:?} in:\n{output}"
        )),
    }
}
