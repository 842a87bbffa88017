//! Server diagnostics and NUMA topology.
