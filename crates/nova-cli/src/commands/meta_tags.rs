//! `meta` and the `server-tag-*` commands.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Ctx, key_values};
use crate::error::{CliError, CliResult};
use crate::output::Output;

fn metadata_table(items: &BTreeMap<String, String>) -> Output {
    let map = items
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect::<serde_json::Map<_, _>>();
    Output::object(map)
}

/// `nova meta <server> set|delete KEY[=VALUE]...`.
pub async fn meta(ctx: &Ctx, name: &str, action: &str, items: &[String]) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let servers = compute.servers();
    match action {
        "set" => {
            let items = key_values(items, "metadata")?;
            let now = servers.set_metadata(&server.id, &items).await?.value;
            Ok(metadata_table(&now))
        }
        "delete" => {
            for key in super::item_keys(items) {
                servers.delete_metadata(&server.id, key).await?;
            }
            Ok(Output::Nothing)
        }
        other => Err(CliError::usage(format!(
            "unknown meta action {other:?}: use set or delete"
        ))),
    }
}

fn tag_table(tags: &[String]) -> Output {
    Output::list(&["Tag"], tags.iter().map(|t| vec![json!(t)]).collect())
}

/// `nova server-tag-list`.
pub async fn tag_list(ctx: &Ctx, name: &str) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let tags = compute.servers().tags(&server.id).await?.value;
    Ok(tag_table(&tags))
}

/// `nova server-tag-add`.
pub async fn tag_add(ctx: &Ctx, name: &str, tags: &[String]) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    for tag in tags {
        compute.servers().add_tag(&server.id, tag).await?;
    }
    Ok(Output::Nothing)
}

/// `nova server-tag-set`.
pub async fn tag_set(ctx: &Ctx, name: &str, tags: &[String]) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    compute.servers().set_tags(&server.id, tags).await?;
    Ok(Output::Nothing)
}

/// `nova server-tag-delete`.
pub async fn tag_delete(ctx: &Ctx, name: &str, tags: &[String]) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    for tag in tags {
        compute.servers().delete_tag(&server.id, tag).await?;
    }
    Ok(Output::Nothing)
}

/// `nova server-tag-delete-all`.
pub async fn tag_delete_all(ctx: &Ctx, name: &str) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    compute.servers().delete_all_tags(&server.id).await?;
    Ok(Output::Nothing)
}
