//! Commands that act on every server of a hypervisor host, client-side like novaclient:
//! `host-evacuate-live`, `host-servers-migrate`, `host-meta` (and the shared loop behind
//! `host-evacuate` in hypervisors.rs).

use std::future::Future;

use clap::Subcommand;
use nova_core::compute::ComputeClient;
use nova_core::types::FieldGate;
use nova_v2::MigrateServer;
use serde_json::{Value, json};

use super::{Ctx, key_values};
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Host-wide loops.
#[derive(Debug, Subcommand)]
pub enum HostLoopCommand {
    /// Live migrate all instances off the specified host to other available hosts.
    #[command(name = "host-evacuate-live")]
    EvacuateLive {
        /// The hypervisor hostname (or pattern) to search for. WARNING: Use a fully qualified
        /// domain name if you only want to live migrate from a specific host.
        host: String,
        /// Name of target host. If no host is specified, the scheduler will choose one.
        #[arg(long = "target-host", value_name = "target_host")]
        target_host: Option<String>,
        /// Enable block migration (default: False below 2.25, auto from 2.25).
        #[arg(long = "block-migrate")]
        block_migrate: bool,
        /// Enable disk overcommit (below 2.25).
        #[arg(long = "disk-over-commit")]
        disk_over_commit: bool,
        /// Maximum number of servers to live migrate simultaneously.
        #[arg(long = "max-servers", value_name = "max_servers")]
        max_servers: Option<usize>,
        /// Force a live-migration by not verifying the provided destination host by the
        /// scheduler (2.30 to 2.67).
        #[arg(long)]
        force: bool,
        /// Live evacuate host with exact hypervisor hostname match.
        #[arg(long)]
        strict: bool,
    },
    /// Cold migrate all instances off the specified host to other available hosts.
    #[command(name = "host-servers-migrate")]
    ServersMigrate {
        /// The hypervisor hostname (or pattern) to search for. WARNING: Use a fully qualified
        /// domain name if you only want to cold migrate from a specific host.
        host: String,
        /// Migrate host with exact hypervisor hostname match.
        #[arg(long)]
        strict: bool,
    },
    /// Set or Delete metadata on all instances of a host.
    #[command(name = "host-meta")]
    Meta {
        /// The hypervisor hostname (or pattern) to search for. WARNING: Use a fully qualified
        /// domain name if you only want to update metadata for servers on a specific host.
        host: String,
        /// Actions: 'set' or 'delete'.
        #[arg(value_parser = ["set", "delete"])]
        action: String,
        /// Metadata to set or delete (only key is necessary on delete).
        #[arg(required = true, value_name = "key=value")]
        metadata: Vec<String>,
        /// Set host-meta to the hypervisor with exact hostname match.
        #[arg(long)]
        strict: bool,
    },
}

/// The ids of the servers on the hypervisors matching `host` (novaclient's `_hyper_servers`):
/// every match, or with `strict` only the first exact hostname match (none is an error).
pub async fn hyper_servers(
    compute: &dyn ComputeClient,
    host: &str,
    strict: bool,
) -> CliResult<Vec<String>> {
    let found = compute.hypervisors().search(host, true).await?.value;
    let mut servers = Vec::new();
    let mut matched = false;
    for h in &found {
        if strict && h.hypervisor_hostname != host {
            continue;
        }
        matched = true;
        servers.extend(h.servers.iter().flatten().map(|s| s.uuid.clone()));
        if strict {
            break;
        }
    }
    if strict && !matched {
        return Err(CliError::not_found(format!(
            "No hypervisor matching '{host}' could be found."
        )));
    }
    Ok(servers)
}

/// Runs `each` on every server id in turn, recording one row per server:
/// `[uuid, accepted, "Error while <doing> instance: <error>" or ""]`.
pub async fn each_server<F, Fut>(ids: Vec<String>, doing: &str, each: F) -> Vec<Vec<Value>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = nova_core::Result<()>>,
{
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let (accepted, message) = match each(id.clone()).await {
            Ok(()) => (true, String::new()),
            Err(e) => (false, format!("Error while {doing} instance: {e}")),
        };
        rows.push(vec![json!(id), json!(accepted), json!(message)]);
    }
    rows
}

/// The result table of a host-wide loop: `Server UUID | <accepted> | Error Message`.
pub fn result_table(accepted: &str, rows: Vec<Vec<Value>>) -> Output {
    Output::list(&["Server UUID", accepted, "Error Message"], rows)
}

/// Fails (before anything is sent) when a gated field is not accepted at the negotiated
/// microversion, with the library's `FieldNotSupported` error: a loop would otherwise report
/// the same refusal once per server.
pub fn check_gates(compute: &dyn ComputeClient, gates: &[FieldGate]) -> CliResult<()> {
    let current = compute.microversion();
    for gate in gates {
        if !gate.admits(current) {
            return Err(nova_core::Error::FieldNotSupported {
                field: gate.field,
                required: gate.current(),
                negotiated: current,
            }
            .into());
        }
    }
    Ok(())
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: HostLoopCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    match command {
        HostLoopCommand::EvacuateLive {
            host,
            target_host,
            block_migrate,
            disk_over_commit,
            max_servers,
            force,
            strict,
        } => {
            let request = super::moves::live_migrate_request(
                target_host,
                block_migrate,
                disk_over_commit,
                force,
            );
            check_gates(compute, &request.field_gates())?;
            let mut ids = hyper_servers(compute, &host, strict).await?;
            if let Some(max) = max_servers {
                // novaclient stops once `max` were tried (at least one).
                ids.truncate(max.max(1));
            }
            let migrations = compute.server_migrations();
            let rows = each_server(ids, "live migrating", |id| {
                let migrations = migrations.clone();
                let request = request.clone();
                async move {
                    migrations.live_migrate(&id, &request).await?;
                    Ok(())
                }
            })
            .await;
            Ok(result_table("Live Migration Accepted", rows))
        }
        HostLoopCommand::ServersMigrate { host, strict } => {
            let ids = hyper_servers(compute, &host, strict).await?;
            let migrations = compute.server_migrations();
            let rows = each_server(ids, "migrating", |id| {
                let migrations = migrations.clone();
                async move {
                    migrations.migrate(&id, &MigrateServer::new()).await?;
                    Ok(())
                }
            })
            .await;
            Ok(result_table("Migration Accepted", rows))
        }
        HostLoopCommand::Meta {
            host,
            action,
            metadata,
            strict,
        } => {
            let set = action == "set";
            let items = if set {
                key_values(&metadata, "metadata")?
            } else {
                super::item_keys(&metadata)
                    .map(|key| (key.to_owned(), String::new()))
                    .collect()
            };
            let servers = compute.servers();
            for id in hyper_servers(compute, &host, strict).await? {
                if set {
                    servers.set_metadata(&id, &items).await?;
                } else {
                    for key in items.keys() {
                        servers.delete_metadata(&id, key).await?;
                    }
                }
            }
            Ok(Output::Nothing)
        }
    }
}
