//! nova-v2 (skeleton).
