//! Moving servers and their migration records: the `migrate` (cold migration) and
//! `os-migrateLive` actions, server migrations (`/servers/{id}/migrations`: list and show
//! 2.23+, force complete 2.22+, abort 2.24+) and `/os-migrations` (admin).
//!
//! A cold migration goes `resize_prep` -> `resize_migrating` -> `resize_migrated` ->
//! `resize_finish` (status `RESIZE`, one GET each) and lands in `VERIFY_RESIZE` on another
//! compute host; its record (type `migration`) is `finished` until `confirmResize`
//! (`confirmed`) or `revertResize` (`reverted`, back on the source host). A live migration
//! shows `MIGRATING` for [`LIVE_MIGRATION_POLLS`] GETs with a `running` record (type
//! `live-migration`), then lands `ACTIVE` on the new host (`completed`); force complete ends
//! it at the next GET, abort puts it back `ACTIVE` on its host (`cancelled`).
//!
//! Record statuses follow the server: they are brought up to date before every read.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::nova::NovaCtx;
use crate::state::SharedState;

use super::error::{ApiError, ApiResult, parse_json};
use super::model::{Server, Settle};
use super::query::{Query, next_link, parse_limit, reject_unknown};
use super::servers::actions::{
    ACTION_POLLS, busy, check_lock, invalid_state, server_for_action, visible_server,
};
use super::servers::state::{TaskState, VmState};
use super::store::Inner;
use super::validation::*;

/// GETs of the server a live migration stays `MIGRATING`.
pub const LIVE_MIGRATION_POLLS: u32 = 3;

/// Live migration statuses Nova counts as in progress.
const IN_PROGRESS: &[&str] = &["queued", "preparing", "running", "post-migrating"];

/// One migration record.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationRecord {
    /// Integer id.
    pub id: u64,
    /// UUID (shown 2.59+).
    pub uuid: String,
    /// The server.
    pub server_id: String,
    /// `migration`, `live-migration`, `resize` or `evacuation`.
    pub migration_type: String,
    /// Status.
    pub status: String,
    /// Source compute host.
    pub source_compute: String,
    /// Source hypervisor.
    pub source_node: String,
    /// Destination compute host.
    pub dest_compute: String,
    /// Destination hypervisor.
    pub dest_node: String,
    /// Destination host IP.
    pub dest_host: String,
    /// Flavor (internal id) before.
    pub old_flavor: u64,
    /// Flavor (internal id) after.
    pub new_flavor: u64,
    /// Who started it (shown 2.80+).
    pub user_id: String,
    /// Their project (shown 2.80+).
    pub project_id: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Guest memory (bytes).
    pub memory_total: u64,
    /// Guest disk (bytes).
    pub disk_total: u64,
}

/// The migration records of the mock.
#[derive(Debug, Default)]
pub struct MigrationState {
    /// Records, oldest first.
    pub records: Vec<MigrationRecord>,
    /// Last id given.
    pub last_id: u64,
}

fn ts(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

fn node_of(host: &str) -> String {
    format!("{host}.example.com")
}

fn ip_of(inner: &Inner, host: &str) -> String {
    let n = inner
        .config
        .compute_hosts()
        .iter()
        .position(|h| h == host)
        .unwrap_or(0);
    format!("192.168.122.{}", n + 10)
}

fn flavor_number(s: &Server) -> u64 {
    s.flavor.id.parse().unwrap_or(1)
}

/// Brings record statuses in line with their servers.
pub fn sync(inner: &mut Inner, now: DateTime<Utc>) {
    let servers = &inner.servers;
    for r in inner.server_migrations.records.iter_mut() {
        let server = servers.get(&r.server_id);
        let task = server.and_then(|s| s.task_state);
        let new_status = match (r.migration_type.as_str(), r.status.as_str()) {
            ("live-migration", "running") => match server {
                None => "error",
                Some(_) if task == Some(TaskState::Migrating) => "running",
                Some(_) => "completed",
            },
            ("migration" | "resize", "pre-migrating" | "migrating" | "post-migrating") => {
                match task {
                    _ if server.is_none() => "error",
                    Some(TaskState::ResizePrep) => "pre-migrating",
                    Some(TaskState::ResizeMigrating) => "migrating",
                    Some(TaskState::ResizeMigrated | TaskState::ResizeFinish) => "post-migrating",
                    _ => "finished",
                }
            }
            _ => continue,
        };
        if new_status != r.status {
            r.status = new_status.to_string();
            r.updated_at = now;
        }
    }
}

/// Records a move of `server_id` started by `ctx`'s user: `(type, status)` and
/// `(source host, destination host)`; the flavor is the server's current one. Returns the id.
pub fn new_record(
    inner: &mut Inner,
    ctx: &NovaCtx,
    server_id: &str,
    (kind, status): (&str, &str),
    (source, dest): (&str, &str),
    now: DateTime<Utc>,
) -> u64 {
    let (flavor, memory, disk) = match inner.servers.get(server_id) {
        Some(s) => (
            flavor_number(s),
            u64::from(s.flavor.ram) * 1024 * 1024,
            u64::from(s.flavor.disk) * 1024 * 1024 * 1024,
        ),
        None => (1, 0, 0),
    };
    let dest_host = ip_of(inner, dest);
    let st = &mut inner.server_migrations;
    st.last_id += 1;
    let id = st.last_id;
    st.records.push(MigrationRecord {
        id,
        uuid: uuid::Uuid::new_v4().to_string(),
        server_id: server_id.to_string(),
        migration_type: kind.to_string(),
        status: status.to_string(),
        source_compute: source.to_string(),
        source_node: node_of(source),
        dest_compute: dest.to_string(),
        dest_node: node_of(dest),
        dest_host,
        old_flavor: flavor,
        new_flavor: flavor,
        user_id: ctx.user_id.clone(),
        project_id: ctx.project_id.clone(),
        created_at: now,
        updated_at: now,
        memory_total: memory,
        disk_total: disk,
    });
    id
}

/// The latest cold migration or resize record of `server_id` in one of `statuses`.
fn latest_mut<'a>(
    inner: &'a mut Inner,
    server_id: &str,
    statuses: &[&str],
) -> Option<&'a mut MigrationRecord> {
    inner.server_migrations.records.iter_mut().rev().find(|r| {
        r.server_id == server_id
            && matches!(r.migration_type.as_str(), "migration" | "resize")
            && statuses.contains(&r.status.as_str())
    })
}

/// A `resize` was accepted: its record (type `resize`, on the same host) follows the server.
pub fn resize_started(inner: &mut Inner, ctx: &NovaCtx, server_id: &str, now: DateTime<Utc>) {
    let Some(s) = inner.servers.get(server_id) else {
        return;
    };
    let host = s.host.as_deref().unwrap_or_default().to_string();
    let old = s
        .old_flavor
        .as_ref()
        .and_then(|f| f.id.parse().ok())
        .unwrap_or(1);
    let id = new_record(
        inner,
        ctx,
        server_id,
        ("resize", "pre-migrating"),
        (&host, &host),
        now,
    );
    if let Some(r) = inner
        .server_migrations
        .records
        .iter_mut()
        .find(|r| r.id == id)
    {
        r.old_flavor = old;
    }
}

/// `confirmResize` of a cold-migrated or resized server: its record becomes `confirmed`.
pub fn resize_confirmed(inner: &mut Inner, server_id: &str, now: DateTime<Utc>) {
    sync(inner, now);
    if let Some(r) = latest_mut(inner, server_id, &["finished"]) {
        r.status = "confirmed".into();
        r.updated_at = now;
    }
}

/// `revertResize` of a cold-migrated or resized server: back on its source host, record
/// `reverted`.
pub fn resize_reverted(inner: &mut Inner, server_id: &str, now: DateTime<Utc>) {
    sync(inner, now);
    let Some(r) = latest_mut(inner, server_id, &["finished"]) else {
        return;
    };
    r.status = "reverted".into();
    r.updated_at = now;
    let (host, node) = (r.source_compute.clone(), r.source_node.clone());
    if let Some(s) = inner.servers.get_mut(server_id) {
        s.host = Some(host.as_str().into());
        s.hypervisor_hostname = Some(node.as_str().into());
    }
}

fn check_host_field(args: &Value, key: &str) -> Result<(), Invalid> {
    if let Some(h) = args.get(key) {
        check_type(key, h, &["string", "null"])?;
        if h.is_string() {
            check_len(key, h, 1, 255)?;
        }
    }
    Ok(())
}

fn validate_migrate(args: &Value, ctx: &NovaCtx) -> Result<Option<String>, Invalid> {
    if !ctx.version.at_least(2, 56) {
        // No schema below 2.56: the body is not looked at.
        return Ok(None);
    }
    check_type("migrate", args, &["object", "null"])?;
    let Some(obj) = args.as_object() else {
        return Ok(None);
    };
    check_host_field(args, "host")?;
    check_no_extra(Some("migrate"), obj, args, &["host"])?;
    Ok(obj.get("host").and_then(Value::as_str).map(str::to_string))
}

/// Parsed `os-migrateLive` arguments.
struct LiveArgs {
    host: Option<String>,
    force: bool,
}

fn validate_live(args: &Value, ctx: &NovaCtx) -> Result<LiveArgs, Invalid> {
    let v = ctx.version;
    check_type("os-migrateLive", args, &["object"])?;
    let obj = args.as_object().cloned().unwrap_or_default();
    let mut allowed = vec!["block_migration", "host"];
    let required: &[&str] = if v.at_least(2, 25) {
        &["block_migration", "host"]
    } else {
        allowed.push("disk_over_commit");
        &["block_migration", "disk_over_commit", "host"]
    };
    let force_allowed = v.at_least(2, 30) && !v.at_least(2, 68);
    if force_allowed {
        allowed.push("force");
    }
    for (k, val) in &obj {
        match k.as_str() {
            "block_migration" if v.at_least(2, 25) && val.as_str() == Some("auto") => {}
            "block_migration" | "disk_over_commit" | "force" if allowed.contains(&k.as_str()) => {
                check_boolean(k, val)?
            }
            "host" => check_host_field(args, "host")?,
            _ => {}
        }
    }
    check_required(Some("os-migrateLive"), &obj, args, required)?;
    check_no_extra(Some("os-migrateLive"), &obj, args, &allowed)?;
    let host = obj.get("host").and_then(Value::as_str).map(str::to_string);
    let force = force_allowed && obj.get("force").is_some_and(truthy);
    if force && host.is_none() {
        return Err("Can't force to a non-provided destination".into());
    }
    Ok(LiveArgs { host, force })
}

/// The destination of a move of a server on `current`: the requested host (which must
/// exist and differ), or the first other compute host.
enum Target {
    Host(String),
    NotFound(String),
    Same,
    NoValidHost,
}

fn pick_target(inner: &Inner, current: &str, requested: Option<&str>) -> Target {
    let hosts = inner.config.compute_hosts();
    match requested {
        Some(h) if !hosts.iter().any(|x| x == h) => Target::NotFound(h.to_string()),
        Some(h) if h == current => Target::Same,
        Some(h) => Target::Host(h.to_string()),
        None => match hosts.into_iter().find(|h| h != current) {
            Some(h) => Target::Host(h),
            None => Target::NoValidHost,
        },
    }
}

fn host_not_found(host: &str) -> ApiError {
    ApiError::bad_request(format!("Compute host {host} could not be found."))
}

/// Handles the `migrate` and `os-migrateLive` actions (`None` for any other action).
/// Runs before every server action: records are brought up to date first, so a move
/// that ended unobserved is not mistaken for the one an action starts.
pub fn move_action(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    action: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Option<Response>> {
    sync(inner, now);
    match action {
        "migrate" => migrate(inner, ctx, id, args, now).map(Some),
        "os-migrateLive" => live_migrate(inner, ctx, id, args, now).map(Some),
        _ => Ok(None),
    }
}

fn migrate(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    let requested = validate_migrate(args, ctx).map_err(ApiError::bad_request)?;
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-migrate-server:migrate"));
    }
    let s = server_for_action(
        inner,
        ctx,
        id,
        "migrate",
        &[VmState::Active, VmState::Stopped],
    )?;
    let current = s.host.as_deref().unwrap_or_default().to_string();
    let dest = match pick_target(inner, &current, requested.as_deref()) {
        Target::Host(h) => h,
        Target::NotFound(h) => return Err(host_not_found(&h)),
        Target::Same => {
            return Err(ApiError::bad_request(
                "Cannot migrate to the host where the server exists.",
            ));
        }
        Target::NoValidHost => {
            return Err(ApiError::bad_request("No valid host was found. "));
        }
    };
    new_record(
        inner,
        ctx,
        id,
        ("migration", "pre-migrating"),
        (&current, &dest),
        now,
    );
    let s = visible_server(inner, ctx, id)?;
    s.pre_resize_state = s.vm_state;
    s.old_flavor = Some(s.flavor.clone());
    let landing = Settle::OnHost {
        host: dest.as_str().into(),
        node: node_of(&dest).as_str().into(),
        then: Box::new(Settle::To(VmState::Resized)),
    };
    let steps = Settle::Next {
        task: TaskState::ResizeMigrating,
        polls: ACTION_POLLS,
        then: Box::new(Settle::Next {
            task: TaskState::ResizeMigrated,
            polls: 0,
            then: Box::new(Settle::Next {
                task: TaskState::ResizeFinish,
                polls: 0,
                then: Box::new(landing),
            }),
        }),
    };
    s.begin(TaskState::ResizePrep, ACTION_POLLS, steps, now);
    Ok(StatusCode::ACCEPTED.into_response())
}

fn live_migrate(
    inner: &mut Inner,
    ctx: &NovaCtx,
    id: &str,
    args: &Value,
    now: DateTime<Utc>,
) -> ApiResult<Response> {
    let live = validate_live(args, ctx).map_err(ApiError::bad_request)?;
    if !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:os-migrate-server:migrate_live",
        ));
    }
    let allowed = [VmState::Active, VmState::Paused];
    let s = server_for_action(inner, ctx, id, "os-migrateLive", &allowed)?;
    let current = s.host.as_deref().unwrap_or_default().to_string();
    // From 2.34 the conductor's checks run after the 202: their failures only show as
    // a migration record in `error`.
    let asynchronous = ctx.version.at_least(2, 34);
    let dest = match pick_target(inner, &current, live.host.as_deref()) {
        Target::Host(h) => h,
        Target::NotFound(h) => return Err(host_not_found(&h)),
        Target::Same if !asynchronous => {
            return Err(ApiError::bad_request(format!(
                "Unable to migrate instance ({id}) to current host ({current})."
            )));
        }
        Target::NoValidHost if !asynchronous => {
            return Err(ApiError::bad_request("No valid host was found. "));
        }
        Target::Same | Target::NoValidHost => {
            let dest = live.host.clone().unwrap_or_default();
            new_record(
                inner,
                ctx,
                id,
                ("live-migration", "error"),
                (&current, &dest),
                now,
            );
            return Ok(StatusCode::ACCEPTED.into_response());
        }
    };
    let _ = live.force;
    new_record(
        inner,
        ctx,
        id,
        ("live-migration", "running"),
        (&current, &dest),
        now,
    );
    let s = visible_server(inner, ctx, id)?;
    let back = s.vm_state;
    let landing = Settle::OnHost {
        host: dest.as_str().into(),
        node: node_of(&dest).as_str().into(),
        then: Box::new(Settle::To(back)),
    };
    s.begin(TaskState::Migrating, LIVE_MIGRATION_POLLS, landing, now);
    Ok(StatusCode::ACCEPTED.into_response())
}

/// A `/servers/{id}/migrations` record at `ctx`'s microversion.
fn server_migration_view(r: &MigrationRecord, ctx: &NovaCtx, polls_left: u32) -> Value {
    // progress: the further the server is from landing, the more remains
    let share = u64::from(polls_left.min(LIVE_MIGRATION_POLLS)) * 100
        / u64::from(LIVE_MIGRATION_POLLS.max(1));
    let memory_remaining = r.memory_total * share / 100;
    let disk_remaining = r.disk_total * share / 100;
    let mut m = Map::new();
    m.insert("created_at".into(), json!(ts(&r.created_at)));
    m.insert("dest_compute".into(), json!(r.dest_compute));
    m.insert("dest_host".into(), json!(r.dest_host));
    m.insert("dest_node".into(), json!(r.dest_node));
    m.insert(
        "disk_processed_bytes".into(),
        json!(r.disk_total - disk_remaining),
    );
    m.insert("disk_remaining_bytes".into(), json!(disk_remaining));
    m.insert("disk_total_bytes".into(), json!(r.disk_total));
    m.insert("id".into(), json!(r.id));
    m.insert(
        "memory_processed_bytes".into(),
        json!(r.memory_total - memory_remaining),
    );
    m.insert("memory_remaining_bytes".into(), json!(memory_remaining));
    m.insert("memory_total_bytes".into(), json!(r.memory_total));
    m.insert("server_uuid".into(), json!(r.server_id));
    m.insert("source_compute".into(), json!(r.source_compute));
    m.insert("source_node".into(), json!(r.source_node));
    m.insert("status".into(), json!(r.status));
    m.insert("updated_at".into(), json!(ts(&r.updated_at)));
    if ctx.version.at_least(2, 59) {
        m.insert("uuid".into(), json!(r.uuid));
    }
    if ctx.version.at_least(2, 80) {
        m.insert("user_id".into(), json!(r.user_id));
        m.insert("project_id".into(), json!(r.project_id));
    }
    Value::Object(m)
}

/// An `/os-migrations` record at `ctx`'s microversion.
fn migration_view(r: &MigrationRecord, ctx: &NovaCtx) -> Value {
    let v = ctx.version;
    let mut m = Map::new();
    m.insert("created_at".into(), json!(ts(&r.created_at)));
    m.insert("dest_compute".into(), json!(r.dest_compute));
    m.insert("dest_host".into(), json!(r.dest_host));
    m.insert("dest_node".into(), json!(r.dest_node));
    m.insert("id".into(), json!(r.id));
    m.insert("instance_uuid".into(), json!(r.server_id));
    m.insert("new_instance_type_id".into(), json!(r.new_flavor));
    m.insert("old_instance_type_id".into(), json!(r.old_flavor));
    m.insert("source_compute".into(), json!(r.source_compute));
    m.insert("source_node".into(), json!(r.source_node));
    m.insert("status".into(), json!(r.status));
    m.insert("updated_at".into(), json!(ts(&r.updated_at)));
    if v.at_least(2, 23) {
        m.insert("migration_type".into(), json!(r.migration_type));
        if r.migration_type == "live-migration" && IN_PROGRESS.contains(&r.status.as_str()) {
            m.insert(
                "links".into(),
                super::servers::views::self_and_bookmark(
                    &ctx.base_url,
                    &format!("servers/{}/migrations", r.server_id),
                    &r.id.to_string(),
                ),
            );
        }
    }
    if v.at_least(2, 59) {
        m.insert("uuid".into(), json!(r.uuid));
    }
    if v.at_least(2, 80) {
        m.insert("user_id".into(), json!(r.user_id));
        m.insert("project_id".into(), json!(r.project_id));
    }
    Value::Object(m)
}

/// Unknown microversion of a gated route: 404 like Nova.
fn gate(ctx: &NovaCtx, minor: u16) -> ApiResult<()> {
    if ctx.version.at_least(2, minor) {
        Ok(())
    } else {
        Err(ApiError::resource_not_found())
    }
}

/// The server (must be visible) and its pending GETs.
fn server_polls(inner: &mut Inner, ctx: &NovaCtx, id: &str) -> ApiResult<u32> {
    let s = visible_server(inner, ctx, id)?;
    Ok(s.pending.as_ref().map_or(0, |p| p.polls_left))
}

async fn index(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path(server_id): Path<String>,
) -> ApiResult<Json<Value>> {
    gate(&ctx, 23)?;
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:servers:migrations:index"));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    let polls = server_polls(&mut inner, &ctx, &server_id)?;
    sync(&mut inner, now);
    let list: Vec<Value> = inner
        .server_migrations
        .records
        .iter()
        .filter(|r| {
            r.server_id == server_id
                && r.migration_type == "live-migration"
                && IN_PROGRESS.contains(&r.status.as_str())
        })
        .map(|r| server_migration_view(r, &ctx, polls))
        .collect();
    Ok(Json(json!({ "migrations": list })))
}

async fn show(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((server_id, mid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    gate(&ctx, 23)?;
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:servers:migrations:show"));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    let polls = server_polls(&mut inner, &ctx, &server_id)?;
    sync(&mut inner, now);
    let record = mid.parse::<u64>().ok().and_then(|n| {
        inner
            .server_migrations
            .records
            .iter()
            .find(|r| r.id == n && r.server_id == server_id)
    });
    let Some(r) = record else {
        return Err(ApiError::not_found(format!(
            "In-progress live migration {mid} is not found for server {server_id}."
        )));
    };
    if r.migration_type != "live-migration" {
        return Err(ApiError::not_found(format!(
            "Migration {mid} for server {server_id} is not live-migration."
        )));
    }
    if !IN_PROGRESS.contains(&r.status.as_str()) {
        return Err(ApiError::not_found(format!(
            "Live migration {mid} for server {server_id} is not in progress."
        )));
    }
    Ok(Json(
        json!({ "migration": server_migration_view(r, &ctx, polls) }),
    ))
}

/// The record `mid` of server `server_id`, or Nova's `MigrationNotFoundForInstance`.
fn record_of<'a>(
    inner: &'a mut Inner,
    server_id: &str,
    mid: &str,
    status: StatusCode,
) -> ApiResult<&'a mut MigrationRecord> {
    mid.parse::<u64>()
        .ok()
        .and_then(|n| {
            inner
                .server_migrations
                .records
                .iter_mut()
                .find(|r| r.id == n && r.server_id == server_id)
        })
        .ok_or_else(|| {
            ApiError::new(
                status,
                format!("Migration {mid} not found for instance {server_id}"),
            )
        })
}

fn invalid_migration_state(r: &MigrationRecord, method: &str) -> ApiError {
    ApiError::bad_request(format!(
        "Migration {} state of instance {} is {}. Cannot {method} while the migration is in this state.",
        r.id, r.server_id, r.status
    ))
}

async fn force_complete(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((server_id, mid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    gate(&ctx, 22)?;
    let body = parse_json(&body)?;
    let bad = ApiError::bad_request;
    let obj = body.as_object().cloned().unwrap_or_default();
    check_type("", &body, &["object"]).map_err(bad)?;
    check_required(None, &obj, &body, &["force_complete"]).map_err(bad)?;
    check_type("force_complete", &obj["force_complete"], &["null"]).map_err(bad)?;
    check_no_extra(None, &obj, &body, &["force_complete"]).map_err(bad)?;
    if !ctx.is_admin {
        return Err(ApiError::policy(
            "os_compute_api:servers:migrations:force_complete",
        ));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &server_id)?;
    check_lock(s, &ctx)?;
    if s.vm_state != VmState::Active {
        return Err(invalid_state("force_complete", s));
    }
    if s.task_state != Some(TaskState::Migrating) {
        return Err(busy("force_complete", s));
    }
    sync(&mut inner, now);
    let r = record_of(&mut inner, &server_id, &mid, StatusCode::BAD_REQUEST)?;
    if r.status != "running" {
        return Err(invalid_migration_state(r, "force complete"));
    }
    r.updated_at = now;
    // The guest is paused to converge: the migration ends at the next GET of the server.
    if let Some(p) = inner
        .servers
        .get_mut(&server_id)
        .and_then(|s| s.pending.as_mut())
    {
        p.polls_left = 0;
    }
    Ok(StatusCode::ACCEPTED.into_response())
}

async fn abort(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    Path((server_id, mid)): Path<(String, String)>,
) -> ApiResult {
    gate(&ctx, 24)?;
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:servers:migrations:delete"));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    let s = visible_server(&mut inner, &ctx, &server_id)?;
    check_lock(s, &ctx)?;
    if s.task_state != Some(TaskState::Migrating) {
        return Err(busy("abort live migration", s));
    }
    sync(&mut inner, now);
    let queued_too = ctx.version.at_least(2, 65);
    let r = record_of(&mut inner, &server_id, &mid, StatusCode::NOT_FOUND)?;
    let allowed = r.status == "running"
        || (queued_too && matches!(r.status.as_str(), "queued" | "preparing"));
    if !allowed {
        return Err(invalid_migration_state(r, "abort live migration"));
    }
    r.status = "cancelled".into();
    r.updated_at = now;
    if let Some(s) = inner.servers.get_mut(&server_id) {
        // Stays on its source host: drop the landing, end the task.
        let back = match s.pending.take().map(|p| p.settle) {
            Some(Settle::OnHost { then, .. }) => *then,
            _ => Settle::To(VmState::Active),
        };
        s.settle(back, now);
    }
    Ok(StatusCode::ACCEPTED.into_response())
}

/// Query parameters `/os-migrations` knows at `ctx`'s microversion (2.59+ refuses others).
fn allowed_params(ctx: &NovaCtx) -> Vec<&'static str> {
    let v = ctx.version;
    let mut keys = vec![
        "hidden",
        "host",
        "instance_uuid",
        "source_compute",
        "status",
        "migration_type",
        "limit",
        "marker",
        "changes-since",
    ];
    if v.at_least(2, 66) {
        keys.push("changes-before");
    }
    if v.at_least(2, 80) {
        keys.extend(["user_id", "project_id"]);
    }
    keys
}

fn parse_time(param: &str, raw: &str) -> ApiResult<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(raw, fmt) {
            return Ok(t.and_utc());
        }
    }
    Err(ApiError::bad_request(format!(
        "Invalid input for query parameters {param}. Value: {raw}. '{raw}' is not a 'date-time'"
    )))
}

async fn list_migrations(
    State(st): State<SharedState>,
    ctx: NovaCtx,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let v = ctx.version;
    let q = Query::parse(raw.as_deref());
    let paged = v.at_least(2, 59);
    if paged {
        reject_unknown(&q, &allowed_params(&ctx)).map_err(ApiError::bad_request)?;
    }
    if !ctx.is_admin {
        return Err(ApiError::policy("os_compute_api:os-migrations:index"));
    }
    let since = match q.last("changes-since") {
        Some(raw) if paged => Some(parse_time("changes-since", raw)?),
        _ => None,
    };
    let before = match q.last("changes-before") {
        Some(raw) if v.at_least(2, 66) => Some(parse_time("changes-before", raw)?),
        _ => None,
    };
    if let (Some(s), Some(b)) = (since, before)
        && b < s
    {
        return Err(ApiError::bad_request(
            "The value of changes-since must be less than or equal to changes-before.",
        ));
    }
    let now = st.now();
    let mut inner = st.nova.lock();
    sync(&mut inner, now);
    let max = inner.config.max_limit;
    let limit = if paged {
        parse_limit(&q, max).map_err(ApiError::bad_request)?
    } else {
        usize::MAX
    };
    let by_user = v.at_least(2, 80);
    let matches = |r: &&MigrationRecord| {
        let eq = |key: &str, value: &str| q.last(key).is_none_or(|want| want == value);
        let statuses = q.all("status");
        (statuses.is_empty() || statuses.iter().any(|s| s.eq_ignore_ascii_case(&r.status)))
            && q.last("host")
                .is_none_or(|h| h == r.source_compute || h == r.dest_compute)
            && eq("instance_uuid", &r.server_id)
            && eq("source_compute", &r.source_compute)
            && eq("migration_type", &r.migration_type)
            && (!by_user || eq("user_id", &r.user_id))
            && (!by_user || eq("project_id", &r.project_id))
            && since.is_none_or(|t| r.updated_at >= t)
            && before.is_none_or(|t| r.updated_at <= t)
    };
    let mut records: Vec<&MigrationRecord> = inner
        .server_migrations
        .records
        .iter()
        .filter(matches)
        .collect();
    if paged {
        // newest first: created_at desc, id desc
        records.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        if let Some(marker) = q.last("marker") {
            // the marker is looked up among every migration, not only the filtered ones
            let all = &inner.server_migrations.records;
            let Some(m) = all.iter().find(|r| r.uuid == marker) else {
                return Err(ApiError::bad_request(format!(
                    "Marker {marker} could not be found."
                )));
            };
            records.retain(|r| (r.created_at, r.id) < (m.created_at, m.id));
        }
    }
    let page: Vec<&MigrationRecord> = records.into_iter().take(limit).collect();
    let items: Vec<Value> = page.iter().map(|r| migration_view(r, &ctx)).collect();
    let mut body = json!({ "migrations": items });
    if paged
        && !page.is_empty()
        && page.len() == limit
        && let Some(last) = page.last()
    {
        body["migrations_links"] = next_link(&ctx.base_url, "os-migrations", &q, &last.uuid);
    }
    Ok(Json(body))
}

/// The routes (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/servers/{server_id}/migrations", get(index))
        .route(
            "/servers/{server_id}/migrations/{migration_id}",
            get(show).delete(abort),
        )
        .route(
            "/servers/{server_id}/migrations/{migration_id}/action",
            post(force_complete),
        )
        .route("/os-migrations", get(list_migrations))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nova::resources::sample_tests::{keys, reference_sample};
    use crate::nova::version::ApiVersion;

    fn ctx(minor: u16) -> NovaCtx {
        NovaCtx::for_test(ApiVersion(2, minor), "p", "u", true)
    }

    #[test]
    fn live_migrate_schema_follows_the_microversion() {
        let old = json!({"block_migration": false, "disk_over_commit": false, "host": null});
        assert!(validate_live(&old, &ctx(24)).is_ok());
        let missing = json!({"block_migration": false, "host": null});
        let e = validate_live(&missing, &ctx(24))
            .err()
            .expect("required below 2.25");
        assert!(
            e.contains("'disk_over_commit' is a required property"),
            "{e}"
        );
        let e = validate_live(&old, &ctx(25))
            .err()
            .expect("refused from 2.25");
        assert!(e.contains("Additional properties are not allowed"), "{e}");
        let auto = json!({"block_migration": "auto", "host": "h"});
        assert!(validate_live(&auto, &ctx(25)).is_ok());
        let auto_old = json!({"block_migration": "auto", "disk_over_commit": false, "host": "h"});
        assert!(validate_live(&auto_old, &ctx(24)).is_err(), "auto is 2.25+");
        let forced = json!({"block_migration": "auto", "host": "h", "force": true});
        assert!(validate_live(&forced, &ctx(30)).is_ok_and(|l| l.force));
        assert!(validate_live(&forced, &ctx(29)).is_err(), "force is 2.30+");
        assert!(
            validate_live(&forced, &ctx(68)).is_err(),
            "force is gone in 2.68"
        );
        let no_host = json!({"block_migration": "auto", "host": null, "force": true});
        let e = validate_live(&no_host, &ctx(30))
            .err()
            .expect("force needs a host");
        assert_eq!(e, "Can't force to a non-provided destination");
        let no_host_key = json!({"block_migration": "auto"});
        assert!(
            validate_live(&no_host_key, &ctx(68)).is_err(),
            "host is required"
        );
    }

    #[test]
    fn migrate_takes_a_host_only_from_2_56() {
        let with_host = json!({"host": "compute-1"});
        assert_eq!(validate_migrate(&with_host, &ctx(55)), Ok(None), "ignored");
        assert_eq!(
            validate_migrate(&with_host, &ctx(56)),
            Ok(Some("compute-1".into()))
        );
        assert_eq!(validate_migrate(&Value::Null, &ctx(56)), Ok(None));
        assert!(validate_migrate(&json!({"hots": "x"}), &ctx(56)).is_err());
        assert!(validate_migrate(&json!({"host": 1}), &ctx(56)).is_err());
    }

    #[test]
    fn os_migrations_params_grow_with_the_microversion() {
        assert!(!allowed_params(&ctx(59)).contains(&"changes-before"));
        assert!(allowed_params(&ctx(66)).contains(&"changes-before"));
        assert!(!allowed_params(&ctx(79)).contains(&"user_id"));
        assert!(allowed_params(&ctx(80)).contains(&"project_id"));
    }

    fn sample(path: &str) -> Value {
        reference_sample(path)
    }

    fn record(kind: &str, status: &str) -> MigrationRecord {
        let now = Utc::now();
        MigrationRecord {
            id: 1,
            uuid: "u".into(),
            server_id: "s".into(),
            migration_type: kind.into(),
            status: status.into(),
            source_compute: "compute-0".into(),
            source_node: node_of("compute-0"),
            dest_compute: "compute-1".into(),
            dest_node: node_of("compute-1"),
            dest_host: "192.168.122.11".into(),
            old_flavor: 1,
            new_flavor: 1,
            user_id: "u".into(),
            project_id: "p".into(),
            created_at: now,
            updated_at: now,
            memory_total: 512,
            disk_total: 1024,
        }
    }

    #[test]
    fn views_have_the_fields_of_nova_samples_at_each_version() {
        let running = record("live-migration", "running");
        for (minor, file) in [
            (23, "server-migrations/v2.23/migrations-get.json"),
            (59, "server-migrations/v2.59/migrations-get.json"),
            (80, "server-migrations/v2.80/migrations-get.json"),
        ] {
            let view = server_migration_view(&running, &ctx(minor), 1);
            assert_eq!(keys(&view), keys(&sample(file)["migration"]), "{file}");
        }
        for (minor, file, index) in [
            (23, "os-migrations/v2.23/migrations-get.json", 0),
            (59, "os-migrations/v2.59/migrations-get.json", 3),
            (80, "os-migrations/v2.80/migrations-get.json", 3),
        ] {
            let view = migration_view(&running, &ctx(minor));
            assert_eq!(
                keys(&view),
                keys(&sample(file)["migrations"][index]),
                "{file}"
            );
        }
        let cold = record("migration", "finished");
        let view = migration_view(&cold, &ctx(1));
        let old = sample("os-migrations/migrations-get.json");
        assert_eq!(keys(&view), keys(&old["migrations"][0]), "2.1");
        let view = migration_view(&cold, &ctx(80));
        let new = sample("os-migrations/v2.80/migrations-get.json");
        assert_eq!(
            keys(&view),
            keys(&new["migrations"][0]),
            "no links when not live"
        );
    }
}
