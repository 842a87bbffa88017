//! Moving servers: migrate, live-migration, evacuate, server migrations, migration list.

use clap::Subcommand;
use futures::TryStreamExt;
use nova_v2::{
    BlockMigration, LiveMigrateServer, MigrateServer, Migration, MigrationQuery, MigrationType,
    ServerMigration, ServerStatus, WaitOptions, wait_for_status,
};
use serde_json::{Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::progress::interruptible;

/// Moving servers: migrate, live-migration, evacuate, server migrations, migration list.
#[derive(Debug, Subcommand)]
pub enum MoveCommand {
    /// Migrate a server. The new host will be selected by the scheduler.
    Migrate {
        /// Name or ID of server.
        server: String,
        /// Destination host name (2.56+).
        #[arg(long, value_name = "HOST")]
        host: Option<String>,
        /// Report the server migration progress until it completes (VERIFY_RESIZE).
        #[arg(long)]
        poll: bool,
    },
    /// Migrate running server to a new machine.
    #[command(name = "live-migration")]
    LiveMigration {
        /// Name or ID of server.
        server: String,
        /// Destination host name.
        host: Option<String>,
        /// True in case of block_migration (default: False below 2.25, auto from 2.25).
        #[arg(long = "block-migrate", alias = "block_migrate")]
        block_migrate: bool,
        /// Allow overcommit (below 2.25 only).
        #[arg(long = "disk-over-commit", alias = "disk_over_commit")]
        disk_over_commit: bool,
        /// Force a live-migration by not verifying the provided destination host by the
        /// scheduler (2.30 to 2.67).
        #[arg(long)]
        force: bool,
    },
    /// Abort an on-going live migration (2.24+).
    #[command(name = "live-migration-abort")]
    LiveMigrationAbort {
        /// Name or ID of server.
        server: String,
        /// ID of migration.
        migration: String,
    },
    /// Force on-going live migration to complete (2.22+).
    #[command(name = "live-migration-force-complete")]
    LiveMigrationForceComplete {
        /// Name or ID of server.
        server: String,
        /// ID of migration.
        migration: String,
    },
    /// Get the migrations list of specified server (2.23+).
    #[command(name = "server-migration-list")]
    ServerMigrationList {
        /// Name or ID of server.
        server: String,
    },
    /// Get the migration of specified server (2.23+).
    #[command(name = "server-migration-show")]
    ServerMigrationShow {
        /// Name or ID of server.
        server: String,
        /// ID of migration.
        migration: String,
    },
    /// Print a list of migrations.
    #[command(name = "migration-list")]
    MigrationList(MigrationListArgs),
}

/// The filters of `nova migration-list`.
#[derive(Debug, clap::Args)]
pub struct MigrationListArgs {
    /// Fetch migrations for the given instance.
    #[arg(long = "instance-uuid", value_name = "INSTANCE_UUID")]
    instance_uuid: Option<String>,
    /// Fetch migrations for the given source or destination host.
    #[arg(long, value_name = "HOST")]
    host: Option<String>,
    /// Fetch migrations for the given status.
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Filter migrations by type: `evacuation`, `live-migration`, `migration` (cold) or
    /// `resize`.
    #[arg(long = "migration-type", value_name = "MIGRATION_TYPE")]
    migration_type: Option<String>,
    /// Filter migrations by source compute host name.
    #[arg(long = "source-compute", value_name = "SOURCE_COMPUTE")]
    source_compute: Option<String>,
    /// Last migration UUID of the previous page (2.59+).
    #[arg(long, value_name = "MARKER")]
    marker: Option<String>,
    /// Maximum number of migrations to display (2.59+); without it every page is listed.
    #[arg(long, value_name = "LIMIT")]
    limit: Option<u32>,
    /// List only migrations changed at or after this time, ISO 8601 (2.59+).
    #[arg(long = "changes-since", value_name = "CHANGES_SINCE")]
    changes_since: Option<String>,
    /// List only migrations changed at or before this time, ISO 8601 (2.66+).
    #[arg(long = "changes-before", value_name = "CHANGES_BEFORE")]
    changes_before: Option<String>,
    /// Filter migrations by project ID (2.80+).
    #[arg(long = "project-id", value_name = "PROJECT_ID")]
    project_id: Option<String>,
    /// Filter migrations by user ID (2.80+).
    #[arg(long = "user-id", value_name = "USER_ID")]
    user_id: Option<String>,
}

/// The live-migration request of `live-migration` and `host-evacuate-live` flags.
pub fn live_migrate_request(
    host: Option<String>,
    block_migrate: bool,
    disk_over_commit: bool,
    force: bool,
) -> LiveMigrateServer {
    let mut request = LiveMigrateServer::new();
    if let Some(h) = host {
        request = request.host(h);
    }
    if block_migrate {
        request = request.block_migration(BlockMigration::Enabled);
    }
    if disk_over_commit {
        request = request.disk_over_commit(true);
    }
    if force {
        request = request.force(true);
    }
    request
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: MoveCommand) -> CliResult<Output> {
    match command {
        MoveCommand::Migrate { server, host, poll } => migrate(ctx, &server, host, poll).await,
        MoveCommand::LiveMigration {
            server,
            host,
            block_migrate,
            disk_over_commit,
            force,
        } => {
            let request = live_migrate_request(host, block_migrate, disk_over_commit, force);
            let compute = ctx.cloud.compute.as_ref();
            let found = crate::resolve::server(compute, &server).await?;
            compute
                .server_migrations()
                .live_migrate(&found.id, &request)
                .await?;
            Ok(Output::Nothing)
        }
        MoveCommand::LiveMigrationAbort { server, migration } => {
            let compute = ctx.cloud.compute.as_ref();
            let id = migration_id(&migration)?;
            let found = crate::resolve::server(compute, &server).await?;
            compute.server_migrations().abort(&found.id, id).await?;
            Ok(Output::Nothing)
        }
        MoveCommand::LiveMigrationForceComplete { server, migration } => {
            let compute = ctx.cloud.compute.as_ref();
            let id = migration_id(&migration)?;
            let found = crate::resolve::server(compute, &server).await?;
            compute
                .server_migrations()
                .force_complete(&found.id, id)
                .await?;
            Ok(Output::Nothing)
        }
        MoveCommand::ServerMigrationList { server } => {
            let compute = ctx.cloud.compute.as_ref();
            let found = crate::resolve::server(compute, &server).await?;
            let list = compute.server_migrations().list(&found.id).await?.value;
            let with_owner = compute.microversion() >= nova_core::MicroVersion::new(2, 80);
            Ok(server_migration_table(&list, with_owner))
        }
        MoveCommand::ServerMigrationShow { server, migration } => {
            let compute = ctx.cloud.compute.as_ref();
            let id = migration_id(&migration)?;
            let found = crate::resolve::server(compute, &server).await?;
            let m = compute.server_migrations().get(&found.id, id).await?.value;
            Ok(as_object(&m))
        }
        MoveCommand::MigrationList(args) => migration_list(ctx, args).await,
    }
}

fn migration_id(text: &str) -> CliResult<u64> {
    text.trim().parse().map_err(|_| {
        CliError::usage(format!(
            "Invalid migration id '{text}': a migration id is an integer."
        ))
    })
}

/// `nova migrate [--host HOST] [--poll] <server>`.
async fn migrate(ctx: &Ctx, name: &str, host: Option<String>, poll: bool) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let mut request = MigrateServer::new();
    if let Some(h) = host {
        request = request.host(h);
    }
    compute
        .server_migrations()
        .migrate(&server.id, &request)
        .await?;
    if poll {
        let (options, reporter) = ctx.wait.options("Migrating", &server.id);
        let options: WaitOptions = options.require_idle(true);
        let servers = compute.servers();
        interruptible(
            &reporter,
            &format!("server {} to become VERIFY_RESIZE", server.id),
            wait_for_status(&*servers, &server.id, ServerStatus::VerifyResize, &options),
        )
        .await?;
    }
    Ok(Output::Nothing)
}

/// Any serializable record as `Property | Value` rows, absent fields left out.
fn as_object(record: &impl serde::Serialize) -> Output {
    let map = match serde_json::to_value(record) {
        Ok(Value::Object(m)) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => serde_json::Map::new(),
    };
    Output::object(map)
}

fn opt(value: &Option<String>) -> Value {
    value.as_ref().map_or(Value::Null, |v| json!(v))
}

fn num(value: Option<u64>) -> Value {
    value.map_or(Value::Null, |v| json!(v))
}

/// novaclient's `server-migration-list` columns.
fn server_migration_table(list: &[ServerMigration], with_owner: bool) -> Output {
    let mut columns = vec![
        "Id",
        "Source Node",
        "Dest Node",
        "Source Compute",
        "Dest Compute",
        "Dest Host",
        "Status",
        "Server UUID",
        "Created At",
        "Updated At",
    ];
    if with_owner {
        columns.extend(["Project ID", "User ID"]);
    }
    columns.extend([
        "Total Memory Bytes",
        "Processed Memory Bytes",
        "Remaining Memory Bytes",
        "Total Disk Bytes",
        "Processed Disk Bytes",
        "Remaining Disk Bytes",
    ]);
    let rows = list
        .iter()
        .map(|m| {
            let mut row = vec![
                json!(m.id),
                opt(&m.source_node),
                opt(&m.dest_node),
                opt(&m.source_compute),
                opt(&m.dest_compute),
                opt(&m.dest_host),
                json!(m.status.as_str()),
                json!(m.server_uuid),
                opt(&m.created_at),
                opt(&m.updated_at),
            ];
            if with_owner {
                row.extend([opt(&m.project_id), opt(&m.user_id)]);
            }
            row.extend([
                num(m.memory_total_bytes),
                num(m.memory_processed_bytes),
                num(m.memory_remaining_bytes),
                num(m.disk_total_bytes),
                num(m.disk_processed_bytes),
                num(m.disk_remaining_bytes),
            ]);
            row
        })
        .collect();
    Output::list(&columns, rows)
}

/// `nova migration-list`: one page with `--limit`, else every page.
async fn migration_list(ctx: &Ctx, a: MigrationListArgs) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let mut query = MigrationQuery::new();
    query.host = a.host;
    query.status = a.status;
    query.instance_uuid = a.instance_uuid;
    query.source_compute = a.source_compute;
    query.migration_type = a.migration_type.map(|t| {
        t.parse::<MigrationType>()
            .unwrap_or_else(|never| match never {})
    });
    query.changes_since = a.changes_since;
    query.changes_before = a.changes_before;
    query.marker = a.marker;
    query.limit = a.limit;
    query.user_id = a.user_id;
    query.project_id = a.project_id;
    let migrations: Vec<Migration> = if query.limit.is_some() {
        compute.migrations().list(&query).await?.value.items
    } else {
        compute.migrations().list_all(query).try_collect().await?
    };
    Ok(migration_table(&migrations, compute.microversion()))
}

/// novaclient's `_print_migrations` columns.
fn migration_table(list: &[Migration], version: nova_core::MicroVersion) -> Output {
    use nova_core::MicroVersion as V;
    let mut columns = Vec::new();
    if version >= V::new(2, 23) {
        columns.push("Id");
    }
    if version >= V::new(2, 59) {
        columns.push("UUID");
    }
    columns.extend([
        "Source Node",
        "Dest Node",
        "Source Compute",
        "Dest Compute",
        "Dest Host",
        "Status",
        "Instance UUID",
        "Old Flavor",
        "New Flavor",
        "Created At",
        "Updated At",
    ]);
    if version >= V::new(2, 23) {
        columns.push("Type");
    }
    if version >= V::new(2, 80) {
        columns.extend(["Project ID", "User ID"]);
    }
    let rows = list
        .iter()
        .map(|m| {
            let mut row = Vec::new();
            if version >= V::new(2, 23) {
                row.push(json!(m.id));
            }
            if version >= V::new(2, 59) {
                row.push(opt(&m.uuid));
            }
            row.extend([
                opt(&m.source_node),
                opt(&m.dest_node),
                opt(&m.source_compute),
                opt(&m.dest_compute),
                opt(&m.dest_host),
                json!(m.status.as_str()),
                json!(m.instance_uuid),
                num(m.old_instance_type_id),
                num(m.new_instance_type_id),
                opt(&m.created_at),
                opt(&m.updated_at),
            ]);
            if version >= V::new(2, 23) {
                row.push(
                    m.migration_type
                        .as_ref()
                        .map_or(Value::Null, |t| json!(t.as_str())),
                );
            }
            if version >= V::new(2, 80) {
                row.extend([opt(&m.project_id), opt(&m.user_id)]);
            }
            row
        })
        .collect();
    Output::list(&columns, rows)
}
