//! Stateful Nova resources of the mock: servers, flavors (and flavor management), images,
//! keypairs, server groups, quotas and quota classes, limits and availability zones, shaped
//! per microversion like the reference samples.
//!
//! * [`router`] serves the compute API (paths relative to `/compute/v2.1`); every handler
//!   takes the authenticated, version-checked [`crate::nova::NovaCtx`].
//! * [`control_router`] is the test control API (nested at `/_mock/nova`), see [`control`].
//! * [`NovaStore`] holds the state; its pub methods give tests the control powers in-process.
//!
//! Mock extensions: metadata key `mock:boot-fault` on create makes the boot end in ERROR with
//! that fault message; each `GET /servers/{id}` advances pending transitions (see [`servers`]).

pub mod aggregates;
pub mod attachments;
pub mod availability_zones;
pub mod config;
pub mod consoles;
pub mod control;
pub mod diagnostics;
pub mod error;
pub mod flavor_admin;
pub mod flavors;
pub mod hypervisors;
pub mod images;
pub mod instance_actions;
pub mod key_digest;
pub mod keypairs;
pub mod limits;
pub mod model;
pub mod query;
pub mod quotas;
pub mod removed;
pub mod server_groups;
pub mod server_migrations;
pub mod servers;
pub mod services;
pub mod store;
pub mod usage;
pub mod usage_audit;
pub mod validation;

#[cfg(test)]
mod sample_tests;

pub use config::{FlavorSeed, ImageSeed, NovaConfig};
pub use control::control_router;
pub use servers::create::BOOT_FAULT_KEY;
pub use store::NovaStore;

use crate::state::SharedState;

/// The compute API routes of the Nova resources (paths relative to `/compute/v2.1`).
pub fn router() -> axum::Router<SharedState> {
    axum::Router::new()
        .merge(servers::router())
        .merge(flavors::router())
        .merge(keypairs::router())
        .merge(limits::router())
        .merge(availability_zones::router())
        .merge(images::router())
        .merge(server_groups::router())
        .merge(quotas::router())
        .merge(flavor_admin::router())
        .merge(server_migrations::router())
        .merge(consoles::router())
        .merge(instance_actions::router())
        .merge(diagnostics::router())
        .merge(hypervisors::router())
        .merge(services::router())
        .merge(aggregates::router())
        .merge(usage::router())
        .merge(usage_audit::router())
        .merge(attachments::router())
        .merge(removed::router())
}
