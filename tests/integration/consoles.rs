//! Integration tests: consoles.
