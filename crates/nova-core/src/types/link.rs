//! Hypermedia links (`links`, `servers_links`, ...).

use serde::{Deserialize, Serialize};

use super::string_enum::null_as_default;

/// One entry of a `links` list: `{"href": ..., "rel": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Link {
    /// The target URL (treat as opaque).
    #[serde(default, deserialize_with = "null_as_default")]
    pub href: String,
    /// The relation: `self`, `bookmark`, `next`, ...
    #[serde(default, deserialize_with = "null_as_default")]
    pub rel: String,
    /// Media type, when given.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// Finds the `rel == "next"` link of a collection's `*_links` list.
pub fn next_link(links: &[Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| l.rel == "next")
        .map(|l| l.href.as_str())
}
