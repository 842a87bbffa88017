//! Simple tenant usage.
