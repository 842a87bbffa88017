//! Integration tests: migrations.
