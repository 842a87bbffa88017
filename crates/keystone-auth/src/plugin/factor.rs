//! [`Factor`]: one authentication method of a token request, rendered as
//! its `identity` section.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::identity::UserRef;

/// One method of a (multi-factor) token request. `Debug` masks the secrets.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Factor {
    /// `password`: a user and password.
    Password {
        /// Who.
        user: UserRef,
        /// The password.
        password: SecretString,
    },
    /// `totp`: a user and the passcode their authenticator shows now.
    Totp {
        /// Who.
        user: UserRef,
        /// The time-based one-time passcode.
        passcode: SecretString,
    },
    /// `token`: an existing token.
    Token(SecretString),
    /// `application_credential` by id.
    ApplicationCredential {
        /// The credential id.
        id: String,
        /// Its secret.
        secret: SecretString,
    },
}

impl Factor {
    /// A password factor.
    pub fn password(user: UserRef, password: impl Into<String>) -> Self {
        Self::Password {
            user,
            password: SecretString::from(password.into()),
        }
    }

    /// A TOTP factor.
    pub fn totp(user: UserRef, passcode: impl Into<String>) -> Self {
        Self::Totp {
            user,
            passcode: SecretString::from(passcode.into()),
        }
    }

    /// A token factor.
    pub fn token(token: impl Into<String>) -> Self {
        Self::Token(SecretString::from(token.into()))
    }

    /// The method's name in `identity.methods`.
    pub fn method(&self) -> &'static str {
        match self {
            Self::Password { .. } => "password",
            Self::Totp { .. } => "totp",
            Self::Token(_) => "token",
            Self::ApplicationCredential { .. } => "application_credential",
        }
    }

    /// The method's section of `identity`.
    pub(crate) fn payload(&self) -> Value {
        match self {
            Self::Password { user, password } => {
                let mut user = user.to_json();
                user["password"] = json!(password.expose_secret());
                json!({ "user": user })
            }
            Self::Totp { user, passcode } => {
                let mut user = user.to_json();
                user["passcode"] = json!(passcode.expose_secret());
                json!({ "user": user })
            }
            Self::Token(token) => json!({ "id": token.expose_secret() }),
            Self::ApplicationCredential { id, secret } => {
                json!({ "id": id, "secret": secret.expose_secret() })
            }
        }
    }
}

/// `{"auth": {"identity": {"methods": [..], <method>: ..}, "scope": ..}}`.
pub(crate) fn token_request_body(factors: &[Factor], scope: Option<&crate::Scope>) -> Value {
    let mut identity = serde_json::Map::new();
    let methods: Vec<&str> = factors.iter().map(Factor::method).collect();
    identity.insert("methods".into(), json!(methods));
    for factor in factors {
        identity.insert(factor.method().into(), factor.payload());
    }
    let mut auth = json!({ "identity": identity });
    if let Some(scope) = scope {
        auth["scope"] = scope.to_json();
    }
    json!({ "auth": auth })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::DomainRef;

    #[test]
    fn totp_body_matches_keystone_api_reference() {
        // api-ref "Authenticating with TOTP": user by id with its passcode.
        let body = token_request_body(
            &[Factor::totp(
                UserRef::id("ee4dfb6e5540447cb3741905149d9b6e"),
                "123456",
            )],
            None,
        );
        assert_eq!(
            body,
            json!({"auth": {"identity": {"methods": ["totp"],
                "totp": {"user": {"id": "ee4dfb6e5540447cb3741905149d9b6e", "passcode": "123456"}}}}})
        );
    }

    #[test]
    fn two_factors_in_one_request_and_debug_masks() {
        let user = UserRef::name_in_domain("demo", DomainRef::name("Default"));
        let factors = [
            Factor::password(user.clone(), "pw-secret"),
            Factor::totp(user, "987654"),
        ];
        let body = token_request_body(&factors, Some(&crate::Scope::project_id("p")));
        assert_eq!(
            body["auth"]["identity"]["methods"],
            json!(["password", "totp"])
        );
        assert_eq!(
            body["auth"]["identity"]["totp"]["user"]["passcode"],
            "987654"
        );
        assert_eq!(
            body["auth"]["identity"]["password"]["user"]["password"],
            "pw-secret"
        );
        assert_eq!(body["auth"]["scope"], json!({"project": {"id": "p"}}));
        let shown = format!("{factors:?}");
        assert!(
            !shown.contains("pw-secret") && !shown.contains("987654"),
            "{shown}"
        );
    }
}
