//! Server groups (`/os-server-groups`), as they appear in responses.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default};

/// A server group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerGroup {
    /// The group UUID.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The group name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Policies (below 2.64).
    #[serde(default, deserialize_with = "lenient")]
    pub policies: Option<Vec<String>>,
    /// Policy (2.64+).
    #[serde(default, deserialize_with = "lenient")]
    pub policy: Option<String>,
    /// Rules (2.64+).
    #[serde(default, deserialize_with = "lenient")]
    pub rules: Option<Map<String, Value>>,
    /// Member server ids.
    #[serde(default, deserialize_with = "null_as_default")]
    pub members: Vec<String>,
    /// Metadata (below 2.64).
    #[serde(default, deserialize_with = "lenient")]
    pub metadata: Option<Map<String, Value>>,
    /// Project (2.13+).
    #[serde(default, deserialize_with = "lenient")]
    pub project_id: Option<String>,
    /// User (2.13+).
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
