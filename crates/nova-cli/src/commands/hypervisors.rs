//! Hypervisors: `hypervisor-list`, `hypervisor-show`, `hypervisor-servers`,
//! `hypervisor-uptime`, `hypervisor-stats`; and evacuation: `evacuate`, `host-evacuate`.

use clap::Subcommand;
use nova_core::MicroVersion;
use nova_core::compute::ComputeClient;
use nova_core::types::{EvacuateServer, Hypervisor, HypervisorQuery};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Hypervisors.
#[derive(Debug, Subcommand)]
pub enum HypervisorCommand {
    /// List hypervisors.
    #[command(name = "hypervisor-list")]
    HypervisorList {
        /// List hypervisors matching the given <hostname> (or pattern). If matching is used
        /// limit and marker options will be ignored.
        #[arg(long, value_name = "hostname")]
        matching: Option<String>,
        /// The last hypervisor of the previous page (2.33+).
        #[arg(long, value_name = "marker")]
        marker: Option<String>,
        /// Maximum number of hypervisors to display (2.33+).
        #[arg(long, value_name = "limit")]
        limit: Option<u32>,
    },
    /// Display the details of the specified hypervisor.
    #[command(name = "hypervisor-show")]
    HypervisorShow {
        /// Name or ID of the hypervisor. Starting with microversion 2.53 the ID must be a UUID.
        hypervisor: String,
        /// Wrap the output to a specified length. Default is 40 or 0 to disable.
        #[arg(long, value_name = "integer", default_value_t = 40)]
        wrap: usize,
    },
    /// List servers belonging to specific hypervisors.
    #[command(name = "hypervisor-servers")]
    HypervisorServers {
        /// The hypervisor hostname (or pattern) to search for.
        hostname: String,
    },
    /// Display the uptime of the specified hypervisor.
    #[command(name = "hypervisor-uptime")]
    HypervisorUptime {
        /// Name or ID of the hypervisor. Starting with microversion 2.53 the ID must be a UUID.
        hypervisor: String,
    },
    /// Get hypervisor statistics over all compute nodes (below 2.88).
    #[command(name = "hypervisor-stats")]
    HypervisorStats,
    /// Evacuate server from failed host.
    Evacuate {
        /// Name or ID of server.
        server: String,
        /// Name or ID of the target host. If no host is specified, the scheduler will choose
        /// one.
        host: Option<String>,
        /// Set the provided admin password on the evacuated server. Not applicable if the
        /// server is on shared storage.
        #[arg(long, value_name = "password", value_parser = crate::cli::secret)]
        password: Option<SecretString>,
        /// Specifies whether server files are located on shared storage (below 2.14).
        #[arg(long)]
        on_shared_storage: bool,
        /// Force an evacuation by not verifying the provided destination host by the
        /// scheduler (2.29 to 2.67).
        #[arg(long)]
        force: bool,
    },
    /// Evacuate all instances from failed host.
    #[command(name = "host-evacuate")]
    HostEvacuate {
        /// The hypervisor hostname (or pattern) to search for. WARNING: Use a fully qualified
        /// domain name if you only want to evacuate from a specific host.
        host: String,
        /// Name of target host. If no host is specified the scheduler will select a target.
        #[arg(long = "target_host", value_name = "target_host")]
        target_host: Option<String>,
        /// Specifies whether all instances files are on shared storage (below 2.14).
        #[arg(long)]
        on_shared_storage: bool,
        /// Force to not verify the scheduler if a host is provided (2.29 to 2.67).
        #[arg(long)]
        force: bool,
        /// Evacuate host with exact hypervisor hostname match.
        #[arg(long)]
        strict: bool,
    },
}

fn since(compute: &dyn ComputeClient, minor: u16) -> bool {
    compute.microversion() >= MicroVersion::new(2, minor)
}

/// Whether `text` has the shape of a hypervisor id at this microversion.
fn looks_like_id(compute: &dyn ComputeClient, text: &str) -> bool {
    if since(compute, 53) {
        text.len() == 36
            && text.char_indices().all(|(i, c)| {
                if matches!(i, 8 | 13 | 18 | 23) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    } else {
        text.parse::<u64>().is_ok()
    }
}

/// A hypervisor by id, else by exact hostname (novaclient's `find_resource`).
async fn find(compute: &dyn ComputeClient, name_or_id: &str) -> CliResult<Hypervisor> {
    let hypervisors = compute.hypervisors();
    if looks_like_id(compute, name_or_id) {
        match hypervisors.get(name_or_id, false).await {
            Ok(found) => return Ok(found.value),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    let all = hypervisors
        .detail(&HypervisorQuery::new())
        .await?
        .value
        .items;
    let mut matches: Vec<Hypervisor> = all
        .into_iter()
        .filter(|h| h.hypervisor_hostname == name_or_id)
        .collect();
    match matches.len() {
        1 => Ok(matches.remove(0)),
        0 => Err(CliError::not_found(format!(
            "No hypervisor with a name or ID of '{name_or_id}' exists."
        ))),
        _ => Err(CliError::not_found(format!(
            "Multiple hypervisor matches found for '{name_or_id}', use an ID to be more specific."
        ))),
    }
}

/// novaclient's `flatten_dict`: nested objects become `parent_child` keys.
fn flatten(prefix: &str, value: &Value, out: &mut Map<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}_{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

fn object_of(hypervisor: &Hypervisor, flat: bool) -> Output {
    let value = serde_json::to_value(hypervisor).unwrap_or(Value::Null);
    let mut map = Map::new();
    if flat {
        flatten("", &value, &mut map);
    } else if let Value::Object(m) = value {
        map = m;
    }
    map.retain(|_, v| !v.is_null());
    Output::object(map)
}

fn evacuate_request(
    compute: &dyn ComputeClient,
    host: Option<String>,
    password: Option<SecretString>,
    on_shared_storage: bool,
    force: bool,
) -> EvacuateServer {
    let mut request = EvacuateServer::new();
    request.host = host;
    if let Some(password) = password {
        request = request.admin_pass(password.expose_secret());
    }
    if on_shared_storage {
        request = request.on_shared_storage(true);
    }
    if force && since(compute, 29) {
        request = request.force(true);
    }
    request
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: HypervisorCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let hypervisors = compute.hypervisors();
    let columns = ["ID", "Hypervisor hostname", "State", "Status"];
    let row = |h: &Hypervisor| {
        vec![
            json!(h.id),
            json!(h.hypervisor_hostname),
            json!(h.state),
            json!(h.status),
        ]
    };
    match command {
        HypervisorCommand::HypervisorList {
            matching,
            marker,
            limit,
        } => {
            let listed = match matching {
                Some(pattern) => hypervisors.search(&pattern, false).await?.value,
                None => {
                    let query = HypervisorQuery {
                        limit,
                        marker,
                        ..HypervisorQuery::default()
                    };
                    hypervisors.list(&query).await?.value.items
                }
            };
            Ok(Output::list(&columns, listed.iter().map(row).collect()))
        }
        HypervisorCommand::HypervisorShow { hypervisor, wrap } => {
            let found = find(compute, &hypervisor).await?;
            // The detailed view (the search fallback may have been a summary).
            let shown = hypervisors.get(&found.id, false).await?.value;
            Ok(object_of(&shown, true).wrapped(wrap))
        }
        HypervisorCommand::HypervisorServers { hostname } => {
            let found = hypervisors.search(&hostname, true).await?.value;
            let mut rows = Vec::new();
            for h in &found {
                for s in h.servers.iter().flatten() {
                    rows.push(vec![
                        json!(s.uuid),
                        json!(s.name),
                        json!(h.id),
                        json!(h.hypervisor_hostname),
                    ]);
                }
            }
            Ok(Output::list(
                &["ID", "Name", "Hypervisor ID", "Hypervisor Hostname"],
                rows,
            ))
        }
        HypervisorCommand::HypervisorUptime { hypervisor } => {
            let found = find(compute, &hypervisor).await?;
            let up = hypervisors.uptime(&found.id).await?.value;
            let mut map = Map::new();
            map.insert("id".into(), json!(up.id));
            map.insert("hypervisor_hostname".into(), json!(up.hypervisor_hostname));
            if let Some(state) = up.state {
                map.insert("state".into(), json!(state));
            }
            if let Some(status) = up.status {
                map.insert("status".into(), json!(status));
            }
            map.insert("uptime".into(), json!(up.uptime));
            Ok(Output::object(map))
        }
        HypervisorCommand::HypervisorStats => {
            let stats = hypervisors.statistics().await?.value;
            let map = match serde_json::to_value(&stats) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            Ok(Output::object(map))
        }
        HypervisorCommand::Evacuate {
            server,
            host,
            password,
            on_shared_storage,
            force,
        } => {
            let found = crate::resolve::server(compute, &server).await?;
            let request = evacuate_request(compute, host, password, on_shared_storage, force);
            let result = compute.servers().evacuate(&found.id, &request).await?.value;
            match result.admin_pass {
                Some(pass) => {
                    let mut map = Map::new();
                    map.insert("adminPass".into(), json!(pass.expose_secret()));
                    Ok(Output::object(map))
                }
                None => Ok(Output::Nothing),
            }
        }
        HypervisorCommand::HostEvacuate {
            host,
            target_host,
            on_shared_storage,
            force,
            strict,
        } => {
            let ids = super::host_loops::hyper_servers(compute, &host, strict).await?;
            let request = evacuate_request(compute, target_host, None, on_shared_storage, force);
            let servers = compute.servers();
            let rows = super::host_loops::each_server(ids, "evacuating", |id| {
                let servers = servers.clone();
                let request = request.clone();
                async move {
                    servers.evacuate(&id, &request).await?;
                    Ok(())
                }
            })
            .await;
            Ok(super::host_loops::result_table("Evacuate Accepted", rows))
        }
    }
}
