//! Hypervisors.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Hypervisors.
#[derive(Debug, Subcommand)]
pub enum HypervisorCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: HypervisorCommand) -> CliResult<Output> {
    match command {}
}
