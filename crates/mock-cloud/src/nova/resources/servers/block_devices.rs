//! The block device mappings of `POST /servers` as Nova 34 checks them: the request schema
//! (`_legacy_block_device_mapping` and `_block_device_mapping_v2` in
//! `nova/api/openstack/compute/schemas/servers.py`, properties in schema order, the first
//! error reported), then the controller's checks (`_process_bdms_for_create` and
//! `BlockDeviceDict.from_api` / `from_legacy` in `nova/block_device.py`).

use serde_json::{Map, Value};

use crate::nova::ApiVersion;

use super::super::validation::*;

/// The legacy mapping's properties, in Nova's schema order (v2 starts with them too).
const LEGACY_KEYS: [&str; 8] = [
    "virtual_name",
    "volume_id",
    "snapshot_id",
    "volume_size",
    "device_name",
    "delete_on_termination",
    "no_device",
    "connection_info",
];

/// The properties v2 adds, in schema order.
const V2_KEYS: [&str; 8] = [
    "source_type",
    "uuid",
    "image_id",
    "destination_type",
    "guest_format",
    "device_type",
    "disk_bus",
    "boot_index",
];

/// A v2 mapping's `tag`: 2.32 only, then 2.42+.
fn bdm_tag_allowed(v: ApiVersion) -> bool {
    v == ApiVersion(2, 32) || v.at_least(2, 42)
}

/// `server.block_device_mapping` against the schema.
pub fn validate_legacy(value: &Value) -> Result<(), Invalid> {
    let key = "block_device_mapping";
    check_type(key, value, &["array"])?;
    for item in value.as_array().into_iter().flatten() {
        check_type(key, item, &["object"])?;
        let Some(o) = item.as_object() else { continue };
        check_legacy_properties(o)?;
        check_no_extra(Some(key), o, item, &LEGACY_KEYS)?;
    }
    Ok(())
}

/// `server.block_device_mapping_v2` against the schema at `v`.
pub fn validate_v2(value: &Value, v: ApiVersion) -> Result<(), Invalid> {
    let key = "block_device_mapping_v2";
    check_type(key, value, &["array"])?;
    let mut allowed: Vec<&str> = LEGACY_KEYS.iter().chain(V2_KEYS.iter()).copied().collect();
    if bdm_tag_allowed(v) {
        allowed.push("tag");
    }
    if v.at_least(2, 67) {
        allowed.push("volume_type");
    }
    for item in value.as_array().into_iter().flatten() {
        check_type(key, item, &["object"])?;
        let Some(o) = item.as_object() else { continue };
        check_legacy_properties(o)?;
        if let Some(s) = o.get("source_type") {
            check_enum("source_type", s, &["volume", "image", "snapshot", "blank"])?;
        }
        if let Some(u) = o.get("uuid") {
            check_string("uuid", u, 1, 255)?;
            check_pattern("uuid", u, "^[a-zA-Z0-9._-]*$", |c| {
                c.is_ascii_alphanumeric() || "._-".contains(c)
            })?;
        }
        if let Some(id) = o.get("image_id") {
            check_uuid("image_id", id)?;
        }
        if let Some(d) = o.get("destination_type") {
            check_enum("destination_type", d, &["local", "volume"])?;
        }
        for field in ["guest_format", "device_type", "disk_bus"] {
            if let Some(s) = o.get(field) {
                check_string(field, s, 0, 255)?;
            }
        }
        if let Some(b) = o.get("boot_index") {
            check_type("boot_index", b, &["integer", "string", "null"])?;
            check_signed_digits("boot_index", b)?;
        }
        if let Some(t) = o.get("tag").filter(|_| allowed.contains(&"tag")) {
            super::create_schema::check_tag("tag", t)?;
        }
        if let Some(t) = o
            .get("volume_type")
            .filter(|_| allowed.contains(&"volume_type"))
        {
            check_string_or_null("volume_type", t, 0, 255)?;
        }
        check_no_extra(Some(key), o, item, &allowed)?;
    }
    Ok(())
}

/// The properties both syntaxes share.
fn check_legacy_properties(o: &Map<String, Value>) -> Result<(), Invalid> {
    if let Some(n) = o.get("virtual_name") {
        check_string("virtual_name", n, 0, 255)?;
    }
    for field in ["volume_id", "snapshot_id"] {
        if let Some(id) = o.get(field) {
            check_uuid(field, id)?;
        }
    }
    if let Some(size) = o.get("volume_size") {
        check_volume_size(size)?;
    }
    if let Some(d) = o.get("device_name") {
        check_string("device_name", d, 1, 255)?;
        check_pattern("device_name", d, "^[a-zA-Z0-9._/-]*$", |c| {
            c.is_ascii_alphanumeric() || "._/-".contains(c)
        })?;
    }
    if let Some(d) = o.get("delete_on_termination") {
        check_boolean("delete_on_termination", d)?;
    }
    if let Some(c) = o.get("connection_info") {
        check_string("connection_info", c, 0, 16_777_215)?;
    }
    Ok(())
}

/// `parameter_types.volume_id` / `image_id`: a string in UUID format.
fn check_uuid(field: &str, value: &Value) -> Result<(), Invalid> {
    check_type(field, value, &["string"])?;
    if value.as_str().is_some_and(is_uuid) {
        Ok(())
    } else {
        Err(format_error(field, value, "uuid"))
    }
}

/// A string matching a character-class pattern (`^[...]*$`).
fn check_pattern(
    field: &str,
    value: &Value,
    pattern: &str,
    allowed: impl Fn(char) -> bool,
) -> Result<(), Invalid> {
    match value.as_str() {
        Some(s) if !s.chars().all(allowed) => Err(field_error(
            field,
            value,
            &format!("{} does not match '{pattern}'", py_repr(value)),
        )),
        _ => Ok(()),
    }
}

/// `boot_index`'s `^-?[0-9]+$` on strings.
fn check_signed_digits(field: &str, value: &Value) -> Result<(), Invalid> {
    match value.as_str() {
        Some(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(field_error(
                    field,
                    value,
                    &format!("{} does not match '^-?[0-9]+$'", py_repr(value)),
                ));
            }
            Ok(())
        }
        None => Ok(()),
    }
}

/// `parameter_types.volume_size`: an integer or digits, 1 to 2^31-1.
fn check_volume_size(value: &Value) -> Result<(), Invalid> {
    let field = "volume_size";
    check_type(field, value, &["integer", "string"])?;
    if let Some(s) = value.as_str() {
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(field_error(
                field,
                value,
                &format!("{} does not match '^[0-9]+$'", py_repr(value)),
            ));
        }
        return Ok(()); // minimum and maximum apply to numbers only
    }
    let n = value.as_i64().unwrap_or(i64::MAX);
    check_range(field, value, n, 1, MAX_INT)?;
    Ok(())
}

/// What the controller refuses after the schema (`_process_bdms_for_create`, then
/// `BlockDeviceDict.from_api` for v2 and `from_legacy` for legacy mappings), in Nova's
/// words (all 400).
pub fn check_semantics(server: &Value) -> Result<(), Invalid> {
    let list = |key: &str| {
        server
            .get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let (legacy, v2) = (
        list("block_device_mapping"),
        list("block_device_mapping_v2"),
    );
    if !legacy.is_empty() && !v2.is_empty() {
        return Err(
            "Using different block_device_mapping syntaxes is not allowed in the same request."
                .into(),
        );
    }
    let invalid = |details: &str| format!("Block Device Mapping is Invalid: {details}");
    let image_given = server
        .get("imageRef")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    for bdm in v2 {
        if bdm.get("no_device").is_some_and(truthy_value) {
            continue;
        }
        let source = bdm.get("source_type").and_then(Value::as_str);
        let has_uuid = bdm.get("uuid").is_some_and(truthy_value);
        let destination = bdm.get("destination_type").and_then(Value::as_str);
        let volume_type = bdm.get("volume_type").is_some_and(truthy_value);
        if source == Some("blank") && has_uuid {
            return Err(invalid("Invalid device UUID."));
        }
        if source != Some("blank") && !has_uuid {
            return Err(invalid("Missing device UUID."));
        }
        if source == Some("image") && destination == Some("local") {
            let boot_index = match bdm.get("boot_index") {
                Some(Value::String(s)) => s.parse::<i64>().unwrap_or(-1),
                Some(other) => other.as_i64().unwrap_or(-1),
                None => -1,
            };
            if !(image_given && boot_index == 0) {
                return Err(invalid("Mapping image to local is not supported."));
            }
        }
        if destination == Some("local") && volume_type {
            return Err(invalid(
                "Specifying a volume_type with destination_type=local is not supported.",
            ));
        }
        if source == Some("volume") && volume_type {
            return Err(invalid(
                "Specifying volume type to existing volume is not supported.",
            ));
        }
    }
    for bdm in legacy {
        let virtual_name = bdm.get("virtual_name").and_then(Value::as_str);
        let swap_or_ephemeral = virtual_name.is_some_and(|n| {
            n == "swap"
                || n.strip_prefix("ephemeral")
                    .is_some_and(|d| d.parse::<u32>().is_ok())
        });
        let known = swap_or_ephemeral
            || ["snapshot_id", "volume_id", "no_device"]
                .iter()
                .any(|k| bdm.get(*k).is_some_and(truthy_value));
        if !known {
            return Err(invalid("Unrecognized legacy format."));
        }
    }
    Ok(())
}

/// Python truthiness of a JSON value.
fn truthy_value(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LATEST: ApiVersion = ApiVersion(2, 96);

    fn v2_error(bdm: Value) -> String {
        validate_v2(&json!([bdm]), LATEST).err().unwrap_or_default()
    }

    fn legacy_error(bdm: Value) -> String {
        validate_legacy(&json!([bdm])).err().unwrap_or_default()
    }

    // Each expected text is what Nova 34's validator gave for the same body.
    #[test]
    fn legacy_mappings_are_checked_like_nova() {
        let vol = "70a599e0-31e7-49b7-b260-868f441e862b";
        assert_eq!(
            legacy_error(json!({"device_name": "", "volume_id": vol})),
            "Invalid input for field/attribute device_name. Value: . '' should be non-empty"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "vd a", "volume_id": vol})),
            "Invalid input for field/attribute device_name. Value: vd a. 'vd a' does not match '^[a-zA-Z0-9._/-]*$'"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "", "volume_id": "x"})),
            "Invalid input for field/attribute volume_id. Value: x. 'x' is not a 'uuid'",
            "volume_id comes before device_name in the schema"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "vda", "volume_id": ""})),
            "Invalid input for field/attribute volume_id. Value: . '' is not a 'uuid'"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "vda", "volume_size": 0})),
            "Invalid input for field/attribute volume_size. Value: 0. 0 is less than the minimum of 1"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "vda", "volume_size": "big"})),
            "Invalid input for field/attribute volume_size. Value: big. 'big' does not match '^[0-9]+$'"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "vda", "volume_size": null})),
            "Invalid input for field/attribute volume_size. Value: None. None is not of type 'integer', 'string'"
        );
        assert_eq!(
            legacy_error(json!({"device_name": "vda", "connection_info": 5})),
            "Invalid input for field/attribute connection_info. Value: 5. 5 is not of type 'string'"
        );
        assert!(legacy_error(json!({"device_name": "vda", "volume_id": vol})).is_empty());
    }

    #[test]
    fn v2_mappings_are_checked_like_nova() {
        assert_eq!(
            v2_error(json!({"source_type": "volume", "uuid": "a b", "destination_type": "volume"})),
            "Invalid input for field/attribute uuid. Value: a b. 'a b' does not match '^[a-zA-Z0-9._-]*$'"
        );
        assert_eq!(
            v2_error(json!({"source_type": "volume", "uuid": ""})),
            "Invalid input for field/attribute uuid. Value: . '' should be non-empty"
        );
        assert_eq!(
            v2_error(json!({"source_type": "image", "image_id": "x"})),
            "Invalid input for field/attribute image_id. Value: x. 'x' is not a 'uuid'"
        );
        assert_eq!(
            v2_error(json!({"source_type": "blank", "boot_index": "abc", "volume_size": 1})),
            "Invalid input for field/attribute boot_index. Value: abc. 'abc' does not match '^-?[0-9]+$'"
        );
        assert_eq!(
            v2_error(json!({"source_type": "blank", "volume_size": 2_147_483_648_u64})),
            "Invalid input for field/attribute volume_size. Value: 2147483648. 2147483648 is greater than the maximum of 2147483647"
        );
        assert_eq!(
            v2_error(json!({"source_type": "blank", "volume_size": "-1"})),
            "Invalid input for field/attribute volume_size. Value: -1. '-1' does not match '^[0-9]+$'"
        );
        assert_eq!(
            v2_error(json!({"source_type": "blank", "guest_format": 1})),
            "Invalid input for field/attribute guest_format. Value: 1. 1 is not of type 'string'"
        );
        assert_eq!(
            v2_error(json!({"uuid": "a b", "device_name": ""})),
            "Invalid input for field/attribute device_name. Value: . '' should be non-empty",
            "the legacy properties come first in v2's schema"
        );
        assert!(
            v2_error(json!({"source_type": "blank", "boot_index": null, "volume_size": 1}))
                .is_empty()
        );
        assert!(
            v2_error(json!({"source_type": "volume", "destination_type": "volume"})).is_empty()
        );
    }

    // Each expected text is what Nova 34 answered (400) for the same body.
    #[test]
    fn the_controllers_checks_follow_the_schema() {
        let vol = "70a599e0-31e7-49b7-b260-868f441e862b";
        let error = |server: Value| check_semantics(&server).err().unwrap_or_default();
        assert_eq!(
            error(
                json!({"block_device_mapping_v2": [{"source_type": "volume", "destination_type": "volume", "boot_index": 0}]})
            ),
            "Block Device Mapping is Invalid: Missing device UUID."
        );
        assert_eq!(
            error(
                json!({"block_device_mapping_v2": [{"destination_type": "local", "boot_index": 0}]})
            ),
            "Block Device Mapping is Invalid: Missing device UUID."
        );
        assert_eq!(
            error(
                json!({"block_device_mapping_v2": [{"source_type": "blank", "uuid": "abc", "destination_type": "local", "volume_size": 1}]})
            ),
            "Block Device Mapping is Invalid: Invalid device UUID."
        );
        assert_eq!(
            error(
                json!({"block_device_mapping_v2": [{"source_type": "image", "uuid": vol, "destination_type": "local", "boot_index": 0}]})
            ),
            "Block Device Mapping is Invalid: Mapping image to local is not supported."
        );
        assert!(error(json!({"imageRef": vol, "block_device_mapping_v2": [{"source_type": "image", "uuid": vol, "destination_type": "local", "boot_index": 0}]})).is_empty());
        assert_eq!(
            error(json!({"block_device_mapping": [{"device_name": "vda"}]})),
            "Block Device Mapping is Invalid: Unrecognized legacy format."
        );
        assert_eq!(
            error(
                json!({"block_device_mapping": [{"device_name": "vda", "volume_id": vol}],
                "block_device_mapping_v2": [{"source_type": "blank", "destination_type": "local", "volume_size": 1}]})
            ),
            "Using different block_device_mapping syntaxes is not allowed in the same request."
        );
        assert!(
            error(json!({"block_device_mapping": [{"device_name": "vda", "volume_id": vol}]}))
                .is_empty()
        );
    }
}
