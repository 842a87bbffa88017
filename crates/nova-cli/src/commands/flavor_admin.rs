//! Flavor management: create, delete, update, extra specs, access.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Flavor management: create, delete, update, extra specs, access.
#[derive(Debug, Subcommand)]
pub enum FlavorAdminCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: FlavorAdminCommand) -> CliResult<Output> {
    match command {}
}
