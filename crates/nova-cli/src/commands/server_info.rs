//! Instance actions, diagnostics and topology: `instance-action-list`, `instance-action`,
//! `diagnostics`, `server-topology` (python-novaclient's names and flags).

use clap::Subcommand;
use nova_core::MicroVersion;
use nova_core::compute::ComputeClient;
use nova_v2::InstanceActionQuery;
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Instance actions, diagnostics and topology.
#[derive(Debug, Subcommand)]
pub enum ServerInfoCommand {
    /// List actions on a server.
    #[command(name = "instance-action-list")]
    InstanceActionList {
        /// The last instance action of the previous page (2.58+).
        #[arg(long, value_name = "marker")]
        marker: Option<String>,
        /// Maximum number of instance actions to display (2.58+).
        #[arg(long, value_name = "limit")]
        limit: Option<u32>,
        /// List only instance actions changed later or equal to a certain point of time
        /// (2.58+), ISO 8601, e.g. 2016-03-04T06:27:59Z.
        #[arg(long = "changes-since", value_name = "changes_since")]
        changes_since: Option<String>,
        /// List only instance actions changed earlier or equal to a certain point of time
        /// (2.66+).
        #[arg(long = "changes-before", value_name = "changes_before")]
        changes_before: Option<String>,
        /// Name or UUID of the server to list actions for (a deleted server's UUID from 2.21).
        server: String,
    },
    /// Show an action.
    #[command(name = "instance-action")]
    InstanceAction {
        /// Name or UUID of the server to show actions for (a deleted server's UUID from 2.21).
        server: String,
        /// Request ID of the action to get.
        request_id: String,
    },
    /// Retrieve server diagnostics.
    Diagnostics {
        /// Name or ID of server.
        server: String,
    },
    /// Retrieve server NUMA topology (2.78+).
    #[command(name = "server-topology")]
    ServerTopology {
        /// Name or ID of server.
        server: String,
    },
}

/// The server's id; from 2.21 an id that no longer resolves is used as given (deleted
/// servers keep their actions), like novaclient.
async fn server_id_for_actions(compute: &dyn ComputeClient, name: &str) -> CliResult<String> {
    match compute.servers().find(name).await {
        Ok(server) => Ok(server.value.id),
        Err(e) if compute.microversion() >= MicroVersion::new(2, 21) && e.is_not_found() => {
            Ok(name.to_owned())
        }
        Err(e) => Err(e.into()),
    }
}

fn object_of<T: serde::Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: ServerInfoCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let version = compute.microversion();
    match command {
        ServerInfoCommand::InstanceActionList {
            marker,
            limit,
            changes_since,
            changes_before,
            server,
        } => {
            let id = server_id_for_actions(compute, &server).await?;
            let query = InstanceActionQuery {
                limit,
                marker,
                changes_since,
                changes_before,
            };
            let mut actions = compute
                .instance_actions()
                .list(&id, &query)
                .await?
                .value
                .items;
            // novaclient sorts by Start_Time.
            actions.sort_by(|a, b| a.start_time.cmp(&b.start_time));
            let updated = version >= MicroVersion::new(2, 58);
            let mut columns = vec!["Action", "Request_ID", "Message", "Start_Time"];
            if updated {
                columns.push("Updated_At");
            }
            let rows = actions
                .iter()
                .map(|a| {
                    let mut row = vec![
                        json!(a.action),
                        json!(a.request_id),
                        a.message.as_ref().map_or(Value::Null, |m| json!(m)),
                        a.start_time.as_ref().map_or(Value::Null, |t| json!(t)),
                    ];
                    if updated {
                        row.push(a.updated_at.as_ref().map_or(Value::Null, |t| json!(t)));
                    }
                    row
                })
                .collect();
            Ok(Output::list(&columns, rows))
        }
        ServerInfoCommand::InstanceAction { server, request_id } => {
            let id = server_id_for_actions(compute, &server).await?;
            let action = compute
                .instance_actions()
                .get(&id, &request_id)
                .await?
                .value;
            Ok(Output::object(object_of(&action)))
        }
        ServerInfoCommand::Diagnostics { server } => {
            let server = crate::resolve::server(compute, &server).await?;
            let diagnostics = compute
                .server_diagnostics()
                .diagnostics(&server.id)
                .await?
                .value;
            Ok(Output::object(object_of(&diagnostics)))
        }
        ServerInfoCommand::ServerTopology { server } => {
            let server = crate::resolve::server(compute, &server).await?;
            let topology = compute
                .server_diagnostics()
                .topology(&server.id)
                .await?
                .value;
            Ok(Output::object(object_of(&topology)))
        }
    }
}
