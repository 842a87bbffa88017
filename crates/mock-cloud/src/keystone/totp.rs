//! TOTP passcodes as Keystone computes them (`keystone/auth/plugins/totp.py`):
//! RFC 6238 with HMAC-SHA1, 6 digits, 30 s steps, over the base32 secret of
//! the user's `totp` credential (padding optional), accepting the current
//! window and `[totp] included_previous_windows` (default 1) before it.

use chrono::{DateTime, Utc};
use ring::hmac;

/// Digits in a passcode (`PASSCODE_LENGTH`).
pub const PASSCODE_DIGITS: u32 = 6;
/// Seconds per window (`PASSCODE_TIME_PERIOD`).
pub const PERIOD_SECS: i64 = 30;
/// Earlier windows also accepted (Keystone's `included_previous_windows` default).
pub const PREVIOUS_WINDOWS: i64 = 1;

/// Decodes RFC 4648 base32 (upper or lower case, `=` padding optional);
/// `None` for any other character or a truncated final group.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u64 = 0;
    let mut bits = 0u32;
    for c in text.trim_end_matches('=').bytes() {
        let value = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u64::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    // leftover bits must be padding zeros
    (buffer & ((1 << bits) - 1) == 0).then_some(out)
}

/// The passcode of `secret` (base32) for the window holding `at`; `None`
/// when the secret is not base32 (Keystone skips such a credential).
pub fn passcode(secret: &str, at: DateTime<Utc>) -> Option<String> {
    let key = base32_decode(secret)?;
    Some(passcode_for_counter(
        &key,
        at.timestamp().div_euclid(PERIOD_SECS),
    ))
}

fn passcode_for_counter(key: &[u8], counter: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    let tag = hmac::sign(&key, &counter.to_be_bytes());
    let digest = tag.as_ref();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let code = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        code % 10u32.pow(PASSCODE_DIGITS),
        width = PASSCODE_DIGITS as usize
    )
}

/// True when `given` is the passcode of `secret` at `now` or in one of the
/// [`PREVIOUS_WINDOWS`] before it.
pub fn verify(secret: &str, given: &str, now: DateTime<Utc>) -> bool {
    let Some(key) = base32_decode(secret) else {
        return false;
    };
    let counter = now.timestamp().div_euclid(PERIOD_SECS);
    (0..=PREVIOUS_WINDOWS).any(|back| passcode_for_counter(&key, counter - back) == given)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA1 rows (the 20-byte key "12345678901234567890"),
    /// last 6 digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of the RFC key
        assert_eq!(base32_decode(secret).unwrap(), b"12345678901234567890");
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let at = DateTime::from_timestamp(time, 0).unwrap();
            assert_eq!(passcode(secret, at).unwrap(), code, "at {time}");
        }
    }

    #[test]
    fn the_previous_window_is_accepted_and_older_ones_are_not() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let at = DateTime::from_timestamp(1_111_111_109, 0).unwrap();
        let code = passcode(secret, at).unwrap();
        assert!(verify(secret, &code, at));
        assert!(verify(secret, &code, at + chrono::Duration::seconds(30)));
        assert!(!verify(secret, &code, at + chrono::Duration::seconds(90)));
        assert!(!verify(secret, "12345", at));
    }

    #[test]
    fn unpadded_lowercase_base32_decodes_and_garbage_does_not() {
        assert_eq!(base32_decode("mzxw6===").unwrap(), b"foo");
        assert_eq!(base32_decode("MZXW6").unwrap(), b"foo");
        assert!(base32_decode("MZXW1").is_none());
        assert!(passcode("not base32!", Utc::now()).is_none());
    }
}
