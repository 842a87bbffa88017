//! Making requests and responses safe to log: tokens become
//! `{SHA256}<hex digest>`, passwords and secrets in JSON bodies become `***`,
//! and every secret the process holds is masked by value wherever it occurs.
//!
//! Masking by key only protects the places a secret is expected. A server can
//! echo a password in an error message, put a token in a `Set-Cookie` header
//! or a URL can carry `user:password@`: so every secret a session handles
//! (passwords, tokens, application-credential secrets, `adminPass`, URL
//! userinfo, and whatever a plugin registers with [`register_secret`]) is kept
//! in one process-wide list, and [`redact`] replaces each of those values with
//! [`MASK`] in any text. Logs, curl lines, header values and error messages
//! pass through it. Values shorter than [`MIN_SECRET_LEN`] are not registered
//! (masking them would garble every text).

use std::borrow::Cow;
use std::sync::RwLock;

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
    "device_code",
    "id_token",
    "refresh_token",
];

/// The shortest value [`register_secret`] remembers.
pub const MIN_SECRET_LEN: usize = 4;

/// How many secrets are remembered; the oldest are forgotten first (a long
/// running process renews its token many times).
const MAX_SECRETS: usize = 512;

/// The secrets known to this process, longest first.
static SECRETS: RwLock<Vec<Box<str>>> = RwLock::new(Vec::new());

/// Remembers `value` as a secret: from now on [`redact`] masks it wherever
/// it occurs. Plugins call this for what they send (passcodes, receipts,
/// client secrets); the session registers passwords, secrets and tokens of
/// its requests and responses, and URL userinfo, itself.
pub fn register_secret(value: &str) {
    let mut forms = vec![value.to_owned()];
    // The form it takes inside a JSON string, and percent-decoded.
    if let Ok(quoted) = serde_json::to_string(value) {
        forms.push(quoted[1..quoted.len() - 1].to_owned());
    }
    if let Ok(decoded) = percent_encoding::percent_decode_str(value).decode_utf8() {
        forms.push(decoded.into_owned());
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|p| p.into_inner());
    for form in forms {
        if form.chars().count() < MIN_SECRET_LEN || secrets.iter().any(|s| **s == *form) {
            continue;
        }
        if secrets.len() >= MAX_SECRETS {
            secrets.remove(0);
        }
        secrets.push(form.into_boxed_str());
    }
    // Longest first, so a secret containing another is masked whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

/// Registers the secret values of a JSON request body: string values under
/// the secret keys (`password`, `secret`, `adminPass`, `passcode`, ...) and
/// the `id` of a `token` object.
pub fn register_json_secrets(value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if SECRET_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
                    match child {
                        Value::String(s) => register_secret(s),
                        Value::Object(inner) => {
                            if let Some(Value::String(id)) = inner.get("id") {
                                register_secret(id);
                            }
                            register_json_secrets(child);
                        }
                        other => register_json_secrets(other),
                    }
                } else {
                    register_json_secrets(child);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(register_json_secrets),
        _ => {}
    }
}

/// Registers the secrets of a request body when it is JSON that may hold
/// some (a cheap look for the key names first).
pub fn register_body_secrets(body: &[u8]) {
    const HINTS: [&[u8]; 4] = [b"pass", b"secret", b"token", b"private_key"];
    let has_hint = HINTS.iter().any(|hint| {
        body.windows(hint.len())
            .any(|w| w.eq_ignore_ascii_case(hint))
    });
    if has_hint && let Ok(value) = serde_json::from_slice::<Value>(body) {
        register_json_secrets(&value);
    }
}

/// Registers the password of `url`'s userinfo (`http://user:password@host`).
pub fn register_url_secrets(url: &Url) {
    if let Some(password) = url.password() {
        register_secret(password);
    }
}

/// `text` with every registered secret replaced by [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let secrets = SECRETS.read().unwrap_or_else(|p| p.into_inner());
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter() {
        if out.contains(&**secret) {
            out = Cow::Owned(out.replace(&**secret, MASK));
        }
    }
    out
}

/// `bytes` with every registered secret masked, when they are UTF-8 text
/// holding one; `None` when there is nothing to mask.
pub fn redact_bytes(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    match redact(text) {
        Cow::Borrowed(_) => None,
        Cow::Owned(masked) => Some(masked),
    }
}

/// `url` as text with its userinfo password masked and registered secrets
/// masked.
pub fn url_for_log(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some(MASK));
    }
    redact(shown.as_str()).into_owned()
}

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
        redact(&text).into_owned()
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
            let text = redact(&value.to_string()).into_owned();
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
    let mut line = format!("curl -g -i -X {method} {}", url_for_log(url));
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
    fn registered_secrets_are_masked_by_value_anywhere() {
        register_secret("echoed-pw-91");
        register_secret("ab");
        let text = "Invalid password echoed-pw-91 for user ab";
        assert_eq!(redact(text), "Invalid password *** for user ab");
        let mut headers = HeaderMap::new();
        headers.insert(
            "set-cookie",
            HeaderValue::from_static("session=echoed-pw-91; Path=/"),
        );
        assert!(!headers_for_log(&headers).contains("echoed-pw-91"));
        let body = br#"{"error": {"message": "echoed-pw-91 is wrong"}}"#;
        assert!(!body_for_log(body).contains("echoed-pw-91"));
        assert_eq!(redact_bytes(b"nothing here"), None);
    }

    #[test]
    fn body_and_url_secrets_are_registered() {
        register_body_secrets(br#"{"server": {"adminPass": "adm1n-value-7"}}"#);
        let url = Url::parse("http://user:url-pw-3%21@h/v3").unwrap();
        register_url_secrets(&url);
        assert_eq!(redact("adm1n-value-7 url-pw-3!"), "*** ***");
        let line = curl_line(&Method::GET, &url, &HeaderMap::new(), None);
        assert!(!line.contains("url-pw-3"), "{line}");
    }

    #[test]
    fn subject_token_header_is_hashed() {
        let mut headers = HeaderMap::new();
        headers.insert("x-subject-token", HeaderValue::from_static("secret-tok"));
        let text = headers_for_log(&headers);
        assert!(!text.contains("secret-tok"));
    }
}
