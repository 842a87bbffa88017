//! Server groups: `server-group-create`, `server-group-list`, `server-group-get` and
//! `server-group-delete`.

use clap::Subcommand;
use nova_core::MicroVersion;
use nova_v2::{CreateServerGroup, ServerGroup, ServerGroupPolicy, ServerGroupQuery};
use serde_json::{Value, json};

use super::{Ctx, key_values};
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Server groups.
#[derive(Debug, Subcommand)]
pub enum ServerGroupCommand {
    /// Create a new server group with the specified details.
    #[command(name = "server-group-create")]
    Create {
        /// Server group name.
        name: String,
        /// Policy for the server group (below 2.64 Nova takes exactly one policy too).
        #[arg(value_name = "policy", required = true, num_args = 1..)]
        policy: Vec<String>,
        /// A rule for the policy (2.64+). Currently, only the "max_server_per_host" rule is
        /// supported for the "anti-affinity" policy.
        #[arg(long = "rule", value_name = "key=value")]
        rules: Vec<String>,
    },
    /// Print a list of all server groups.
    #[command(name = "server-group-list")]
    List {
        /// Maximum number of server groups to display.
        #[arg(long, value_name = "limit")]
        limit: Option<u32>,
        /// The offset of groups list to display; use with limit to return a slice of server
        /// groups.
        #[arg(long, value_name = "offset")]
        offset: Option<u32>,
        /// Display server groups from all projects (Admin only).
        #[arg(long = "all-projects")]
        all_projects: bool,
    },
    /// Get a specific server group.
    #[command(name = "server-group-get")]
    Get {
        /// Unique ID of the server group to get.
        id: String,
    },
    /// Delete specific server group(s).
    #[command(name = "server-group-delete")]
    Delete {
        /// Unique ID(s) of the server group to delete.
        #[arg(required = true, num_args = 1..)]
        id: Vec<String>,
    },
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: ServerGroupCommand) -> CliResult<Output> {
    match command {
        ServerGroupCommand::Create {
            name,
            policy,
            rules,
        } => create(ctx, &name, &policy, &rules).await,
        ServerGroupCommand::List {
            limit,
            offset,
            all_projects,
        } => {
            let mut query = ServerGroupQuery::new().all_projects(all_projects);
            if let Some(l) = limit {
                query = query.limit(l);
            }
            if let Some(o) = offset {
                query = query.offset(o);
            }
            let groups = ctx.cloud.compute.server_groups().list(&query).await?.value;
            Ok(details(ctx, &groups))
        }
        ServerGroupCommand::Get { id } => {
            let group = ctx.cloud.compute.server_groups().get(&id).await?.value;
            Ok(details(ctx, &[group]))
        }
        ServerGroupCommand::Delete { id } => delete(ctx, &id).await,
    }
}

/// The table novaclient prints for groups: its columns depend on the microversion.
fn details(ctx: &Ctx, groups: &[ServerGroup]) -> Output {
    let v = ctx.cloud.compute.microversion();
    let opt = |s: &Option<String>| s.as_ref().map_or(Value::Null, |s| json!(s));
    if v >= MicroVersion::new(2, 64) {
        let rows = groups
            .iter()
            .map(|g| {
                vec![
                    json!(g.id),
                    json!(g.name),
                    opt(&g.project_id),
                    opt(&g.user_id),
                    opt(&g.policy),
                    g.rules.as_ref().map_or(json!({}), |r| json!(r)),
                    json!(g.members),
                ]
            })
            .collect();
        return Output::list(
            &[
                "Id",
                "Name",
                "Project Id",
                "User Id",
                "Policy",
                "Rules",
                "Members",
            ],
            rows,
        );
    }
    let owners = v >= MicroVersion::new(2, 13);
    let rows = groups
        .iter()
        .map(|g| {
            let mut row = vec![json!(g.id), json!(g.name)];
            if owners {
                row.push(opt(&g.project_id));
                row.push(opt(&g.user_id));
            }
            row.push(g.policies.as_ref().map_or(json!([]), |p| json!(p)));
            row.push(json!(g.members));
            row.push(g.metadata.as_ref().map_or(json!({}), |m| json!(m)));
            row
        })
        .collect();
    let columns: &[&str] = if owners {
        &[
            "Id",
            "Name",
            "Project Id",
            "User Id",
            "Policies",
            "Members",
            "Metadata",
        ]
    } else {
        &["Id", "Name", "Policies", "Members", "Metadata"]
    };
    Output::list(columns, rows)
}

/// `nova server-group-create <name> <policy> [--rule key=value]`.
async fn create(ctx: &Ctx, name: &str, policy: &[String], rules: &[String]) -> CliResult<Output> {
    let [policy] = policy else {
        return Err(CliError::usage(format!(
            "Nova takes exactly one policy, got {}: {}",
            policy.len(),
            policy.join(" ")
        )));
    };
    let parsed: ServerGroupPolicy = policy
        .parse()
        .map_err(|_| CliError::usage(format!("invalid policy {policy:?}")))?;
    if let ServerGroupPolicy::Unknown(p) = &parsed {
        return Err(CliError::usage(format!(
            "invalid policy {p:?}: expected affinity, anti-affinity, soft-affinity or \
             soft-anti-affinity"
        )));
    }
    if !rules.is_empty() && ctx.cloud.compute.microversion() < MicroVersion::new(2, 64) {
        return Err(CliError::usage(
            "--rule needs microversion 2.64 or later (--os-compute-api-version 2.64)",
        ));
    }
    let mut request = CreateServerGroup::new(name, parsed);
    for (key, value) in key_values(rules, "--rule")? {
        if key != "max_server_per_host" {
            return Err(CliError::usage(format!(
                "unknown rule {key:?}: only max_server_per_host is supported"
            )));
        }
        let max = value.parse::<u32>().map_err(|_| {
            CliError::usage(format!(
                "invalid max_server_per_host {value:?}: expected a positive integer"
            ))
        })?;
        request = request.max_server_per_host(max);
    }
    let group = ctx
        .cloud
        .compute
        .server_groups()
        .create(&request)
        .await?
        .value;
    Ok(details(ctx, &[group]))
}

/// `nova server-group-delete <id> [<id> ...]`: reports each; fails only if all failed.
async fn delete(ctx: &Ctx, ids: &[String]) -> CliResult<Output> {
    let mut lines = Vec::new();
    let mut failures = 0;
    for id in ids {
        match ctx.cloud.compute.server_groups().delete(id).await {
            Ok(_) => lines.push(format!("Server group {id} has been successfully deleted.")),
            // One group: its own error. Several: each failure reported, the rest go on.
            Err(e) if ids.len() == 1 => return Err(e.into()),
            Err(e) => {
                failures += 1;
                eprintln!("{}", CliError::from(e));
            }
        }
    }
    if failures == ids.len() {
        return Err(CliError::new(
            crate::error::ErrorKind::Api,
            "CommandError",
            "Unable to delete any of the specified server groups.",
        ));
    }
    Ok(Output::Text(lines.join("\n")))
}
