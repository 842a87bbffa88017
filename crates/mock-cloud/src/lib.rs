//! mock-cloud (skeleton).
