//! Interfaces and volume attachments: `interface-list`, `interface-attach`,
//! `interface-detach`, `volume-attachments`, `volume-attach`, `volume-update`,
//! `volume-detach` (python-novaclient's names and flags).

use clap::Subcommand;
use nova_core::MicroVersion;
use nova_v2::{
    AttachInterface, AttachVolume, InterfaceAttachment, UpdateVolumeAttachment, VolumeAttachment,
};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::error::CliResult;
use crate::output::Output;

/// Interfaces and volume attachments.
#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// List interfaces attached to a server.
    #[command(name = "interface-list")]
    InterfaceList {
        /// Name or ID of server.
        server: String,
    },
    /// Attach a network interface to a server.
    #[command(name = "interface-attach")]
    InterfaceAttach {
        /// Port ID.
        #[arg(long = "port-id", value_name = "port_id")]
        port_id: Option<String>,
        /// Network ID.
        #[arg(long = "net-id", value_name = "net_id")]
        net_id: Option<String>,
        /// Requested fixed IP.
        #[arg(long = "fixed-ip", value_name = "fixed_ip")]
        fixed_ip: Option<String>,
        /// Tag for the attached interface (2.49+).
        #[arg(long, value_name = "tag")]
        tag: Option<String>,
        /// Name or ID of server.
        server: String,
    },
    /// Detach a network interface from a server.
    #[command(name = "interface-detach")]
    InterfaceDetach {
        /// Name or ID of server.
        server: String,
        /// Port ID.
        port_id: String,
    },
    /// List all the volumes attached to a server.
    #[command(name = "volume-attachments")]
    VolumeAttachments {
        /// Name or ID of server.
        server: String,
    },
    /// Attach a volume to a server.
    #[command(name = "volume-attach")]
    VolumeAttach {
        /// Tag for the attached volume (2.49+).
        #[arg(long, value_name = "tag")]
        tag: Option<String>,
        /// Specify if the attached volume should be deleted when the server is destroyed
        /// (2.79+).
        #[arg(long = "delete-on-termination")]
        delete_on_termination: bool,
        /// Name or ID of server.
        server: String,
        /// ID of the volume to attach.
        volume: String,
        /// Name of the device e.g. /dev/vdb. Use "auto" for autoassign (if supported).
        device: Option<String>,
    },
    /// Update the attachment on the server: swap to another volume (admin), or from 2.85
    /// change delete_on_termination.
    #[command(name = "volume-update")]
    VolumeUpdate {
        /// Delete the volume when the server is destroyed (2.85+).
        #[arg(
            long = "delete-on-termination",
            conflicts_with = "no_delete_on_termination"
        )]
        delete_on_termination: bool,
        /// Do not delete the volume when the server is destroyed (2.85+).
        #[arg(long = "no-delete-on-termination")]
        no_delete_on_termination: bool,
        /// Name or ID of server.
        server: String,
        /// ID of the source (original) volume.
        src_volume: String,
        /// ID of the destination volume.
        dest_volume: String,
    },
    /// Detach a volume from a server.
    #[command(name = "volume-detach")]
    VolumeDetach {
        /// Name or ID of server.
        server: String,
        /// ID of the volume to detach.
        volume: String,
    },
}

fn opt(value: &Option<String>) -> Value {
    value.as_ref().map_or(Value::Null, |v| json!(v))
}

fn interface_row(i: &InterfaceAttachment, tags: bool) -> Vec<Value> {
    let ips: Vec<&str> = i.fixed_ips.iter().map(|f| f.ip_address.as_str()).collect();
    let mut row = vec![
        opt(&i.port_state),
        json!(i.port_id),
        opt(&i.net_id),
        json!(ips.join(",")),
        opt(&i.mac_addr),
    ];
    if tags {
        row.push(opt(&i.tag));
    }
    row
}

/// novaclient's `_print_interface`: the attachment with `fixed_ips` replaced by an
/// `ip_address` row, the addresses joined by commas.
fn interface_object(attached: &InterfaceAttachment) -> Output {
    let mut map = match serde_json::to_value(attached) {
        Ok(Value::Object(map)) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    };
    map.remove("fixed_ips");
    let ips: Vec<&str> = attached
        .fixed_ips
        .iter()
        .map(|f| f.ip_address.as_str())
        .collect();
    map.insert("ip_address".into(), json!(ips.join(",")));
    Output::object(map)
}

fn to_object<T: serde::Serialize>(value: &T) -> Output {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => {
            Output::object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        _ => Output::object(Map::new()),
    }
}

fn volume_row(v: &VolumeAttachment, version: MicroVersion) -> Vec<Value> {
    let mut row = Vec::new();
    if version < MicroVersion::new(2, 89) {
        row.push(opt(&v.id));
    }
    row.extend([opt(&v.device), opt(&v.server_id), json!(v.volume_id)]);
    if version >= MicroVersion::new(2, 89) {
        row.extend([opt(&v.attachment_id), opt(&v.bdm_uuid)]);
    }
    if version >= MicroVersion::new(2, 70) {
        row.push(opt(&v.tag));
    }
    if version >= MicroVersion::new(2, 79) {
        row.push(v.delete_on_termination.map_or(Value::Null, Value::Bool));
    }
    row
}

fn volume_columns(version: MicroVersion) -> Vec<&'static str> {
    let mut columns = Vec::new();
    if version < MicroVersion::new(2, 89) {
        columns.push("ID");
    }
    // novaclient's order: the attachment ids right after the volume, then tag and flag.
    columns.extend(["DEVICE", "SERVER ID", "VOLUME ID"]);
    if version >= MicroVersion::new(2, 89) {
        columns.extend(["ATTACHMENT ID", "BDM UUID"]);
    }
    if version >= MicroVersion::new(2, 70) {
        columns.push("TAG");
    }
    if version >= MicroVersion::new(2, 79) {
        columns.push("DELETE ON TERMINATION");
    }
    columns
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: AttachmentCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    let version = compute.microversion();
    match command {
        AttachmentCommand::InterfaceList { server } => {
            let server = crate::resolve::server(compute, &server).await?;
            let list = compute.server_interfaces().list(&server.id).await?.value;
            let tags = version >= MicroVersion::new(2, 70);
            let mut columns = vec![
                "Port State",
                "Port ID",
                "Net ID",
                "IP addresses",
                "MAC Addr",
            ];
            if tags {
                columns.push("Tag");
            }
            let rows = list.iter().map(|i| interface_row(i, tags)).collect();
            Ok(Output::list(&columns, rows))
        }
        AttachmentCommand::InterfaceAttach {
            port_id,
            net_id,
            fixed_ip,
            tag,
            server,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            let mut request = AttachInterface {
                port_id,
                net_id,
                fixed_ip,
                tag: None,
            };
            if let Some(tag) = tag {
                request = request.tag(tag);
            }
            let attached = compute
                .server_interfaces()
                .attach(&server.id, &request)
                .await?
                .value;
            Ok(interface_object(&attached))
        }
        AttachmentCommand::InterfaceDetach { server, port_id } => {
            let server = crate::resolve::server(compute, &server).await?;
            compute
                .server_interfaces()
                .detach(&server.id, &port_id)
                .await?;
            Ok(Output::Nothing)
        }
        AttachmentCommand::VolumeAttachments { server } => {
            let server = crate::resolve::server(compute, &server).await?;
            let list = compute.server_volumes().list(&server.id).await?.value;
            let rows = list.iter().map(|v| volume_row(v, version)).collect();
            Ok(Output::list(&volume_columns(version), rows))
        }
        AttachmentCommand::VolumeAttach {
            tag,
            delete_on_termination,
            server,
            volume,
            device,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            let mut request = AttachVolume::new(volume);
            if let Some(device) = device.filter(|d| d != "auto") {
                request = request.device(device);
            }
            if let Some(tag) = tag {
                request = request.tag(tag);
            }
            if delete_on_termination {
                request = request.delete_on_termination(true);
            }
            let attached = compute
                .server_volumes()
                .attach(&server.id, &request)
                .await?
                .value;
            Ok(to_object(&attached))
        }
        AttachmentCommand::VolumeUpdate {
            delete_on_termination,
            no_delete_on_termination,
            server,
            src_volume,
            dest_volume,
        } => {
            let server = crate::resolve::server(compute, &server).await?;
            let mut request = UpdateVolumeAttachment::new(dest_volume);
            if delete_on_termination || no_delete_on_termination {
                request = request.delete_on_termination(delete_on_termination);
            }
            compute
                .server_volumes()
                .update(&server.id, &src_volume, &request)
                .await?;
            Ok(Output::Nothing)
        }
        AttachmentCommand::VolumeDetach { server, volume } => {
            let server = crate::resolve::server(compute, &server).await?;
            compute.server_volumes().detach(&server.id, &volume).await?;
            Ok(Output::Nothing)
        }
    }
}
