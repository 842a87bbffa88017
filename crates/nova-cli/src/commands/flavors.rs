//! `flavor-list` and `flavor-show`.

use nova_core::MicroVersion;
use nova_v2::Flavor;
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

fn specs(flavor: &Flavor) -> Value {
    flavor
        .extra_specs
        .as_ref()
        .map_or(Value::Null, |s| json!(s))
}

/// `nova flavor-list [--extra-specs]`.
pub async fn list(ctx: &Ctx, extra_specs: bool) -> CliResult<Output> {
    let flavors = ctx.cloud.compute.flavors().list_detail().await?.value;
    Ok(table(ctx, &flavors, extra_specs))
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
