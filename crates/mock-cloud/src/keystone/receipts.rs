//! Multi-factor rules and auth receipts (`keystone/auth/core.py`
//! `UserMFARulesValidator`, `keystone/receipt`): when the methods a user
//! proved satisfy none of its rules, Keystone answers 401 with an
//! `Openstack-Auth-Receipt` header and a body naming the rules; a later
//! request carrying the receipt adds the receipt's methods to its own.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Duration;

use axum::response::Response;
use chrono::{DateTime, SubsecRound, Utc};
use http::{HeaderValue, StatusCode};
use serde::Serialize;

use super::body::isotime;
use super::directory::{Directory, User};
use super::errors::json_response;

/// The header carrying a receipt, both ways.
pub const AUTH_RECEIPT_HEADER: &str = "openstack-auth-receipt";

/// When the receipt table holds more than this many entries, expired ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The methods the mock serves, as Keystone's loaded `[auth] methods`:
/// rule entries naming anything else are ignored, as Keystone ignores them.
pub const ACTIVE_METHODS: [&str; 4] = ["password", "token", "application_credential", "totp"];

/// One issued receipt.
#[derive(Clone, Debug)]
pub struct ReceiptRecord {
    /// The user who proved `methods`.
    pub user_id: String,
    /// Methods proved so far.
    pub methods: Vec<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Expiry time.
    pub expires_at: DateTime<Utc>,
}

/// Issued receipts (receipt id -> record). `Debug` shows only the count.
pub struct ReceiptStore {
    receipts: RwLock<HashMap<String, ReceiptRecord>>,
    ttl: Duration,
}

impl std::fmt::Debug for ReceiptStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.receipts.read().map(|r| r.len()).unwrap_or(0);
        f.debug_struct("ReceiptStore")
            .field("receipts", &count)
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl ReceiptStore {
    /// An empty table issuing receipts that live `ttl` (Keystone's `[receipt] expiration`).
    pub fn new(ttl: Duration) -> Self {
        Self {
            receipts: RwLock::default(),
            ttl,
        }
    }

    /// Issues a receipt for `methods` proved by `user_id`; returns its id and record.
    pub fn issue(
        &self,
        user_id: &str,
        methods: Vec<String>,
        now: DateTime<Utc>,
    ) -> (String, ReceiptRecord) {
        // Keystone 30 answers whole seconds (`...:32.000000Z`)
        let issued_at = now.trunc_subsecs(0);
        let ttl = chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::MAX);
        let record = ReceiptRecord {
            user_id: user_id.to_owned(),
            methods,
            issued_at,
            expires_at: issued_at
                .checked_add_signed(ttl)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        };
        let id = format!("rcpt{}", uuid::Uuid::new_v4().simple());
        if let Ok(mut receipts) = self.receipts.write() {
            if receipts.len() > PRUNE_ABOVE {
                receipts.retain(|_, r| r.expires_at > now);
            }
            receipts.insert(id.clone(), record.clone());
        }
        (id, record)
    }

    /// The record of a receipt that exists and has not expired at `now`.
    pub fn valid(&self, id: &str, now: DateTime<Utc>) -> Option<ReceiptRecord> {
        let receipts = self.receipts.read().ok()?;
        receipts.get(id).filter(|r| r.expires_at > now).cloned()
    }

    /// Every receipt id issued, for tests that search logs for leaks.
    pub fn ids(&self) -> Vec<String> {
        self.receipts
            .read()
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The user's rules limited to the methods the mock serves, empty rules dropped.
fn active_rules(user: &User) -> Vec<Vec<String>> {
    user.mfa_rules
        .iter()
        .map(|rule| {
            let mut kept: Vec<String> = Vec::new();
            for m in rule {
                if ACTIVE_METHODS.contains(&m.as_str()) && !kept.contains(m) {
                    kept.push(m.clone());
                }
            }
            kept
        })
        .filter(|rule| !rule.is_empty())
        .collect()
}

/// `check_auth_methods_against_rules`: true when the user has no rules in
/// force or `proved` covers one of them.
pub fn rules_satisfied(user: &User, proved: &[String]) -> bool {
    let rules = active_rules(user);
    rules.is_empty()
        || rules
            .iter()
            .any(|rule| rule.iter().all(|m| proved.contains(m)))
}

/// `required_auth_methods`: the rules sharing a method with those proved.
fn required_methods(user: &User, proved: &[String]) -> Vec<Vec<String>> {
    active_rules(user)
        .into_iter()
        .filter(|rule| rule.iter().any(|m| proved.contains(m)))
        .collect()
}

#[derive(Serialize)]
struct ReceiptResponse<'a> {
    receipt: ReceiptView<'a>,
    required_auth_methods: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct ReceiptView<'a> {
    methods: &'a [String],
    user: ReceiptUser<'a>,
    expires_at: String,
    issued_at: String,
}

#[derive(Serialize)]
struct ReceiptUser<'a> {
    id: &'a str,
    name: &'a str,
    domain: ReceiptDomain<'a>,
}

#[derive(Serialize)]
struct ReceiptDomain<'a> {
    id: &'a str,
    name: &'a str,
}

/// `build_receipt`: 401, the receipt id in `Openstack-Auth-Receipt`, and the
/// body `{"receipt": {...}, "required_auth_methods": [[...]]}`.
pub fn receipt_response(
    dir: &Directory,
    user: &User,
    receipt_id: &str,
    record: &ReceiptRecord,
) -> Response {
    let domain_name = dir
        .domain(&user.domain_id)
        .map(|d| d.name.as_str())
        .unwrap_or_default();
    let body = ReceiptResponse {
        receipt: ReceiptView {
            methods: &record.methods,
            user: ReceiptUser {
                id: &user.id,
                name: &user.name,
                domain: ReceiptDomain {
                    id: &user.domain_id,
                    name: domain_name,
                },
            },
            expires_at: isotime(record.expires_at),
            issued_at: isotime(record.issued_at),
        },
        required_auth_methods: required_methods(user, &record.methods),
    };
    let value = serde_json::to_value(&body).unwrap_or_default();
    let mut response = json_response(StatusCode::UNAUTHORIZED, &value);
    if let Ok(header) = HeaderValue::from_str(receipt_id) {
        response.headers_mut().insert(AUTH_RECEIPT_HEADER, header);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn user(rules: &[&[&str]]) -> User {
        User {
            id: "u".into(),
            name: "n".into(),
            domain_id: "default".into(),
            password: Secret::new("p"),
            default_project_id: None,
            totp_secret: None,
            mfa_rules: rules
                .iter()
                .map(|r| r.iter().map(|m| (*m).to_owned()).collect())
                .collect(),
        }
    }

    fn proved(methods: &[&str]) -> Vec<String> {
        methods.iter().map(|m| (*m).to_owned()).collect()
    }

    #[test]
    fn a_rule_is_satisfied_by_a_superset_and_unknown_methods_are_ignored() {
        let u = user(&[&["password", "totp"]]);
        assert!(!rules_satisfied(&u, &proved(&["password"])));
        assert!(rules_satisfied(&u, &proved(&["totp", "password"])));
        assert!(rules_satisfied(&user(&[]), &proved(&["password"])));
        // a rule of methods the cloud does not serve cannot lock anyone out
        assert!(rules_satisfied(
            &user(&[&["oauth1", "saml2"]]),
            &proved(&["password"])
        ));
        assert_eq!(
            required_methods(
                &user(&[&["password", "totp"], &["totp", "token"]]),
                &proved(&["password"])
            ),
            vec![proved(&["password", "totp"])]
        );
    }

    #[test]
    fn receipts_expire_and_debug_hides_their_ids() {
        let store = ReceiptStore::new(Duration::from_secs(300));
        let now = Utc::now();
        let (id, _) = store.issue("u", proved(&["password"]), now);
        assert!(store.valid(&id, now).is_some());
        assert!(
            store
                .valid(&id, now + chrono::Duration::seconds(301))
                .is_none()
        );
        assert!(!format!("{store:?}").contains(&id));
    }
}
