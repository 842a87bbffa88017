//! Integration tests: hypervisors.
