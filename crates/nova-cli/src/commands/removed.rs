//! The commands python-novaclient still ships for APIs Nova has removed: `agent-list`,
//! `agent-create`, `agent-delete`, `agent-modify` (`os-agents`, gone in Nova 22.0.0) and
//! `reset-network` (`resetNetwork`, gone in 23.0.0). Each sends novaclient's request, so the
//! user sees Nova's own answer (410 Gone with its message) exactly as novaclient shows it,
//! rather than an unknown command; a cloud that still serves the API gets the request.

use clap::Subcommand;
use http::{HeaderMap, HeaderValue, Method};
use serde_json::{Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// novaclient's warning, printed on stderr before each `agent-*` request.
const AGENT_DEPRECATION: &str = "This command has been deprecated since 23.0.0 Wallaby Release \
    and will be removed in the first major release after the Nova server 24.0.0 X release.";

/// Commands for removed compute APIs.
#[derive(Debug, Subcommand)]
pub enum RemovedCommand {
    /// DEPRECATED List all builds (os-agents: removed from Nova in 22.0.0, answers 410).
    #[command(name = "agent-list")]
    AgentList {
        /// Type of hypervisor.
        #[arg(long, value_name = "hypervisor")]
        hypervisor: Option<String>,
    },
    /// DEPRECATED Create new agent build (os-agents: removed from Nova, answers 410).
    #[command(name = "agent-create")]
    AgentCreate {
        /// Type of OS.
        os: String,
        /// Type of architecture.
        architecture: String,
        /// Version.
        version: String,
        /// URL.
        url: String,
        /// MD5 hash.
        md5hash: String,
        /// Type of hypervisor.
        #[arg(default_value = "xen")]
        hypervisor: String,
    },
    /// DEPRECATED Delete existing agent build (os-agents: removed from Nova, answers 410).
    #[command(name = "agent-delete")]
    AgentDelete {
        /// ID of the agent-build.
        id: String,
    },
    /// DEPRECATED Modify existing agent build (os-agents: removed from Nova, answers 410).
    #[command(name = "agent-modify")]
    AgentModify {
        /// ID of the agent-build.
        id: String,
        /// Version.
        version: String,
        /// URL.
        url: String,
        /// MD5 hash.
        md5hash: String,
    },
    /// Reset network of a server (resetNetwork: removed from Nova in 23.0.0, answers 410).
    #[command(name = "reset-network")]
    ResetNetwork {
        /// Name or ID of server.
        server: String,
    },
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: RemovedCommand) -> CliResult<Output> {
    match command {
        RemovedCommand::AgentList { hypervisor } => {
            eprintln!("{AGENT_DEPRECATION}");
            let path = match hypervisor {
                Some(h) => format!("os-agents?hypervisor={}", crate::resolve::encode(&h)),
                None => "os-agents".to_owned(),
            };
            let body = send(ctx, Method::GET, &path, None).await?;
            let columns = [
                "Agent_id",
                "Hypervisor",
                "OS",
                "Architecture",
                "Version",
                "Md5hash",
                "Url",
            ];
            let keys = [
                "agent_id",
                "hypervisor",
                "os",
                "architecture",
                "version",
                "md5hash",
                "url",
            ];
            let rows = body["agents"]
                .as_array()
                .map(|agents| {
                    agents
                        .iter()
                        .map(|a| keys.iter().map(|k| a[*k].clone()).collect())
                        .collect()
                })
                .unwrap_or_default();
            Ok(Output::list(&columns, rows))
        }
        RemovedCommand::AgentCreate {
            os,
            architecture,
            version,
            url,
            md5hash,
            hypervisor,
        } => {
            eprintln!("{AGENT_DEPRECATION}");
            let body = json!({"agent": {
                "hypervisor": hypervisor, "os": os, "architecture": architecture,
                "version": version, "url": url, "md5hash": md5hash,
            }});
            agent_object(send(ctx, Method::POST, "os-agents", Some(body)).await?)
        }
        RemovedCommand::AgentDelete { id } => {
            eprintln!("{AGENT_DEPRECATION}");
            let path = format!("os-agents/{}", crate::resolve::encode(&id));
            send(ctx, Method::DELETE, &path, None).await?;
            Ok(Output::Nothing)
        }
        RemovedCommand::AgentModify {
            id,
            version,
            url,
            md5hash,
        } => {
            eprintln!("{AGENT_DEPRECATION}");
            let body = json!({"para": {"version": version, "url": url, "md5hash": md5hash}});
            let path = format!("os-agents/{}", crate::resolve::encode(&id));
            agent_object(send(ctx, Method::PUT, &path, Some(body)).await?)
        }
        RemovedCommand::ResetNetwork { server } => {
            let found = crate::resolve::server(ctx.cloud.compute.as_ref(), &server).await?;
            let path = format!("servers/{}/action", crate::resolve::encode(&found.id));
            send(
                ctx,
                Method::POST,
                &path,
                Some(json!({"resetNetwork": null})),
            )
            .await?;
            Ok(Output::Nothing)
        }
    }
}

fn agent_object(body: Value) -> CliResult<Output> {
    match body.get("agent") {
        Some(Value::Object(agent)) => Ok(Output::object(agent.clone())),
        _ => Err(CliError::api(
            "the compute service answered without an agent",
        )),
    }
}

/// Sends one request to the compute endpoint at the negotiated microversion; an error status
/// becomes the same error (and message) as any other Nova fault.
async fn send(ctx: &Ctx, method: Method, path: &str, body: Option<Value>) -> CliResult<Value> {
    let version = ctx.cloud.compute.microversion().to_string();
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("openstack-api-version", format!("compute {version}")),
        ("x-openstack-nova-api-version", version.clone()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    let bytes = match body {
        Some(b) => {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Some(bytes::Bytes::from(b.to_string()))
        }
        None => None,
    };
    let response = ctx
        .cloud
        .compute_adapter
        .send(method.clone(), path, headers, bytes)
        .await?;
    if response.status.is_client_error() || response.status.is_server_error() {
        let http = nova_core::HttpResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
        };
        let fault = nova_core::Fault::from_response(&method, path, &http);
        return Err(fault.into_error().into());
    }
    if response.body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        CliError::api(format!(
            "the compute service answered with invalid JSON: {e}"
        ))
    })
}
