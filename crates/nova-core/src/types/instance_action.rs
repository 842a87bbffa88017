//! Instance actions and their events.
