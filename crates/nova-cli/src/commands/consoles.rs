//! Remote consoles.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Remote consoles.
#[derive(Debug, Subcommand)]
pub enum ConsoleCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: ConsoleCommand) -> CliResult<Output> {
    match command {}
}
