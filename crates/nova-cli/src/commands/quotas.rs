//! Quotas and quota classes: `quota-show`, `quota-defaults`, `quota-update`, `quota-delete`,
//! `quota-class-show` and `quota-class-update`.

use clap::{Args, Subcommand};
use nova_v2::{QuotaDetail, QuotaSet, QuotaSetDetail, UpdateQuotaSet};
use serde_json::{Value, json};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Quotas and quota classes.
#[derive(Debug, Subcommand)]
pub enum QuotaCommand {
    /// List the quotas for a tenant/user.
    #[command(name = "quota-show")]
    Show {
        /// ID of tenant to list the quotas for.
        #[arg(long, value_name = "tenant-id")]
        tenant: Option<String>,
        /// ID of user to list the quotas for.
        #[arg(long, value_name = "user-id")]
        user: Option<String>,
        /// Show detailed info (limit, reserved, in-use).
        #[arg(long)]
        detail: bool,
    },
    /// List the default quotas for a tenant.
    #[command(name = "quota-defaults")]
    Defaults {
        /// ID of tenant to list the default quotas for.
        #[arg(long, value_name = "tenant-id")]
        tenant: Option<String>,
    },
    /// Update the quotas for a tenant/user.
    #[command(name = "quota-update")]
    Update {
        /// ID of tenant to set the quotas for.
        #[arg(value_name = "tenant-id")]
        tenant: String,
        /// ID of user to set the quotas for.
        #[arg(long, value_name = "user-id")]
        user: Option<String>,
        /// The new limits.
        #[command(flatten)]
        limits: QuotaFlags,
        /// Whether force update the quota even if the already used and reserved exceeds the
        /// new quota.
        #[arg(long)]
        force: bool,
    },
    /// Delete quota for a tenant/user so their quota will revert back to default.
    #[command(name = "quota-delete")]
    Delete {
        /// ID of tenant to delete quota for.
        #[arg(long, value_name = "tenant-id", required = true)]
        tenant: String,
        /// ID of user to delete quota for.
        #[arg(long, value_name = "user-id")]
        user: Option<String>,
    },
    /// List the quotas for a quota class.
    #[command(name = "quota-class-show")]
    ClassShow {
        /// Name of quota class to list the quotas for.
        #[arg(value_name = "class")]
        class: String,
    },
    /// Update the quotas for a quota class.
    #[command(name = "quota-class-update")]
    ClassUpdate {
        /// Name of quota class to set the quotas for.
        #[arg(value_name = "class")]
        class: String,
        /// The new limits.
        #[command(flatten)]
        limits: QuotaFlags,
    },
}

/// The `--<resource> N` flags of `quota-update` and `quota-class-update`. Those Nova dropped
/// (network ones from 2.36, 2.50 for classes; injected files from 2.57) are refused at a
/// microversion without them, as novaclient does not offer them there.
#[derive(Debug, Args, Default)]
pub struct QuotaFlags {
    /// New value for the "instances" quota.
    #[arg(long, value_name = "instances", allow_negative_numbers = true)]
    instances: Option<i64>,
    /// New value for the "cores" quota.
    #[arg(long, value_name = "cores", allow_negative_numbers = true)]
    cores: Option<i64>,
    /// New value for the "ram" quota.
    #[arg(long, value_name = "ram", allow_negative_numbers = true)]
    ram: Option<i64>,
    /// New value for the "floating-ips" quota (below 2.36; deprecated).
    #[arg(long, value_name = "floating-ips", allow_negative_numbers = true)]
    floating_ips: Option<i64>,
    /// New value for the "fixed-ips" quota (below 2.36; deprecated).
    #[arg(long, value_name = "fixed-ips", allow_negative_numbers = true)]
    fixed_ips: Option<i64>,
    /// New value for the "metadata-items" quota.
    #[arg(long, value_name = "metadata-items", allow_negative_numbers = true)]
    metadata_items: Option<i64>,
    /// New value for the "injected-files" quota (below 2.57).
    #[arg(long, value_name = "injected-files", allow_negative_numbers = true)]
    injected_files: Option<i64>,
    /// New value for the "injected-file-content-bytes" quota (below 2.57).
    #[arg(
        long,
        value_name = "injected-file-content-bytes",
        allow_negative_numbers = true
    )]
    injected_file_content_bytes: Option<i64>,
    /// New value for the "injected-file-path-bytes" quota (below 2.57).
    #[arg(
        long,
        value_name = "injected-file-path-bytes",
        allow_negative_numbers = true
    )]
    injected_file_path_bytes: Option<i64>,
    /// New value for the "key-pairs" quota.
    #[arg(long, value_name = "key-pairs", allow_negative_numbers = true)]
    key_pairs: Option<i64>,
    /// New value for the "security-groups" quota (below 2.36; deprecated).
    #[arg(long, value_name = "security-groups", allow_negative_numbers = true)]
    security_groups: Option<i64>,
    /// New value for the "security-group-rules" quota (below 2.36; deprecated).
    #[arg(
        long,
        value_name = "security-group-rules",
        allow_negative_numbers = true
    )]
    security_group_rules: Option<i64>,
    /// New value for the "server-groups" quota.
    #[arg(long, value_name = "server-groups", allow_negative_numbers = true)]
    server_groups: Option<i64>,
    /// New value for the "server-group-members" quota.
    #[arg(
        long,
        value_name = "server-group-members",
        allow_negative_numbers = true
    )]
    server_group_members: Option<i64>,
}

impl QuotaFlags {
    fn to_update(&self) -> UpdateQuotaSet {
        let mut u = UpdateQuotaSet::new();
        macro_rules! copy {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { u = u.$f(v); } )* };
        }
        copy!(
            instances,
            cores,
            ram,
            floating_ips,
            fixed_ips,
            metadata_items,
            injected_files,
            injected_file_content_bytes,
            injected_file_path_bytes,
            key_pairs,
            security_groups,
            security_group_rules,
            server_groups,
            server_group_members
        );
        u
    }
}

/// Runs one of these commands.
pub async fn run(ctx: &Ctx, command: QuotaCommand) -> CliResult<Output> {
    let compute = ctx.cloud.compute.as_ref();
    match command {
        QuotaCommand::Show {
            tenant,
            user,
            detail,
        } => {
            let project = project_or_own(ctx, tenant).await?;
            if detail {
                let d = compute
                    .quotas()
                    .detail(&project, user.as_deref())
                    .await?
                    .value;
                Ok(show_detail(&d))
            } else {
                let q = compute.quotas().get(&project, user.as_deref()).await?.value;
                Ok(show(&q))
            }
        }
        QuotaCommand::Defaults { tenant } => {
            let project = project_or_own(ctx, tenant).await?;
            Ok(show(&compute.quotas().defaults(&project).await?.value))
        }
        QuotaCommand::Update {
            tenant,
            user,
            limits,
            force,
        } => {
            let mut update = limits.to_update();
            if update.is_empty() {
                // novaclient sends nothing when no quota is given.
                return Ok(Output::Nothing);
            }
            if force {
                update = update.force(true);
            }
            compute
                .quotas()
                .update(&tenant, user.as_deref(), &update)
                .await?;
            Ok(Output::Nothing)
        }
        QuotaCommand::Delete { tenant, user } => {
            compute.quotas().delete(&tenant, user.as_deref()).await?;
            Ok(Output::Nothing)
        }
        QuotaCommand::ClassShow { class } => {
            Ok(show(&compute.quota_classes().get(&class).await?.value))
        }
        QuotaCommand::ClassUpdate { class, limits } => {
            let update = limits.to_update();
            if update.is_empty() {
                return Ok(Output::Nothing);
            }
            compute.quota_classes().update(&class, &update).await?;
            Ok(Output::Nothing)
        }
    }
}

/// `--tenant`, else the project of the token.
async fn project_or_own(ctx: &Ctx, tenant: Option<String>) -> CliResult<String> {
    if let Some(t) = tenant {
        return Ok(t);
    }
    let access = ctx.cloud.session.access_info().await?;
    access
        .project
        .as_ref()
        .map(|p| p.id.clone())
        .ok_or_else(|| CliError::usage("the token is not project-scoped: give --tenant"))
}

/// The resources in novaclient's order, with their values in `q`.
fn resources(q: &QuotaSet) -> Vec<(&'static str, Option<i64>)> {
    vec![
        ("instances", q.instances),
        ("cores", q.cores),
        ("ram", q.ram),
        ("floating_ips", q.floating_ips),
        ("fixed_ips", q.fixed_ips),
        ("metadata_items", q.metadata_items),
        ("injected_files", q.injected_files),
        ("injected_file_content_bytes", q.injected_file_content_bytes),
        ("injected_file_path_bytes", q.injected_file_path_bytes),
        ("key_pairs", q.key_pairs),
        ("security_groups", q.security_groups),
        ("security_group_rules", q.security_group_rules),
        ("server_groups", q.server_groups),
        ("server_group_members", q.server_group_members),
    ]
}

/// novaclient's `Quota | Limit` table of the resources the microversion shows.
fn show(q: &QuotaSet) -> Output {
    let rows = resources(q)
        .into_iter()
        .filter_map(|(name, v)| v.map(|v| vec![json!(name), json!(v)]))
        .collect();
    Output::list(&["Quota", "Limit"], rows)
}

/// `--detail`: `Quota | Limit | In Use | Reserved`.
fn show_detail(d: &QuotaSetDetail) -> Output {
    let all: [(&str, &Option<QuotaDetail>); 14] = [
        ("instances", &d.instances),
        ("cores", &d.cores),
        ("ram", &d.ram),
        ("floating_ips", &d.floating_ips),
        ("fixed_ips", &d.fixed_ips),
        ("metadata_items", &d.metadata_items),
        ("injected_files", &d.injected_files),
        (
            "injected_file_content_bytes",
            &d.injected_file_content_bytes,
        ),
        ("injected_file_path_bytes", &d.injected_file_path_bytes),
        ("key_pairs", &d.key_pairs),
        ("security_groups", &d.security_groups),
        ("security_group_rules", &d.security_group_rules),
        ("server_groups", &d.server_groups),
        ("server_group_members", &d.server_group_members),
    ];
    let rows = all
        .into_iter()
        .filter_map(|(name, v)| {
            v.as_ref().map(|v| {
                vec![
                    json!(name),
                    json!(v.limit),
                    json!(v.in_use),
                    Value::from(v.reserved),
                ]
            })
        })
        .collect();
    Output::list(&["Quota", "Limit", "In Use", "Reserved"], rows)
}
