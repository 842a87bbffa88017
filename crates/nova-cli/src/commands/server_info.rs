//! Instance actions, diagnostics and topology.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Instance actions, diagnostics and topology.
#[derive(Debug, Subcommand)]
pub enum ServerInfoCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: ServerInfoCommand) -> CliResult<Output> {
    match command {}
}
