//! `flavor-list` and `flavor-show`.

use clap::Args;
use nova_core::MicroVersion;
use nova_v2::{Flavor, FlavorQuery, FlavorVisibility, SortDir};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

fn specs(flavor: &Flavor) -> Value {
    flavor
        .extra_specs
        .as_ref()
        .map_or(Value::Null, |s| json!(s))
}

/// `nova flavor-list`'s options (novaclient's names).
#[derive(Debug, Clone, Default, Args)]
pub struct FlavorListArgs {
    /// Also show the extra specs.
    #[arg(long)]
    pub extra_specs: bool,
    /// Display all flavors (Admin only).
    #[arg(long)]
    pub all: bool,
    /// The last flavor ID of the previous page; displays list of flavors after "marker".
    #[arg(long, value_name = "marker")]
    pub marker: Option<String>,
    /// Filters the flavors by a minimum disk space, in GiB.
    #[arg(long = "min-disk", value_name = "min-disk")]
    pub min_disk: Option<u64>,
    /// Filters the flavors by a minimum RAM, in MiB.
    #[arg(long = "min-ram", value_name = "min-ram")]
    pub min_ram: Option<u64>,
    /// Maximum number of flavors to display (Nova caps it at its `max_limit`).
    #[arg(long, value_name = "limit")]
    pub limit: Option<u32>,
    /// Flavors list sort key (a flavor column: flavorid, name, memory_mb, root_gb, vcpus, ...).
    #[arg(long = "sort-key", value_name = "sort-key")]
    pub sort_key: Option<String>,
    /// Flavors list sort direction: asc or desc.
    #[arg(long = "sort-dir", value_name = "sort-dir")]
    pub sort_dir: Option<String>,
}

impl FlavorListArgs {
    /// The library query these options ask for.
    pub fn query(&self) -> CliResult<FlavorQuery> {
        let mut query = FlavorQuery::new();
        if self.all {
            query = query.is_public(FlavorVisibility::All);
        }
        if let Some(m) = &self.marker {
            query = query.marker(m.clone());
        }
        if let Some(d) = self.min_disk {
            query = query.min_disk(d);
        }
        if let Some(r) = self.min_ram {
            query = query.min_ram(r);
        }
        if let Some(l) = self.limit {
            query = query.limit(l);
        }
        if let Some(k) = &self.sort_key {
            query = query.sort_key(k.clone());
        }
        if let Some(dir) = &self.sort_dir {
            query = query.sort_dir(match dir.trim().to_ascii_lowercase().as_str() {
                "asc" => SortDir::Asc,
                "desc" => SortDir::Desc,
                _ => {
                    return Err(CliError::usage(format!(
                        "invalid --sort-dir {dir:?}: expected asc or desc"
                    )));
                }
            });
        }
        Ok(query)
    }
}

/// `nova flavor-list [--extra-specs] [--all] [--min-disk] [--min-ram] [--marker] [--limit]
/// [--sort-key] [--sort-dir]`: one page of the flavor details (`--all`: public and private,
/// admin).
pub async fn list(ctx: &Ctx, args: FlavorListArgs) -> CliResult<Output> {
    let query = args.query()?;
    let flavors = ctx
        .cloud
        .compute
        .flavors()
        .list_detail_with(&query)
        .await?
        .value
        .items;
    Ok(table(ctx, &flavors, args.extra_specs))
}

/// novaclient's flavor table (`flavor-list`, and what `flavor-create`, `flavor-delete` and
/// `flavor-update` print): `Description` from 2.55.
pub fn table(ctx: &Ctx, flavors: &[Flavor], extra_specs: bool) -> Output {
    let compute = ctx.cloud.compute.as_ref();
    let with_description = compute.microversion() >= MicroVersion::new(2, 55);
    let mut columns = vec![
        "ID",
        "Name",
        "Memory_MiB",
        "Disk",
        "Ephemeral",
        "Swap",
        "VCPUs",
        "RXTX_Factor",
        "Is_Public",
    ];
    if with_description {
        columns.push("Description");
    }
    if extra_specs {
        columns.push("extra_specs");
    }
    let rows = flavors
        .iter()
        .map(|f| {
            let mut row = vec![
                json!(f.id),
                json!(f.name),
                json!(f.ram),
                json!(f.disk),
                json!(f.ephemeral.unwrap_or(0)),
                if f.swap == 0 {
                    json!("")
                } else {
                    json!(f.swap)
                },
                json!(f.vcpus),
                json!(f.rxtx_factor.unwrap_or(1.0)),
                json!(f.is_public.unwrap_or(true)),
            ];
            if with_description {
                row.push(f.description.as_ref().map_or(Value::Null, |d| json!(d)));
            }
            if extra_specs {
                row.push(specs(f));
            }
            row
        })
        .collect();
    Output::list(&columns, rows)
}

/// `nova flavor-show`.
pub async fn show(ctx: &Ctx, name_or_id: &str) -> CliResult<Output> {
    let flavor = crate::resolve::flavor(ctx.cloud.compute.as_ref(), name_or_id).await?;
    let mut map = match serde_json::to_value(&flavor) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    map.remove("links");
    Ok(Output::object(map))
}
