//! Auth receipts: Keystone's answer when a user's multi-factor rules need
//! more methods than a token request gave (401 with `Openstack-Auth-Receipt`).

use std::fmt;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Deserialize;

use crate::access::parse_keystone_time;
use crate::session::Response;

/// The header Keystone sends a receipt in and expects it back in.
pub const AUTH_RECEIPT_HEADER: &str = "openstack-auth-receipt";

/// What Keystone said is still missing, and the receipt to continue with.
/// `Debug` and `Display` never show the receipt.
#[derive(Clone)]
#[non_exhaustive]
pub struct AuthReceipt {
    receipt: SecretString,
    /// The methods this receipt already proves (e.g. `["password"]`).
    pub methods: Vec<String>,
    /// The user's rules: each inner list is a set of methods that together
    /// are enough (`[["password", "totp"]]`).
    pub required_auth_methods: Vec<Vec<String>>,
    /// When the receipt stops being accepted.
    pub expires_at: Option<DateTime<Utc>>,
    /// The user the receipt is for, when Keystone said.
    pub user_id: Option<String>,
}

#[derive(Deserialize)]
struct ReceiptBody {
    receipt: ReceiptInner,
    #[serde(default)]
    required_auth_methods: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct ReceiptInner {
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    user: Option<ReceiptUser>,
}

#[derive(Deserialize)]
struct ReceiptUser {
    #[serde(default)]
    id: Option<String>,
}

impl AuthReceipt {
    /// A receipt from its header value and body, as Keystone sent them
    /// (`{"receipt": {"methods": .., "expires_at": ..}, "required_auth_methods": ..}`).
    /// `None` when the body is not a receipt.
    pub fn parse(receipt: SecretString, body: &[u8]) -> Option<Self> {
        let parsed: ReceiptBody = serde_json::from_slice(body).ok()?;
        Some(Self {
            receipt,
            methods: parsed.receipt.methods,
            required_auth_methods: parsed.required_auth_methods,
            expires_at: parsed
                .receipt
                .expires_at
                .as_deref()
                .and_then(parse_keystone_time),
            user_id: parsed.receipt.user.and_then(|u| u.id),
        })
    }

    /// The receipt from a 401 token response, when it carries one.
    pub(crate) fn from_response(response: &Response) -> Option<Self> {
        if response.status != http::StatusCode::UNAUTHORIZED {
            return None;
        }
        let value = response.headers.get(AUTH_RECEIPT_HEADER)?.to_str().ok()?;
        Self::parse(SecretString::from(value.to_owned()), &response.body)
    }

    /// The receipt itself (a secret: send it back, never log it).
    pub fn secret(&self) -> &SecretString {
        &self.receipt
    }

    /// The methods still needed, per rule that the proven methods are part
    /// of (in rule order, without duplicates): what to prompt for.
    pub fn missing_methods(&self) -> Vec<String> {
        let mut missing: Vec<String> = Vec::new();
        for rule in &self.required_auth_methods {
            if !self.methods.iter().all(|m| rule.contains(m)) {
                continue;
            }
            for method in rule {
                if !self.methods.contains(method) && !missing.contains(method) {
                    missing.push(method.clone());
                }
            }
        }
        missing
    }
}

impl fmt::Debug for AuthReceipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthReceipt")
            .field("receipt", &"***")
            .field("methods", &self.methods)
            .field("required_auth_methods", &self.required_auth_methods)
            .field("expires_at", &self.expires_at)
            .field("user_id", &self.user_id)
            .finish()
    }
}

impl fmt::Display for AuthReceipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules: Vec<String> = self
            .required_auth_methods
            .iter()
            .map(|rule| rule.join("+"))
            .collect();
        write!(
            f,
            "additional authentication is required: missing {} (proven: {}; rules: {})",
            self.missing_methods().join(", "),
            self.methods.join(", "),
            rules.join(" or ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"receipt": {"methods": ["password"], "user": {"id": "u1"},
        "expires_at": "2030-01-01T00:05:00.000000Z", "issued_at": "2030-01-01T00:00:00.000000Z"},
        "required_auth_methods": [["password", "totp"], ["password", "custom"], ["totp", "other"]]}"#;

    #[test]
    fn parses_keystone_receipt_and_names_what_is_missing() {
        let receipt = AuthReceipt::parse(SecretString::from("rcpt-secret"), BODY).unwrap();
        assert_eq!(receipt.methods, ["password"]);
        assert_eq!(receipt.user_id.as_deref(), Some("u1"));
        assert_eq!(receipt.missing_methods(), ["totp", "custom"]);
        assert!(receipt.expires_at.is_some());
        let shown = format!("{receipt} {receipt:?}");
        assert!(shown.contains("missing totp, custom"), "{shown}");
        assert!(!shown.contains("rcpt-secret"), "{shown}");
    }

    #[test]
    fn a_body_that_is_no_receipt_is_none() {
        assert!(AuthReceipt::parse(SecretString::from("r"), b"{}").is_none());
        assert!(AuthReceipt::parse(SecretString::from("r"), b"<html>").is_none());
    }
}
