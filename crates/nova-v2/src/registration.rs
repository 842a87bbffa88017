//! Registration of this client for major version 2 in nova-core's registry.

use nova_core::{ClientRegistration, Registry, Result};

use crate::client::{MAX_VERSION, MIN_VERSION, NovaV2Client};

/// This crate's registry entry: major 2, microversions 2.1 to 2.104.
pub const REGISTRATION: ClientRegistration = ClientRegistration {
    major: 2,
    min: MIN_VERSION,
    max: MAX_VERSION,
    name: "nova-v2",
    factory: NovaV2Client::boxed,
};

nova_core::register_client!(REGISTRATION);

/// Adds this client to a hand-built registry (the global one gets it automatically once the
/// crate is linked; `use nova_v2 as _;` makes sure it is).
pub fn register(registry: &mut Registry) -> Result<()> {
    registry.register(REGISTRATION)
}
