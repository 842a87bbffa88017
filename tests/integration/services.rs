//! Integration tests: services.
