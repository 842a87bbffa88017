//! Server groups.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Server groups.
#[derive(Debug, Subcommand)]
pub enum ServerGroupCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: ServerGroupCommand) -> CliResult<Output> {
    match command {}
}
