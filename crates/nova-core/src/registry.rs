//! The major-version [`Registry`]: which client implementation serves compute API major `X`.
//!
//! A client crate registers one [`ClientRegistration`] per major version with
//! [`register_client!`](crate::register_client) (collected by `inventory` at program start);
//! [`Registry::global`] gathers them once. Two registrations of the same major are never
//! resolved by link order: looking that major up fails with [`Error::DuplicateMajor`].
//! Registries can also be built by hand ([`Registry::new`] + [`Registry::register`]) and
//! passed to the `*_with_registry` constructors of [`Client`](crate::Client).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use crate::compute::ComputeClient;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::microversion::{MicroVersion, VersionRange};

/// Builds the client for a connection whose version is within the registration's range.
pub type ClientFactory = fn(Connection) -> Box<dyn ComputeClient>;

/// One client implementation of one compute API major version.
///
/// All fields are `const`-constructible so a registration can be a `static` item:
///
/// ```ignore
/// nova_core::register_client!(nova_core::ClientRegistration {
///     major: 2,
///     min: nova_core::MicroVersion::new(2, 1),
///     max: nova_core::MicroVersion::new(2, 104),
///     name: "nova-v2",
///     factory: |conn| Box::new(MyClient::new(conn)),
/// });
/// ```
#[derive(Clone, Copy)]
pub struct ClientRegistration {
    /// The major version served (`2`).
    pub major: u16,
    /// The lowest microversion the implementation supports.
    pub min: MicroVersion,
    /// The highest microversion the implementation supports.
    pub max: MicroVersion,
    /// A name for messages (usually the crate name).
    pub name: &'static str,
    /// Builds the client.
    pub factory: ClientFactory,
}

impl ClientRegistration {
    /// `min..=max`.
    pub fn range(&self) -> VersionRange {
        VersionRange {
            min: self.min,
            max: self.max,
        }
    }
}

impl fmt::Debug for ClientRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientRegistration")
            .field("major", &self.major)
            .field("min", &self.min)
            .field("max", &self.max)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

inventory::collect!(ClientRegistration);

/// Registers a compute client implementation for a major version, at program start.
///
/// Takes a `ClientRegistration` expression that is `const`-evaluable (a struct literal with
/// `MicroVersion::new(..)` and a function or non-capturing closure as `factory`). Expands to
/// an `inventory::submit!` through nova-core's re-export, so the calling crate does not
/// depend on `inventory`.
#[macro_export]
macro_rules! register_client {
    ($registration:expr $(,)?) => {
        $crate::inventory::submit! { $registration }
    };
}

/// The registered client implementations, by major version.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    entries: BTreeMap<u16, ClientRegistration>,
    duplicates: BTreeMap<u16, Vec<&'static str>>,
}

impl Registry {
    /// An empty registry (for explicit registration).
    pub fn new() -> Registry {
        Registry::default()
    }

    /// A registry of everything registered with [`register_client!`](crate::register_client)
    /// in this program. Duplicated majors are recorded, not resolved.
    pub fn from_inventory() -> Registry {
        let mut registry = Registry::new();
        for registration in inventory::iter::<ClientRegistration> {
            registry.insert(*registration);
        }
        registry
    }

    /// The process-wide registry, built from `inventory` once.
    pub fn global() -> &'static Registry {
        static GLOBAL: OnceLock<Registry> = OnceLock::new();
        GLOBAL.get_or_init(Registry::from_inventory)
    }

    fn insert(&mut self, registration: ClientRegistration) {
        if let Some(names) = self.duplicates.get_mut(&registration.major) {
            names.push(registration.name);
            names.sort_unstable();
            return;
        }
        if let Some(existing) = self.entries.remove(&registration.major) {
            let mut names = vec![existing.name, registration.name];
            names.sort_unstable();
            self.duplicates.insert(registration.major, names);
            return;
        }
        self.entries.insert(registration.major, registration);
    }

    /// Adds a registration; [`Error::DuplicateMajor`] (and no change) when the major is
    /// already registered, or `min`/`max` are not of that major or out of order.
    pub fn register(&mut self, registration: ClientRegistration) -> Result<()> {
        if registration.min.major() != registration.major
            || registration.max.major() != registration.major
            || registration.min > registration.max
        {
            return Err(Error::InvalidVersion {
                input: format!("{}-{}", registration.min, registration.max),
                reason: format!(
                    "the range of client {} is not an ordered range of major version {}",
                    registration.name, registration.major
                ),
            });
        }
        if let Some(names) = self.duplicates.get(&registration.major) {
            let mut names = names.clone();
            names.push(registration.name);
            names.sort_unstable();
            return Err(Error::DuplicateMajor {
                major: registration.major,
                names,
            });
        }
        if let Some(existing) = self.entries.get(&registration.major) {
            let mut names = vec![existing.name, registration.name];
            names.sort_unstable();
            return Err(Error::DuplicateMajor {
                major: registration.major,
                names,
            });
        }
        self.entries.insert(registration.major, registration);
        Ok(())
    }

    /// Chained form of [`register`](Self::register).
    pub fn with(mut self, registration: ClientRegistration) -> Result<Registry> {
        self.register(registration)?;
        Ok(self)
    }

    /// The registration for `major`: [`Error::DuplicateMajor`] if two claimed it,
    /// [`Error::UnknownMajor`] (listing the registered majors) if none did.
    pub fn get(&self, major: u16) -> Result<&ClientRegistration> {
        if let Some(names) = self.duplicates.get(&major) {
            return Err(Error::DuplicateMajor {
                major,
                names: names.clone(),
            });
        }
        self.entries.get(&major).ok_or_else(|| Error::UnknownMajor {
            major,
            registered: self.majors(),
        })
    }

    /// The usable registrations, by ascending major (duplicated majors excluded).
    pub fn registrations(&self) -> impl DoubleEndedIterator<Item = &ClientRegistration> {
        self.entries.values()
    }

    /// Every registered major, ascending, including duplicated ones.
    pub fn majors(&self) -> Vec<u16> {
        let mut majors: Vec<u16> = self
            .entries
            .keys()
            .chain(self.duplicates.keys())
            .copied()
            .collect();
        majors.sort_unstable();
        majors
    }

    /// Majors claimed by more than one registration, with their names.
    pub fn duplicates(&self) -> impl Iterator<Item = (u16, &[&'static str])> {
        self.duplicates.iter().map(|(m, n)| (*m, n.as_slice()))
    }
}

#[cfg(test)]
mod tests;
