//! Integration tests: aggregates.
