//! Compute services.
