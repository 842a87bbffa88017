//! nova-core: the OpenStack Compute API without an HTTP stack.
//!
//! Microversions ([`MicroVersion`], [`Requested`], [`VersionRange`], [`VersionReq`]), version
//! documents and negotiation, the major-version client [`Registry`] behind
//! [`Client::new`] / [`Client::negotiate`], the compute traits ([`compute`]), the resource
//! types ([`types`]) and one [`Error`] enum. Requests go out through the [`Transport`] trait;
//! the `keystone` feature (off by default, so this crate pulls in no HTTP stack, no
//! reqwest and no tokio) implements it for `keystone_auth::Adapter`. Applications turn it
//! on; `cargo xtask test` checks the dependency tree without it.
//!
//! ```
//! use nova_core::{MicroVersion, Requested, VersionRange, VersionReq, negotiate};
//!
//! let requested: Requested = "latest".parse()?;
//! let client = VersionRange::new(MicroVersion::new(2, 1), MicroVersion::new(2, 96))?;
//! let server = VersionRange::new(MicroVersion::new(2, 1), MicroVersion::new(2, 104))?;
//! let v = negotiate(requested, client, Some(server), None)?;
//! assert_eq!(v, MicroVersion::new(2, 96));
//!
//! // an operation's requirement (a `const` gate) narrows it further
//! const TAGS: VersionReq = VersionReq::between(MicroVersion::new(2, 26), MicroVersion::new(2, 60));
//! let tags = TAGS;
//! assert_eq!(negotiate(requested, client, Some(server), Some(&tags))?.to_string(), "2.59");
//! # Ok::<(), nova_core::Error>(())
//! ```
//!
//! # Registering a major version
//!
//! A client crate registers itself with [`register_client!`]; callers pick it with
//! [`Client::new`]. The linker drops a crate nobody names, so a binary that only reaches
//! nova-v2 through the registry must name it once: `use nova_v2 as _;` (or call
//! `nova_v2::register()`).

pub mod compute;
pub mod types;

mod client;
mod connection;
mod discovery;
mod error;
mod fault;
#[cfg(feature = "keystone")]
mod keystone;
mod microversion;
mod negotiation;
mod registry;
mod requirement;
mod secret_fields;
#[cfg(test)]
mod test_support;
mod transport;

pub use client::Client;
pub use connection::{
    ApiResponse, COMPUTE_SERVICE_TYPE, Connection, MismatchPolicy, NOVA_API_VERSION,
    OPENSTACK_API_VERSION, RawBody, decode, echoed_version, version_headers,
};
pub use discovery::{
    DiscoveryCache, ServerVersions, VersionDocument, VersionStatus, discover,
    parse_version_document, parse_versions, version_root_candidates,
};
pub use error::{BodyKind, Error, Fault, Result};
pub use fault::body_snippet;
pub use microversion::{MicroVersion, Requested, VersionRange};
pub use negotiation::negotiate;
pub use registry::{ClientFactory, ClientRegistration, Registry};
pub use requirement::VersionReq;
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// Re-exported so client crates can use [`register_client!`] without depending on
/// `inventory` themselves.
pub use inventory;
