//! Migrations: of one server (`/servers/{id}/migrations`) and of all (`/os-migrations`).
//!
//! `/os-migrations` lists every kind of move (cold migration, resize, live migration,
//! evacuation): `migration_type` and the `links` of in-progress live migrations from 2.23,
//! `uuid` and `limit`/`marker`/`changes-since` paging from 2.59, `changes-before` from 2.66,
//! `user_id`/`project_id` (fields and filters) from 2.80.
//! `/servers/{id}/migrations` shows only the in-progress live migrations of one server
//! (2.23+), with memory and disk progress.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::{self as gate, FieldGate};
use super::link::Link;
use super::string_enum::{lenient, null_as_default, string_enum};

string_enum! {
    /// The kind of a migration record (`migration_type`, 2.23+).
    pub enum MigrationType {
        /// A cold migration (`migrate` action).
        Migration => "migration",
        /// A resize.
        Resize => "resize",
        /// A live migration (`os-migrateLive`).
        LiveMigration => "live-migration",
        /// An evacuation.
        Evacuation => "evacuation",
    }
}

string_enum! {
    /// The status of a migration record.
    pub enum MigrationStatus {
        /// Live migration waiting to start.
        Queued => "queued",
        /// Live migration preparing the destination.
        Preparing => "preparing",
        /// Live migration copying memory and disks.
        Running => "running",
        /// Live migration cleaning up the source.
        PostMigrating => "post-migrating",
        /// Live migration finished.
        Completed => "completed",
        /// Live migration aborted.
        Cancelled => "cancelled",
        /// Cold migration / resize accepted.
        Pre => "pre-migrating",
        /// Cold migration / resize copying.
        Migrating => "migrating",
        /// Cold migration / resize waiting for confirm or revert.
        Finished => "finished",
        /// Confirmed.
        Confirmed => "confirmed",
        /// Reverted.
        Reverted => "reverted",
        /// Evacuation accepted.
        Accepted => "accepted",
        /// Finished (evacuation; old records).
        Done => "done",
        /// Failed.
        Error => "error",
        /// Failed (live migration pre-checks).
        Failed => "failed",
    }
}

impl MigrationStatus {
    /// Whether a live migration in this status is still in progress (listed under
    /// `/servers/{id}/migrations`, can be aborted or forced to complete).
    pub fn is_in_progress(&self) -> bool {
        matches!(
            self,
            Self::Queued | Self::Preparing | Self::Running | Self::PostMigrating
        )
    }
}

/// One record of `GET /os-migrations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Migration {
    /// The integer id (the id of `/servers/{id}/migrations/{id}`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: u64,
    /// The migration UUID (2.59+; the `marker` of paging).
    #[serde(default, deserialize_with = "lenient")]
    pub uuid: Option<String>,
    /// The server moved.
    #[serde(default, deserialize_with = "null_as_default")]
    pub instance_uuid: String,
    /// Status.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: MigrationStatus,
    /// Kind of move (2.23+).
    #[serde(default, deserialize_with = "lenient")]
    pub migration_type: Option<MigrationType>,
    /// Source compute host.
    #[serde(default, deserialize_with = "lenient")]
    pub source_compute: Option<String>,
    /// Source hypervisor node.
    #[serde(default, deserialize_with = "lenient")]
    pub source_node: Option<String>,
    /// Destination compute host.
    #[serde(default, deserialize_with = "lenient")]
    pub dest_compute: Option<String>,
    /// Destination hypervisor node.
    #[serde(default, deserialize_with = "lenient")]
    pub dest_node: Option<String>,
    /// Destination host IP.
    #[serde(default, deserialize_with = "lenient")]
    pub dest_host: Option<String>,
    /// Flavor id (internal integer) before the move.
    #[serde(default, deserialize_with = "lenient")]
    pub old_instance_type_id: Option<u64>,
    /// Flavor id (internal integer) after the move.
    #[serde(default, deserialize_with = "lenient")]
    pub new_instance_type_id: Option<u64>,
    /// Creation time (ISO 8601, no zone: UTC).
    #[serde(default, deserialize_with = "lenient")]
    pub created_at: Option<String>,
    /// Last change.
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    /// Links to `/servers/{id}/migrations/{id}` (2.23+, in-progress live migrations only).
    #[serde(default, deserialize_with = "lenient")]
    pub links: Option<Vec<Link>>,
    /// Who started it (2.80+).
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<String>,
    /// Project of the server (2.80+).
    #[serde(default, deserialize_with = "lenient")]
    pub project_id: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for MigrationStatus {
    fn default() -> Self {
        Self::Unknown(String::new())
    }
}

/// One in-progress live migration of a server (`/servers/{id}/migrations`, 2.23+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerMigration {
    /// The integer id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: u64,
    /// The migration UUID (2.59+).
    #[serde(default, deserialize_with = "lenient")]
    pub uuid: Option<String>,
    /// The server.
    #[serde(default, deserialize_with = "null_as_default")]
    pub server_uuid: String,
    /// Status.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: MigrationStatus,
    /// Source compute host.
    #[serde(default, deserialize_with = "lenient")]
    pub source_compute: Option<String>,
    /// Source hypervisor node.
    #[serde(default, deserialize_with = "lenient")]
    pub source_node: Option<String>,
    /// Destination compute host.
    #[serde(default, deserialize_with = "lenient")]
    pub dest_compute: Option<String>,
    /// Destination hypervisor node.
    #[serde(default, deserialize_with = "lenient")]
    pub dest_node: Option<String>,
    /// Destination host IP.
    #[serde(default, deserialize_with = "lenient")]
    pub dest_host: Option<String>,
    /// Guest memory in bytes.
    #[serde(default, deserialize_with = "lenient")]
    pub memory_total_bytes: Option<u64>,
    /// Memory copied so far.
    #[serde(default, deserialize_with = "lenient")]
    pub memory_processed_bytes: Option<u64>,
    /// Memory still to copy.
    #[serde(default, deserialize_with = "lenient")]
    pub memory_remaining_bytes: Option<u64>,
    /// Disk to copy (block migration) in bytes.
    #[serde(default, deserialize_with = "lenient")]
    pub disk_total_bytes: Option<u64>,
    /// Disk copied so far.
    #[serde(default, deserialize_with = "lenient")]
    pub disk_processed_bytes: Option<u64>,
    /// Disk still to copy.
    #[serde(default, deserialize_with = "lenient")]
    pub disk_remaining_bytes: Option<u64>,
    /// Creation time (ISO 8601, no zone: UTC).
    #[serde(default, deserialize_with = "lenient")]
    pub created_at: Option<String>,
    /// Last change.
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    /// Who started it (2.80+).
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<String>,
    /// Project of the server (2.80+).
    #[serde(default, deserialize_with = "lenient")]
    pub project_id: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Filters and paging of `GET /os-migrations`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MigrationQuery {
    /// `host`: source or destination compute host.
    pub host: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `instance_uuid`: migrations of one server.
    pub instance_uuid: Option<String>,
    /// `source_compute`.
    pub source_compute: Option<String>,
    /// `migration_type` (Nova accepts it at every version; the field is shown from 2.23).
    pub migration_type: Option<MigrationType>,
    /// `changes-since` (2.59+, ISO 8601).
    pub changes_since: Option<String>,
    /// `changes-before` (2.66+, ISO 8601).
    pub changes_before: Option<String>,
    /// `limit` (2.59+).
    pub limit: Option<u32>,
    /// `marker`: a migration UUID (2.59+).
    pub marker: Option<String>,
    /// `user_id` (2.80+).
    pub user_id: Option<String>,
    /// `project_id` (2.80+).
    pub project_id: Option<String>,
}

impl MigrationQuery {
    /// No filter: every migration.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `host`.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }
    /// Sets `status`.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }
    /// Sets `instance_uuid`.
    pub fn instance_uuid(mut self, id: impl Into<String>) -> Self {
        self.instance_uuid = Some(id.into());
        self
    }
    /// Sets `source_compute`.
    pub fn source_compute(mut self, host: impl Into<String>) -> Self {
        self.source_compute = Some(host.into());
        self
    }
    /// Sets `migration_type`.
    pub fn migration_type(mut self, kind: MigrationType) -> Self {
        self.migration_type = Some(kind);
        self
    }
    /// Sets `changes-since` (2.59+).
    pub fn changes_since(mut self, when: impl Into<String>) -> Self {
        self.changes_since = Some(when.into());
        self
    }
    /// Sets `changes-before` (2.66+).
    pub fn changes_before(mut self, when: impl Into<String>) -> Self {
        self.changes_before = Some(when.into());
        self
    }
    /// Sets `limit` (2.59+).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
    /// Sets `marker` (2.59+).
    pub fn marker(mut self, uuid: impl Into<String>) -> Self {
        self.marker = Some(uuid.into());
        self
    }
    /// Sets `user_id` (2.80+).
    pub fn user_id(mut self, id: impl Into<String>) -> Self {
        self.user_id = Some(id.into());
        self
    }
    /// Sets `project_id` (2.80+).
    pub fn project_id(mut self, id: impl Into<String>) -> Self {
        self.project_id = Some(id.into());
        self
    }

    /// The version-gated parameters this query sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.changes_since.is_some() {
            gates.push(FieldGate::new("changes-since", &[gate::SINCE_2_59]));
        }
        if self.limit.is_some() {
            gates.push(FieldGate::new("limit", &[gate::SINCE_2_59]));
        }
        if self.marker.is_some() {
            gates.push(FieldGate::new("marker", &[gate::SINCE_2_59]));
        }
        if self.changes_before.is_some() {
            gates.push(FieldGate::new("changes-before", &[gate::SINCE_2_66]));
        }
        if self.user_id.is_some() {
            gates.push(FieldGate::new("user_id", &[gate::SINCE_2_80]));
        }
        if self.project_id.is_some() {
            gates.push(FieldGate::new("project_id", &[gate::SINCE_2_80]));
        }
        gates
    }

    /// The query parameters in order (unencoded).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p: Vec<(&'static str, String)> = Vec::new();
        let mut opt = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                p.push((k, v));
            }
        };
        opt("host", self.host.clone());
        opt("status", self.status.clone());
        opt("instance_uuid", self.instance_uuid.clone());
        opt("source_compute", self.source_compute.clone());
        opt(
            "migration_type",
            self.migration_type.as_ref().map(|t| t.as_str().to_owned()),
        );
        opt("changes-since", self.changes_since.clone());
        opt("changes-before", self.changes_before.clone());
        opt("user_id", self.user_id.clone());
        opt("project_id", self.project_id.clone());
        opt("limit", self.limit.map(|l| l.to_string()));
        opt("marker", self.marker.clone());
        p
    }
}

#[cfg(test)]
fn assert_fields_by_version(
    uuid: bool,
    user: bool,
    project: bool,
    extra: &Map<String, Value>,
    minor: u32,
    file: &str,
) {
    assert!(
        extra.is_empty(),
        "{file}: untyped fields {:?}",
        extra.keys()
    );
    assert_eq!(uuid, minor >= 59, "{file}: uuid from 2.59");
    assert_eq!(
        user && project,
        minor >= 80,
        "{file}: user/project from 2.80"
    );
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &serde_json::Value, minor: u32, file: &str) -> bool {
    let server_migrations = file.contains("server-migrations");
    match key {
        "migration" if server_migrations => {
            let m: ServerMigration = serde_json::from_value(inner.clone()).expect(file);
            check_server_migration(&m, minor, file);
        }
        "migrations" if server_migrations => {
            let list: Vec<ServerMigration> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            for m in &list {
                check_server_migration(m, minor, file);
            }
        }
        "migrations" if file.contains("os-migrations") => {
            let list: Vec<Migration> = serde_json::from_value(inner.clone()).expect(file);
            assert!(!list.is_empty(), "{file}");
            for m in &list {
                assert!(m.id > 0 && !m.instance_uuid.is_empty(), "{file}");
                assert!(
                    !matches!(m.status, MigrationStatus::Unknown(_)),
                    "{file}: {:?}",
                    m.status
                );
                assert_eq!(m.migration_type.is_some(), minor >= 23, "{file}");
                assert!(m.source_compute.is_some() && m.dest_compute.is_some());
                if m.links.is_some() {
                    assert!(minor >= 23, "{file}: links below 2.23");
                    assert_eq!(m.migration_type, Some(MigrationType::LiveMigration));
                    assert!(m.status.is_in_progress(), "{file}");
                }
                assert_fields_by_version(
                    m.uuid.is_some(),
                    m.user_id.is_some(),
                    m.project_id.is_some(),
                    &m.extra,
                    minor,
                    file,
                );
            }
        }
        "migrations_links" => {
            let links: Vec<Link> = serde_json::from_value(inner.clone()).expect(file);
            let next = super::link::next_link(&links).expect("next link");
            assert!(minor >= 59 && next.contains("marker="), "{file}");
        }
        "force_complete" => assert!(inner.is_null() && minor >= 22, "{file}"),
        _ => return false,
    }
    true
}

#[cfg(test)]
fn check_server_migration(m: &ServerMigration, minor: u32, file: &str) {
    assert!(m.id > 0 && !m.server_uuid.is_empty(), "{file}");
    assert!(minor >= 23, "{file}");
    assert_eq!(m.status, MigrationStatus::Running, "{file}");
    assert!(m.memory_total_bytes.is_some() && m.disk_remaining_bytes.is_some());
    assert_fields_by_version(
        m.uuid.is_some(),
        m.user_id.is_some(),
        m.project_id.is_some(),
        &m.extra,
        minor,
        file,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_status_and_type_are_kept_and_null_ids_default() {
        let m: Migration = serde_json::from_value(serde_json::json!({
            "id": null, "instance_uuid": "i", "status": "teleporting",
            "migration_type": "warp", "new_field": 1
        }))
        .expect("lenient");
        assert_eq!(m.id, 0);
        assert_eq!(m.status, MigrationStatus::Unknown("teleporting".into()));
        assert_eq!(
            m.migration_type,
            Some(MigrationType::Unknown("warp".into()))
        );
        assert!(m.extra.contains_key("new_field"));
    }

    #[test]
    fn query_pairs_and_gates() {
        let q = MigrationQuery::new()
            .host("h")
            .migration_type(MigrationType::LiveMigration)
            .changes_before("2016-01-01T00:00:00Z")
            .limit(2)
            .marker("u")
            .user_id("x");
        let keys: Vec<&str> = q.to_pairs().iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "host",
                "migration_type",
                "changes-before",
                "user_id",
                "limit",
                "marker"
            ]
        );
        let gated: Vec<&str> = q.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(gated, ["limit", "marker", "changes-before", "user_id"]);
        assert!(MigrationQuery::new().host("h").field_gates().is_empty());
    }
}
