//! More server actions: restore, trigger-crash-dump, backup, set-password, security groups
//! and the server password (get-password, clear-password).
//!
//! `set-password` never takes the password from the command line: it prompts twice without
//! echo on a terminal (as novaclient's `getpass`), else reads one line from standard input.
//! `get-password <server> <private-key>` decrypts like novaclient, with the RSA private key
//! (see `crate::password_crypto`).

use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use nova_v2::{CreateBackup, ServerAction};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::Ctx;
use crate::error::{CliError, CliResult, ErrorKind};
use crate::output::Output;

/// More server actions: restore, trigger-crash-dump, backup, set-password, security groups,
/// passwords.
#[derive(Debug, Subcommand)]
pub enum ServerAdminCommand {
    /// Restore a soft-deleted server.
    #[command(name = "restore")]
    Restore {
        /// Name or ID of server.
        server: String,
    },
    /// Trigger crash dump in an instance (2.17+).
    #[command(name = "trigger-crash-dump")]
    TriggerCrashDump {
        /// Name or ID of server.
        server: String,
    },
    /// Backup a server by creating a 'backup' type snapshot.
    #[command(name = "backup")]
    Backup {
        /// Name or ID of server.
        server: String,
        /// Name of the backup image.
        name: String,
        /// The backup type, like "daily" or "weekly".
        #[arg(value_name = "backup-type")]
        backup_type: String,
        /// Int parameter representing how many backups to keep around.
        rotation: u32,
    },
    /// Change the admin password for a server (prompted for, never on the command line).
    #[command(name = "set-password")]
    SetPassword {
        /// Name or ID of server.
        server: String,
    },
    /// Add a Security Group to a server.
    #[command(name = "add-secgroup")]
    AddSecgroup {
        /// Name or ID of server.
        server: String,
        /// Name of Security Group.
        secgroup: String,
    },
    /// Remove a Security Group from a server.
    #[command(name = "remove-secgroup")]
    RemoveSecgroup {
        /// Name or ID of server.
        server: String,
        /// Name of Security Group.
        secgroup: String,
    },
    /// List Security Group(s) of a server.
    #[command(name = "list-secgroup")]
    ListSecgroup {
        /// Name or ID of server.
        server: String,
    },
    /// Get the admin password for a server (encrypted unless a private key is given).
    #[command(name = "get-password")]
    GetPassword {
        /// Name or ID of server.
        server: String,
        /// Private key (used locally to decrypt password).
        #[arg(value_name = "private-key")]
        private_key: Option<std::path::PathBuf>,
    },
    /// Reset the state of a server.
    #[command(name = "reset-state")]
    ResetState {
        /// Reset server(s) in another tenant by name (Admin only).
        #[arg(long = "all-tenants")]
        all_tenants: bool,
        /// Request the server be reset to "active" state instead of "error" state (the
        /// default).
        #[arg(long)]
        active: bool,
        /// Name or ID of server(s).
        #[arg(required = true)]
        servers: Vec<String>,
    },
    /// Clear the admin password for a server from the metadata server. This action does
    /// not actually change the instance server password.
    #[command(name = "clear-password")]
    ClearPassword {
        /// Name or ID of server.
        server: String,
    },
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: ServerAdminCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let servers = compute.servers();
    let find = |name: String| async move { crate::resolve::server(compute, &name).await };
    match command {
        ServerAdminCommand::ResetState {
            all_tenants,
            active,
            servers: names,
        } => reset_state(ctx, &names, all_tenants, active).await,
        ServerAdminCommand::Restore { server } => {
            let server = find(server).await?;
            servers.action(&server.id, &ServerAction::Restore).await?;
            Ok(Output::Nothing)
        }
        ServerAdminCommand::TriggerCrashDump { server } => {
            let server = find(server).await?;
            servers
                .action(&server.id, &ServerAction::TriggerCrashDump)
                .await?;
            Ok(Output::Nothing)
        }
        ServerAdminCommand::Backup {
            server,
            name,
            backup_type,
            rotation,
        } => {
            let server = find(server).await?;
            servers
                .create_backup(&server.id, &CreateBackup::new(name, backup_type, rotation))
                .await?;
            Ok(Output::Nothing)
        }
        ServerAdminCommand::SetPassword { server } => {
            let server = find(server).await?;
            let password = read_new_password()?;
            servers.change_password(&server.id, &password).await?;
            Ok(Output::Nothing)
        }
        ServerAdminCommand::AddSecgroup { server, secgroup } => {
            let server = find(server).await?;
            servers.add_security_group(&server.id, &secgroup).await?;
            Ok(Output::Nothing)
        }
        ServerAdminCommand::RemoveSecgroup { server, secgroup } => {
            let server = find(server).await?;
            servers.remove_security_group(&server.id, &secgroup).await?;
            Ok(Output::Nothing)
        }
        ServerAdminCommand::ListSecgroup { server } => {
            let server = find(server).await?;
            let groups = servers.security_groups(&server.id).await?.value;
            let rows = groups
                .into_iter()
                .map(|g| vec![json!(g.id), json!(g.name), json!(g.description)])
                .collect();
            Ok(Output::list(&["Id", "Name", "Description"], rows))
        }
        ServerAdminCommand::GetPassword {
            server,
            private_key,
        } => {
            let server = find(server).await?;
            let cipher = servers.password(&server.id).await?.value;
            let text = match private_key {
                Some(key) if !cipher.expose_secret().is_empty() => {
                    decrypt_password(&key, cipher.expose_secret())?
                }
                _ => cipher.expose_secret().to_owned(),
            };
            Ok(Output::Text(text))
        }
        ServerAdminCommand::ClearPassword { server } => {
            let server = find(server).await?;
            servers.clear_password(&server.id).await?;
            Ok(Output::Nothing)
        }
    }
}

fn io_error(what: &str, e: std::io::Error) -> CliError {
    CliError::usage(format!("can't read the {what}: {e}"))
}

/// The new password: twice without echo on a terminal (they must match), else one line of
/// standard input. Never empty.
fn read_new_password() -> CliResult<SecretString> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = prompt_hidden("New password: ")?;
        let second = prompt_hidden("Again: ")?;
        if first != second {
            return Err(CliError::usage("Passwords do not match."));
        }
        first
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| io_error("password from standard input", e))?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    if password.is_empty() {
        return Err(CliError::usage(
            "no password given (type it at the prompt or pipe one line to standard input)",
        ));
    }
    Ok(SecretString::from(password))
}

/// Turns terminal echo off for as long as it lives (`stty -echo`, undone on drop).
struct EchoOff {
    active: bool,
}

impl EchoOff {
    fn new() -> Self {
        let active = std::process::Command::new("stty")
            .arg("-echo")
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|s| s.success());
        Self { active }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if self.active {
            let _ = std::process::Command::new("stty")
                .arg("echo")
                .stdin(std::process::Stdio::inherit())
                .status();
        }
    }
}

fn prompt_hidden(prompt: &str) -> CliResult<String> {
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    let echo = EchoOff::new();
    if !echo.active {
        return Err(CliError::usage(
            "can't turn off terminal echo to read the password; pipe it to standard input",
        ));
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    drop(echo);
    let _ = writeln!(stderr);
    read.map_err(|e| io_error("password", e))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

/// novaclient's `crypto.decrypt_password` with the private key in the file `key`.
fn decrypt_password(key: &std::path::Path, cipher: &str) -> CliResult<String> {
    let pem = std::fs::read_to_string(key).map_err(|e| {
        CliError::usage(format!(
            "cannot read the private key {}: {e}",
            key.display()
        ))
    })?;
    crate::password_crypto::decrypt_password(&pem, cipher)
        .map_err(|e| CliError::new(ErrorKind::Api, "DecryptionFailure", e.to_string()))
}

/// `nova reset-state [--all-tenants] [--active] <server> [<server> ...]`: every server is
/// tried; with several, failures are reported one by one, then the command fails like
/// novaclient ("Unable to reset the state for the specified server(s).").
async fn reset_state(
    ctx: &Ctx,
    names: &[String],
    all_tenants: bool,
    active: bool,
) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let target = if active {
        nova_v2::ResetStateTarget::Active
    } else {
        nova_v2::ResetStateTarget::Error
    };
    let names = super::scoped_names(ctx, names.to_vec(), all_tenants).await?;
    let mut failed = false;
    if let [name] = names.as_slice() {
        // one server: its own error, as the other commands report it
        let server = crate::resolve::server(compute, name).await?;
        compute
            .servers()
            .action(&server.id, &ServerAction::ResetState(target))
            .await?;
        return Ok(Output::Nothing);
    }
    for name in &names {
        let result = async {
            let server = crate::resolve::server(compute, name).await?;
            compute
                .servers()
                .action(&server.id, &ServerAction::ResetState(target))
                .await?;
            Ok::<(), CliError>(())
        }
        .await;
        if let Err(e) = result {
            eprintln!("Reset state for server {name} failed: {}", e.message);
            failed = true;
        }
    }
    if failed {
        return Err(CliError::new(
            ErrorKind::Api,
            "CommandError",
            "Unable to reset the state for the specified server(s).".to_owned(),
        ));
    }
    Ok(Output::Nothing)
}
