//! Flavor management: `flavor-create`, `flavor-delete`, `flavor-update`, `flavor-key`,
//! `flavor-access-list`, `flavor-access-add` and `flavor-access-remove`.

use clap::{Subcommand, ValueEnum};
use nova_v2::{CreateFlavor, ExtraSpecs, FlavorAccess};
use serde_json::json;

use super::{Ctx, parse_bool};
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// What `flavor-key` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyAction {
    /// Add or replace the keys.
    Set,
    /// Remove the keys.
    Unset,
}

/// Flavor management: create, delete, update, extra specs, access.
#[derive(Debug, Subcommand)]
pub enum FlavorAdminCommand {
    /// Create a new flavor.
    #[command(name = "flavor-create")]
    Create {
        /// Unique name of the new flavor.
        name: String,
        /// Unique ID of the new flavor. Specifying 'auto' will generated a UUID for the ID.
        id: String,
        /// Memory size in MiB.
        ram: u64,
        /// Disk size in GiB.
        disk: u64,
        /// Number of vcpus.
        vcpus: u64,
        /// Ephemeral space size in GiB (default 0).
        #[arg(long, value_name = "ephemeral")]
        ephemeral: Option<u64>,
        /// Swap space size in MiB (default 0).
        #[arg(long, value_name = "swap")]
        swap: Option<u64>,
        /// RX/TX factor (default 1).
        #[arg(long = "rxtx-factor", value_name = "factor")]
        rxtx_factor: Option<f64>,
        /// Make flavor accessible to the public (default true).
        #[arg(long = "is-public", value_name = "is-public")]
        is_public: Option<String>,
        /// A free form description of the flavor (2.55+).
        #[arg(long, value_name = "description")]
        description: Option<String>,
    },
    /// Delete a specific flavor.
    #[command(name = "flavor-delete")]
    Delete {
        /// Name or ID of the flavor to delete.
        flavor: String,
    },
    /// Update the description of an existing flavor (2.55+).
    #[command(name = "flavor-update")]
    Update {
        /// Name or ID of the flavor to update.
        flavor: String,
        /// A free form description of the flavor.
        description: String,
    },
    /// Set or unset extra_spec for a flavor.
    #[command(name = "flavor-key")]
    Key {
        /// Name or ID of flavor.
        flavor: String,
        /// Actions: 'set' or 'unset'.
        action: KeyAction,
        /// Extra_specs to set/unset (only key is necessary on unset).
        #[arg(value_name = "key=value", required = true, num_args = 1..)]
        metadata: Vec<String>,
    },
    /// Print access information about the given flavor.
    #[command(name = "flavor-access-list")]
    AccessList {
        /// Filter results by flavor name or ID.
        #[arg(long, value_name = "flavor", required = true)]
        flavor: String,
    },
    /// Add flavor access for the given tenant.
    #[command(name = "flavor-access-add")]
    AccessAdd {
        /// Flavor name or ID to add access for the given tenant.
        flavor: String,
        /// Tenant ID to add flavor access for.
        #[arg(value_name = "tenant_id")]
        tenant: String,
    },
    /// Remove flavor access for the given tenant.
    #[command(name = "flavor-access-remove")]
    AccessRemove {
        /// Flavor name or ID to remove access for the given tenant.
        flavor: String,
        /// Tenant ID to remove flavor access for.
        #[arg(value_name = "tenant_id")]
        tenant: String,
    },
}

fn access_table(list: &[FlavorAccess]) -> Output {
    let rows = list
        .iter()
        .map(|a| vec![json!(a.flavor_id), json!(a.tenant_id)])
        .collect();
    Output::list(&["Flavor_ID", "Tenant_ID"], rows)
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: FlavorAdminCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let admin = compute.flavor_admin();
    match command {
        FlavorAdminCommand::Create {
            name,
            id,
            ram,
            disk,
            vcpus,
            ephemeral,
            swap,
            rxtx_factor,
            is_public,
            description,
        } => {
            let mut req = CreateFlavor::new(name, ram, vcpus, disk);
            if id != "auto" {
                req = req.id(id);
            }
            if let Some(e) = ephemeral {
                req = req.ephemeral(e);
            }
            if let Some(s) = swap {
                req = req.swap(s);
            }
            if let Some(r) = rxtx_factor {
                req = req.rxtx_factor(r);
            }
            if let Some(p) = is_public {
                req = req.is_public(parse_bool(&p, "--is-public")?);
            }
            if let Some(d) = description {
                req = req.description(d);
            }
            let flavor = admin.create(&req).await?.value;
            Ok(crate::commands::flavors::table(ctx, &[flavor], false))
        }
        FlavorAdminCommand::Delete { flavor } => {
            let found = crate::resolve::flavor(compute, &flavor).await?;
            admin.delete(&found.id).await?;
            Ok(crate::commands::flavors::table(ctx, &[found], false))
        }
        FlavorAdminCommand::Update {
            flavor,
            description,
        } => {
            let found = crate::resolve::flavor(compute, &flavor).await?;
            let updated = admin
                .update_description(&found.id, Some(&description))
                .await?
                .value;
            Ok(crate::commands::flavors::table(ctx, &[updated], false))
        }
        FlavorAdminCommand::Key {
            flavor,
            action,
            metadata,
        } => {
            let found = crate::resolve::flavor(compute, &flavor).await?;
            match action {
                KeyAction::Set => {
                    let specs: ExtraSpecs = super::key_values(&metadata, "extra spec")?;
                    admin.set_extra_specs(&found.id, &specs).await?;
                }
                KeyAction::Unset => {
                    for key in super::item_keys(&metadata) {
                        admin.unset_extra_spec(&found.id, key).await?;
                    }
                }
            }
            Ok(Output::Nothing)
        }
        FlavorAdminCommand::AccessList { flavor } => {
            let found = crate::resolve::flavor(compute, &flavor).await?;
            if found.is_public.unwrap_or(true) {
                return Err(CliError::usage(
                    "Access list not available for public flavors.",
                ));
            }
            Ok(access_table(&admin.access_list(&found.id).await?.value))
        }
        FlavorAdminCommand::AccessAdd { flavor, tenant } => {
            let found = crate::resolve::flavor(compute, &flavor).await?;
            Ok(access_table(
                &admin.add_access(&found.id, &tenant).await?.value,
            ))
        }
        FlavorAdminCommand::AccessRemove { flavor, tenant } => {
            let found = crate::resolve::flavor(compute, &flavor).await?;
            Ok(access_table(
                &admin.remove_access(&found.id, &tenant).await?.value,
            ))
        }
    }
}
