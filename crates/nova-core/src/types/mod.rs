//! Compute resource types (servers, flavors, keypairs, ...), shaped like Nova's v2.1 JSON.
