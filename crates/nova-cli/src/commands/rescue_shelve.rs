//! Rescue, shelve and force-delete.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Rescue, shelve and force-delete.
#[derive(Debug, Subcommand)]
pub enum RescueShelveCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: RescueShelveCommand) -> CliResult<Output> {
    match command {}
}
