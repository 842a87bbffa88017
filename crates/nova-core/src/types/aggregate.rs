//! Host aggregates.
