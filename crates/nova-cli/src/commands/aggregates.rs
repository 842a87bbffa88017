//! Host aggregates (admin): novaclient's `aggregate-*` commands.

use std::collections::BTreeMap;

use clap::Subcommand;
use nova_core::MicroVersion;
use nova_core::compute::ComputeClient;
use nova_v2::{Aggregate, CreateAggregate, UpdateAggregate};
use serde_json::json;

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Host aggregates.
#[derive(Debug, Subcommand)]
pub enum AggregateCommand {
    /// Print a list of all aggregates.
    #[command(name = "aggregate-list")]
    List,
    /// Create a new aggregate with the specified details.
    #[command(name = "aggregate-create")]
    Create {
        /// Name of aggregate.
        name: String,
        /// The availability zone of the aggregate.
        #[arg(value_name = "availability-zone")]
        availability_zone: Option<String>,
    },
    /// Show details of the specified aggregate.
    #[command(name = "aggregate-show")]
    Show {
        /// Name or ID of aggregate.
        aggregate: String,
    },
    /// Update the aggregate's name and optionally availability zone.
    #[command(name = "aggregate-update")]
    Update {
        /// New name for aggregate.
        #[arg(long)]
        name: Option<String>,
        /// New availability zone for aggregate.
        #[arg(long = "availability-zone")]
        availability_zone: Option<String>,
        /// Name or ID of aggregate to update.
        aggregate: String,
    },
    /// Delete the aggregate.
    #[command(name = "aggregate-delete")]
    Delete {
        /// Name or ID of aggregate to delete.
        aggregate: String,
    },
    /// Add the host to the specified aggregate.
    #[command(name = "aggregate-add-host")]
    AddHost {
        /// Name or ID of aggregate.
        aggregate: String,
        /// The host to add to the aggregate.
        host: String,
    },
    /// Remove the specified host from the specified aggregate.
    #[command(name = "aggregate-remove-host")]
    RemoveHost {
        /// Name or ID of aggregate.
        aggregate: String,
        /// The host to remove from the aggregate.
        host: String,
    },
    /// Update the metadata associated with the aggregate.
    #[command(name = "aggregate-set-metadata")]
    SetMetadata {
        /// Name or ID of aggregate to update.
        aggregate: String,
        /// Metadata to add/update to aggregate. Specify only the key to delete a metadata
        /// item.
        #[arg(value_name = "key=value", required = true)]
        metadata: Vec<String>,
    },
    /// Request images be cached on the hosts of an aggregate (2.81+).
    #[command(name = "aggregate-cache-images")]
    CacheImages {
        /// Name or ID of aggregate.
        aggregate: String,
        /// Name or ID of image(s) to cache.
        #[arg(value_name = "image", required = true)]
        images: Vec<String>,
    },
}

/// An aggregate by integer id, UUID or unique name (novaclient's `find_resource`).
async fn find(compute: &dyn ComputeClient, name_or_id: &str) -> CliResult<Aggregate> {
    let aggregates = compute.aggregates();
    if let Ok(id) = name_or_id.parse::<u64>() {
        match aggregates.get(id).await {
            Ok(found) => return Ok(found.value),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    let all = aggregates.list().await?.value;
    let mut matches: Vec<Aggregate> = all
        .into_iter()
        .filter(|a| a.name == name_or_id || a.uuid.as_deref() == Some(name_or_id))
        .collect();
    match matches.len() {
        1 => Ok(matches.remove(0)),
        0 => Err(CliError::not_found(format!(
            "No aggregate with a name or ID of '{name_or_id}' exists."
        ))),
        _ => Err(CliError::new(
            crate::error::ErrorKind::NotFound,
            "NoUniqueMatch",
            format!(
                "Multiple aggregate matches found for '{name_or_id}', use an ID to be more specific."
            ),
        )),
    }
}

fn with_uuid(version: MicroVersion) -> bool {
    version >= MicroVersion::new(2, 41)
}

/// novaclient's `pretty_choice_list`: `'a', 'b'`.
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// novaclient's `pretty_choice_dict`: `'k=v', 'k2=v2'` (sorted).
fn quoted_dict(items: &BTreeMap<String, String>) -> String {
    items
        .iter()
        .map(|(k, v)| format!("'{k}={v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// novaclient's `_print_aggregate_details`: one row with hosts and metadata.
fn details(a: &Aggregate, version: MicroVersion) -> Output {
    let mut columns = vec!["Id", "Name", "Availability Zone", "Hosts", "Metadata"];
    let mut row = vec![
        json!(a.id),
        json!(a.name),
        json!(a.availability_zone),
        json!(quoted_list(a.host_list())),
        json!(quoted_dict(&a.metadata.clone().unwrap_or_default())),
    ];
    if with_uuid(version) {
        columns.push("UUID");
        row.push(json!(a.uuid));
    }
    Output::list(&columns, vec![row])
}

/// `key=value` sets, a bare `key` unsets (novaclient's `_extract_metadata`).
fn metadata_items(items: &[String]) -> CliResult<BTreeMap<String, Option<String>>> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some(("", _)) => Err(CliError::usage(format!(
                "invalid metadata {item:?}: expected KEY=VALUE or KEY"
            ))),
            Some((k, v)) => Ok((k.to_owned(), Some(v.to_owned()))),
            None if item.is_empty() => Err(CliError::usage("empty metadata key")),
            None => Ok((item.clone(), None)),
        })
        .collect()
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: AggregateCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let version = compute.microversion();
    let aggregates = compute.aggregates();
    match command {
        AggregateCommand::List => {
            let list = aggregates.list().await?.value;
            let mut columns = vec!["Id", "Name", "Availability Zone"];
            if with_uuid(version) {
                columns.push("UUID");
            }
            let rows = list
                .iter()
                .map(|a| {
                    let mut row = vec![json!(a.id), json!(a.name), json!(a.availability_zone)];
                    if with_uuid(version) {
                        row.push(json!(a.uuid));
                    }
                    row
                })
                .collect();
            Ok(Output::list(&columns, rows))
        }
        AggregateCommand::Create {
            name,
            availability_zone,
        } => {
            let mut request = CreateAggregate::new(name);
            if let Some(zone) = availability_zone {
                request = request.availability_zone(zone);
            }
            let created = aggregates.create(&request).await?.value;
            // The create answer has no hosts nor metadata: show the stored aggregate.
            let shown = aggregates.get(created.id).await?.value;
            Ok(details(&shown, version))
        }
        AggregateCommand::Show { aggregate } => {
            let a = find(compute, &aggregate).await?;
            Ok(details(&a, version))
        }
        AggregateCommand::Update {
            name,
            availability_zone,
            aggregate,
        } => {
            let a = find(compute, &aggregate).await?;
            let mut request = UpdateAggregate::new();
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(zone) = availability_zone {
                request = request.availability_zone(zone);
            }
            if request.is_empty() {
                return Err(CliError::usage(
                    "give --name and/or --availability-zone to update",
                ));
            }
            let updated = aggregates.update(a.id, &request).await?.value;
            println!("Aggregate {} has been successfully updated.", a.id);
            Ok(details(&updated, version))
        }
        AggregateCommand::Delete { aggregate } => {
            let a = find(compute, &aggregate).await?;
            aggregates.delete(a.id).await?;
            println!("Aggregate {} has been successfully deleted.", a.id);
            Ok(Output::Nothing)
        }
        AggregateCommand::AddHost { aggregate, host } => {
            let a = find(compute, &aggregate).await?;
            let updated = aggregates.add_host(a.id, &host).await?.value;
            println!(
                "Host {host} has been successfully added for aggregate {} ",
                a.id
            );
            Ok(details(&updated, version))
        }
        AggregateCommand::RemoveHost { aggregate, host } => {
            let a = find(compute, &aggregate).await?;
            let updated = aggregates.remove_host(a.id, &host).await?.value;
            println!(
                "Host {host} has been successfully removed from aggregate {} ",
                a.id
            );
            Ok(details(&updated, version))
        }
        AggregateCommand::SetMetadata {
            aggregate,
            metadata,
        } => {
            let a = find(compute, &aggregate).await?;
            let items = metadata_items(&metadata)?;
            let current = a.metadata.clone().unwrap_or_default();
            for (key, value) in &items {
                match value {
                    None if !current.contains_key(key) => {
                        return Err(CliError::usage(format!(
                            "metadata {key} does not exist in aggregate {}, so it can't be deleted",
                            a.id
                        )));
                    }
                    Some(v) if current.get(key) == Some(v) => {
                        return Err(CliError::usage(format!(
                            "metadata {key}={v} already exists in aggregate {}",
                            a.id
                        )));
                    }
                    _ => {}
                }
            }
            let updated = aggregates.set_metadata(a.id, &items).await?.value;
            println!(
                "Metadata has been successfully updated for aggregate {}.",
                a.id
            );
            Ok(details(&updated, version))
        }
        AggregateCommand::CacheImages { aggregate, images } => {
            let a = find(compute, &aggregate).await?;
            let mut ids = Vec::with_capacity(images.len());
            for image in &images {
                ids.push(
                    crate::resolve::image(&ctx.cloud.session, &ctx.cloud.config, image).await?,
                );
            }
            aggregates.cache_images(a.id, &ids).await?;
            Ok(Output::Nothing)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_keys_without_values_unset() {
        let items = metadata_items(&["a=1".into(), "b".into(), "c=".into()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(items["a"].as_deref(), Some("1"));
        assert_eq!(items["b"], None);
        assert_eq!(items["c"].as_deref(), Some(""));
        assert!(metadata_items(&["=x".into()]).is_err());
        let map: BTreeMap<String, String> = [("k".to_owned(), "v".to_owned())].into();
        assert_eq!(quoted_dict(&map), "'k=v'");
        assert_eq!(quoted_list(&["h1".into(), "h2".into()]), "'h1', 'h2'");
    }
}
