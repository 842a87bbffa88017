//! Interfaces and volume attachments.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Interfaces and volume attachments.
#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: AttachmentCommand) -> CliResult<Output> {
    match command {}
}
