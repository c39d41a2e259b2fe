//! Generation numbers: every derived value that views cache from gets a new one when it
//! changes, so a view compares one number instead of the data.

use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(1);

/// A number no earlier call returned.
pub fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}
