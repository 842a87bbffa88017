//! Integration tests: instance actions.
