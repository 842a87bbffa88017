//! Simple tenant usage: `usage` and `usage-list`.

use clap::Subcommand;
use nova_v2::{TenantUsage, UsageQuery, UsageTime};
use serde_json::{Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Simple tenant usage.
#[derive(Debug, Subcommand)]
pub enum UsageCommand {
    /// Show usage data for a single tenant.
    Usage {
        /// Usage range start date ex 2012-01-20. (default: 4 weeks ago)
        #[arg(long, value_name = "start")]
        start: Option<String>,
        /// Usage range end date, ex 2012-01-20. (default: tomorrow)
        #[arg(long, value_name = "end")]
        end: Option<String>,
        /// UUID of tenant to get usage for.
        #[arg(long, value_name = "tenant-id")]
        tenant: Option<String>,
    },
    /// List usage data for all tenants.
    #[command(name = "usage-list")]
    UsageList {
        /// Usage range start date ex 2012-01-20. (default: 4 weeks ago)
        #[arg(long, value_name = "start")]
        start: Option<String>,
        /// Usage range end date, ex 2012-01-20. (default: tomorrow)
        #[arg(long, value_name = "end")]
        end: Option<String>,
    },
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: UsageCommand) -> CliResult<Output> {
    match command {
        UsageCommand::Usage { start, end, tenant } => {
            usage(ctx, start.as_deref(), end.as_deref(), tenant).await
        }
        UsageCommand::UsageList { start, end } => {
            usage_list(ctx, start.as_deref(), end.as_deref()).await
        }
    }
}

/// A `--start`/`--end` date (novaclient: `YYYY-MM-DD`; Nova's time forms also accepted).
fn date(text: Option<&str>, what: &str, default: UsageTime) -> CliResult<UsageTime> {
    match text {
        None => Ok(default),
        Some(t) => UsageTime::parse(t).ok_or_else(|| {
            CliError::usage(format!(
                "invalid {what} date {t:?}: expected YYYY-MM-DD, e.g. 2012-01-20"
            ))
        }),
    }
}

/// The window as novaclient picks it: from 4 weeks ago to tomorrow unless given.
fn window(start: Option<&str>, end: Option<&str>) -> CliResult<(UsageTime, UsageTime)> {
    let now = UsageTime::now();
    let start = date(start, "--start", now.add_days(-28))?;
    let end = date(end, "--end", now.add_days(1))?;
    if start > end {
        return Err(CliError::usage(format!(
            "the start {} is after the end {}",
            start.date_string(),
            end.date_string()
        )));
    }
    Ok((start, end))
}

/// novaclient's line before the table (on stderr here, so `-f json` stays parseable),
/// printed once the usage has arrived.
fn header(start: UsageTime, end: UsageTime) {
    eprintln!(
        "Usage from {} to {}:",
        start.date_string(),
        end.date_string()
    );
}

fn two(value: f64) -> Value {
    json!(format!("{value:.2}"))
}

fn servers(u: &TenantUsage) -> Value {
    json!(u.server_usages.as_ref().map_or(0, Vec::len).to_string())
}

/// `nova usage [--start] [--end] [--tenant]`: the caller's project unless `--tenant`.
pub async fn usage(
    ctx: &Ctx,
    start: Option<&str>,
    end: Option<&str>,
    tenant: Option<String>,
) -> CliResult<Output> {
    let (start, end) = window(start, end)?;
    let project = match tenant {
        Some(t) => t,
        None => {
            let access = ctx.cloud.session.access_info().await?;
            access
                .project
                .as_ref()
                .map(|p| p.id.clone())
                .ok_or_else(|| CliError::usage("the token is not project-scoped: give --tenant"))?
        }
    };
    let usage = ctx
        .cloud
        .compute
        .usage()
        .get_all(&project, &UsageQuery::new(start, end))
        .await?;
    header(start, end);
    let columns = ["Servers", "RAM MiB-Hours", "CPU Hours", "Disk GiB-Hours"];
    // novaclient prints `None` for a project without usage; an empty table here.
    let rows = if usage.total_vcpus_usage > 0.0 || usage.server_usages.is_some() {
        vec![vec![
            servers(&usage),
            two(usage.total_memory_mb_usage),
            two(usage.total_vcpus_usage),
            two(usage.total_local_gb_usage),
        ]]
    } else {
        Vec::new()
    };
    Ok(Output::list(&columns, rows))
}

/// `nova usage-list [--start] [--end]` (admin): every project, detailed, all pages merged.
pub async fn usage_list(ctx: &Ctx, start: Option<&str>, end: Option<&str>) -> CliResult<Output> {
    let (start, end) = window(start, end)?;
    let usages = ctx
        .cloud
        .compute
        .usage()
        .list_all(&UsageQuery::new(start, end).detailed(true))
        .await?;
    header(start, end);
    let rows = usages
        .iter()
        .map(|u| {
            vec![
                json!(u.tenant_id),
                servers(u),
                two(u.total_memory_mb_usage),
                two(u.total_vcpus_usage),
                two(u.total_local_gb_usage),
            ]
        })
        .collect();
    Ok(Output::list(
        &[
            "Tenant ID",
            "Servers",
            "RAM MiB-Hours",
            "CPU Hours",
            "Disk GiB-Hours",
        ],
        rows,
    ))
}
