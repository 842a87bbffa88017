//! Request-body validation of `POST /servers`, one schema per microversion range
//! (`@validation.schema` on `ServersController.create`: 2.1-2.18, 2.19-2.31, 2.32, 2.33-2.36,
//! 2.37-2.41, 2.42-2.51, 2.52-2.56, 2.57-2.62, 2.63-2.66, 2.67-2.73, 2.74-2.89, 2.90-2.93, 2.94+).

use serde_json::Value;

use crate::nova::ApiVersion;

use super::super::validation::*;

/// The `server` keys allowed at `v`.
pub fn allowed_server_keys(v: ApiVersion) -> Vec<&'static str> {
    let mut keys = vec![
        "name",
        "imageRef",
        "flavorRef",
        "adminPass",
        "metadata",
        "networks",
        "OS-DCF:diskConfig",
        "accessIPv4",
        "accessIPv6",
        "availability_zone",
        "block_device_mapping",
        "block_device_mapping_v2",
        "config_drive",
        "key_name",
        "min_count",
        "max_count",
        "return_reservation_id",
        "security_groups",
        "user_data",
    ];
    if !v.at_least(2, 57) {
        keys.push("personality");
    }
    if v.at_least(2, 19) {
        keys.push("description");
    }
    if v.at_least(2, 52) {
        keys.push("tags");
    }
    if v.at_least(2, 63) {
        keys.push("trusted_image_certificates");
    }
    if v.at_least(2, 74) {
        keys.push("host");
        keys.push("hypervisor_hostname");
    }
    if v.at_least(2, 90) {
        keys.push("hostname");
    }
    keys
}

/// `create_v232`/`create_v233` allow a network `tag` (2.32-2.36); `create_v237` drops it;
/// `create_v242` restores it.
fn network_tag_allowed(v: ApiVersion) -> bool {
    (v.at_least(2, 32) && !v.at_least(2, 37)) || v.at_least(2, 42)
}

/// Validate a whole create body at version `v`. Returns the first error in Nova's words.
pub fn validate_create(body: &Value, v: ApiVersion) -> Result<(), Invalid> {
    let Some(top) = body.as_object() else {
        return Err(type_message(body, &["object"]));
    };
    if let Some(server) = top.get("server") {
        validate_server(server, v)?;
    }
    for hints in ["os:scheduler_hints", "OS-SCH-HNT:scheduler_hints"] {
        if let Some(h) = top.get(hints) {
            super::scheduler_hints::validate_hints(hints, h)?;
        }
    }
    check_required(None, top, body, &["server"])?;
    check_no_extra(
        None,
        top,
        body,
        &["server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints"],
    )
}

fn validate_server(server: &Value, v: ApiVersion) -> Result<(), Invalid> {
    check_type("server", server, &["object"])?;
    let Some(obj) = server.as_object() else {
        return Ok(());
    };
    let allowed = allowed_server_keys(v);
    for (key, value) in obj {
        if !allowed.contains(&key.as_str()) {
            continue; // reported by additionalProperties below
        }
        validate_property(key, value, v)?;
    }
    let required: &[&str] = if v.at_least(2, 37) {
        &["name", "flavorRef", "networks"]
    } else {
        &["name", "flavorRef"]
    };
    check_required(Some("server"), obj, server, required)?;
    check_no_extra(Some("server"), obj, server, &allowed)
}

fn validate_property(key: &str, value: &Value, v: ApiVersion) -> Result<(), Invalid> {
    match key {
        "name" => check_name(key, value),
        "imageRef" => {
            let ok = value.as_str().is_some_and(|s| s.is_empty() || is_uuid(s));
            if ok {
                Ok(())
            } else {
                Err(field_error(
                    key,
                    value,
                    &format!(
                        "{} is not valid under any of the given schemas",
                        py_repr(value)
                    ),
                ))
            }
        }
        "flavorRef" => {
            check_type(key, value, &["string", "integer"])?;
            check_len(key, value, 1, usize::MAX)
        }
        "adminPass" => check_type(key, value, &["string"]),
        "metadata" => check_metadata(key, value),
        "networks" => validate_networks(value, v),
        "OS-DCF:diskConfig" => check_enum(key, value, &["AUTO", "MANUAL"]),
        "accessIPv4" => {
            check_type(key, value, &["string"])?;
            if is_ipv4(value.as_str().unwrap_or_default()) {
                Ok(())
            } else {
                Err(format_error(key, value, "ipv4"))
            }
        }
        "accessIPv6" => {
            check_type(key, value, &["string"])?;
            if is_ipv6(value.as_str().unwrap_or_default()) {
                Ok(())
            } else {
                Err(format_error(key, value, "ipv6"))
            }
        }
        "personality" => {
            check_type(key, value, &["array"])?;
            for item in value.as_array().into_iter().flatten() {
                check_type(key, item, &["object"])?;
                if let Some(o) = item.as_object() {
                    if let Some(p) = o.get("path") {
                        check_type("path", p, &["string"])?;
                    }
                    if let Some(c) = o.get("contents") {
                        check_type("contents", c, &["string"])?;
                        if !is_base64(c.as_str().unwrap_or_default()) {
                            return Err(format_error("contents", c, "base64"));
                        }
                    }
                    check_no_extra(Some(key), o, item, &["path", "contents"])?;
                }
            }
            Ok(())
        }
        "availability_zone" => check_string(key, value, 1, 255),
        "block_device_mapping" => super::block_devices::validate_legacy(value),
        "block_device_mapping_v2" => super::block_devices::validate_v2(value, v),
        "config_drive" => check_boolean(key, value),
        "key_name" => check_string(key, value, 1, 255),
        "min_count" | "max_count" => check_positive_integer(key, value).map(|_| ()),
        "return_reservation_id" => check_boolean(key, value),
        "security_groups" => {
            check_type(key, value, &["array"])?;
            for item in value.as_array().into_iter().flatten() {
                check_type(key, item, &["object"])?;
                if let Some(o) = item.as_object() {
                    if let Some(n) = o.get("name") {
                        check_string("name", n, 1, 255)?;
                    }
                    check_no_extra(Some(key), o, item, &["name"])?;
                }
            }
            Ok(())
        }
        "user_data" => {
            check_type(key, value, &["string"])?;
            check_len(key, value, 0, 65535)?;
            if is_base64(value.as_str().unwrap_or_default()) {
                Ok(())
            } else {
                Err(format_error(key, value, "base64"))
            }
        }
        "description" => check_string_or_null(key, value, 0, 255),
        "tags" => {
            check_type(key, value, &["array"])?;
            let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
            if items.len() > 50 {
                return Err(field_error(
                    key,
                    value,
                    &format!("{} is too long", py_repr(value)),
                ));
            }
            for t in items {
                check_tag(key, t)?;
            }
            Ok(())
        }
        "trusted_image_certificates" => {
            check_type(key, value, &["array", "null"])?;
            if let Some(items) = value.as_array() {
                if items.is_empty() {
                    return Err(field_error(
                        key,
                        value,
                        &format!("{} should be non-empty", py_repr(value)),
                    ));
                }
                for c in items {
                    check_string(key, c, 1, 255)?;
                }
            }
            Ok(())
        }
        "host" | "hypervisor_hostname" => check_string(key, value, 1, 255),
        "hostname" => check_hostname(key, value, v.at_least(2, 94)),
        _ => Ok(()),
    }
}

/// A server tag: 1-60 characters, no `/` or `,`.
pub fn check_tag(field: &str, t: &Value) -> Result<(), Invalid> {
    check_string(field, t, 1, 60)?;
    if t.as_str()
        .is_some_and(|s| s.contains('/') || s.contains(','))
    {
        return Err(field_error(
            field,
            t,
            &format!("{} does not match '^[^,/]*$'", py_repr(t)),
        ));
    }
    Ok(())
}

/// The `hostname` of 2.90+ (a label), or 2.94+ (an FQDN).
/// `parameter_types.hostname` (2.90-2.93: 2-63 characters) or `fqdn` (2.94+: 1-255), both
/// with the pattern `^[a-zA-Z0-9-._]*$`.
pub fn check_hostname(field: &str, value: &Value, fqdn: bool) -> Result<(), Invalid> {
    let (min, max) = if fqdn { (1, 255) } else { (2, 63) };
    check_string(field, value, min, max)?;
    let s = value.as_str().unwrap_or_default();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        Ok(())
    } else {
        Err(field_error(
            field,
            value,
            &format!("{} does not match '^[a-zA-Z0-9-._]*$'", py_repr(value)),
        ))
    }
}

fn validate_networks(value: &Value, v: ApiVersion) -> Result<(), Invalid> {
    let key = "networks";
    if v.at_least(2, 37) {
        let is_keyword = value.as_str().is_some_and(|s| s == "auto" || s == "none");
        let list_ok = value.is_array();
        if !is_keyword && !list_ok {
            return Err(field_error(
                key,
                value,
                &format!(
                    "{} is not valid under any of the given schemas",
                    py_repr(value)
                ),
            ));
        }
    } else {
        check_type(key, value, &["array"])?;
    }
    let mut allowed = vec!["fixed_ip", "port", "uuid"];
    if network_tag_allowed(v) {
        allowed.push("tag");
    }
    for item in value.as_array().into_iter().flatten() {
        check_type(key, item, &["object"])?;
        let Some(o) = item.as_object() else { continue };
        if let Some(ip) = o.get("fixed_ip") {
            check_type("fixed_ip", ip, &["string"])?;
            let s = ip.as_str().unwrap_or_default();
            if !is_ipv4(s) && !is_ipv6(s) {
                return Err(field_error(
                    "fixed_ip",
                    ip,
                    &format!(
                        "{} is not valid under any of the given schemas",
                        py_repr(ip)
                    ),
                ));
            }
        }
        if let Some(port) = o.get("port") {
            check_type("port", port, &["string", "null"])?;
            if port.as_str().is_some_and(|p| !is_uuid(p)) {
                return Err(format_error("port", port, "uuid"));
            }
        }
        if let Some(uuid) = o.get("uuid") {
            check_type("uuid", uuid, &["string"])?;
            if v.at_least(2, 37) && !uuid.as_str().is_some_and(is_uuid) {
                return Err(format_error("uuid", uuid, "uuid"));
            }
        }
        if let Some(tag) = o.get("tag").filter(|_| allowed.contains(&"tag")) {
            check_tag("tag", tag)?;
        }
        check_no_extra(Some(key), o, item, &allowed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({"server": {"name": "vm", "flavorRef": "1", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b"}})
    }

    #[test]
    fn tags_rejected_before_2_52() {
        let mut b = base();
        b["server"]["tags"] = json!(["a"]);
        b["server"]["networks"] = json!("auto");
        let err = validate_create(&b, ApiVersion(2, 51))
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with("Invalid input for field/attribute server. Value: "),
            "{err}"
        );
        assert!(
            err.ends_with("Additional properties are not allowed ('tags' was unexpected)"),
            "{err}"
        );
        assert!(validate_create(&b, ApiVersion(2, 52)).is_ok());
    }

    #[test]
    fn networks_required_from_2_37() {
        let b = base();
        assert!(validate_create(&b, ApiVersion(2, 36)).is_ok());
        let err = validate_create(&b, ApiVersion(2, 37))
            .err()
            .unwrap_or_default();
        assert!(err.ends_with("'networks' is a required property"), "{err}");
        let mut b = base();
        b["server"]["networks"] = json!("sometimes");
        let err = validate_create(&b, ApiVersion(2, 37))
            .err()
            .unwrap_or_default();
        assert_eq!(
            err,
            "Invalid input for field/attribute networks. Value: sometimes. 'sometimes' is not valid under any of the given schemas"
        );
    }

    #[test]
    fn personality_gone_at_2_57() {
        let mut b = base();
        b["server"]["networks"] = json!("none");
        b["server"]["personality"] = json!([{"path": "/etc/motd", "contents": "aGk="}]);
        assert!(validate_create(&b, ApiVersion(2, 56)).is_ok());
        assert!(validate_create(&b, ApiVersion(2, 57)).is_err());
    }

    #[test]
    fn network_tag_windows() {
        let mut b = base();
        b["server"]["networks"] =
            json!([{"uuid": "ff608d40-75e9-48cb-b745-77bb55b5eaf2", "tag": "nic1"}]);
        assert!(validate_create(&b, ApiVersion(2, 31)).is_err());
        assert!(validate_create(&b, ApiVersion(2, 32)).is_ok());
        assert!(validate_create(&b, ApiVersion(2, 33)).is_ok());
        assert!(validate_create(&b, ApiVersion(2, 36)).is_ok());
        assert!(validate_create(&b, ApiVersion(2, 37)).is_err());
        assert!(validate_create(&b, ApiVersion(2, 41)).is_err());
        assert!(validate_create(&b, ApiVersion(2, 42)).is_ok());
    }

    #[test]
    fn bdm_tag_windows() {
        let mut b = base();
        b["server"]["block_device_mapping_v2"] = json!([{"boot_index": "0", "uuid": "v1",
            "source_type": "volume", "destination_type": "volume", "tag": "disk1"}]);
        assert!(validate_create(&b, ApiVersion(2, 31)).is_err());
        assert!(validate_create(&b, ApiVersion(2, 32)).is_ok());
        assert!(validate_create(&b, ApiVersion(2, 33)).is_err());
        b["server"]["networks"] = json!([]);
        assert!(validate_create(&b, ApiVersion(2, 41)).is_err());
        assert!(validate_create(&b, ApiVersion(2, 42)).is_ok());
    }

    #[test]
    fn version_gated_keys() {
        for (key, val, min) in [
            ("description", json!("d"), (2, 19)),
            ("trusted_image_certificates", json!(["c"]), (2, 63)),
            ("host", json!("compute-0"), (2, 74)),
            ("hostname", json!("web"), (2, 90)),
        ] {
            let mut b = base();
            b["server"]["networks"] = json!([]);
            b["server"][key] = val;
            assert!(
                validate_create(&b, ApiVersion(min.0, min.1 - 1)).is_err(),
                "{key}"
            );
            assert!(
                validate_create(&b, ApiVersion(min.0, min.1)).is_ok(),
                "{key}"
            );
        }
    }

    #[test]
    fn volume_type_from_2_67_and_bad_user_data() {
        let mut b = base();
        b["server"]["networks"] = json!("auto");
        b["server"]["block_device_mapping_v2"] = json!([{"boot_index": 0, "uuid": "x", "source_type": "image", "destination_type": "volume", "volume_size": 1, "volume_type": "lvm"}]);
        assert!(validate_create(&b, ApiVersion(2, 66)).is_err());
        assert!(validate_create(&b, ApiVersion(2, 67)).is_ok());
        let mut b = base();
        b["server"]["user_data"] = json!("not base64!");
        let err = validate_create(&b, ApiVersion(2, 1))
            .err()
            .unwrap_or_default();
        assert_eq!(
            err,
            "Invalid input for field/attribute user_data. Value: not base64!. 'not base64!' is not a 'base64'"
        );
    }

    #[test]
    fn missing_server_and_name() {
        assert_eq!(
            validate_create(&json!({}), ApiVersion(2, 1))
                .err()
                .unwrap_or_default(),
            "'server' is a required property"
        );
        let err = validate_create(&json!({"server": {"flavorRef": "1"}}), ApiVersion(2, 1))
            .err()
            .unwrap_or_default();
        assert_eq!(
            err,
            "Invalid input for field/attribute server. Value: {'flavorRef': '1'}. 'name' is a required property"
        );
    }
}
