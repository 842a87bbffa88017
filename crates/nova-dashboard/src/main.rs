//! `nova-dashboard`: serves the dashboard on 127.0.0.1 (by default).

use std::process::ExitCode;

use clap::Parser;
use keystone_auth::CloudConfig;
use nova_dashboard::{DashboardConfig, LoginMode};

/// A small web dashboard for launching and watching servers.
#[derive(Debug, Parser)]
#[command(name = "nova-dashboard", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Single-user mode with this cloud from clouds.yaml (no login form).
    #[arg(long, env = "OS_CLOUD")]
    os_cloud: Option<String>,
    /// Keystone URL for the login form (else OS_AUTH_URL). Region, interface and TLS
    /// settings come from the OS_* variables.
    #[arg(long)]
    os_auth_url: Option<String>,
    /// Mark cookies Secure (when served over TLS by a proxy in front).
    #[arg(long)]
    secure_cookies: bool,
    /// Minutes an unused session lives.
    #[arg(long, default_value_t = 30)]
    session_idle_minutes: u64,
}

fn config(args: &Args) -> Result<DashboardConfig, String> {
    let login = match &args.os_cloud {
        Some(name) => LoginMode::Cloud(
            CloudConfig::from_cloud(name).map_err(|e| format!("cloud {name:?}: {e}"))?,
        ),
        None => {
            let mut base =
                CloudConfig::from_env().map_err(|e| format!("the OS_* settings: {e}"))?;
            // Credentials come from the login form only.
            let auth_url = args.os_auth_url.clone().or(base.auth.auth_url.take());
            base.auth = Default::default();
            base.auth.auth_url =
                Some(auth_url.ok_or("give --os-auth-url (or OS_AUTH_URL), or --os-cloud NAME")?);
            LoginMode::Form(base)
        }
    };
    let mut config = DashboardConfig::new(login);
    config.secure_cookies = args.secure_cookies;
    config.sessions.idle = std::time::Duration::from_secs(args.session_idle_minutes.max(1) * 60);
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let config = match config(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("nova-dashboard: {message}");
            return ExitCode::from(3);
        }
    };
    let dashboard = match nova_dashboard::start(config, &args.listen).await {
        Ok(d) => d,
        Err(error) => {
            eprintln!("nova-dashboard: cannot listen on {}: {error}", args.listen);
            return ExitCode::from(1);
        }
    };
    println!("nova-dashboard: open {}", dashboard.url());
    let _ = tokio::signal::ctrl_c().await;
    dashboard.shutdown();
    ExitCode::SUCCESS
}
