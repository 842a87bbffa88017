//! `bench-ours SCENARIO`: the benchmark scenarios through this workspace's public crates
//! (keystone-auth, nova-core, nova-v2), the way an application would use them.
//!
//! The cloud comes from `OS_*` / `OS_CLOUD` (keystone-auth's `CloudConfig`); the knobs
//! from `BENCH_*` ([`nova_bench::Settings`]). Prints one [`nova_bench::Outcome`] line.

use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use keystone_auth::{Adapter, CloudConfig};
use nova_bench::{Outcome, Scenario, Settings};
use nova_core::compute::ComputeClient;
use nova_core::{Client, Connection, Requested, Transport};
use nova_v2::{
    CreateServer, Networks, NovaV2Client, ServerQuery, ServerStatus, ServerWaitExt, WaitOptions,
};

fn main() -> ExitCode {
    nova_bench::run_main("bench-ours", |scenario, settings| async move {
        run(scenario, &settings).await
    })
}

/// The compute client: pinned to `BENCH_MICROVERSION` without I/O when it is set (the way
/// an application that already knows its cloud builds one), else negotiated (the latest
/// microversion both sides support, one version-document GET).
async fn connect(
    settings: &Settings,
) -> Result<(Box<dyn ComputeClient>, Arc<dyn Transport>), String> {
    let config = CloudConfig::from_env().map_err(|e| format!("cloud config: {e}"))?;
    let session = config
        .session_builder()
        .map_err(|e| format!("session: {e}"))?
        .app_name("nova-bench")
        .build()
        .map_err(|e| format!("session: {e}"))?;
    let transport: Arc<dyn Transport> =
        Arc::new(Adapter::new(session, config.endpoint_filter("compute")));
    let client = match &settings.microversion {
        Some(version) => Client::new(version, Arc::clone(&transport))
            .map_err(|e| format!("BENCH_MICROVERSION: {e}"))?,
        None => Client::negotiate(Requested::Latest, Arc::clone(&transport))
            .await
            .map_err(|e| format!("negotiation: {e}"))?,
    };
    Ok((client, transport))
}

async fn run(scenario: Scenario, settings: &Settings) -> Result<Outcome, String> {
    let (compute, transport) = connect(settings).await?;
    let servers = compute.servers();
    match scenario {
        Scenario::Version => Ok(Outcome::new(scenario, 0).note(compute.microversion().to_string())),
        Scenario::Boot => {
            let request = CreateServer::new("bench-boot", settings.flavor.as_str())
                .image(settings.image().map_err(|e| e.to_string())?)
                .networks(Networks::Auto);
            let created = servers
                .create(&request)
                .await
                .map_err(|e| format!("create: {e}"))?;
            let server = created.value;
            let options = WaitOptions::new()
                .intervals(settings.poll_interval, settings.poll_interval)
                .timeout(std::time::Duration::from_secs(60));
            let active = servers
                .wait_for_status(&server.id, ServerStatus::Active, &options)
                .await
                .map_err(|e| format!("wait: {e}"))?;
            Ok(Outcome::new(scenario, 1).note(active.status.to_string()))
        }
        Scenario::Show => {
            let page = servers
                .list(&ServerQuery::new().limit(1))
                .await
                .map_err(|e| format!("list: {e}"))?;
            let id = page
                .value
                .items
                .first()
                .map(|s| s.id.clone())
                .ok_or("there is no server to show")?;
            let mut shown = 0u64;
            let before = nova_bench::allocations_so_far();
            for _ in 0..settings.shows {
                let server = servers.get(&id).await.map_err(|e| format!("get: {e}"))?;
                if server.value.id == id {
                    shown += 1;
                }
            }
            let allocations = nova_bench::allocations_so_far() - before;
            Ok(Outcome::new(scenario, shown).allocations(allocations))
        }
        Scenario::List => {
            let count = servers
                .list_all(ServerQuery::new().limit(settings.page_size))
                .try_fold(0u64, |n, _server| async move { Ok(n + 1) })
                .await
                .map_err(|e| format!("list: {e}"))?;
            Ok(Outcome::new(scenario, count))
        }
        Scenario::Stream => {
            // The bounded-memory stream is on the concrete v2 manager.
            let v2 = NovaV2Client::new(Connection::new(transport, compute.microversion()));
            let count = v2
                .server_manager()
                .stream(ServerQuery::new().limit(settings.page_size))
                .try_fold(0u64, |n, _server| async move { Ok(n + 1) })
                .await
                .map_err(|e| format!("stream: {e}"))?;
            Ok(Outcome::new(scenario, count))
        }
        Scenario::Page => {
            let page = servers
                .list(&ServerQuery::new())
                .await
                .map_err(|e| format!("list: {e}"))?;
            Ok(Outcome::new(scenario, page.value.items.len() as u64))
        }
        Scenario::Create => {
            let image = settings.image().map_err(|e| e.to_string())?.to_owned();
            let ids: Vec<String> = futures::stream::iter(0..settings.creates)
                .map(|n| {
                    let servers = Arc::clone(&servers);
                    let request = CreateServer::new(format!("bench-{n}"), settings.flavor.as_str())
                        .image(image.as_str())
                        .networks(Networks::Auto);
                    async move { Ok(servers.create(&request).await?.value.id) }
                })
                .buffer_unordered(settings.in_flight)
                .try_collect()
                .await
                .map_err(|e: nova_v2::Error| format!("create: {e}"))?;
            let distinct: HashSet<&String> = ids.iter().collect();
            Ok(Outcome::new(scenario, distinct.len() as u64))
        }
    }
}
