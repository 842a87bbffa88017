//! Integration tests: server moves.
