//! Simple tenant usage.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Simple tenant usage.
#[derive(Debug, Subcommand)]
pub enum UsageCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: UsageCommand) -> CliResult<Output> {
    match command {}
}
