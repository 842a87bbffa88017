//! Seed data and knobs of the mock Nova: flavors, images, build delay, quota, page size.

use serde::Deserialize;

/// Configuration of the mock Nova resources (part of the mock's whole config).
///
/// Every field has a default, so a partial YAML/JSON document is enough. The default flavors
/// are those of the upstream samples (ids 1-7: `m1.tiny` ... `m1.xlarge`, `m1.tiny.specs` with
/// extra specs, `m1.small.description` with a description); the default images are
/// `cirros-0.6.2` (`70a599e0-31e7-49b7-b260-868f441e862b`, the samples' image id) and
/// `ubuntu-24.04`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct NovaConfig {
    /// Flavors seeded at start (public, visible to every project).
    pub flavors: Vec<FlavorSeed>,
    /// Images the mock knows (a stand-in for Glance).
    pub images: Vec<ImageSeed>,
    /// Number of `GET /servers/{id}` answered with `BUILD` before a new server turns `ACTIVE`.
    pub build_polls: u32,
    /// Instance quota per project (`maxTotalInstances`; real Nova's default is 10).
    pub instance_quota: u32,
    /// Cores quota per project (`maxTotalCores`).
    pub cores_quota: u32,
    /// RAM quota per project in MiB (`maxTotalRAMSize`).
    pub ram_quota: u32,
    /// Largest page any list returns (`[api] max_limit`, default 1000).
    pub max_limit: usize,
    /// Availability zone servers land in when the request names none.
    pub default_availability_zone: String,
    /// Compute host name servers are scheduled to.
    pub compute_host: String,
    /// More compute hosts: targets of migrations and evacuations, listed (with
    /// `compute_host`) by hypervisors and services.
    pub extra_compute_hosts: Vec<String>,
    /// Nova's `reclaim_instance_interval` in seconds: when > 0, DELETE soft-deletes a server
    /// (`SOFT_DELETED`, restorable with `restore`; the mock never reclaims it). 0 (the
    /// default) deletes at once.
    pub reclaim_instance_interval: u64,
}

impl NovaConfig {
    /// Every compute host: `compute_host`, then `extra_compute_hosts`, without repeats.
    pub fn compute_hosts(&self) -> Vec<String> {
        let mut hosts = vec![self.compute_host.clone()];
        for h in &self.extra_compute_hosts {
            if !hosts.contains(h) {
                hosts.push(h.clone());
            }
        }
        hosts
    }
}

impl Default for NovaConfig {
    fn default() -> Self {
        Self {
            flavors: vec![
                FlavorSeed::new("1", "m1.tiny", 1, 512, 1),
                FlavorSeed::new("2", "m1.small", 1, 2048, 20),
                FlavorSeed::new("3", "m1.medium", 2, 4096, 40),
                FlavorSeed::new("4", "m1.large", 4, 8192, 80),
                FlavorSeed::new("5", "m1.xlarge", 8, 16384, 160),
                FlavorSeed {
                    extra_specs: [("hw:numa_nodes".to_string(), "1".to_string())].into(),
                    ..FlavorSeed::new("6", "m1.tiny.specs", 1, 512, 1)
                },
                FlavorSeed {
                    description: Some("test description".into()),
                    extra_specs: [
                        ("hw:cpu_policy".to_string(), "shared".to_string()),
                        ("hw:numa_nodes".to_string(), "1".to_string()),
                    ]
                    .into(),
                    ..FlavorSeed::new("7", "m1.small.description", 1, 2048, 20)
                },
            ],
            images: vec![
                ImageSeed {
                    id: "70a599e0-31e7-49b7-b260-868f441e862b".into(),
                    name: "cirros-0.6.2".into(),
                },
                ImageSeed {
                    id: "155d900f-4e14-4e4c-a73d-069cbf4541e6".into(),
                    name: "ubuntu-24.04".into(),
                },
            ],
            build_polls: 2,
            instance_quota: 10,
            cores_quota: 20,
            ram_quota: 51200,
            max_limit: 1000,
            default_availability_zone: "nova".into(),
            compute_host: "compute-0".into(),
            extra_compute_hosts: vec!["compute-1".into()],
            reclaim_instance_interval: 0,
        }
    }
}

/// One seeded flavor.
#[derive(Debug, Clone, Deserialize)]
pub struct FlavorSeed {
    /// Flavor id (a string, as in Nova).
    pub id: String,
    /// Flavor name.
    pub name: String,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// RAM in MiB.
    pub ram: u32,
    /// Root disk in GiB.
    pub disk: u32,
    /// Ephemeral disk in GiB.
    #[serde(default)]
    pub ephemeral: u32,
    /// Swap in MiB (0 means none).
    #[serde(default)]
    pub swap: u32,
    /// Free-form description (shown from 2.55).
    #[serde(default)]
    pub description: Option<String>,
    /// Extra specs (shown from 2.61, and inside embedded flavors from 2.47).
    #[serde(default)]
    pub extra_specs: std::collections::BTreeMap<String, String>,
}

impl FlavorSeed {
    /// A flavor with no ephemeral disk, no swap, no description and no extra specs.
    pub fn new(id: &str, name: &str, vcpus: u32, ram: u32, disk: u32) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            vcpus,
            ram,
            disk,
            ephemeral: 0,
            swap: 0,
            description: None,
            extra_specs: Default::default(),
        }
    }
}

/// One seeded image.
#[derive(Debug, Clone, Deserialize)]
pub struct ImageSeed {
    /// Image UUID.
    pub id: String,
    /// Image name.
    pub name: String,
}
