//! OpenStack Compute v2.1 client, typed for every microversion from 2.1 to 2.104: servers
//! (lifecycle, every action, moves and their migrations, interfaces, volume attachments,
//! consoles, instance actions, diagnostics), flavors and their management, keypairs, server
//! groups, quotas, limits, availability zones, hypervisors, services, aggregates, migrations
//! and usage: what python-novaclient covers, and the microversions after its 2.96.
//!
//! This crate implements the [`nova_core::compute`] traits for major version 2 and registers
//! itself with nova-core's client registry, so `nova_core::Client::new("2.60", ..)` finds it.
//! The registration is a link-time `inventory` entry: a program that never names this crate
//! must still link it, with `use nova_v2 as _;` (or call [`register`]).
//!
//! ```no_run
//! use std::sync::Arc;
//! use nova_core::{Connection, MicroVersion, Transport};
//! use nova_core::compute::ComputeClient;
//! use nova_v2::{CreateServer, Networks, NovaV2Client, ServerStatus, ServerWaitExt, WaitOptions};
//!
//! async fn boot(transport: Arc<dyn Transport>) -> nova_core::Result<()> {
//!     let client = NovaV2Client::new(Connection::new(transport, MicroVersion::new(2, 90)));
//!     let servers = client.servers();
//!     let request = CreateServer::new("web-1", "m1.small")
//!         .image("cirros-0.6.2")
//!         .networks(Networks::Auto)
//!         .description("made by nova-v2");
//!     let created = servers.create(&request).await?.value;
//!     let active = servers
//!         .wait_for_status(&created.id, ServerStatus::Active, &WaitOptions::new())
//!         .await?;
//!     println!("{} is {}", active.name, active.status);
//!     Ok(())
//! }
//! ```

mod aggregates;
pub mod body;
mod client;
mod consoles;
mod find;
mod flavor_admin;
mod flavors;
mod gate;
mod hypervisors;
mod instance_actions;
mod keypairs;
mod limits;
mod migrations;
mod pagination;
mod path;
mod quotas;
mod registration;
mod server_diagnostics;
mod server_groups;
mod server_interfaces;
mod server_migrations;
mod server_volumes;
mod servers;
mod services;
mod usage;
mod usage_audit;
mod user_keypairs;
pub mod wait;

pub use aggregates::AggregateManager;
pub use client::{MAX_VERSION, MIN_VERSION, NovaV2Client};
pub use consoles::ConsoleManager;
pub use flavor_admin::FlavorAdminManager;
pub use flavors::FlavorManager;
pub use hypervisors::HypervisorManager;
pub use instance_actions::InstanceActionManager;
pub use keypairs::KeypairManager;
pub use limits::{AvailabilityZoneManager, LimitsManager};
pub use migrations::MigrationManager;
pub use pagination::{
    DEFAULT_MAX_ITEMS, DEFAULT_MAX_PAGES, ListingBound, listing_bound, set_listing_bound,
};
pub use quotas::{QuotaClassManager, QuotaManager};
pub use registration::{REGISTRATION, register};
pub use server_diagnostics::ServerDiagnosticsManager;
pub use server_groups::ServerGroupManager;
pub use server_interfaces::ServerInterfaceManager;
pub use server_migrations::ServerMigrationManager;
pub use server_volumes::ServerVolumeManager;
pub use servers::ServerManager;
pub use services::ServiceManager;
pub use usage::UsageManager;
pub use usage_audit::InstanceUsageAuditLogManager;
pub use user_keypairs::UserKeypairManager;
#[cfg(feature = "tokio")]
pub use wait::TokioClock;
pub use wait::{
    Clock, ProgressCallback, ServerWaitExt, VirtualClock, WaitOptions, WaitProgress,
    wait_for_delete, wait_for_status,
};

pub use nova_core::types::*;
pub use nova_core::{ApiResponse, Error, Result};

#[cfg(test)]
mod fake_transport;
#[cfg(test)]
mod manager_tests;
