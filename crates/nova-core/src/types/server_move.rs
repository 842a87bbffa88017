//! Requests that move a server: migrate, live-migrate, evacuate.
