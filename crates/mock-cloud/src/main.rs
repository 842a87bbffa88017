//! `mock-cloud`: serve a mock OpenStack cloud (Keystone v3 + Nova v2.1) on
//! loopback and print how to point clients at it.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use mock_cloud::{ApiVersion, MockCloud, MockConfig};

/// Serve a mock OpenStack cloud: Keystone v3 under /identity and Nova v2.1
/// under /compute on one loopback port, with a test control API under /_mock.
///
/// Seeded by default: domain Default; user demo / demo-password (project demo,
/// role member); user admin / admin-password (project admin, role admin);
/// flavors m1.tiny, m1.small, m1.medium; image cirros-0.6.2; application
/// credential demo-appcred / demo-appcred-secret.
#[derive(Debug, Parser)]
#[command(name = "mock-cloud", version)]
struct Args {
    /// Port to listen on (default: the config's, else 0 = any free port).
    #[arg(long)]
    port: Option<u16>,
    /// Address to bind (default: the config's, else 127.0.0.1).
    #[arg(long)]
    bind: Option<IpAddr>,
    /// Configuration file (YAML, or JSON when it ends in .json): users,
    /// projects, token lifetime, microversion range, flavors, images...
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Highest compute microversion served (default 2.104).
    #[arg(long, value_name = "X.Y")]
    max_microversion: Option<ApiVersion>,
    /// Write the base URL (http://127.0.0.1:PORT) to this file once listening.
    #[arg(long, value_name = "PATH")]
    ready_file: Option<PathBuf>,
    /// Stop when standard input reaches end of file: a parent that starts the
    /// mock with a piped stdin can be sure it never outlives the parent.
    #[arg(long)]
    exit_on_stdin_eof: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("mock-cloud: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mock-cloud: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut config = match &args.config {
        Some(path) => MockConfig::from_file(path).map_err(|e| error_chain(&e))?,
        None => MockConfig::default(),
    };
    if let Some(port) = args.port {
        config.port = port;
    }
    if let Some(bind) = args.bind {
        config.bind = bind;
    }
    if let Some(max) = args.max_microversion {
        config.versions.compute_max = max;
    }
    if config.versions.compute_min > config.versions.compute_max {
        return Err(format!(
            "the minimum microversion {} is above the maximum {}",
            config.versions.compute_min, config.versions.compute_max
        ));
    }
    let cloud = MockCloud::start(config)
        .await
        .map_err(|e| format!("cannot listen: {e}"))?;
    {
        // a closed stdout must not stop the cloud
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(usage_text(&cloud).as_bytes());
        let _ = stdout.flush();
    }
    if let Some(path) = &args.ready_file {
        write_ready_file(path, cloud.url())
            .map_err(|e| format!("cannot write ready file {}: {e}", path.display()))?;
    }
    if args.exit_on_stdin_eof {
        tokio::select! {
            _ = wait_for_signal() => {}
            _ = wait_for_stdin_eof() => {}
        }
    } else {
        wait_for_signal().await;
    }
    cloud.shutdown();
    if let Some(path) = &args.ready_file {
        let _ = std::fs::remove_file(path);
    }
    eprintln!("mock-cloud: stopped");
    Ok(())
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Writes `url` to a temporary file and renames it, so a reader never sees a
/// half-written file.
fn write_ready_file(path: &Path, url: &str) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, url)?;
    std::fs::rename(&temp, path)
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Completes when standard input is closed (or fails).
async fn wait_for_stdin_eof() {
    let (done, closed) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut buffer = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut buffer), Ok(n) if n > 0) {}
        let _ = done.send(());
    });
    let _ = closed.await;
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// Single-quotes a value for a POSIX shell when it needs it.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// The user the printed credentials are for (`demo` when it exists) and a
/// project it has a role on.
struct Login {
    username: String,
    password: String,
    user_domain: String,
    project: Option<(String, String)>,
}

fn login(cloud: &MockCloud) -> Option<Login> {
    let dir = &cloud.control().state().keystone.directory;
    let user = dir
        .users
        .iter()
        .find(|u| u.name == "demo")
        .or_else(|| dir.users.first())?;
    let domain_name = |id: &str| {
        dir.domain(id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let project = dir
        .grants
        .iter()
        .filter(|g| g.user_id == user.id)
        .find_map(|g| match &g.target {
            mock_cloud::keystone::directory::Target::Project(id) => dir.project(id),
            _ => None,
        })
        .map(|p| (p.name.clone(), domain_name(&p.domain_id)));
    Some(Login {
        username: user.name.clone(),
        password: user.password.expose().to_owned(),
        user_domain: domain_name(&user.domain_id),
        project,
    })
}

fn usage_text(cloud: &MockCloud) -> String {
    let state = cloud.control().state();
    let versions = &state.config.versions;
    let region = &state.config.keystone.region;
    let mut out = format!(
        "mock-cloud listening on {url}\n  identity: {auth}\n  compute:  {compute} (microversions {min} to {max})\n  control:  {url}/_mock\n\n",
        url = cloud.url(),
        auth = cloud.auth_url(),
        compute = cloud.compute_url(),
        min = versions.compute_min,
        max = versions.compute_max,
    );
    let Some(login) = login(cloud) else {
        out.push_str("(no users configured)\n");
        return out;
    };
    out.push_str("# environment for openstack / nova clients:\n");
    let mut env = vec![
        ("OS_AUTH_URL", cloud.auth_url().to_owned()),
        ("OS_USERNAME", login.username.clone()),
        ("OS_PASSWORD", login.password.clone()),
    ];
    if let Some((project, domain)) = &login.project {
        env.push(("OS_PROJECT_NAME", project.clone()));
        env.push(("OS_USER_DOMAIN_NAME", login.user_domain.clone()));
        env.push(("OS_PROJECT_DOMAIN_NAME", domain.clone()));
    } else {
        env.push(("OS_USER_DOMAIN_NAME", login.user_domain.clone()));
    }
    env.push(("OS_REGION_NAME", region.clone()));
    env.push(("OS_IDENTITY_API_VERSION", "3".to_owned()));
    for (name, value) in &env {
        out.push_str(&format!("export {name}={}\n", shell_quote(value)));
    }
    out.push_str(
        "\n# or in clouds.yaml (then: export OS_CLOUD=mock):\nclouds:\n  mock:\n    auth:\n",
    );
    let yaml = |v: &str| serde_json::Value::String(v.to_owned()).to_string();
    out.push_str(&format!("      auth_url: {}\n", yaml(cloud.auth_url())));
    out.push_str(&format!("      username: {}\n", yaml(&login.username)));
    out.push_str(&format!("      password: {}\n", yaml(&login.password)));
    if let Some((project, domain)) = &login.project {
        out.push_str(&format!("      project_name: {}\n", yaml(project)));
        out.push_str(&format!("      project_domain_name: {}\n", yaml(domain)));
    }
    out.push_str(&format!(
        "      user_domain_name: {}\n",
        yaml(&login.user_domain)
    ));
    out.push_str(&format!(
        "    region_name: {}\n    identity_api_version: 3\n\n",
        yaml(region)
    ));
    out
}
