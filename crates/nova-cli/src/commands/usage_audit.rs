//! `instance-usage-audit-log`.

use clap::Subcommand;
use serde_json::{Map, Value};

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// The instance usage audit log.
#[derive(Debug, Subcommand)]
pub enum UsageAuditCommand {
    /// List/Get server usage audits.
    #[command(name = "instance-usage-audit-log")]
    InstanceUsageAuditLog {
        /// Filters the response by the date and time before which to list usage audits. The
        /// date and time stamp format is as follows: CCYY-MM-DD hh:mm:ss.NNNNNN ex
        /// 2015-08-27 09:49:58 or 2015-08-27 09:49:58.123456.
        #[arg(long, value_name = "before")]
        before: Option<String>,
    },
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: UsageAuditCommand) -> CliResult<Output> {
    match command {
        UsageAuditCommand::InstanceUsageAuditLog { before } => {
            audit_log(ctx, before.as_deref()).await
        }
    }
}

/// `nova instance-usage-audit-log [--before <before>]` (admin): the report of the last audit
/// period completed before now or `--before`, as novaclient's `Property | Value` table
/// (`log` as JSON).
pub async fn audit_log(ctx: &Ctx, before: Option<&str>) -> CliResult<Output> {
    let api = ctx.cloud.compute.usage_audit_logs();
    let report = match before {
        Some(time) => api.get_before(time).await?.value,
        None => api.get().await?.value,
    };
    let map = match serde_json::to_value(&report) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    Ok(Output::object(map))
}
