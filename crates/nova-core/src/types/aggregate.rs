//! Host aggregates (`/os-aggregates`, admin): responses and requests.
//!
//! An aggregate groups compute hosts and carries metadata (an `availability_zone` entry
//! makes it an availability zone). `uuid` appears at 2.41; caching images on its hosts
//! (`POST /os-aggregates/{id}/images`) needs 2.81. The URL id is always the integer `id`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::{lenient, null_as_default};

/// A host aggregate.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Aggregate {
    /// The integer id (used in URLs).
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: u64,
    /// The UUID (2.41+).
    #[serde(default, deserialize_with = "lenient")]
    pub uuid: Option<String>,
    /// The name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The availability zone the aggregate defines (`null` when none).
    #[serde(default, deserialize_with = "lenient")]
    pub availability_zone: Option<String>,
    /// Member hosts (absent from the create answer).
    #[serde(default, deserialize_with = "lenient")]
    pub hosts: Option<Vec<String>>,
    /// Metadata (absent from the create answer).
    #[serde(default, deserialize_with = "lenient")]
    pub metadata: Option<BTreeMap<String, String>>,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient")]
    pub created_at: Option<String>,
    /// Last change.
    #[serde(default, deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    /// Always false for a live aggregate.
    #[serde(default, deserialize_with = "null_as_default")]
    pub deleted: bool,
    /// Deletion time (always null in practice).
    #[serde(default, deserialize_with = "lenient")]
    pub deleted_at: Option<String>,
    /// Fields this client does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Aggregate {
    /// The member hosts (empty when the answer had none).
    pub fn host_list(&self) -> &[String] {
        self.hosts.as_deref().unwrap_or(&[])
    }
}

/// A request to create an aggregate (`POST /os-aggregates`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateAggregate {
    /// The name (1-255 characters, unique).
    pub name: String,
    /// The availability zone it defines.
    pub availability_zone: Option<String>,
}

impl CreateAggregate {
    /// An aggregate named `name` in no availability zone.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            availability_zone: None,
        }
    }

    /// Makes the aggregate an availability zone named `zone`.
    pub fn availability_zone(mut self, zone: impl Into<String>) -> Self {
        self.availability_zone = Some(zone.into());
        self
    }

    /// The `{"aggregate": {...}}` body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(self.name.clone()));
        if let Some(zone) = &self.availability_zone {
            m.insert("availability_zone".into(), Value::from(zone.clone()));
        }
        let mut body = Map::new();
        body.insert("aggregate".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// A request to rename an aggregate or change its zone (`PUT /os-aggregates/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateAggregate {
    /// A new name.
    pub name: Option<String>,
    /// A new availability zone.
    pub availability_zone: Option<String>,
}

impl UpdateAggregate {
    /// Changes nothing yet (Nova needs at least one field).
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames the aggregate.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Changes the availability zone.
    pub fn availability_zone(mut self, zone: impl Into<String>) -> Self {
        self.availability_zone = Some(zone.into());
        self
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.availability_zone.is_none()
    }

    /// The `{"aggregate": {...}}` body.
    pub fn to_body(&self) -> Value {
        let mut m = Map::new();
        if let Some(name) = &self.name {
            m.insert("name".into(), Value::from(name.clone()));
        }
        if let Some(zone) = &self.availability_zone {
            m.insert("availability_zone".into(), Value::from(zone.clone()));
        }
        let mut body = Map::new();
        body.insert("aggregate".into(), Value::Object(m));
        Value::Object(body)
    }
}

/// The `set_metadata` action body: `None` values remove their key.
pub fn aggregate_metadata_body(items: &BTreeMap<String, Option<String>>) -> Value {
    let metadata: Map<String, Value> = items
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().map_or(Value::Null, Value::from)))
        .collect();
    serde_json::json!({"set_metadata": {"metadata": metadata}})
}

/// The `POST /os-aggregates/{id}/images` body (2.81+).
pub fn aggregate_images_body(image_ids: &[String]) -> Value {
    let cache: Vec<Value> = image_ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    serde_json::json!({ "cache": cache })
}

/// `uuid` is shown from 2.41.
pub const AGGREGATE_UUID: crate::VersionReq =
    crate::VersionReq::at_least(crate::MicroVersion::new(2, 41));
/// Caching images on an aggregate's hosts needs 2.81.
pub const AGGREGATE_IMAGES: crate::VersionReq =
    crate::VersionReq::at_least(crate::MicroVersion::new(2, 81));

/// Checks a reference sample's top-level `key` if it belongs to this module: `true` when
/// it did (and the sample passed), `false` for a key of another module.
#[cfg(test)]
pub(crate) fn check_sample(key: &str, inner: &serde_json::Value, minor: u32, file: &str) -> bool {
    let check = |a: &Aggregate| {
        assert!(a.id > 0, "{file}: id");
        assert!(!a.name.is_empty(), "{file}: name");
        assert!(
            a.extra.is_empty(),
            "{file}: untyped aggregate fields {:?}",
            a.extra.keys().collect::<Vec<_>>()
        );
        assert_eq!(a.uuid.is_some(), minor >= 41, "{file}: uuid from 2.41");
        assert!(!a.deleted, "{file}: deleted");
    };
    match key {
        "aggregate" => {
            let a: Aggregate =
                serde_json::from_value(inner.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            check(&a);
            true
        }
        "aggregates" => {
            let list: Vec<Aggregate> =
                serde_json::from_value(inner.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!list.is_empty(), "{file}: empty list");
            list.iter().for_each(check);
            true
        }
        // The server password and security group listings have no hook of their own.
        _ => super::server_action::check_admin_sample(key, inner, file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rel: &str) -> Value {
        crate::types::sample_tests::reference_sample(&format!("os-aggregates/{rel}"))
    }

    #[test]
    fn bodies_match_novas_shapes() {
        let create = CreateAggregate::new("name").availability_zone("london");
        assert_eq!(
            create.to_body(),
            serde_json::json!({"aggregate": {"name": "name", "availability_zone": "london"}})
        );
        assert_eq!(
            CreateAggregate::new("n").to_body(),
            serde_json::json!({"aggregate": {"name": "n"}})
        );
        let update = UpdateAggregate::new().name("newname");
        assert_eq!(
            update.to_body(),
            serde_json::json!({"aggregate": {"name": "newname"}})
        );
        assert!(UpdateAggregate::new().is_empty());
        let items: BTreeMap<String, Option<String>> = [
            ("key".to_owned(), Some("value".to_owned())),
            ("gone".to_owned(), None),
        ]
        .into();
        assert_eq!(
            aggregate_metadata_body(&items),
            serde_json::json!({"set_metadata": {"metadata": {"key": "value", "gone": null}}})
        );
        assert_eq!(
            aggregate_images_body(&["70a599e0-31e7-49b7-b260-868f441e862b".to_owned()]),
            sample("v2.81/aggregate-images-post-req.json")
        );
    }

    #[test]
    fn create_answer_has_no_hosts_or_metadata() {
        let a: Aggregate =
            serde_json::from_value(sample("v2.41/aggregate-post-resp.json")["aggregate"].clone())
                .expect("aggregate");
        assert!(a.hosts.is_none() && a.metadata.is_none());
        assert!(a.host_list().is_empty());
        assert_eq!(a.availability_zone.as_deref(), Some("nova"));
    }
}
