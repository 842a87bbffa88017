//! Requests that move a server: migrate, live-migrate, evacuate.
//!
//! `migrate` (cold migration) takes a target `host` from 2.56. `os-migrateLive` takes
//! `block_migration` (a boolean; or `"auto"` from 2.25), `disk_over_commit` (required below
//! 2.25, refused from 2.25), `host` (may be null: the scheduler picks) and `force`
//! (2.30 to 2.67).

use serde_json::{Map, Value};

use super::field_gate::{self as gate, FieldGate};
use crate::MicroVersion;

/// The `migrate` action (cold migration: the server is resized to the same flavor on another
/// host, and waits in `VERIFY_RESIZE` for confirm or revert).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrateServer {
    /// Target compute host (2.56+); `None` lets the scheduler choose.
    pub host: Option<String>,
}

impl MigrateServer {
    /// A migration to a host the scheduler chooses.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the target host (2.56+).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.host.is_some() {
            gates.push(FieldGate::new("host", &[gate::SINCE_2_56]));
        }
        gates
    }

    /// `{"migrate": null}`, or `{"migrate": {"host": ..}}` with a host.
    pub fn to_body(&self) -> Value {
        let inner = match &self.host {
            Some(h) => {
                let mut m = Map::new();
                m.insert("host".into(), Value::from(h.clone()));
                Value::Object(m)
            }
            None => Value::Null,
        };
        let mut body = Map::new();
        body.insert("migrate".into(), inner);
        Value::Object(body)
    }
}

/// `block_migration` of a live migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockMigration {
    /// `true`: copy the disks (no shared storage).
    Enabled,
    /// `false`: the disks are on shared storage.
    Disabled,
    /// `"auto"` (2.25+): Nova decides from the storage of the hosts.
    Auto,
}

/// The `os-migrateLive` action (live migration).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveMigrateServer {
    /// Target compute host; `None` lets the scheduler choose (sent as `null`).
    pub host: Option<String>,
    /// `block_migration`; `None` sends `"auto"` from 2.25 and `false` below.
    pub block_migration: Option<BlockMigration>,
    /// `disk_over_commit` (below 2.25 only); `None` sends `false` below 2.25.
    pub disk_over_commit: Option<bool>,
    /// `force` (2.30 to 2.67): skip the scheduler's checks of `host`.
    pub force: Option<bool>,
}

impl LiveMigrateServer {
    /// A live migration to a host the scheduler chooses, with the defaults of the version.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the target host.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Sets `block_migration` (`Auto` needs 2.25).
    pub fn block_migration(mut self, mode: BlockMigration) -> Self {
        self.block_migration = Some(mode);
        self
    }

    /// Sets `disk_over_commit` (below 2.25 only).
    pub fn disk_over_commit(mut self, over_commit: bool) -> Self {
        self.disk_over_commit = Some(over_commit);
        self
    }

    /// Sets `force` (2.30 to 2.67; needs a host when true).
    pub fn force(mut self, force: bool) -> Self {
        self.force = Some(force);
        self
    }

    /// The version-gated fields this request sets.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        let mut gates = Vec::new();
        if self.block_migration == Some(BlockMigration::Auto) {
            gates.push(FieldGate::new("block_migration=auto", &[gate::SINCE_2_25]));
        }
        if self.disk_over_commit.is_some() {
            gates.push(FieldGate::new("disk_over_commit", &[gate::BEFORE_2_25]));
        }
        if self.force.is_some() {
            gates.push(FieldGate::new("force", &[gate::FORCE_2_30_TO_2_67]));
        }
        gates
    }

    /// The `{"os-migrateLive": {...}}` body at `version`: the fields that version requires
    /// are always present (`host` as `null` when unset).
    pub fn to_body(&self, version: MicroVersion) -> Value {
        let auto_allowed = version >= MicroVersion::new(2, 25);
        let mut m = Map::new();
        let block = match self.block_migration {
            Some(BlockMigration::Enabled) => Value::Bool(true),
            Some(BlockMigration::Disabled) => Value::Bool(false),
            Some(BlockMigration::Auto) => Value::from("auto"),
            None if auto_allowed => Value::from("auto"),
            None => Value::Bool(false),
        };
        m.insert("block_migration".into(), block);
        if !auto_allowed {
            m.insert(
                "disk_over_commit".into(),
                Value::Bool(self.disk_over_commit.unwrap_or(false)),
            );
        }
        m.insert(
            "host".into(),
            self.host.clone().map(Value::from).unwrap_or(Value::Null),
        );
        if let Some(force) = self.force {
            m.insert("force".into(), Value::Bool(force));
        }
        let mut body = Map::new();
        body.insert("os-migrateLive".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(
    _key: &str,
    _inner: &serde_json::Value,
    _minor: u32,
    _file: &str,
) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Value {
        crate::types::sample_tests::reference_sample(&format!("os-migrate-server/{path}"))
    }

    #[test]
    fn migrate_bodies_match_the_2_56_samples() {
        assert_eq!(
            MigrateServer::new().to_body(),
            sample("v2.56/migrate-server-null.json")
        );
        assert_eq!(
            MigrateServer::new().host("host1").to_body(),
            sample("v2.56/migrate-server.json")
        );
        assert!(MigrateServer::new().field_gates().is_empty());
        assert_eq!(
            MigrateServer::new().host("h").field_gates()[0].field,
            "host"
        );
    }

    #[test]
    fn live_migrate_bodies_match_the_2_30_and_2_68_samples() {
        let host = "01c0cadef72d47e28a672a76060d492c";
        assert_eq!(
            LiveMigrateServer::new()
                .host(host)
                .force(false)
                .to_body(MicroVersion::new(2, 30)),
            sample("v2.30/live-migrate-server.json")
        );
        assert_eq!(
            LiveMigrateServer::new()
                .host(host)
                .block_migration(BlockMigration::Auto)
                .to_body(MicroVersion::new(2, 68)),
            sample("v2.68/live-migrate-server.json")
        );
    }

    #[test]
    fn live_migrate_below_2_25_sends_booleans_and_disk_over_commit() {
        let body = LiveMigrateServer::new().to_body(MicroVersion::new(2, 24));
        assert_eq!(
            body,
            serde_json::json!({"os-migrateLive": {
                "block_migration": false, "disk_over_commit": false, "host": null}})
        );
        let gated: Vec<&str> = LiveMigrateServer::new()
            .block_migration(BlockMigration::Auto)
            .disk_over_commit(true)
            .force(true)
            .field_gates()
            .iter()
            .map(|g| g.field)
            .collect();
        assert_eq!(gated, ["block_migration=auto", "disk_over_commit", "force"]);
    }
}
