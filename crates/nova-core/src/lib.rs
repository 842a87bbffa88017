//! nova-core (skeleton; the module list below is the file-ownership contract).

pub mod compute;
pub mod types;

/// Placeholder until microversion.rs lands.
pub use microversion::MicroVersion;
mod microversion {
    /// A compute API microversion.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct MicroVersion {
        major: u16,
        minor: u16,
    }
}
