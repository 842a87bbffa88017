//! Allocation counting: every program linking this crate (both bench programs) runs on a
//! counting global allocator, so the show scenario can report allocations per request
//! and the guard test can bound them. The cost is one relaxed atomic add per
//! allocation, the same on both sides.

use std::alloc::System;

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Heap allocations (including reallocations, which may move) made by this process so far.
pub fn allocations_so_far() -> u64 {
    let stats = GLOBAL.stats();
    (stats.allocations + stats.reallocations) as u64
}
