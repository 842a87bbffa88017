//! A small JSON-schema-like checker that words its errors the way Nova does
//! (`nova/api/validation/validators.py` wrapping `jsonschema` messages).

use serde_json::{Map, Value};

/// A 400 message, already in Nova's wording.
pub type Invalid = String;

/// Python `repr()` of a JSON value (what jsonschema puts in its messages).
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python `str()` of a JSON value (what `%s` gives in Nova's wrapper).
pub fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Nova's wrapper for an error found at `field` (the last element of the error path).
pub fn field_error(field: &str, value: &Value, message: &str) -> Invalid {
    format!(
        "Invalid input for field/attribute {field}. Value: {}. {message}",
        py_str(value)
    )
}

/// Nova's `db.MAX_INT`, the `maximum` of its integer fields.
pub const MAX_INT: i64 = 0x7FFF_FFFF;

/// jsonschema's `minimum` / `maximum` check of integer `n` (read from `value`) at
/// `field`, with Nova's messages: `n` when it is within `min..=max`.
pub fn check_range(field: &str, value: &Value, n: i64, min: i64, max: i64) -> Result<i64, Invalid> {
    if n < min {
        return Err(field_error(
            field,
            value,
            &format!("{} is less than the minimum of {min}", py_repr(value)),
        ));
    }
    if n > max {
        return Err(field_error(
            field,
            value,
            &format!("{} is greater than the maximum of {max}", py_repr(value)),
        ));
    }
    Ok(n)
}

/// jsonschema's type error text.
pub fn type_message(value: &Value, types: &[&str]) -> String {
    let list = types
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{} is not of type {list}", py_repr(value))
}

/// Whether `value` has one of the JSON-schema type names.
pub fn has_type(value: &Value, types: &[&str]) -> bool {
    types.iter().any(|t| match *t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => false,
    })
}

/// Check the type of `value` found at `field`.
pub fn check_type(field: &str, value: &Value, types: &[&str]) -> Result<(), Invalid> {
    if has_type(value, types) {
        Ok(())
    } else {
        Err(field_error(field, value, &type_message(value, types)))
    }
}

/// Check a string's length bounds (in characters).
pub fn check_len(field: &str, value: &Value, min: usize, max: usize) -> Result<(), Invalid> {
    if let Value::String(s) = value {
        let n = s.chars().count();
        if n < min {
            let msg = if min == 1 {
                format!("{} should be non-empty", py_repr(value))
            } else {
                format!("{} is too short", py_repr(value))
            };
            return Err(field_error(field, value, &msg));
        }
        if n > max {
            return Err(field_error(
                field,
                value,
                &format!("{} is too long", py_repr(value)),
            ));
        }
    }
    Ok(())
}

/// A string of bounded length.
pub fn check_string(field: &str, value: &Value, min: usize, max: usize) -> Result<(), Invalid> {
    check_type(field, value, &["string"])?;
    check_len(field, value, min, max)
}

/// A string (or null) of bounded length.
pub fn check_string_or_null(
    field: &str,
    value: &Value,
    min: usize,
    max: usize,
) -> Result<(), Invalid> {
    check_type(field, value, &["string", "null"])?;
    check_len(field, value, min, max)
}

/// An enum of strings.
pub fn check_enum(field: &str, value: &Value, allowed: &[&str]) -> Result<(), Invalid> {
    if value.as_str().is_some_and(|s| allowed.contains(&s)) {
        return Ok(());
    }
    let list = allowed
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(field_error(
        field,
        value,
        &format!("{} is not one of [{list}]", py_repr(value)),
    ))
}

/// A format error (`'x' is not a 'uuid'`).
pub fn format_error(field: &str, value: &Value, format: &str) -> Invalid {
    field_error(
        field,
        value,
        &format!("{} is not a '{format}'", py_repr(value)),
    )
}

/// Nova's `boolean` parameter type (Nova 34's `parameter_types.boolean`): JSON booleans or
/// the usual strings.
pub fn check_boolean(field: &str, value: &Value) -> Result<(), Invalid> {
    const OK: &[&str] = &[
        "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", "False", "FALSE",
        "false", "0", "OFF", "Off", "off", "NO", "No", "no",
    ];
    match value {
        Value::Bool(_) => Ok(()),
        Value::String(s) if OK.contains(&s.as_str()) => Ok(()),
        Value::String(_) => Err(field_error(
            field,
            value,
            &format!(
                "{} is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']",
                py_repr(value)
            ),
        )),
        _ => check_type(field, value, &["boolean", "string"]),
    }
}

/// Interpret Nova's `boolean` parameter.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(
            s.as_str(),
            "True" | "TRUE" | "true" | "1" | "ON" | "On" | "on" | "YES" | "Yes" | "yes" | "y" | "t"
        ),
        _ => false,
    }
}

/// Nova's `positive_integer`: an integer >= 1, or a string of digits.
pub fn check_positive_integer(field: &str, value: &Value) -> Result<u64, Invalid> {
    check_type(field, value, &["integer", "string"])?;
    let n = match value {
        Value::String(s) => {
            if s.is_empty() {
                return Err(field_error(
                    field,
                    value,
                    &format!("{} should be non-empty", py_repr(value)),
                ));
            }
            if !s.chars().all(|c| c.is_ascii_digit()) {
                return Err(field_error(
                    field,
                    value,
                    &format!("{} does not match '^[0-9]*$'", py_repr(value)),
                ));
            }
            s.parse::<u64>().unwrap_or(u64::MAX)
        }
        other => other.as_u64().unwrap_or(0),
    };
    check_range(
        field,
        value,
        i64::try_from(n).unwrap_or(i64::MAX),
        1,
        i64::MAX,
    )?;
    Ok(n)
}

/// A UUID in any of the forms Python's `uuid.UUID` accepts (we take the hyphenated form).
pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// IPv4 dotted quad.
pub fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

/// IPv6.
pub fn is_ipv6(s: &str) -> bool {
    s.parse::<std::net::Ipv6Addr>().is_ok()
}

/// Standard base64 with padding.
pub fn is_base64(s: &str) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).is_ok()
}

/// `additionalProperties: false`: report the keys not in `allowed`.
/// `at` is the field the object sits at (None for the top level).
pub fn check_no_extra(
    at: Option<&str>,
    obj: &Map<String, Value>,
    whole: &Value,
    allowed: &[&str],
) -> Result<(), Invalid> {
    let extras: Vec<&String> = obj
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .collect();
    if extras.is_empty() {
        return Ok(());
    }
    let list = extras
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let verb = if extras.len() == 1 { "was" } else { "were" };
    let msg = format!("Additional properties are not allowed ({list} {verb} unexpected)");
    Err(match at {
        Some(field) => field_error(field, whole, &msg),
        None => msg,
    })
}

/// `required`: report the first missing key.
pub fn check_required(
    at: Option<&str>,
    obj: &Map<String, Value>,
    whole: &Value,
    required: &[&str],
) -> Result<(), Invalid> {
    for key in required {
        if !obj.contains_key(*key) {
            let msg = format!("'{key}' is a required property");
            return Err(match at {
                Some(field) => field_error(field, whole, &msg),
                None => msg,
            });
        }
    }
    Ok(())
}

/// Nova's `name` format: printable, no leading or trailing whitespace.
pub fn check_name(field: &str, value: &Value) -> Result<(), Invalid> {
    check_string(field, value, 1, 255)?;
    let s = value.as_str().unwrap_or_default();
    if s.trim() != s || s.chars().any(|c| c.is_control()) {
        return Err("An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.".into());
    }
    Ok(())
}

/// Nova's metadata object: keys 1-255 chars of `[a-zA-Z0-9-_:. ]`, string values up to 255.
pub fn check_metadata(field: &str, value: &Value) -> Result<(), Invalid> {
    check_type(field, value, &["object"])?;
    if let Value::Object(map) = value {
        for (k, v) in map {
            let key_ok = !k.is_empty()
                && k.chars().count() <= 255
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_:. ".contains(c));
            if !key_ok {
                return Err(field_error(
                    field,
                    value,
                    &format!(
                        "'{k}' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{{1,255}}$'"
                    ),
                ));
            }
            check_string(k, v, 0, 255)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_errors_name_the_bound_as_jsonschema_does() {
        let at = |n: i64| check_range("ram", &serde_json::json!(n), n, 1, MAX_INT);
        assert_eq!(at(1), Ok(1));
        assert_eq!(at(MAX_INT), Ok(MAX_INT));
        assert_eq!(
            at(0).unwrap_err(),
            "Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1"
        );
        assert_eq!(
            at(MAX_INT + 1).unwrap_err(),
            "Invalid input for field/attribute ram. Value: 2147483648. 2147483648 is greater than the maximum of 2147483647"
        );
    }
    use serde_json::json;

    #[test]
    fn repr_matches_python() {
        assert_eq!(
            py_repr(&json!({"a": [1, true, null, "x"]})),
            "{'a': [1, True, None, 'x']}"
        );
        assert_eq!(py_str(&json!("plain")), "plain");
    }

    #[test]
    fn extra_property_message() {
        let v = json!({"name": "a", "tags": []});
        let err = check_no_extra(
            Some("server"),
            v.as_object().unwrap_or(&Map::new()),
            &v,
            &["name"],
        );
        assert_eq!(
            err.err().unwrap_or_default(),
            "Invalid input for field/attribute server. Value: {'name': 'a', 'tags': []}. Additional properties are not allowed ('tags' was unexpected)"
        );
    }

    #[test]
    fn positive_integer_rules() {
        assert_eq!(check_positive_integer("min_count", &json!("3")), Ok(3));
        assert!(check_positive_integer("min_count", &json!(0)).is_err());
        assert!(check_positive_integer("min_count", &json!("a")).is_err());
    }
}
