//! HTTP tests of the mock cloud: one binary, one module per area.

mod binary;
#[path = "../common/mod.rs"]
mod common;
mod compute;
mod connections;
mod control;
mod keystone;
mod support;
