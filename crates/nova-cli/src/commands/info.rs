//! `limits`, `availability-zone-list` and `version-list`.

use http::{HeaderMap, Method};
use nova_core::types::LimitsQuery;
use nova_core::{VersionStatus, parse_versions, version_root_candidates};
use serde_json::{Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// `nova limits [--tenant <project>] [--reserved]`: the absolute limits as
/// `Name | Used | Max`, like novaclient; `--tenant` (admin) reads another project's.
/// `--reserved` is sent below 2.75; from 2.75 Nova refuses the parameter, and since it counts
/// usage (reservations are always 0) the answer is the same without it, so it is dropped
/// with a note on stderr.
pub async fn limits(ctx: &Ctx, tenant: Option<&str>, reserved: bool) -> CliResult<Output> {
    let compute = &ctx.cloud.compute;
    let send_reserved = reserved && compute.microversion() < nova_core::MicroVersion::new(2, 75);
    if reserved && !send_reserved {
        eprintln!(
            "note: --reserved is not sent at {} (Nova refuses it from 2.75; reservations are always 0)",
            compute.microversion()
        );
    }
    let mut query = LimitsQuery::new().reserved(send_reserved);
    if let Some(project) = tenant {
        query = query.tenant_id(project);
    }
    let limits = compute.limits().get_with(&query).await?.value;
    let a = &limits.absolute;
    let num = |v: Option<i64>| v.map_or(Value::Null, |n| json!(n));
    let rows: Vec<(&str, Option<i64>, Option<i64>)> = vec![
        ("Cores", a.total_cores_used, a.max_total_cores),
        (
            "FloatingIps",
            a.total_floating_ips_used,
            a.max_total_floating_ips,
        ),
        ("ImageMeta", None, a.max_image_meta),
        ("Instances", a.total_instances_used, a.max_total_instances),
        ("Keypairs", None, a.max_total_keypairs),
        ("Personality", None, a.max_personality),
        ("Personality Size", None, a.max_personality_size),
        ("RAM", a.total_ram_used, a.max_total_ram_size),
        ("SecurityGroupRules", None, a.max_security_group_rules),
        (
            "SecurityGroups",
            a.total_security_groups_used,
            a.max_security_groups,
        ),
        ("Server Meta", None, a.max_server_meta),
        ("ServerGroupMembers", None, a.max_server_group_members),
        (
            "ServerGroups",
            a.total_server_groups_used,
            a.max_server_groups,
        ),
    ];
    let rows = rows
        .into_iter()
        .filter(|(_, used, max)| used.is_some() || max.is_some())
        .map(|(name, used, max)| vec![json!(name), num(used), num(max)])
        .collect();
    Ok(Output::list(&["Name", "Used", "Max"], rows))
}

/// `nova availability-zone-list`: the zones with their hosts and services as a tree (the
/// admin's detailed list), or just the zones when the detailed list is refused.
pub async fn availability_zones(ctx: &Ctx) -> CliResult<Output> {
    let api = ctx.cloud.compute.availability_zones();
    let zones = match api.list_detail().await {
        Ok(found) => found.value,
        Err(nova_core::Error::Forbidden(_)) => api.list().await?.value,
        Err(e) => return Err(e.into()),
    };
    let mut rows = Vec::new();
    for z in &zones {
        let state = if z.state.available {
            "available"
        } else {
            "not available"
        };
        rows.push(vec![json!(z.name), json!(state)]);
        // Hosts sorted by name (a BTreeMap), services in their order, like novaclient.
        for (host, services) in z.hosts.iter().flatten() {
            rows.push(vec![json!(format!("|- {host}")), json!("")]);
            for (service, s) in services {
                let status = format!(
                    "{} {} {}",
                    if s.active { "enabled" } else { "disabled" },
                    if s.available { ":-)" } else { "XXX" },
                    s.updated_at.as_deref().unwrap_or("None")
                );
                rows.push(vec![json!(format!("| |- {service}")), json!(status)]);
            }
        }
    }
    Ok(Output::list(&["Name", "Status"], rows))
}

fn status_text(status: &VersionStatus) -> String {
    match status {
        VersionStatus::Current => "CURRENT".to_owned(),
        VersionStatus::Supported => "SUPPORTED".to_owned(),
        VersionStatus::Deprecated => "DEPRECATED".to_owned(),
        VersionStatus::Experimental => "EXPERIMENTAL".to_owned(),
        VersionStatus::Unknown(s) => s.clone(),
        _ => "UNKNOWN".to_owned(),
    }
}

/// `nova version-list`: every version the compute service root lists.
pub async fn version_list(ctx: &Ctx) -> CliResult<Output> {
    let adapter = &ctx.cloud.compute_adapter;
    let endpoint = adapter.endpoint().await?;
    let mut docs = Vec::new();
    for url in version_root_candidates(endpoint.as_str()).iter().rev() {
        let response = adapter
            .send(Method::GET, url, HeaderMap::new(), None)
            .await?;
        if !response.status.is_success() {
            continue;
        }
        if let Ok(found) = parse_versions(&response.body)
            && !found.is_empty()
        {
            docs = found;
            break;
        }
    }
    if docs.is_empty() {
        return Err(CliError::api(format!(
            "the compute service at {endpoint} lists no versions"
        )));
    }
    let text = |v: Option<String>| v.map_or(json!(""), |s| json!(s));
    let rows = docs
        .into_iter()
        .map(|d| {
            vec![
                json!(d.id),
                json!(status_text(&d.status)),
                text(d.updated),
                text(d.min_version.map(|v| v.to_string())),
                text(d.max_version.map(|v| v.to_string())),
            ]
        })
        .collect();
    Ok(Output::list(
        &["Id", "Status", "Updated", "Min Version", "Version"],
        rows,
    ))
}
