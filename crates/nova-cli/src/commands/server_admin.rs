//! More server actions: restore, trigger-crash-dump, backup, set-password, security groups, floating IPs, passwords.

use clap::Subcommand;

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// More server actions: restore, trigger-crash-dump, backup, set-password, security groups, floating IPs, passwords.
#[derive(Debug, Subcommand)]
pub enum ServerAdminCommand {}

/// Runs one of these commands.
pub async fn run(_ctx: &Ctx, command: ServerAdminCommand) -> CliResult<Output> {
    match command {}
}
