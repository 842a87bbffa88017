//! keystone-auth (skeleton).
