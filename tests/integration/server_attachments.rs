//! Integration tests: server attachments.
