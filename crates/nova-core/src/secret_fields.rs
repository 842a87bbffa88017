//! Masking the values of secret JSON fields (`adminPass`, `password`, ...) in
//! body text before it is kept in an error or a log line.
//!
//! A body quoted in an error may be a create answer that failed to decode,
//! truncated anywhere, so it is scanned as text rather than parsed: each
//! `"<secret key>"`, then `:` and a string value, has the value replaced by
//! `***` up to its closing quote or the end of the text. nova-core has no
//! session that knows the secrets' values (keystone-auth masks those by value
//! in its transport); this masks them by key.

use std::borrow::Cow;

/// JSON keys, with their quotes, whose string values are secrets in compute and
/// identity bodies.
const SECRET_KEYS: [&str; 6] = [
    "\"adminPass\"",
    "\"password\"",
    "\"private_key\"",
    "\"secret\"",
    "\"passcode\"",
    "\"id_token\"",
];

/// `text` with the string value of every secret key replaced by `***`.
pub(crate) fn mask_secret_values(text: &str) -> Cow<'_, str> {
    if !SECRET_KEYS.iter().any(|key| text.contains(key)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(value_start) = next_secret_value(rest) {
        out.push_str(&rest[..value_start]);
        out.push_str("***");
        let after = &rest[value_start..];
        let end = closing_quote(after).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The first secret key in `text` followed by `:` and an opening quote: the
/// offset just after the value's opening quote.
fn next_secret_value(text: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for quoted in SECRET_KEYS {
        let mut from = 0;
        while let Some(found) = text[from..].find(quoted) {
            let key_at = from + found;
            let after_key = key_at + quoted.len();
            let tail = &text[after_key..];
            let trimmed = tail.trim_start();
            let value = trimmed
                .strip_prefix(':')
                .map(str::trim_start)
                .and_then(|v| v.strip_prefix('"'));
            if let Some(value) = value {
                let value_at = text.len() - value.len();
                if best.is_none_or(|(at, _)| key_at < at) {
                    best = Some((key_at, value_at));
                }
                break;
            }
            from = after_key;
        }
    }
    best.map(|(_, value_at)| value_at)
}

/// Offset of the first unescaped `"` in `text`.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(at),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_pass_is_masked_whole_or_truncated() {
        let body = r#"{"server": {"id": "s1", "adminPass": "cDYxr5nyxSQm", "links": []}}"#;
        let masked = mask_secret_values(body);
        assert!(!masked.contains("cDYxr5nyxSQm"), "{masked}");
        assert!(
            masked.contains(r#""adminPass": "***", "links""#),
            "{masked}"
        );
        let cut = r#"{"server": {"adminPass" : "cDYxr5ny"#;
        assert_eq!(mask_secret_values(cut), r#"{"server": {"adminPass" : "***"#);
    }

    #[test]
    fn escaped_quotes_and_several_keys() {
        let body = r#"{"password": "a\"b", "name": "n", "secret": "s3"}"#;
        let masked = mask_secret_values(body);
        assert_eq!(
            masked,
            r#"{"password": "***", "name": "n", "secret": "***"}"#
        );
    }

    #[test]
    fn text_without_secrets_is_borrowed() {
        assert!(matches!(
            mask_secret_values(r#"{"name": "web-1"}"#),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            mask_secret_values(r#"{"name": "password-less"}"#),
            r#"{"name": "password-less"}"#
        );
        // a key name as a value is not a key
        assert_eq!(
            mask_secret_values(r#"{"name": "password"}"#),
            r#"{"name": "password"}"#
        );
    }
}
