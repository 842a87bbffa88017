//! Integration tests: server admin actions.
