//! Remote consoles: `get-vnc-console`, `get-spice-console`, `get-rdp-console`,
//! `get-serial-console`, `get-mks-console` (python-novaclient's names). The library picks
//! the older console actions below 2.6 and `remote-consoles` from 2.6.

use clap::Subcommand;
use nova_v2::{ConsoleType, RemoteConsole};
use serde_json::json;

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Remote consoles.
#[derive(Debug, Subcommand)]
pub enum ConsoleCommand {
    /// Get a vnc console to a server.
    #[command(name = "get-vnc-console")]
    Vnc {
        /// Name or ID of server.
        server: String,
        /// Type of vnc console ("novnc" or "xvpvnc").
        console_type: String,
    },
    /// Get a spice console to a server.
    #[command(name = "get-spice-console")]
    Spice {
        /// Name or ID of server.
        server: String,
        /// Type of spice console ("spice-html5").
        console_type: String,
    },
    /// Get a rdp console to a server.
    #[command(name = "get-rdp-console")]
    Rdp {
        /// Name or ID of server.
        server: String,
        /// Type of rdp console ("rdp-html5").
        console_type: String,
    },
    /// Get a serial console to a server.
    #[command(name = "get-serial-console")]
    Serial {
        /// Type of serial console, default="serial".
        #[arg(long = "console-type", default_value = "serial")]
        console_type: String,
        /// Name or ID of server.
        server: String,
    },
    /// Get an MKS console to a server (2.8+).
    #[command(name = "get-mks-console")]
    Mks {
        /// Name or ID of server.
        server: String,
    },
}

fn console_type(text: &str) -> ConsoleType {
    let Ok(parsed) = text.parse::<ConsoleType>();
    parsed
}

fn print_console(console: &RemoteConsole) -> Output {
    let kind = console
        .console_type
        .as_ref()
        .map_or(serde_json::Value::Null, |t| json!(t.as_str()));
    Output::list(&["Type", "Url"], vec![vec![kind, json!(console.url)]])
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: ConsoleCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let consoles = compute.consoles();
    let console = match command {
        ConsoleCommand::Vnc {
            server,
            console_type: kind,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            consoles
                .vnc_console(&server.id, console_type(&kind))
                .await?
        }
        ConsoleCommand::Spice {
            server,
            console_type: kind,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            consoles
                .spice_console(&server.id, console_type(&kind))
                .await?
        }
        ConsoleCommand::Rdp {
            server,
            console_type: kind,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            consoles
                .rdp_console(&server.id, console_type(&kind))
                .await?
        }
        ConsoleCommand::Serial {
            console_type: kind,
            server,
        } => {
            if kind != "serial" {
                return Err(CliError::usage(
                    "Invalid parameter value for 'console_type', currently supported 'serial'.",
                ));
            }
            let server = crate::resolve::server(compute, &server).await?;
            consoles
                .serial_console(&server.id, ConsoleType::Serial)
                .await?
        }
        ConsoleCommand::Mks { server } => {
            let server = crate::resolve::server(compute, &server).await?;
            consoles.mks_console(&server.id).await?
        }
    };
    Ok(print_console(&console.value))
}
