//! Compute services: `service-list`, `service-enable`, `service-disable`,
//! `service-force-down`, `service-delete`. As in novaclient, below 2.53 a service is named
//! by its host (binary `nova-compute`) and from 2.53 by its UUID.

use clap::Subcommand;
use nova_core::MicroVersion;
use nova_core::types::{Service, ServiceQuery, UpdateService};
use serde_json::{Value, json};

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Compute services.
#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Show a list of all running services. Filter by host & binary.
    #[command(name = "service-list")]
    List {
        /// Name of host.
        #[arg(long, value_name = "hostname")]
        host: Option<String>,
        /// Service binary.
        #[arg(long, value_name = "binary")]
        binary: Option<String>,
    },
    /// Enable the service.
    #[command(name = "service-enable")]
    Enable {
        /// Name of host (below 2.53) or ID of the service as a UUID (2.53+).
        #[arg(value_name = "hostname|id")]
        service: String,
    },
    /// Disable the service.
    #[command(name = "service-disable")]
    Disable {
        /// Name of host (below 2.53) or ID of the service as a UUID (2.53+).
        #[arg(value_name = "hostname|id")]
        service: String,
        /// Reason for disabling the service.
        #[arg(long, value_name = "reason")]
        reason: Option<String>,
    },
    /// Force service to down (2.11+).
    #[command(name = "service-force-down")]
    ForceDown {
        /// Name of host (below 2.53) or ID of the service as a UUID (2.53+).
        #[arg(value_name = "hostname|id")]
        service: String,
        /// Unset the forced_down state of the service.
        #[arg(long)]
        unset: bool,
    },
    /// Delete the service by integer ID (below 2.53) or UUID ID (2.53+).
    #[command(name = "service-delete")]
    Delete {
        /// ID of service.
        id: String,
    },
}

fn by_uuid(ctx: &Ctx) -> bool {
    ctx.cloud.compute.microversion() >= MicroVersion::new(2, 53)
}

fn cell(service: &Service, column: &str) -> Value {
    match column {
        "Id" | "ID" => json!(service.id),
        "Binary" => json!(service.binary),
        "Host" => json!(service.host),
        "Zone" => json!(service.zone),
        "Status" => json!(service.status.as_ref().map(|s| s.as_str().to_owned())),
        "State" => json!(service.state),
        "Updated_at" => json!(service.updated_at),
        "Disabled Reason" => json!(service.disabled_reason),
        "Forced down" => json!(service.forced_down),
        _ => Value::Null,
    }
}

fn table(services: &[Service], columns: &[&str]) -> Output {
    let rows = services
        .iter()
        .map(|s| columns.iter().map(|c| cell(s, c)).collect())
        .collect();
    Output::list(columns, rows)
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: ServiceCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let services = compute.services();
    let uuid = by_uuid(ctx);
    match command {
        ServiceCommand::List { host, binary } => {
            let query = ServiceQuery { host, binary };
            let listed = services.list(&query).await?.value;
            let mut columns = vec![
                "Id",
                "Binary",
                "Host",
                "Zone",
                "Status",
                "State",
                "Updated_at",
                "Disabled Reason",
            ];
            if compute.microversion() >= MicroVersion::new(2, 11) {
                columns.push("Forced down");
            }
            Ok(table(&listed, &columns))
        }
        ServiceCommand::Enable { service } => {
            if uuid {
                let s = services.update(&service, &UpdateService::enable()).await?;
                Ok(table(&[s.value], &["ID", "Host", "Binary", "Status"]))
            } else {
                let s = services.enable(&service, "nova-compute").await?;
                Ok(table(&[s.value], &["Host", "Binary", "Status"]))
            }
        }
        ServiceCommand::Disable { service, reason } => {
            let mut columns = vec!["Host", "Binary", "Status"];
            if uuid {
                columns.insert(0, "ID");
            }
            if reason.is_some() {
                columns.push("Disabled Reason");
            }
            let s = if uuid {
                let request = UpdateService::disable(reason);
                services.update(&service, &request).await?
            } else {
                services.disable(&service, "nova-compute", reason).await?
            };
            Ok(table(&[s.value], &columns))
        }
        ServiceCommand::ForceDown { service, unset } => {
            if uuid {
                let request = UpdateService::new().forced_down(!unset);
                let s = services.update(&service, &request).await?;
                Ok(table(&[s.value], &["ID", "Host", "Binary", "Forced down"]))
            } else {
                let s = services
                    .force_down(&service, "nova-compute", !unset)
                    .await?;
                Ok(table(&[s.value], &["Host", "Binary", "Forced down"]))
            }
        }
        ServiceCommand::Delete { id } => {
            services.delete(&id).await?;
            Ok(Output::Nothing)
        }
    }
}
