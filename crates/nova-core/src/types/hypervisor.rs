//! Hypervisors.
