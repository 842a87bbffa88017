//! The in-memory state of the mock Nova, behind one `std::sync::Mutex` (never held across `.await`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use super::config::NovaConfig;
use super::model::{Address, Flavor, Image, Keypair, Server, Settle};
use super::servers::state::{PowerState, VmState};
use super::servers::view_cache::ViewCache;

/// The mock Nova's resources: servers, flavors, images, keypairs, quotas.
///
/// Every method locks briefly; handlers never hold the lock across an `.await`.
#[derive(Debug)]
pub struct NovaStore {
    inner: Mutex<Inner>,
}

/// Where a server stands in Nova's default list order.
pub type ListOrder = (std::cmp::Reverse<i64>, std::cmp::Reverse<u64>, String);

/// Nova 34's default server order: `created_at` newest first, in whole
/// seconds as the database keeps it, then the integer row id newest first
/// (`process_sort_params` defaults `created_at, id` desc), then uuid ascending
/// (the tie-breaker `InstanceSortContext` adds for its multi-cell merge).
pub fn list_order(s: &Server) -> ListOrder {
    (
        std::cmp::Reverse(s.created.timestamp()),
        std::cmp::Reverse(s.seq),
        s.id.clone(),
    )
}

/// The data behind the lock.
#[derive(Debug)]
pub struct Inner {
    /// Live knobs (build polls, quotas, page size...).
    pub config: NovaConfig,
    /// Servers by id (boxed: the table stays small with 100k servers).
    pub servers: HashMap<String, Box<Server>>,
    /// Every server in Nova's default list order (see [`list_order`]).
    pub order: BTreeSet<ListOrder>,
    /// Next insertion sequence.
    pub next_seq: u64,
    /// Flavors in id order of seeding.
    pub flavors: Vec<Arc<Flavor>>,
    /// Images.
    pub images: Vec<Image>,
    /// Keypairs by (user_id, name).
    pub keypairs: BTreeMap<(String, String), Keypair>,
    /// Next keypair numeric id.
    pub next_keypair_id: u64,
    /// Per-project instance quota overrides.
    pub instance_quota_overrides: HashMap<String, u32>,
    /// Counter for fixed IPs.
    pub next_ip: u32,
    /// Strings every server shares (one allocation for 100k servers).
    pub shared: SharedStrings,
    /// Server groups.
    pub server_groups: super::server_groups::ServerGroupState,
    /// Quota overrides per project, user and class.
    pub quotas: super::quotas::QuotaState,
    /// Private flavors and who may use them.
    pub flavor_access: super::flavor_admin::FlavorAccessState,
    /// Migrations: server migrations (`/servers/{id}/migrations`) and `/os-migrations`.
    pub server_migrations: super::server_migrations::MigrationState,
    /// Instance actions and events, recorded as servers are acted on.
    pub instance_actions: super::instance_actions::InstanceActionState,
    /// Compute services, one nova-compute per compute host plus the control services.
    pub services: super::services::ServiceState,
    /// Host aggregates.
    pub aggregates: super::aggregates::AggregateState,
    /// Interface and volume attachments added after boot.
    pub attachments: super::attachments::AttachmentState,
    /// Bumped by every mutable access through [`StoreGuard`]: a cached view is valid only
    /// for the generation it was rendered in.
    pub generation: u64,
    /// Serialized server views (see [`ViewCache`]).
    pub views: ViewCache,
}

/// The locked store. Reading goes through `Deref`; every `DerefMut` bumps
/// [`Inner::generation`], so nothing cached before a change is served after it.
#[derive(Debug)]
pub struct StoreGuard<'a>(MutexGuard<'a, Inner>);

impl Deref for StoreGuard<'_> {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Inner {
        self.0.generation = self.0.generation.wrapping_add(1);
        &mut self.0
    }
}

/// Strings shared by every server record.
#[derive(Debug, Clone)]
pub struct SharedStrings {
    /// The compute host.
    pub host: Arc<str>,
    /// The hypervisor hostname.
    pub hypervisor: Arc<str>,
    /// The default availability zone.
    pub availability_zone: Arc<str>,
}

impl NovaStore {
    /// A store seeded from `config` (flavors and images; no servers, no keypairs).
    pub fn new(config: &NovaConfig) -> Self {
        let now = Utc::now();
        let flavors = config
            .flavors
            .iter()
            .map(|f| Arc::new(Flavor::from(f)))
            .collect();
        let images = config
            .images
            .iter()
            .map(|i| Image {
                id: i.id.clone(),
                name: i.name.clone(),
                properties: BTreeMap::from([
                    ("architecture".to_string(), "x86_64".to_string()),
                    ("auto_disk_config".to_string(), "True".to_string()),
                ]),
                created: now,
                server_id: None,
                owner: None,
            })
            .collect();
        Self {
            inner: Mutex::new(Inner {
                config: config.clone(),
                servers: HashMap::new(),
                order: BTreeSet::new(),
                next_seq: 1,
                flavors,
                images,
                keypairs: BTreeMap::new(),
                next_keypair_id: 1,
                instance_quota_overrides: HashMap::new(),
                next_ip: 3,
                shared: SharedStrings {
                    host: Arc::from(config.compute_host.as_str()),
                    hypervisor: Arc::from(format!("{}.example.com", config.compute_host)),
                    availability_zone: Arc::from(config.default_availability_zone.as_str()),
                },
                server_groups: Default::default(),
                quotas: Default::default(),
                flavor_access: Default::default(),
                server_migrations: Default::default(),
                instance_actions: Default::default(),
                services: Default::default(),
                aggregates: Default::default(),
                attachments: Default::default(),
                generation: 0,
                views: ViewCache::default(),
            }),
        }
    }

    /// Lock the store (a poisoned lock is recovered: the data stays usable).
    pub fn lock(&self) -> StoreGuard<'_> {
        StoreGuard(self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Seed `count` ACTIVE servers named `<name_prefix>-<n>` (n from 1) in `project` (a project
    /// id; the names `demo` and `admin` stand for the seeded projects, owned by the seeded
    /// users; other projects get owner `<project>-user`). Cheap: no validation, no quota.
    /// Returns the new ids, oldest first.
    pub fn seed_servers(&self, count: usize, name_prefix: &str, project: &str) -> Vec<String> {
        let mut inner = self.lock();
        let now = Utc::now();
        let (project, user) = resolve_project(project);
        let flavor = inner.flavors.first().cloned();
        let image = inner.images.first().map(|i| i.id.clone());
        let Some(flavor) = flavor else {
            return Vec::new();
        };
        let mut ids = Vec::with_capacity(count);
        for n in 1..=count {
            let mut s = inner.new_server(
                format!("{name_prefix}-{n}"),
                project.clone(),
                user.clone(),
                flavor.clone(),
                image.clone(),
                now,
            );
            s.settle(Settle::To(VmState::Active), now);
            let net_ip = inner.allocate_ip();
            s.addresses.push(Address {
                network: "private".into(),
                network_id: PRIVATE_NET_ID.into(),
                port_id: uuid::Uuid::new_v4().to_string(),
                addr: net_ip,
                mac: mac_for(s.seq),
                version: 4,
                tag: None,
            });
            ids.push(s.id.clone());
            inner.insert(s);
        }
        ids
    }

    /// Number of servers (all projects, including ones being deleted).
    pub fn server_count(&self) -> usize {
        self.lock().servers.len()
    }

    /// Set the instance quota of one project, or the default for all projects.
    pub fn set_instance_quota(&self, project: Option<&str>, instances: u32) {
        let mut inner = self.lock();
        match project {
            Some(p) => {
                let (p, _) = resolve_project(p);
                inner.instance_quota_overrides.insert(p, instances);
            }
            None => inner.config.instance_quota = instances,
        }
    }

    /// Set the cores and/or RAM (MiB) quota of every project.
    pub fn set_cores_ram_quota(&self, cores: Option<u32>, ram: Option<u32>) {
        let mut inner = self.lock();
        if let Some(cores) = cores {
            inner.config.cores_quota = cores;
        }
        if let Some(ram) = ram {
            inner.config.ram_quota = ram;
        }
    }

    /// Set how many GETs a new server stays in BUILD.
    pub fn set_build_polls(&self, polls: u32) {
        self.lock().config.build_polls = polls;
    }

    /// Push a server into ERROR with a fault carrying `message`. False if no such server.
    pub fn fail_server(&self, id: &str, message: &str) -> bool {
        let mut inner = self.lock();
        let now = Utc::now();
        match inner.servers.get_mut(id) {
            Some(s) => {
                s.pending = None;
                s.settle(Settle::Fail(message.to_string()), now);
                true
            }
            None => false,
        }
    }

    /// Every image as the image service shows it (snapshots with their properties).
    pub fn image_records(&self) -> Vec<Image> {
        self.lock().images.clone()
    }

    /// `(id, name)` of every image, including snapshots made by createImage.
    pub fn images(&self) -> Vec<(String, String)> {
        self.lock()
            .images
            .iter()
            .map(|i| (i.id.clone(), i.name.clone()))
            .collect()
    }

    /// `(id, name)` of every flavor.
    pub fn flavors(&self) -> Vec<(String, String)> {
        self.lock()
            .flavors
            .iter()
            .map(|f| (f.id.clone(), f.name.clone()))
            .collect()
    }

    /// The API status of a server (without counting as a GET), if it exists.
    pub fn server_status(&self, id: &str) -> Option<String> {
        self.lock().servers.get(id).map(|s| s.status().to_string())
    }
}

/// `(project id, owner user id)` for a project id or the seeded names `demo` / `admin`.
pub fn resolve_project(project: &str) -> (String, String) {
    use crate::config::seed;
    match project {
        "demo" | seed::DEMO_PROJECT_ID => (seed::DEMO_PROJECT_ID.into(), seed::DEMO_USER_ID.into()),
        "admin" | seed::ADMIN_PROJECT_ID => {
            (seed::ADMIN_PROJECT_ID.into(), seed::ADMIN_USER_ID.into())
        }
        other => (other.to_string(), format!("{other}-user")),
    }
}

/// Id of the network every server's fixed IP comes from.
pub const PRIVATE_NET_ID: &str = "3cb9bc59-5699-4588-a4b1-b87f96708bc6";

/// A stable MAC address for the n-th server.
pub fn mac_for(seq: u64) -> String {
    let b = seq.to_be_bytes();
    format!("fa:16:3e:{:02x}:{:02x}:{:02x}", b[5], b[6], b[7])
}

impl Inner {
    /// The instance quota of `project`.
    pub fn instance_quota(&self, project: &str) -> u32 {
        self.instance_quota_overrides
            .get(project)
            .copied()
            .unwrap_or(self.config.instance_quota)
    }

    /// Servers of `project` that count against quota (not being deleted).
    pub fn instances_used(&self, project: &str) -> (u32, u32, u32) {
        self.servers
            .values()
            .filter(|s| s.project_id == project && !s.deleting)
            .fold((0, 0, 0), |(n, c, r), s| {
                (n + 1, c + s.flavor.vcpus, r + s.flavor.ram)
            })
    }

    /// Next fixed IP on the private network.
    pub fn allocate_ip(&mut self) -> String {
        let n = self.next_ip;
        self.next_ip += 1;
        format!("10.0.{}.{}", (n / 250) % 256, n % 250 + 2)
    }

    /// Find a flavor by id.
    pub fn flavor(&self, id: &str) -> Option<&Arc<Flavor>> {
        self.flavors.iter().find(|f| f.id == id)
    }

    /// Find an image by id.
    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.id == id)
    }

    /// A fresh BUILD server record (not yet inserted).
    pub fn new_server(
        &mut self,
        name: String,
        project_id: String,
        user_id: String,
        flavor: Arc<Flavor>,
        image_id: Option<String>,
        now: DateTime<Utc>,
    ) -> Server {
        let seq = self.next_seq;
        self.next_seq += 1;
        let id = uuid::Uuid::new_v4().to_string();
        let hostname = sanitize_hostname(&name);
        Server {
            id,
            seq,
            name,
            project_id,
            user_id,
            flavor,
            old_flavor: None,
            pre_resize_state: VmState::Active,
            image_id,
            root_volume_image: None,
            vm_state: VmState::Building,
            task_state: None,
            power_state: PowerState::NoState,
            progress: 0,
            metadata: BTreeMap::new(),
            tags: Vec::new(),
            created: now,
            updated: now,
            launched_at: None,
            access_ipv4: String::new(),
            access_ipv6: String::new(),
            disk_config: "MANUAL".into(),
            availability_zone: self.shared.availability_zone.clone(),
            key_name: None,
            config_drive: String::new(),
            security_groups: vec!["default".into()],
            addresses: Vec::new(),
            floating_ips: Vec::new(),
            volumes: Vec::new(),
            user_data: None,
            hostname,
            host: Some(self.shared.host.clone()),
            hypervisor_hostname: Some(self.shared.hypervisor.clone()),
            reservation_id: format!("r-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            launch_index: 0,
            description: None,
            locked: false,
            locked_reason: None,
            trusted_image_certificates: None,
            scheduler_hints: serde_json::Map::new(),
            server_groups: Vec::new(),
            pinned_availability_zone: None,
            fault: None,
            pending: None,
            deleting: false,
        }
    }

    /// Insert a server record.
    pub fn insert(&mut self, s: Server) {
        self.order.insert(list_order(&s));
        self.servers.insert(s.id.clone(), Box::new(s));
    }

    /// Remove a server record.
    pub fn remove(&mut self, id: &str) {
        if let Some(s) = self.servers.remove(id) {
            self.order.remove(&list_order(&s));
        }
    }

    /// Count one GET of server `id`: advance its pending transition.
    /// Returns false if the server is gone (never existed or just finished deleting).
    pub fn poll_server(&mut self, id: &str, now: DateTime<Utc>) -> bool {
        let keep = match self.servers.get_mut(id) {
            Some(s) => s.poll(now),
            None => return false,
        };
        if !keep {
            self.remove(id);
        }
        keep
    }
}

/// Nova's default hostname from a display name: lowercase, `[a-z0-9-]`, at most 63 chars.
pub fn sanitize_hostname(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if (c == ' ' || c == '_' || c == '-' || c == '.') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(63).collect();
    if trimmed.is_empty() {
        "server".into()
    } else {
        trimmed
    }
}
