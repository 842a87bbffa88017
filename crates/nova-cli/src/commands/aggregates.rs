//! Host aggregates.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Host aggregates.
#[derive(Debug, Subcommand)]
pub enum AggregateCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: AggregateCommand) -> CliResult<Output> {
    match command {}
}
