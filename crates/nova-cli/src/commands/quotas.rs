//! Quotas and quota classes.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Quotas and quota classes.
#[derive(Debug, Subcommand)]
pub enum QuotaCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: QuotaCommand) -> CliResult<Output> {
    match command {}
}
