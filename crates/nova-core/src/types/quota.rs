//! Quotas (`/os-quota-sets`) and quota classes (`/os-quota-class-sets`).
//!
//! Which resources appear depends on the microversion: the nova-network ones (`fixed_ips`,
//! `floating_ips`, `networks`, `security_groups`, `security_group_rules`) are gone from 2.36
//! (from 2.50 for quota classes), the `injected_file*` ones from 2.57, and quota classes gain
//! `server_groups` and `server_group_members` at 2.50.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::field_gate::FieldGate;
use super::string_enum::lenient;
use crate::{MicroVersion, VersionReq};

/// Quota limits of a project, a user in a project, the defaults, or a quota class
/// (`-1` means unlimited). Fields absent at the microversion are `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QuotaSet {
    /// The project id, or the class name (absent in update responses).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Servers.
    #[serde(default, deserialize_with = "lenient")]
    pub instances: Option<i64>,
    /// Virtual CPUs.
    #[serde(default, deserialize_with = "lenient")]
    pub cores: Option<i64>,
    /// Memory in MiB.
    #[serde(default, deserialize_with = "lenient")]
    pub ram: Option<i64>,
    /// Keypairs per user.
    #[serde(default, deserialize_with = "lenient")]
    pub key_pairs: Option<i64>,
    /// Metadata items per server.
    #[serde(default, deserialize_with = "lenient")]
    pub metadata_items: Option<i64>,
    /// Server groups.
    #[serde(default, deserialize_with = "lenient")]
    pub server_groups: Option<i64>,
    /// Servers per server group.
    #[serde(default, deserialize_with = "lenient")]
    pub server_group_members: Option<i64>,
    /// Injected files (below 2.57).
    #[serde(default, deserialize_with = "lenient")]
    pub injected_files: Option<i64>,
    /// Bytes per injected file (below 2.57).
    #[serde(default, deserialize_with = "lenient")]
    pub injected_file_content_bytes: Option<i64>,
    /// Path bytes per injected file (below 2.57).
    #[serde(default, deserialize_with = "lenient")]
    pub injected_file_path_bytes: Option<i64>,
    /// Fixed IPs (below 2.36; nova-network).
    #[serde(default, deserialize_with = "lenient")]
    pub fixed_ips: Option<i64>,
    /// Floating IPs (below 2.36; nova-network).
    #[serde(default, deserialize_with = "lenient")]
    pub floating_ips: Option<i64>,
    /// Networks (below 2.36; nova-network).
    #[serde(default, deserialize_with = "lenient")]
    pub networks: Option<i64>,
    /// Security groups (below 2.36; nova-network).
    #[serde(default, deserialize_with = "lenient")]
    pub security_groups: Option<i64>,
    /// Security group rules (below 2.36; nova-network).
    #[serde(default, deserialize_with = "lenient")]
    pub security_group_rules: Option<i64>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A quota class: the same resources as a [`QuotaSet`], `id` is the class name.
pub type QuotaClassSet = QuotaSet;

/// One resource of a detailed quota set: limit, usage and reservations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuotaDetail {
    /// The limit (`-1`: unlimited).
    #[serde(default)]
    pub limit: i64,
    /// What is used.
    #[serde(default)]
    pub in_use: i64,
    /// What is reserved (always 0 since Nova counts usage).
    #[serde(default)]
    pub reserved: i64,
}

/// `GET /os-quota-sets/{project}/detail`: per resource, limit, usage and reservations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QuotaSetDetail {
    /// The project id.
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    /// Servers.
    #[serde(default, deserialize_with = "lenient")]
    pub instances: Option<QuotaDetail>,
    /// Virtual CPUs.
    #[serde(default, deserialize_with = "lenient")]
    pub cores: Option<QuotaDetail>,
    /// Memory in MiB.
    #[serde(default, deserialize_with = "lenient")]
    pub ram: Option<QuotaDetail>,
    /// Keypairs per user.
    #[serde(default, deserialize_with = "lenient")]
    pub key_pairs: Option<QuotaDetail>,
    /// Metadata items per server.
    #[serde(default, deserialize_with = "lenient")]
    pub metadata_items: Option<QuotaDetail>,
    /// Server groups.
    #[serde(default, deserialize_with = "lenient")]
    pub server_groups: Option<QuotaDetail>,
    /// Servers per server group.
    #[serde(default, deserialize_with = "lenient")]
    pub server_group_members: Option<QuotaDetail>,
    /// Injected files (below 2.57).
    #[serde(default, deserialize_with = "lenient")]
    pub injected_files: Option<QuotaDetail>,
    /// Bytes per injected file (below 2.57).
    #[serde(default, deserialize_with = "lenient")]
    pub injected_file_content_bytes: Option<QuotaDetail>,
    /// Path bytes per injected file (below 2.57).
    #[serde(default, deserialize_with = "lenient")]
    pub injected_file_path_bytes: Option<QuotaDetail>,
    /// Fixed IPs (below 2.36).
    #[serde(default, deserialize_with = "lenient")]
    pub fixed_ips: Option<QuotaDetail>,
    /// Floating IPs (below 2.36).
    #[serde(default, deserialize_with = "lenient")]
    pub floating_ips: Option<QuotaDetail>,
    /// Networks (below 2.36).
    #[serde(default, deserialize_with = "lenient")]
    pub networks: Option<QuotaDetail>,
    /// Security groups (below 2.36).
    #[serde(default, deserialize_with = "lenient")]
    pub security_groups: Option<QuotaDetail>,
    /// Security group rules (below 2.36).
    #[serde(default, deserialize_with = "lenient")]
    pub security_group_rules: Option<QuotaDetail>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// New limits for a project's (or user's) quota set or for a quota class. Unset fields are
/// left as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UpdateQuotaSet {
    /// Servers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<i64>,
    /// Virtual CPUs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cores: Option<i64>,
    /// Memory in MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ram: Option<i64>,
    /// Keypairs per user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_pairs: Option<i64>,
    /// Metadata items per server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_items: Option<i64>,
    /// Server groups (quota classes: 2.50+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_groups: Option<i64>,
    /// Servers per server group (quota classes: 2.50+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_group_members: Option<i64>,
    /// Injected files (below 2.57).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injected_files: Option<i64>,
    /// Bytes per injected file (below 2.57).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injected_file_content_bytes: Option<i64>,
    /// Path bytes per injected file (below 2.57).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injected_file_path_bytes: Option<i64>,
    /// Fixed IPs (below 2.36; quota classes below 2.50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_ips: Option<i64>,
    /// Floating IPs (below 2.36; quota classes below 2.50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floating_ips: Option<i64>,
    /// Networks (below 2.36; quota classes below 2.50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networks: Option<i64>,
    /// Security groups (below 2.36; quota classes below 2.50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<i64>,
    /// Security group rules (below 2.36; quota classes below 2.50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_rules: Option<i64>,
    /// Set limits below current usage (quota sets only, not classes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

macro_rules! quota_setters {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, limit: i64) -> Self {
                self.$name = Some(limit);
                self
            }
        )*
    };
}

const NETWORK_FIELDS: [&str; 5] = [
    "fixed_ips",
    "floating_ips",
    "networks",
    "security_groups",
    "security_group_rules",
];
const INJECTED_FIELDS: [&str; 3] = [
    "injected_files",
    "injected_file_content_bytes",
    "injected_file_path_bytes",
];

impl UpdateQuotaSet {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    quota_setters! {
        /// Sets the server limit.
        instances,
        /// Sets the vCPU limit.
        cores,
        /// Sets the memory limit (MiB).
        ram,
        /// Sets the keypair limit.
        key_pairs,
        /// Sets the metadata item limit.
        metadata_items,
        /// Sets the server group limit.
        server_groups,
        /// Sets the server group member limit.
        server_group_members,
        /// Sets the injected file limit (below 2.57).
        injected_files,
        /// Sets the injected file size limit (below 2.57).
        injected_file_content_bytes,
        /// Sets the injected file path limit (below 2.57).
        injected_file_path_bytes,
        /// Sets the fixed IP limit (below 2.36).
        fixed_ips,
        /// Sets the floating IP limit (below 2.36).
        floating_ips,
        /// Sets the network limit (below 2.36).
        networks,
        /// Sets the security group limit (below 2.36).
        security_groups,
        /// Sets the security group rule limit (below 2.36).
        security_group_rules,
    }

    /// Allows limits below current usage (`force`, quota sets only).
    pub fn force(mut self, force: bool) -> Self {
        self.force = Some(force);
        self
    }

    /// True when no field is set (Nova rejects an empty update).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    fn set_fields(&self) -> Vec<&'static str> {
        let pairs: [(&'static str, bool); 15] = [
            ("fixed_ips", self.fixed_ips.is_some()),
            ("floating_ips", self.floating_ips.is_some()),
            ("networks", self.networks.is_some()),
            ("security_groups", self.security_groups.is_some()),
            ("security_group_rules", self.security_group_rules.is_some()),
            ("injected_files", self.injected_files.is_some()),
            (
                "injected_file_content_bytes",
                self.injected_file_content_bytes.is_some(),
            ),
            (
                "injected_file_path_bytes",
                self.injected_file_path_bytes.is_some(),
            ),
            ("server_groups", self.server_groups.is_some()),
            ("server_group_members", self.server_group_members.is_some()),
            ("instances", self.instances.is_some()),
            ("cores", self.cores.is_some()),
            ("ram", self.ram.is_some()),
            ("key_pairs", self.key_pairs.is_some()),
            ("metadata_items", self.metadata_items.is_some()),
        ];
        pairs
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(name, _)| name)
            .collect()
    }

    /// The version-gated fields this update sets, for `PUT /os-quota-sets/{project}`.
    pub fn field_gates(&self) -> Vec<FieldGate> {
        self.set_fields()
            .into_iter()
            .filter_map(|field| {
                if NETWORK_FIELDS.contains(&field) {
                    Some(FieldGate::new(field, &[BELOW_2_36]))
                } else if INJECTED_FIELDS.contains(&field) {
                    Some(FieldGate::new(field, &[BELOW_2_57]))
                } else {
                    None
                }
            })
            .collect()
    }

    /// The version-gated fields this update sets, for `PUT /os-quota-class-sets/{class}`
    /// (network fields until 2.50, injected file fields until 2.57). Server group fields are
    /// taken at every version (Nova's 2.1 schema has them; the class view only shows them
    /// from 2.50). Classes take no `force` at any version; the manager refuses it as invalid
    /// input.
    pub fn class_field_gates(&self) -> Vec<FieldGate> {
        self.set_fields()
            .into_iter()
            .filter_map(|field| {
                if NETWORK_FIELDS.contains(&field) {
                    Some(FieldGate::new(field, &[BELOW_2_50]))
                } else if INJECTED_FIELDS.contains(&field) {
                    Some(FieldGate::new(field, &[BELOW_2_57]))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Network quotas (`fixed_ips`, `floating_ips`, ...) of projects end at 2.36.
pub(crate) const BELOW_2_36: VersionReq = VersionReq::below(MicroVersion::new(2, 36));
/// Injected file quotas end at 2.57.
pub(crate) const BELOW_2_57: VersionReq = VersionReq::below(MicroVersion::new(2, 57));
/// Network quotas of classes end at 2.50.
pub(crate) const BELOW_2_50: VersionReq = VersionReq::below(MicroVersion::new(2, 50));

#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: Value, minor: u32, file: &str) {
    match key {
        "quota_set" if file.contains("detail") => {
            let q: QuotaSetDetail = serde_json::from_value(inner).expect(file);
            assert!(q.extra.is_empty(), "{file}: {:?}", q.extra);
            assert!(q.instances.is_some_and(|d| d.limit > 0), "{file}");
            assert_eq!(q.fixed_ips.is_some(), minor < 36, "{file}");
            assert_eq!(q.injected_files.is_some(), minor < 57, "{file}");
        }
        _ => {
            let q: QuotaSet = serde_json::from_value(inner).expect(file);
            assert!(q.extra.is_empty(), "{file}: {:?}", q.extra);
            assert!(q.instances.is_some() && q.cores.is_some(), "{file}");
            assert_eq!(q.injected_files.is_some(), minor < 57, "{file}");
            if key == "quota_class_set" {
                assert_eq!(q.server_groups.is_some(), minor >= 50, "{file}");
                assert_eq!(q.fixed_ips.is_some(), minor < 50, "{file}");
            } else if !file.contains("update") {
                assert_eq!(q.fixed_ips.is_some(), minor < 36, "{file}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_serializes_only_set_fields_and_reports_gates() {
        let update = UpdateQuotaSet::new().instances(20).fixed_ips(5).force(true);
        let json = serde_json::to_value(&update).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"instances": 20, "fixed_ips": 5, "force": true})
        );
        let gates: Vec<&str> = update.field_gates().iter().map(|g| g.field).collect();
        assert_eq!(gates, ["fixed_ips"]);
        let class: Vec<&str> = update.class_field_gates().iter().map(|g| g.field).collect();
        assert_eq!(class, ["fixed_ips"]);
        let groups = UpdateQuotaSet::new()
            .server_groups(3)
            .server_group_members(4);
        assert!(groups.class_field_gates().is_empty(), "taken at 2.1 too");
        assert!(UpdateQuotaSet::new().is_empty() && !update.is_empty());
    }

    #[test]
    fn quota_gates_mean_what_they_say() {
        let v = |m| MicroVersion::new(2, m);
        for (req, yes, no) in [
            (BELOW_2_36, 35, 36),
            (BELOW_2_57, 56, 57),
            (BELOW_2_50, 49, 50),
        ] {
            assert!(req.matches(v(yes)) && !req.matches(v(no)), "{req}");
        }
    }
}
