//! Compute services.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Compute services.
#[derive(Debug, Subcommand)]
pub enum ServiceCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: ServiceCommand) -> CliResult<Output> {
    match command {}
}
