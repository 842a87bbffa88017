//! `os:scheduler_hints` / `OS-SCH-HNT:scheduler_hints` of `POST /servers` as Nova 34's
//! `_hints` schema checks them (`nova/api/openstack/compute/schemas/servers.py`): the known
//! hints in schema order, any other key allowed with any value.

use serde_json::Value;

use super::super::validation::*;

/// Checks one hints object found at `field`.
pub fn validate_hints(field: &str, hints: &Value) -> Result<(), Invalid> {
    check_type(field, hints, &["object"])?;
    let Some(o) = hints.as_object() else {
        return Ok(());
    };
    for key in ["group", "different_host"] {
        // oneOf: a UUID string, or an array of UUID strings
        if let Some(value) = o.get(key)
            && !(is_uuid_string(value)
                || value
                    .as_array()
                    .is_some_and(|items| items.iter().all(is_uuid_string)))
        {
            return Err(not_valid_under_any(key, value));
        }
    }
    if let Some(value) = o.get("same_host") {
        check_type("same_host", value, &["string", "array"])?;
        for (index, item) in value.as_array().into_iter().flatten().enumerate() {
            let at = index.to_string();
            check_type(&at, item, &["string"])?;
            if !is_uuid_string(item) {
                return Err(format_error(&at, item, "uuid"));
            }
        }
    }
    if let Some(value) = o.get("query") {
        check_type("query", value, &["string", "object"])?;
    }
    if let Some(value) = o.get("target_cell") {
        check_name("target_cell", value)?;
    }
    if let Some(value) = o.get("different_cell") {
        check_type("different_cell", value, &["string", "array"])?;
        for (index, item) in value.as_array().into_iter().flatten().enumerate() {
            check_type(&index.to_string(), item, &["string"])?;
        }
    }
    if let Some(value) = o.get("build_near_host_ip") {
        check_type("build_near_host_ip", value, &["string"])?;
        let s = value.as_str().unwrap_or_default();
        if !is_ipv4(s) && !is_ipv6(s) {
            return Err(not_valid_under_any("build_near_host_ip", value));
        }
    }
    if let Some(value) = o.get("cidr") {
        check_type("cidr", value, &["string"])?;
        let s = value.as_str().unwrap_or_default();
        let ok = s.strip_prefix('/').is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || "abcdef.:".contains(c))
        });
        if !ok {
            return Err(field_error(
                "cidr",
                value,
                &format!("{} does not match '^/[0-9a-f.:]+$'", py_repr(value)),
            ));
        }
    }
    Ok(())
}

fn is_uuid_string(value: &Value) -> bool {
    value.as_str().is_some_and(is_uuid)
}

fn not_valid_under_any(field: &str, value: &Value) -> Invalid {
    field_error(
        field,
        value,
        &format!(
            "{} is not valid under any of the given schemas",
            py_repr(value)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(hints: Value) -> String {
        validate_hints("os:scheduler_hints", &hints)
            .err()
            .unwrap_or_default()
    }

    // Each expected text is what Nova 34's validator gave for the same hints.
    #[test]
    fn hints_are_checked_like_nova() {
        let cases = [
            (
                json!({"group": "x"}),
                "Invalid input for field/attribute group. Value: x. 'x' is not valid under any of the given schemas",
            ),
            (
                json!({"group": ""}),
                "Invalid input for field/attribute group. Value: . '' is not valid under any of the given schemas",
            ),
            (
                json!({"group": ["x"]}),
                "Invalid input for field/attribute group. Value: ['x']. ['x'] is not valid under any of the given schemas",
            ),
            (
                json!({"same_host": ["x"]}),
                "Invalid input for field/attribute 0. Value: x. 'x' is not a 'uuid'",
            ),
            (
                json!({"same_host": 5}),
                "Invalid input for field/attribute same_host. Value: 5. 5 is not of type 'string', 'array'",
            ),
            (
                json!({"different_host": "x"}),
                "Invalid input for field/attribute different_host. Value: x. 'x' is not valid under any of the given schemas",
            ),
            (
                json!({"query": 5}),
                "Invalid input for field/attribute query. Value: 5. 5 is not of type 'string', 'object'",
            ),
            (
                json!({"target_cell": ""}),
                "Invalid input for field/attribute target_cell. Value: . '' should be non-empty",
            ),
            (
                json!({"different_cell": [5]}),
                "Invalid input for field/attribute 0. Value: 5. 5 is not of type 'string'",
            ),
            (
                json!({"build_near_host_ip": "x"}),
                "Invalid input for field/attribute build_near_host_ip. Value: x. 'x' is not valid under any of the given schemas",
            ),
            (
                json!({"cidr": "24"}),
                "Invalid input for field/attribute cidr. Value: 24. '24' does not match '^/[0-9a-f.:]+$'",
            ),
            (
                json!("x"),
                "Invalid input for field/attribute os:scheduler_hints. Value: x. 'x' is not of type 'object'",
            ),
        ];
        for (hints, expected) in cases {
            assert_eq!(error(hints.clone()), expected, "{hints}");
        }
        for ok in [
            json!({"": "=="}),
            json!({"same_host": "x"}),
            json!({"cidr": "/24"}),
            json!({"foo": ["a", 1]}),
            json!({"group": "70a599e0-31e7-49b7-b260-868f441e862b"}),
        ] {
            assert!(error(ok.clone()).is_empty(), "{ok}");
        }
    }
}
