//! The commands, one module per group, and the helpers they share.

pub mod actions;
pub mod aggregates;
pub mod attachments;
pub mod boot;
pub mod completion;
pub mod consoles;
pub mod flavor_admin;
pub mod flavors;
pub mod host_loops;
pub mod hypervisors;
pub mod info;
pub mod keypairs;
pub mod meta_tags;
pub mod moves;
pub mod quotas;
pub mod removed;
pub mod rescue_shelve;
pub mod server_admin;
pub mod server_groups;
pub mod server_info;
pub mod servers;
pub mod services;
pub mod ssh;
pub mod usage;
pub mod usage_audit;

use std::collections::BTreeMap;

use crate::cli::Command;
use crate::connect::Cloud;
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::progress::WaitSettings;

/// What every command gets: the connection and the wait settings.
#[derive(Debug)]
pub struct Ctx {
    /// The authenticated connection.
    pub cloud: Cloud,
    /// `--poll-interval` / `--wait-timeout` and the terminal check.
    pub wait: WaitSettings,
}

/// Runs one command that talks to the cloud.
pub async fn run(ctx: &Ctx, command: Command) -> CliResult<Output> {
    match command {
        Command::Boot(args) => boot::boot(ctx, *args).await,
        Command::List(args) => servers::list(ctx, *args).await,
        Command::Show { server, minimal } => servers::show(ctx, &server, minimal).await,
        Command::Delete {
            servers,
            wait,
            all_tenants,
        } => {
            let names = scoped_names(ctx, servers.servers, all_tenants).await?;
            servers::delete(ctx, &names, wait).await
        }
        Command::Reboot {
            servers,
            hard,
            poll,
        } => actions::reboot(ctx, &servers.servers, hard, poll).await,
        Command::Stop(a) => {
            let a = scoped_pollable(ctx, a).await?;
            actions::simple(ctx, actions::Simple::Stop, a).await
        }
        Command::Start(a) => {
            let a = scoped_pollable(ctx, a).await?;
            actions::simple(ctx, actions::Simple::Start, a).await
        }
        Command::Pause(a) => actions::simple(ctx, actions::Simple::Pause, a).await,
        Command::Unpause(a) => actions::simple(ctx, actions::Simple::Unpause, a).await,
        Command::Suspend(a) => actions::simple(ctx, actions::Simple::Suspend, a).await,
        Command::Resume(a) => actions::simple(ctx, actions::Simple::Resume, a).await,
        Command::Lock { servers, reason } => actions::lock(ctx, &servers.servers, reason).await,
        Command::Unlock(servers) => actions::unlock(ctx, &servers.servers).await,
        Command::Resize {
            server,
            flavor,
            poll,
        } => actions::resize(ctx, &server, &flavor, poll).await,
        Command::ResizeConfirm { server } => actions::resize_confirm(ctx, &server, true).await,
        Command::ResizeRevert { server } => actions::resize_confirm(ctx, &server, false).await,
        Command::Rebuild(args) => actions::rebuild(ctx, *args).await,
        Command::Update(args) => servers::update(ctx, *args).await,
        Command::ImageCreate {
            server,
            name,
            metadata,
            show,
            poll,
        } => actions::image_create(ctx, &server, &name, &metadata, show, poll).await,
        Command::ConsoleLog {
            server,
            length,
            raw,
        } => actions::console_log(ctx, &server, length, raw).await,
        Command::Meta {
            server,
            action,
            metadata,
        } => meta_tags::meta(ctx, &server, &action, &metadata).await,
        Command::ServerTagList { server } => meta_tags::tag_list(ctx, &server).await,
        Command::ServerTagAdd { server, tags } => meta_tags::tag_add(ctx, &server, &tags).await,
        Command::ServerTagSet { server, tags } => meta_tags::tag_set(ctx, &server, &tags).await,
        Command::ServerTagDelete { server, tags } => {
            meta_tags::tag_delete(ctx, &server, &tags).await
        }
        Command::ServerTagDeleteAll { server } => meta_tags::tag_delete_all(ctx, &server).await,
        Command::FlavorList(args) => flavors::list(ctx, args).await,
        Command::FlavorShow { flavor } => flavors::show(ctx, &flavor).await,
        Command::KeypairAdd {
            name,
            pub_key,
            key_type,
            user,
        } => keypairs::add(ctx, &name, pub_key.as_deref(), key_type, user).await,
        Command::KeypairList {
            user,
            marker,
            limit,
        } => keypairs::list(ctx, user.as_deref(), marker, limit).await,
        Command::KeypairShow { keypair, user } => {
            keypairs::show(ctx, &keypair, user.as_deref()).await
        }
        Command::KeypairDelete { name, user } => {
            keypairs::delete(ctx, &name, user.as_deref()).await
        }
        Command::Limits { tenant, reserved } => {
            info::limits(ctx, tenant.as_deref(), reserved).await
        }
        Command::AvailabilityZoneList => info::availability_zones(ctx).await,
        Command::VersionList => info::version_list(ctx).await,
        Command::Help { .. } => Ok(Output::Nothing),
        Command::Moves(c) => moves::run(ctx, c).await,
        Command::ServerAdmin(c) => server_admin::run(ctx, c).await,
        Command::Attachments(c) => attachments::run(ctx, c).await,
        Command::Consoles(c) => consoles::run(ctx, c).await,
        Command::ServerInfo(c) => server_info::run(ctx, c).await,
        Command::Hypervisors(c) => hypervisors::run(ctx, c).await,
        Command::Services(c) => services::run(ctx, c).await,
        Command::Aggregates(c) => aggregates::run(ctx, c).await,
        Command::Usage(c) => usage::run(ctx, c).await,
        Command::ServerGroups(c) => server_groups::run(ctx, c).await,
        Command::Quotas(c) => quotas::run(ctx, c).await,
        Command::FlavorAdmin(c) => flavor_admin::run(ctx, c).await,
        Command::RescueShelve(c) => rescue_shelve::run(ctx, c).await,
        Command::HostLoops(c) => host_loops::run(ctx, c).await,
        Command::Ssh(a) => ssh::ssh(ctx, a).await,
        // Printed by main before any authentication.
        Command::Completion { .. } | Command::BashCompletion => Ok(Output::Nothing),
        Command::UsageAudit(c) => usage_audit::run(ctx, c).await,
        Command::Removed(c) => removed::run(ctx, c).await,
    }
}

/// With `--all-tenants`, the ids of the servers named in any project (novaclient's
/// `find_resource(..., all_tenants=1)`); a name found nowhere is passed on unchanged so the
/// command reports it like any other unknown server.
pub async fn scoped_names(
    ctx: &Ctx,
    names: Vec<String>,
    all_tenants: bool,
) -> CliResult<Vec<String>> {
    if !all_tenants {
        return Ok(names);
    }
    let servers = ctx.cloud.compute.servers();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        match servers.get(&name).await {
            Ok(found) => {
                out.push(found.value.id);
                continue;
            }
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
        let query = nova_v2::ServerQuery::new().name(&name).all_tenants(true);
        let listed: Vec<nova_v2::Server> =
            futures::TryStreamExt::try_collect(servers.list_all(query)).await?;
        let ids: Vec<String> = listed
            .into_iter()
            .filter(|s| s.name == name)
            .map(|s| s.id)
            .collect();
        match ids.as_slice() {
            [id] => out.push(id.clone()),
            [] => out.push(name),
            _ => {
                return Err(CliError::new(
                    crate::error::ErrorKind::NotFound,
                    "NoUniqueMatch",
                    format!(
                        "Multiple server matches found for '{name}', use an ID to be more \
                         specific: {}",
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(out)
}

async fn scoped_pollable(
    ctx: &Ctx,
    a: crate::cli::AllTenantsServers,
) -> CliResult<crate::cli::PollableServers> {
    let mut inner = a.inner;
    inner.servers.servers = scoped_names(ctx, inner.servers.servers, a.all_tenants).await?;
    Ok(inner)
}

/// Parses `KEY=VALUE` items (a missing `=VALUE` is an error naming `what`).
pub fn key_values(items: &[String], what: &str) -> CliResult<BTreeMap<String, String>> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
            _ => Err(CliError::usage(format!(
                "invalid {what} {item:?}: expected KEY=VALUE"
            ))),
        })
        .collect()
}

/// The keys of `KEY[=VALUE]` items, for the commands that unset or delete (a value given
/// anyway is ignored, as novaclient does).
pub fn item_keys(items: &[String]) -> impl Iterator<Item = &str> {
    items
        .iter()
        .map(|item| item.split_once('=').map_or(item.as_str(), |(k, _)| k))
}

/// Splits a comma-separated option, dropping empty items.
pub fn comma_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses the boolean spellings the OpenStack tools accept.
pub fn parse_bool(text: &str, what: &str) -> CliResult<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" | "t" => Ok(true),
        "0" | "false" | "no" | "off" | "n" | "f" => Ok(false),
        _ => Err(CliError::usage(format!(
            "invalid {what} {text:?}: expected true or false"
        ))),
    }
}

/// The largest file read from the command line (user data, personality files, keys):
/// far above what Nova accepts (64 KiB of base64 user data), so the API's own check
/// still speaks for legal sizes, but `/dev/zero` or a huge file cannot fill the memory.
pub const MAX_LOCAL_FILE: u64 = 1024 * 1024;

/// Reads a file named on the command line: a regular file of at most [`MAX_LOCAL_FILE`]
/// bytes (checked by size first, read with a cap), else a usage error saying why.
pub fn read_file(path: &std::path::Path, what: &str) -> CliResult<Vec<u8>> {
    keystone_auth::local_file::read_bounded(path, MAX_LOCAL_FILE).map_err(|e| {
        let why = match &e {
            keystone_auth::Error::ReadFile { source, .. } => source.to_string(),
            keystone_auth::Error::NotARegularFile { .. } => {
                "not a regular file (devices and pipes are not read)".to_owned()
            }
            keystone_auth::Error::FileTooLarge { limit, .. } => {
                format!("larger than the limit of {limit} bytes")
            }
            other => other.to_string(),
        };
        CliError::usage(format!("can't open {what} {}: {why}", path.display()))
    })
}

/// Runs `each` for every server name; reports each failure on stderr and returns the first.
pub async fn for_each_server<F, Fut>(
    ctx: &Ctx,
    names: &[String],
    verb: &str,
    each: F,
) -> CliResult<()>
where
    F: Fn(nova_v2::Server) -> Fut,
    Fut: std::future::Future<Output = CliResult<()>>,
{
    let mut first_error: Option<CliError> = None;
    for name in names {
        let result = match crate::resolve::server(ctx.cloud.compute.as_ref(), name).await {
            Ok(server) => each(server).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            if names.len() > 1 {
                eprintln!("{e}");
            }
            first_error.get_or_insert(e);
        }
    }
    match first_error {
        Some(e) if names.len() > 1 => Err(CliError::new(
            e.kind,
            e.label,
            format!("Unable to {verb} the specified server(s): {}", e.message),
        )),
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_parse_or_explain() {
        let kv =
            key_values(&["a=1".into(), "b=x=y".into()], "--meta").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kv.get("b").map(String::as_str), Some("x=y"));
        let err = key_values(&["novalue".into()], "--meta").err();
        assert_eq!(err.map(|e| e.exit_code()), Some(2));
        assert_eq!(comma_list("a, b,,c"), ["a", "b", "c"]);
        assert!(parse_bool("True", "x").unwrap_or(false));
        assert!(parse_bool("maybe", "x").is_err());
    }
}
