//! Moving servers: migrate, live-migration, evacuate, server migrations, migration list.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Moving servers: migrate, live-migration, evacuate, server migrations, migration list.
#[derive(Debug, Subcommand)]
pub enum MoveCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: MoveCommand) -> CliResult<Output> {
    match command {}
}
