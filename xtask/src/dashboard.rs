//! `cargo xtask dashboard`: the web dashboard against an embedded mock cloud, until Ctrl-C.

use std::collections::HashMap;

use keystone_auth::CloudConfig;
use mock_cloud::{MockCloud, MockConfig};
use nova_dashboard::cloud::CloudConnection;
use nova_dashboard::{DashboardConfig, LoginMode};
use nova_v2::{CreateServer, Networks};

const USAGE: &str = "usage: cargo xtask dashboard [--port N] [--servers N]";

/// Entry point: `--port N` (default 8080; 0 for any free port), `--servers N` to start with
/// N servers (e.g. 1000 to see the list at scale).
pub fn run(args: &[String]) -> Result<(), String> {
    let mut port: u16 = 8080;
    let mut servers: u32 = 0;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
                .cloned()
        };
        match arg.as_str() {
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|_| format!("bad --port\n{USAGE}"))?
            }
            "--servers" => {
                servers = value("--servers")?
                    .parse()
                    .map_err(|_| format!("bad --servers\n{USAGE}"))?
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(serve(port, servers))
}

async fn serve(port: u16, servers: u32) -> Result<(), String> {
    let mut mock = MockConfig::default();
    if servers > 0 {
        mock.nova.instance_quota = servers + 20;
        mock.nova.cores_quota = servers + 20;
        mock.nova.ram_quota = (servers + 20) * 512;
    }
    let cloud = MockCloud::start(mock)
        .await
        .map_err(|error| format!("mock-cloud did not start: {error}"))?;
    if servers > 0 {
        seed_servers(&cloud, servers).await?;
    }
    let mut base = CloudConfig::default();
    base.auth.auth_url = Some(cloud.auth_url().to_owned());
    let dashboard = nova_dashboard::start(
        DashboardConfig::new(LoginMode::Form(base)),
        &format!("127.0.0.1:{port}"),
    )
    .await
    .map_err(|error| format!("the dashboard cannot listen on 127.0.0.1:{port}: {error}"))?;
    println!(
        "mock cloud  {} (Keystone {}, compute {})",
        cloud.url(),
        cloud.auth_url(),
        cloud.compute_url()
    );
    println!("dashboard   {}", dashboard.url());
    println!(
        "log in as   demo / {} in project demo (domain Default)",
        mock_cloud::seed::DEMO_PASSWORD
    );
    println!("Ctrl-C stops both.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| format!("waiting for Ctrl-C: {error}"))?;
    dashboard.shutdown();
    cloud.shutdown();
    Ok(())
}

/// Boots `count` m1.tiny servers as the demo user, in batches of at most 500.
async fn seed_servers(cloud: &MockCloud, count: u32) -> Result<(), String> {
    let env: HashMap<String, String> = crate::mock::demo_user_env(cloud.auth_url())
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let api = CloudConnection::connect(CloudConfig::from_env_map(&env))
        .await
        .map_err(|e| e.user_message())?;
    let mut left = count;
    let mut batch = 0;
    while left > 0 {
        let n = left.min(500);
        batch += 1;
        let request = CreateServer::new(format!("seed-{batch}"), "1")
            .image("70a599e0-31e7-49b7-b260-868f441e862b")
            .networks(Networks::Auto)
            .min_count(n)
            .max_count(n);
        api.compute
            .servers()
            .create(&request)
            .await
            .map_err(|e| format!("seeding servers: {e}"))?;
        left -= n;
    }
    println!("seeded      {count} servers");
    Ok(())
}
