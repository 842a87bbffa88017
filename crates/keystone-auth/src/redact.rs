//! Making requests and responses safe to log: tokens become
//! `{SHA256}<hex digest>`, passwords and secrets in JSON bodies become `***`.

use http::{HeaderMap, HeaderName, Method};
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

/// What a masked value is replaced with.
pub const MASK: &str = "***";

/// Longest body text put in a log line.
const MAX_LOGGED_BODY: usize = 4096;

/// Headers whose values are tokens.
const TOKEN_HEADERS: &[&str] = &[
    "x-auth-token",
    "x-subject-token",
    "x-service-token",
    "authorization",
    "proxy-authorization",
    "openstack-auth-receipt",
];

/// JSON keys whose values are always masked (compared case-insensitively).
const SECRET_KEYS: &[&str] = &[
    "password",
    "original_password",
    "new_password",
    "secret",
    "adminpass",
    "admin_pass",
    "token",
    "access_token",
    "auth_token",
    "passcode",
    "private_key",
    "client_secret",
];

/// `{SHA256}<hex>` of a token, as keystoneauth logs it.
pub fn hash_token(token: &str) -> String {
    format!(
        "{{SHA256}}{}",
        hex::encode(Sha256::digest(token.as_bytes()))
    )
}

/// Whether a header carries a token.
pub fn is_token_header(name: &HeaderName) -> bool {
    TOKEN_HEADERS.contains(&name.as_str())
}

/// A header value safe to log.
pub fn header_value_for_log(name: &HeaderName, value: &http::HeaderValue) -> String {
    let text = String::from_utf8_lossy(value.as_bytes());
    if is_token_header(name) {
        hash_token(&text)
    } else {
        text.into_owned()
    }
}

/// Masks secrets in a JSON value in place: string values under secret keys
/// and the `id` of a `token` object (the token auth method).
pub fn mask_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let lower = key.to_ascii_lowercase();
                if SECRET_KEYS.contains(&lower.as_str()) {
                    match child {
                        Value::Object(inner) => {
                            if let Some(id) = inner.get_mut("id") {
                                *id = Value::String(MASK.into());
                            }
                            for (k, v) in inner.iter_mut() {
                                if k != "id" {
                                    mask_json(v);
                                }
                            }
                        }
                        Value::Array(_) => mask_json(child),
                        Value::Null | Value::Bool(_) => {}
                        _ => *child = Value::String(MASK.into()),
                    }
                } else {
                    mask_json(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// A body safe to log: masked JSON, or a note saying how many bytes were
/// left out for anything else.
pub fn body_for_log(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            mask_json(&mut value);
            let text = value.to_string();
            if text.len() > MAX_LOGGED_BODY {
                let mut end = MAX_LOGGED_BODY;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}... ({} bytes)", &text[..end], body.len())
            } else {
                text
            }
        }
        Err(_) => format!("<{} bytes of non-JSON body omitted>", body.len()),
    }
}

/// A curl-like command line for a request, with secrets masked.
pub fn curl_line(method: &Method, url: &Url, headers: &HeaderMap, body: Option<&[u8]>) -> String {
    let mut line = format!("curl -g -i -X {method} {url}");
    for (name, value) in headers {
        line.push_str(&format!(
            " -H \"{}: {}\"",
            name.as_str(),
            header_value_for_log(name, value)
        ));
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        line.push_str(&format!(" -d '{}'", body_for_log(body)));
    }
    line
}

/// Response headers safe to log, one `name: value` list.
pub fn headers_for_log(headers: &HeaderMap) -> String {
    headers
        .iter()
        .map(|(n, v)| format!("{}: {}", n.as_str(), header_value_for_log(n, v)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use serde_json::json;

    #[test]
    fn token_is_hashed() {
        let h = hash_token("abc");
        assert_eq!(
            h,
            "{SHA256}ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn curl_line_masks_token_and_password() {
        let mut headers = HeaderMap::new();
        headers.insert("x-auth-token", HeaderValue::from_static("tok-123"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "password": "hunter2"}}}}});
        let body = serde_json::to_vec(&body).unwrap();
        let url = Url::parse("http://h/v3/auth/tokens").unwrap();
        let line = curl_line(&Method::POST, &url, &headers, Some(&body));
        assert!(!line.contains("tok-123"), "{line}");
        assert!(!line.contains("hunter2"), "{line}");
        assert!(line.contains(&hash_token("tok-123")), "{line}");
        assert!(line.contains("\"name\":\"demo\""), "{line}");
        assert!(line.starts_with("curl -g -i -X POST http://h/v3/auth/tokens"));
    }

    #[test]
    fn masks_token_method_appcred_secret_and_admin_pass() {
        let mut v = json!({
            "auth": {"identity": {"methods": ["token", "application_credential"],
                "token": {"id": "tok-xyz"},
                "application_credential": {"id": "ac1", "secret": "s3cr3t"}}},
            "server": {"adminPass": "root-pw", "name": "web"},
            "keypair": {"name": "k", "private_key": "-----BEGIN RSA PRIVATE KEY-----abc"},
            "list": [{"password": "p"}]
        });
        mask_json(&mut v);
        let text = v.to_string();
        for secret in ["tok-xyz", "s3cr3t", "root-pw", "\"p\"", "PRIVATE KEY"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(v["auth"]["identity"]["application_credential"]["id"], "ac1");
        assert_eq!(v["server"]["name"], "web");
    }

    #[test]
    fn non_json_bodies_are_not_logged() {
        assert_eq!(
            body_for_log(b"password=x"),
            "<10 bytes of non-JSON body omitted>"
        );
    }

    #[test]
    fn subject_token_header_is_hashed() {
        let mut headers = HeaderMap::new();
        headers.insert("x-subject-token", HeaderValue::from_static("secret-tok"));
        let text = headers_for_log(&headers);
        assert!(!text.contains("secret-tok"));
    }
}
