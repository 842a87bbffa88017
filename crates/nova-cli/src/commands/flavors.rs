//! `flavor-list` and `flavor-show`.

use clap::Args;
use nova_core::MicroVersion;
use nova_v2::{Flavor, FlavorQuery, FlavorVisibility, SortDir};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

fn specs(flavor: &Flavor) -> Value {
    match &flavor.extra_specs {
        Some(specs) => json!(specs),
        None => flavor
            .extra
            .get("extra_specs")
            .cloned()
            .unwrap_or(Value::Null),
    }
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
    let compute = ctx.cloud.compute.as_ref();
    let mut flavors = compute.flavors().list_detail(&query).await?.value.items;
    if args.extra_specs {
        // Nova embeds them from 2.61; before, novaclient reads each flavor's os-extra_specs.
        for flavor in flavors.iter_mut().filter(|f| f.extra_specs.is_none()) {
            match compute.flavor_admin().extra_specs(&flavor.id).await {
                Ok(found) => flavor.extra_specs = Some(found.value),
                Err(e) if e.is_not_found() => {
                    flavor.extra.insert("extra_specs".into(), json!("N/A"));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
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
    if extra_specs {
        columns.push("extra_specs");
    }
    if with_description {
        columns.push("Description");
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
                swap(compute.microversion(), f.swap),
                json!(f.vcpus),
                json!(f.rxtx_factor.unwrap_or(1.0)),
                json!(f.is_public.unwrap_or(true)),
            ];
            if extra_specs {
                row.push(specs(f));
            }
            if with_description {
                row.push(f.description.as_ref().map_or(Value::Null, |d| json!(d)));
            }
            row
        })
        .collect();
    Output::list(&columns, rows)
}

/// A flavor's swap as Nova sends it and novaclient prints it: `""` for none below 2.75,
/// the number (0 for none) from 2.75.
pub fn swap(version: MicroVersion, mib: u64) -> Value {
    if mib == 0 && version < MicroVersion::new(2, 75) {
        json!("")
    } else {
        json!(mib)
    }
}

/// `nova flavor-show`: the flavor as Nova sent it (swap as Nova spells it), with the extra
/// specs read from `os-extra_specs` below 2.61 as novaclient does (`N/A` when refused).
pub async fn show(ctx: &Ctx, name_or_id: &str) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let version = compute.microversion();
    let flavor = crate::resolve::flavor(compute, name_or_id).await?;
    let mut map = match serde_json::to_value(&flavor) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    map.remove("links");
    map.insert("swap".into(), swap(version, flavor.swap));
    // Fields this microversion does not have are not rows.
    for (key, present) in [
        ("OS-FLV-DISABLED:disabled", flavor.disabled.is_some()),
        ("rxtx_factor", flavor.rxtx_factor.is_some()),
        ("OS-FLV-EXT-DATA:ephemeral", flavor.ephemeral.is_some()),
        (
            "description",
            version >= MicroVersion::new(2, 55) || flavor.description.is_some(),
        ),
    ] {
        if !present {
            map.remove(key);
        }
    }
    if flavor.extra_specs.is_none() {
        let specs = match compute.flavor_admin().extra_specs(&flavor.id).await {
            Ok(found) => json!(found.value),
            Err(e) if e.is_not_found() => json!("N/A"),
            Err(e) => return Err(e.into()),
        };
        map.insert("extra_specs".into(), specs);
    }
    Ok(Output::object(map))
}
