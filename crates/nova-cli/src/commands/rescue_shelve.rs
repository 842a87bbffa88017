//! Rescue, shelve and force-delete.

use clap::Subcommand;
use nova_v2::ServerAction;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Rescue, shelve and force-delete.
#[derive(Debug, Subcommand)]
pub enum RescueShelveCommand {
    /// Reboots a server into rescue mode, which starts the machine from either the initial
    /// image or a specified image, attaching the current boot disk as secondary.
    #[command(name = "rescue")]
    Rescue {
        /// The admin password to be set in the rescue environment.
        #[arg(long, value_parser = crate::cli::secret)]
        password: Option<SecretString>,
        /// The image to rescue with.
        #[arg(long)]
        image: Option<String>,
        /// Name or ID of server.
        server: String,
    },
    /// Restart the server from normal boot disk again.
    #[command(name = "unrescue")]
    Unrescue {
        /// Name or ID of server.
        server: String,
    },
    /// Shelve a server.
    #[command(name = "shelve")]
    Shelve {
        /// Name or ID of server.
        server: String,
    },
    /// Remove a shelved server from the compute node.
    #[command(name = "shelve-offload")]
    ShelveOffload {
        /// Name or ID of server.
        server: String,
    },
    /// Unshelve a server.
    #[command(name = "unshelve")]
    Unshelve {
        /// Name of the availability zone in which to unshelve a SHELVED_OFFLOADED server
        /// (2.77+).
        #[arg(long = "availability-zone")]
        availability_zone: Option<String>,
        /// Name of the destination host in which to unshelve a SHELVED_OFFLOADED server
        /// (2.91+, admin).
        #[arg(long)]
        host: Option<String>,
        /// Name or ID of server.
        server: String,
    },
    /// Force delete a server.
    #[command(name = "force-delete")]
    ForceDelete {
        /// Name or ID of server.
        server: String,
    },
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: RescueShelveCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let servers = compute.servers();
    let (server, action) = match command {
        RescueShelveCommand::Rescue {
            password,
            image,
            server,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            let image = match image {
                Some(i) => {
                    Some(crate::resolve::image(&ctx.cloud.session, &ctx.cloud.config, &i).await?)
                }
                None => None,
            };
            let pass = servers.rescue(&server.id, password, image).await?.value;
            let mut map = Map::new();
            map.insert(
                "adminPass".into(),
                Value::from(pass.expose_secret().to_owned()),
            );
            return Ok(Output::object(map));
        }
        RescueShelveCommand::Unrescue { server } => (server, ServerAction::Unrescue),
        RescueShelveCommand::Shelve { server } => (server, ServerAction::Shelve),
        RescueShelveCommand::ShelveOffload { server } => (server, ServerAction::ShelveOffload),
        RescueShelveCommand::Unshelve {
            availability_zone,
            host,
            server,
        } => (
            server,
            ServerAction::Unshelve {
                availability_zone,
                host,
            },
        ),
        RescueShelveCommand::ForceDelete { server } => (server, ServerAction::ForceDelete),
    };
    let server = crate::resolve::server(compute, &server).await?;
    servers.action(&server.id, &action).await?;
    Ok(Output::Nothing)
}
