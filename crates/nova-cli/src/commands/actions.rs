//! Server actions: reboot, stop/start, pause/unpause, suspend/resume, lock/unlock, resize
//! (+ confirm/revert), rebuild, image-create and console-log.

use nova_v2::{
    CreateImage, RebootType, RebuildServer, ServerAction, ServerStatus, WaitOptions,
    wait_for_status,
};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::{Ctx, for_each_server, key_values, read_file};
use crate::cli::{PollableServers, RebuildArgs};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::progress::interruptible;

/// The actions that take only servers (and `--poll`).
#[derive(Debug, Clone, Copy)]
pub enum Simple {
    /// `os-stop`.
    Stop,
    /// `os-start`.
    Start,
    /// `pause`.
    Pause,
    /// `unpause`.
    Unpause,
    /// `suspend`.
    Suspend,
    /// `resume`.
    Resume,
}

impl Simple {
    fn action(self) -> ServerAction {
        match self {
            Simple::Stop => ServerAction::Stop,
            Simple::Start => ServerAction::Start,
            Simple::Pause => ServerAction::Pause,
            Simple::Unpause => ServerAction::Unpause,
            Simple::Suspend => ServerAction::Suspend,
            Simple::Resume => ServerAction::Resume,
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Simple::Stop => "stop",
            Simple::Start => "start",
            Simple::Pause => "pause",
            Simple::Unpause => "unpause",
            Simple::Suspend => "suspend",
            Simple::Resume => "resume",
        }
    }

    fn target(self) -> ServerStatus {
        match self {
            Simple::Stop => ServerStatus::Shutoff,
            Simple::Pause => ServerStatus::Paused,
            Simple::Suspend => ServerStatus::Suspended,
            Simple::Start | Simple::Unpause | Simple::Resume => ServerStatus::Active,
        }
    }
}

/// Waits for `target` with a progress line, stoppable with Ctrl-C.
async fn poll(
    ctx: &Ctx,
    label: &str,
    id: &str,
    target: ServerStatus,
    require_idle: bool,
) -> CliResult<nova_v2::Server> {
    let (options, reporter) = ctx.wait.options(label, id);
    let options: WaitOptions = options.require_idle(require_idle);
    let servers = ctx.cloud.compute.servers();
    interruptible(
        &reporter,
        &format!("server {id} to become {target}"),
        wait_for_status(&*servers, id, target.clone(), &options),
    )
    .await
}

/// `stop`, `start`, `pause`, `unpause`, `suspend`, `resume`.
pub async fn simple(ctx: &Ctx, which: Simple, a: PollableServers) -> CliResult<Output> {
    let servers = ctx.cloud.compute.servers();
    for_each_server(ctx, &a.servers.servers, which.verb(), |server| {
        let servers = servers.clone();
        async move {
            servers.action(&server.id, &which.action()).await?;
            // novaclient confirms stop and start only (`do_stop`/`do_start`), by the name given.
            if matches!(which, Simple::Stop | Simple::Start) {
                println!(
                    "Request to {} server {} has been accepted.",
                    which.verb(),
                    server.name
                );
            }
            if a.poll {
                poll(ctx, which.verb(), &server.id, which.target(), true).await?;
            }
            Ok(())
        }
    })
    .await?;
    Ok(Output::Nothing)
}

/// `nova reboot [--hard] [--poll]`.
pub async fn reboot(ctx: &Ctx, names: &[String], hard: bool, wait: bool) -> CliResult<Output> {
    let servers = ctx.cloud.compute.servers();
    let kind = if hard {
        RebootType::Hard
    } else {
        RebootType::Soft
    };
    for_each_server(ctx, names, "reboot", |server| {
        let servers = servers.clone();
        let kind = kind.clone();
        async move {
            servers
                .action(&server.id, &ServerAction::Reboot(kind))
                .await?;
            // novaclient prints the server as `name (id)` here.
            println!(
                "Request to reboot server {} ({}) has been accepted.",
                server.name, server.id
            );
            if wait {
                poll(ctx, "Rebooting", &server.id, ServerStatus::Active, true).await?;
            }
            Ok(())
        }
    })
    .await?;
    Ok(Output::Nothing)
}

/// `nova lock [--reason]`.
pub async fn lock(ctx: &Ctx, names: &[String], reason: Option<String>) -> CliResult<Output> {
    let servers = ctx.cloud.compute.servers();
    for_each_server(ctx, names, "lock", |server| {
        let servers = servers.clone();
        let reason = reason.clone();
        async move {
            servers
                .action(&server.id, &ServerAction::Lock { reason })
                .await?;
            Ok(())
        }
    })
    .await?;
    Ok(Output::Nothing)
}

/// `nova unlock`.
pub async fn unlock(ctx: &Ctx, names: &[String]) -> CliResult<Output> {
    let servers = ctx.cloud.compute.servers();
    for_each_server(ctx, names, "unlock", |server| {
        let servers = servers.clone();
        async move {
            servers.action(&server.id, &ServerAction::Unlock).await?;
            Ok(())
        }
    })
    .await?;
    Ok(Output::Nothing)
}

/// `nova resize [--poll]`.
pub async fn resize(ctx: &Ctx, name: &str, flavor: &str, wait: bool) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let flavor = crate::resolve::flavor(compute, flavor).await?;
    compute
        .servers()
        .action(
            &server.id,
            &ServerAction::Resize {
                flavor_ref: flavor.id,
                disk_config: None,
            },
        )
        .await?;
    if wait {
        poll(
            ctx,
            "Resizing",
            &server.id,
            ServerStatus::VerifyResize,
            true,
        )
        .await?;
    }
    Ok(Output::Nothing)
}

/// `nova resize-confirm` (`confirm`) and `nova resize-revert`.
pub async fn resize_confirm(ctx: &Ctx, name: &str, confirm: bool) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let action = if confirm {
        ServerAction::ConfirmResize
    } else {
        ServerAction::RevertResize
    };
    compute.servers().action(&server.id, &action).await?;
    Ok(Output::Nothing)
}

/// `nova rebuild`.
pub async fn rebuild(ctx: &Ctx, a: RebuildArgs) -> CliResult<Output> {
    let cloud = &ctx.cloud;
    let server = crate::resolve::server(cloud.compute.as_ref(), &a.server).await?;
    let image = crate::resolve::image(&cloud.session, &cloud.config, &a.image).await?;
    let mut req = RebuildServer::new(image);
    if let Some(name) = &a.name {
        req = req.name(name);
    }
    if let Some(p) = &a.password {
        req = req.admin_pass(p.expose_secret());
    }
    if let Some(d) = &a.description {
        req = req.description(d);
    }
    for (k, v) in key_values(&a.meta, "--meta")? {
        req = req.metadata(k, v);
    }
    if let Some(k) = &a.key_name {
        req = req.key_name(k);
    }
    if a.key_unset {
        req = req.remove_key_name();
    }
    if let Some(path) = &a.user_data {
        req = req.user_data(read_file(path, "user data file")?);
    }
    if a.user_data_unset {
        req = req.remove_user_data();
    }
    if !a.trusted_image_certificate_ids.is_empty() {
        req = req.trusted_image_certificates(a.trusted_image_certificate_ids.clone());
    }
    if a.trusted_image_certificates_unset {
        req.trusted_image_certificates = Some(None);
    }
    if let Some(h) = &a.hostname {
        req = req.hostname(h);
    }
    if a.preserve_ephemeral {
        req = req.preserve_ephemeral(true);
    }
    let rebuilt = cloud
        .compute
        .servers()
        .rebuild(&server.id, &req)
        .await?
        .value;
    let shown = if a.poll {
        poll(ctx, "Rebuilding", &server.id, ServerStatus::Active, true).await?
    } else {
        rebuilt.clone()
    };
    let mut map = super::servers::view(ctx, &shown, a.minimal).await?;
    if let Some(pass) = &rebuilt.admin_pass {
        map.insert("adminPass".into(), json!(pass.expose_secret()));
    }
    Ok(Output::object(map))
}

/// `nova image-create`.
pub async fn image_create(
    ctx: &Ctx,
    name: &str,
    image_name: &str,
    metadata: &[String],
    show: bool,
    wait: bool,
) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let mut req = CreateImage::new(image_name);
    for (k, v) in key_values(metadata, "--metadata")? {
        req = req.metadata(k, v);
    }
    let image_id = compute
        .servers()
        .create_image(&server.id, &req)
        .await?
        .value;
    if wait {
        poll(
            ctx,
            "Server snapshotting",
            &server.id,
            ServerStatus::Active,
            true,
        )
        .await?;
    }
    if show {
        // novaclient's `_print_image(_find_image(cs, image_uuid))`: the image service's view
        // of the snapshot, its properties (the `--metadata` keys among them) as rows.
        let cloud = &ctx.cloud;
        let Some(Value::Object(mut image)) =
            crate::resolve::image_details(&cloud.session, &cloud.config, &image_id).await?
        else {
            return Err(CliError::not_found(format!(
                "No image with a name or ID of '{image_id}' exists."
            )));
        };
        image.remove("links");
        if let Some(server) = image.remove("server")
            && let Some(id) = server.get("id")
        {
            image.insert("server".into(), id.clone());
        }
        if let Some(Value::Object(metadata)) = image.remove("metadata") {
            for (key, value) in metadata {
                image.insert(format!("metadata {key}"), value);
            }
        }
        return Ok(Output::object(image));
    }
    let mut map = serde_json::Map::new();
    map.insert("id".into(), json!(image_id));
    map.insert("name".into(), json!(image_name));
    map.insert("server".into(), json!(server.id));
    Ok(Output::object(map))
}

/// `nova console-log [--length N] [--raw]`: escaped on a terminal unless `raw`.
pub async fn console_log(
    ctx: &Ctx,
    name: &str,
    length: Option<u32>,
    raw: bool,
) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let server = crate::resolve::server(compute, name).await?;
    let text = compute
        .servers()
        .console_output(&server.id, length)
        .await?
        .value;
    Ok(if raw {
        Output::Raw(text)
    } else {
        Output::Text(text)
    })
}
