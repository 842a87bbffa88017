//! Integration tests: server diagnostics.
