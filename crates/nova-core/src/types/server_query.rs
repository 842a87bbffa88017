//! Filters, sorting and paging of `GET /servers[/detail]`.

use super::server::{PowerState, ServerStatus, TaskState, VmState};

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDir {
    /// Ascending.
    Asc,
    /// Descending (Nova's default).
    #[default]
    Desc,
}

impl SortDir {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}

/// Typed filters for listing servers. Unset filters are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerQuery {
    /// `name` (a regular expression on Nova's side).
    pub name: Option<String>,
    /// `status`.
    pub status: Option<ServerStatus>,
    /// `flavor` id.
    pub flavor: Option<String>,
    /// `image` id.
    pub image: Option<String>,
    /// `host` (admin).
    pub host: Option<String>,
    /// `changes-since` (ISO 8601).
    pub changes_since: Option<String>,
    /// `changes-before` (2.66+, ISO 8601).
    pub changes_before: Option<String>,
    /// `tags` (2.26+): all of these.
    pub tags: Vec<String>,
    /// `tags-any` (2.26+).
    pub tags_any: Vec<String>,
    /// `not-tags` (2.26+).
    pub not_tags: Vec<String>,
    /// `not-tags-any` (2.26+).
    pub not_tags_any: Vec<String>,
    /// `all_tenants` (admin).
    pub all_tenants: bool,
    /// `project_id` (admin, with all_tenants).
    pub project_id: Option<String>,
    /// `user_id`.
    pub user_id: Option<String>,
    /// `ip` (regular expression).
    pub ip: Option<String>,
    /// `ip6` (regular expression).
    pub ip6: Option<String>,
    /// `reservation_id`.
    pub reservation_id: Option<String>,
    /// `availability_zone`.
    pub availability_zone: Option<String>,
    /// `locked` (2.73+).
    pub locked: Option<bool>,
    /// `deleted` (admin).
    pub deleted: Option<bool>,
    /// `sort_key` / `sort_dir` pairs.
    pub sort: Vec<(String, SortDir)>,
    /// `limit`: page size.
    pub limit: Option<u32>,
    /// `marker`: the last id of the previous page.
    pub marker: Option<String>,
    /// `key_name` (admin only before 2.83; Nova drops it silently for others).
    pub key_name: Option<String>,
    /// `config_drive` (admin only before 2.83): with or without a config drive.
    pub config_drive: Option<bool>,
    /// `progress` in percent (admin only before 2.83).
    pub progress: Option<u8>,
    /// `vm_state` (admin only before 2.83).
    pub vm_state: Option<VmState>,
    /// `task_state` (admin only before 2.83).
    pub task_state: Option<TaskState>,
    /// `power_state` (admin only before 2.83), sent as its number.
    pub power_state: Option<PowerState>,
}

impl ServerQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }
    /// `name` filter.
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.name = Some(v.into());
        self
    }
    /// `status` filter.
    pub fn status(mut self, v: ServerStatus) -> Self {
        self.status = Some(v);
        self
    }
    /// `flavor` filter.
    pub fn flavor(mut self, v: impl Into<String>) -> Self {
        self.flavor = Some(v.into());
        self
    }
    /// `image` filter.
    pub fn image(mut self, v: impl Into<String>) -> Self {
        self.image = Some(v.into());
        self
    }
    /// `host` filter.
    pub fn host(mut self, v: impl Into<String>) -> Self {
        self.host = Some(v.into());
        self
    }
    /// `changes-since` filter.
    pub fn changes_since(mut self, v: impl Into<String>) -> Self {
        self.changes_since = Some(v.into());
        self
    }
    /// `changes-before` filter (2.66+).
    pub fn changes_before(mut self, v: impl Into<String>) -> Self {
        self.changes_before = Some(v.into());
        self
    }
    /// Adds a `tags` filter (2.26+).
    pub fn tag(mut self, v: impl Into<String>) -> Self {
        self.tags.push(v.into());
        self
    }
    /// Adds a `tags-any` filter (2.26+).
    pub fn tag_any(mut self, v: impl Into<String>) -> Self {
        self.tags_any.push(v.into());
        self
    }
    /// Adds a `not-tags` filter (2.26+).
    pub fn not_tag(mut self, v: impl Into<String>) -> Self {
        self.not_tags.push(v.into());
        self
    }
    /// Adds a `not-tags-any` filter (2.26+).
    pub fn not_tag_any(mut self, v: impl Into<String>) -> Self {
        self.not_tags_any.push(v.into());
        self
    }
    /// `all_tenants`.
    pub fn all_tenants(mut self, yes: bool) -> Self {
        self.all_tenants = yes;
        self
    }
    /// `project_id` filter.
    pub fn project_id(mut self, v: impl Into<String>) -> Self {
        self.project_id = Some(v.into());
        self
    }
    /// `user_id` filter.
    pub fn user_id(mut self, v: impl Into<String>) -> Self {
        self.user_id = Some(v.into());
        self
    }
    /// `ip` filter.
    pub fn ip(mut self, v: impl Into<String>) -> Self {
        self.ip = Some(v.into());
        self
    }
    /// `ip6` filter.
    pub fn ip6(mut self, v: impl Into<String>) -> Self {
        self.ip6 = Some(v.into());
        self
    }
    /// `reservation_id` filter.
    pub fn reservation_id(mut self, v: impl Into<String>) -> Self {
        self.reservation_id = Some(v.into());
        self
    }
    /// `availability_zone` filter.
    pub fn availability_zone(mut self, v: impl Into<String>) -> Self {
        self.availability_zone = Some(v.into());
        self
    }
    /// `locked` filter (2.73+).
    pub fn locked(mut self, v: bool) -> Self {
        self.locked = Some(v);
        self
    }
    /// `deleted` filter.
    pub fn deleted(mut self, v: bool) -> Self {
        self.deleted = Some(v);
        self
    }
    /// Adds a sort key.
    pub fn sort(mut self, key: impl Into<String>, dir: SortDir) -> Self {
        self.sort.push((key.into(), dir));
        self
    }
    /// Page size.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }
    /// Start after this server id.
    pub fn marker(mut self, id: impl Into<String>) -> Self {
        self.marker = Some(id.into());
        self
    }

    /// `key_name` filter (admin only before 2.83).
    pub fn key_name(mut self, v: impl Into<String>) -> Self {
        self.key_name = Some(v.into());
        self
    }
    /// `config_drive` filter (admin only before 2.83).
    pub fn config_drive(mut self, v: bool) -> Self {
        self.config_drive = Some(v);
        self
    }
    /// `progress` filter in percent (admin only before 2.83).
    pub fn progress(mut self, v: u8) -> Self {
        self.progress = Some(v);
        self
    }
    /// `vm_state` filter (admin only before 2.83).
    pub fn vm_state(mut self, v: VmState) -> Self {
        self.vm_state = Some(v);
        self
    }
    /// `task_state` filter (admin only before 2.83).
    pub fn task_state(mut self, v: TaskState) -> Self {
        self.task_state = Some(v);
        self
    }
    /// `power_state` filter (admin only before 2.83).
    pub fn power_state(mut self, v: PowerState) -> Self {
        self.power_state = Some(v);
        self
    }

    /// The version-gated filters this query sets, as (parameter, requirement).
    pub fn field_gates(&self) -> Vec<super::field_gate::FieldGate> {
        use super::field_gate::{self as gate, FieldGate};
        let mut gates = Vec::new();
        if self.changes_before.is_some() {
            gates.push(FieldGate::new("changes-before", &[gate::SINCE_2_66]));
        }
        if !(self.tags.is_empty()
            && self.tags_any.is_empty()
            && self.not_tags.is_empty()
            && self.not_tags_any.is_empty())
        {
            gates.push(FieldGate::new("tags", &[gate::SINCE_2_26]));
        }
        if self.locked.is_some() {
            gates.push(FieldGate::new("locked", &[gate::SINCE_2_73]));
        }
        gates
    }

    /// The query parameters in order (unencoded).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p: Vec<(&'static str, String)> = Vec::new();
        let mut opt = |k: &'static str, v: &Option<String>| {
            if let Some(v) = v {
                p.push((k, v.clone()));
            }
        };
        opt("name", &self.name);
        opt("flavor", &self.flavor);
        opt("image", &self.image);
        opt("host", &self.host);
        opt("changes-since", &self.changes_since);
        opt("changes-before", &self.changes_before);
        opt("project_id", &self.project_id);
        opt("user_id", &self.user_id);
        opt("ip", &self.ip);
        opt("ip6", &self.ip6);
        opt("reservation_id", &self.reservation_id);
        opt("availability_zone", &self.availability_zone);
        opt("key_name", &self.key_name);
        if let Some(s) = &self.status {
            p.push(("status", s.as_str().to_owned()));
        }
        for (k, list) in [
            ("tags", &self.tags),
            ("tags-any", &self.tags_any),
            ("not-tags", &self.not_tags),
            ("not-tags-any", &self.not_tags_any),
        ] {
            if !list.is_empty() {
                p.push((k, list.join(",")));
            }
        }
        if self.all_tenants {
            p.push(("all_tenants", "True".to_owned()));
        }
        if let Some(l) = self.locked {
            p.push(("locked", l.to_string()));
        }
        if let Some(d) = self.deleted {
            p.push(("deleted", d.to_string()));
        }
        if let Some(c) = self.config_drive {
            // what novaclient sends (Python's bool text)
            p.push(("config_drive", if c { "True" } else { "False" }.to_owned()));
        }
        if let Some(n) = self.progress {
            p.push(("progress", n.to_string()));
        }
        if let Some(v) = &self.vm_state {
            p.push(("vm_state", v.as_str().to_owned()));
        }
        if let Some(t) = &self.task_state {
            p.push(("task_state", t.as_str().to_owned()));
        }
        if let Some(ps) = self.power_state {
            p.push(("power_state", ps.code().to_string()));
        }
        for (key, dir) in &self.sort {
            p.push(("sort_key", key.clone()));
            p.push(("sort_dir", dir.as_str().to_owned()));
        }
        if let Some(l) = self.limit {
            p.push(("limit", l.to_string()));
        }
        if let Some(m) = &self.marker {
            p.push(("marker", m.clone()));
        }
        p
    }
}

#[cfg(test)]
mod extra_filter_tests {
    use super::*;

    #[test]
    fn state_and_admin_filters_are_sent_as_nova_reads_them() {
        let q = ServerQuery::new()
            .key_name("k1")
            .config_drive(false)
            .progress(100)
            .vm_state(VmState::Error)
            .task_state(TaskState::Rebooting)
            .power_state(PowerState::Shutdown);
        let pairs = q.to_pairs();
        for (k, v) in [
            ("key_name", "k1"),
            ("config_drive", "False"),
            ("progress", "100"),
            ("vm_state", "error"),
            ("task_state", "rebooting"),
            ("power_state", "4"),
        ] {
            assert!(
                pairs.iter().any(|(pk, pv)| *pk == k && pv == v),
                "{k}={v} in {pairs:?}"
            );
        }
        assert!(q.field_gates().is_empty(), "none of them is version-gated");
        assert!(ServerQuery::new().to_pairs().is_empty());
    }
}
