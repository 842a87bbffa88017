//! HTTP tests of the mock cloud: one binary, one module per area.

mod binary;
mod compute;
mod control;
mod keystone;
mod support;
