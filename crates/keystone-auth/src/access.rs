//! [`AccessInfo`]: what authentication yields (token, expiry, user, project,
//! roles, catalog), parsed from Keystone's token response.

use chrono::{DateTime, NaiveDateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::catalog::ServiceCatalog;

/// A domain in a token body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DomainInfo {
    /// The domain id.
    #[serde(default)]
    pub id: Option<String>,
    /// The domain name.
    #[serde(default)]
    pub name: Option<String>,
}

/// The user a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserInfo {
    /// The user id.
    pub id: String,
    /// The user name.
    #[serde(default)]
    pub name: Option<String>,
    /// The user's domain.
    #[serde(default)]
    pub domain: Option<DomainInfo>,
}

/// The project a token is scoped to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProjectInfo {
    /// The project id.
    pub id: String,
    /// The project name.
    #[serde(default)]
    pub name: Option<String>,
    /// The project's domain.
    #[serde(default)]
    pub domain: Option<DomainInfo>,
}

/// A role on the scope.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RoleInfo {
    /// The role id.
    #[serde(default)]
    pub id: Option<String>,
    /// The role name.
    pub name: String,
}

/// The application credential a token was made from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApplicationCredentialInfo {
    /// Its id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether it may create other credentials.
    #[serde(default)]
    pub restricted: Option<bool>,
    /// The API calls the credential is limited to (empty: unlimited).
    /// Services' keystonemiddleware enforces them.
    #[serde(default)]
    pub access_rules: Vec<AccessRule>,
}

/// One access rule of an application credential: which call of which
/// service it allows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct AccessRule {
    /// Its id, when Keystone gave one.
    #[serde(default)]
    pub id: Option<String>,
    /// The service type (`compute`).
    pub service: String,
    /// The HTTP method (`GET`).
    pub method: String,
    /// The path template (`/v2.1/servers`, `/v2.1/servers/*`).
    pub path: String,
}

/// The `token` object of a Keystone v3 token response (without the token id,
/// which Keystone sends in `X-Subject-Token`).
#[derive(Debug, Deserialize)]
struct TokenBody {
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    issued_at: Option<String>,
    #[serde(default)]
    audit_ids: Vec<String>,
    #[serde(default)]
    user: Option<UserInfo>,
    #[serde(default)]
    project: Option<ProjectInfo>,
    #[serde(default)]
    domain: Option<DomainInfo>,
    #[serde(default)]
    system: Option<serde_json::Value>,
    #[serde(default)]
    roles: Vec<RoleInfo>,
    #[serde(default)]
    catalog: ServiceCatalog,
    #[serde(default)]
    application_credential: Option<ApplicationCredentialInfo>,
}

#[derive(Debug, Deserialize)]
struct TokenEnvelope {
    token: TokenBody,
}

/// Why a token body could not be read.
#[derive(Debug)]
pub(crate) enum TokenParseError {
    Json(serde_json::Error),
    Time(String),
}

/// The result of authentication: a token and what it grants.
///
/// `Debug` never shows the token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AccessInfo {
    token: SecretString,
    /// When the token expires (`None`: never, e.g. a static token).
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was issued.
    pub issued_at: Option<DateTime<Utc>>,
    /// The authentication methods used.
    pub methods: Vec<String>,
    /// Audit ids.
    pub audit_ids: Vec<String>,
    /// The user.
    pub user: Option<UserInfo>,
    /// The project, when project-scoped.
    pub project: Option<ProjectInfo>,
    /// The domain, when domain-scoped.
    pub domain: Option<DomainInfo>,
    /// Whether the token is system-scoped.
    pub system_scoped: bool,
    /// Roles on the scope.
    pub roles: Vec<RoleInfo>,
    /// The application credential used, if any.
    pub application_credential: Option<ApplicationCredentialInfo>,
    /// The service catalog (empty for unscoped and static tokens).
    pub catalog: ServiceCatalog,
    /// The token response body as Keystone sent it (for auth state export).
    raw_body: Option<bytes::Bytes>,
    /// An OAuth2 access token sent as `Authorization: Bearer` besides the token.
    bearer: Option<SecretString>,
    /// Whether requests carry the token at all (`false` for `auth_type: none`).
    sends_token: bool,
    /// Whether this access was imported from a saved state rather than
    /// received now (its expiry is then taken as is, not from its lifetime).
    restored: bool,
}

/// The JSON of an exported auth state: keystoneauth's `get_auth_state`
/// shape (`{"auth_token": .., "body": <token response>}`), plus the OAuth2
/// access token when there is one.
#[derive(Deserialize, serde::Serialize)]
struct SavedState {
    auth_token: String,
    body: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oauth2_access_token: Option<String>,
}

impl AccessInfo {
    /// Builds access info from a token (the `X-Subject-Token` value) and a
    /// Keystone v3 token response body.
    pub(crate) fn from_token_response(
        token: SecretString,
        body: &[u8],
    ) -> Result<Self, TokenParseError> {
        let envelope: TokenEnvelope =
            serde_json::from_slice(body).map_err(TokenParseError::Json)?;
        let t = envelope.token;
        let expires_at = t
            .expires_at
            .as_deref()
            .map(|s| parse_keystone_time(s).ok_or_else(|| TokenParseError::Time(s.to_owned())))
            .transpose()?;
        let issued_at = t.issued_at.as_deref().and_then(parse_keystone_time);
        Ok(Self {
            token,
            expires_at,
            issued_at,
            methods: t.methods,
            audit_ids: t.audit_ids,
            user: t.user,
            project: t.project,
            domain: t.domain,
            system_scoped: t.system.is_some(),
            roles: t.roles,
            application_credential: t.application_credential,
            catalog: t.catalog,
            raw_body: Some(bytes::Bytes::copy_from_slice(body)),
            bearer: None,
            sends_token: true,
            restored: false,
        })
    }

    /// Parses a Keystone v3 token response body (`{"token": {...}}`) that
    /// `url` answered, with `token` from its `X-Subject-Token` header.
    /// Any input gives a value or [`Error::InvalidTokenResponse`](crate::Error::InvalidTokenResponse), never a
    /// panic.
    ///
    /// ```
    /// use keystone_auth::{AccessInfo, Url};
    /// let url = Url::parse("http://127.0.0.1:5000/v3/auth/tokens").unwrap();
    /// let body = br#"{"token": {"methods": ["password"], "expires_at": "2030-01-01T00:00:00.000000Z"}}"#;
    /// let access = AccessInfo::parse_token_response("tok".into(), body, &url).unwrap();
    /// assert!(access.catalog.is_empty());
    /// assert!(AccessInfo::parse_token_response("tok".into(), b"[", &url).is_err());
    /// ```
    pub fn parse_token_response(
        token: SecretString,
        body: &[u8],
        url: &url::Url,
    ) -> crate::error::Result<Self> {
        let invalid = |reason: String, source| crate::error::Error::InvalidTokenResponse {
            url: Box::new(url.clone()),
            reason,
            source,
        };
        Self::from_token_response(token, body).map_err(|e| match e {
            TokenParseError::Json(source) => {
                invalid("the body is not a token".into(), Some(source))
            }
            TokenParseError::Time(t) => invalid(format!("unreadable expires_at {t:?}"), None),
        })
    }

    /// Access info for a fixed token: no expiry, no catalog.
    pub fn from_static_token(token: SecretString) -> Self {
        Self {
            token,
            expires_at: None,
            issued_at: None,
            methods: Vec::new(),
            audit_ids: Vec::new(),
            user: None,
            project: None,
            domain: None,
            system_scoped: false,
            roles: Vec::new(),
            application_credential: None,
            catalog: ServiceCatalog::default(),
            raw_body: None,
            bearer: None,
            sends_token: true,
            restored: false,
        }
    }

    /// Access that sends no credentials at all (`auth_type: none`).
    pub fn no_auth() -> Self {
        Self {
            sends_token: false,
            ..Self::from_static_token(SecretString::from(String::new()))
        }
    }

    /// Whether requests carry the token (`false` only for `auth_type: none`).
    pub fn sends_token(&self) -> bool {
        self.sends_token
    }

    /// Adds an OAuth2 access token, sent as `Authorization: Bearer` with
    /// every request (what keystoneauth's OAuth2 plugins do).
    pub fn with_bearer(mut self, access_token: SecretString) -> Self {
        self.bearer = Some(access_token);
        self
    }

    /// The OAuth2 access token, if any.
    pub fn bearer(&self) -> Option<&SecretString> {
        self.bearer.as_ref()
    }

    /// Whether this access came from [`AccessInfo::from_auth_state`].
    pub fn is_restored(&self) -> bool {
        self.restored
    }

    /// The authenticated state as JSON (keystoneauth's `get_auth_state`:
    /// the token and Keystone's token response, with expiry, user, scope and
    /// catalog), to be restored with [`AccessInfo::from_auth_state`]. It
    /// holds the token, so it is a secret; it holds no password or other
    /// credential. `None` for access with no token response (static tokens).
    pub fn auth_state(&self) -> Option<SecretString> {
        let raw = self.raw_body.as_ref()?;
        let state = SavedState {
            auth_token: self.token.expose_secret().to_owned(),
            body: serde_json::from_slice(raw).ok()?,
            oauth2_access_token: self.bearer.as_ref().map(|b| b.expose_secret().to_owned()),
        };
        serde_json::to_string(&state).ok().map(SecretString::from)
    }

    /// Restores access exported by [`AccessInfo::auth_state`]. Its expiry
    /// is the token's `expires_at` as is (by the local clock).
    pub fn from_auth_state(state: &str) -> crate::error::Result<Self> {
        let invalid = |reason: String| {
            crate::error::Error::InvalidAuth(format!("saved auth state: {reason}"))
        };
        let saved: SavedState = serde_json::from_str(state).map_err(|e| {
            // the error's text could quote the token: give only where
            invalid(format!(
                "not an auth state (line {} column {})",
                e.line(),
                e.column()
            ))
        })?;
        let body = serde_json::to_vec(&saved.body).map_err(|e| invalid(e.to_string()))?;
        let mut access = Self::from_token_response(SecretString::from(saved.auth_token), &body)
            .map_err(|e| match e {
                TokenParseError::Json(e) => invalid(format!(
                    "the body is not a token (line {} column {})",
                    e.line(),
                    e.column()
                )),
                TokenParseError::Time(t) => invalid(format!("unreadable expires_at {t:?}")),
            })?;
        access.bearer = saved.oauth2_access_token.map(SecretString::from);
        access.restored = true;
        Ok(access)
    }

    /// The token. Expose it only to put it in an `X-Auth-Token` header.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// Whether the token expires within `margin` of `now` (or has expired).
    pub fn will_expire_within(&self, now: DateTime<Utc>, margin: std::time::Duration) -> bool {
        match self.expires_at {
            None => false,
            Some(expires) => {
                let margin = chrono::Duration::from_std(margin).unwrap_or(chrono::Duration::MAX);
                now.checked_add_signed(margin)
                    .is_none_or(|deadline| deadline >= expires)
            }
        }
    }

    /// The names of the roles.
    pub fn role_names(&self) -> Vec<&str> {
        self.roles.iter().map(|r| r.name.as_str()).collect()
    }
}

/// Parses Keystone timestamps: RFC 3339 with or without fractional seconds
/// (`2015-11-07T02:58:43.578887Z`, `2015-11-07T02:58:43Z`,
/// `...+00:00`), or with no zone at all (taken as UTC).
pub fn parse_keystone_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const KEYSTONE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/openstack-reference/keystone"
    );

    #[test]
    fn parses_times_with_and_without_fractions() {
        let a = parse_keystone_time("2015-11-07T02:58:43.578887Z").unwrap();
        let b = parse_keystone_time("2015-11-07T02:58:43Z").unwrap();
        let c = parse_keystone_time("2015-11-07T02:58:43.000000").unwrap();
        let d = parse_keystone_time("2015-11-07T02:58:43+00:00").unwrap();
        assert_eq!(a.timestamp(), b.timestamp());
        assert_eq!(b, c);
        assert_eq!(b, d);
        assert_eq!(a.timestamp_subsec_micros(), 578_887);
        assert!(parse_keystone_time("yesterday").is_none());
    }

    #[test]
    fn every_token_sample_parses() {
        let mut files = Vec::new();
        for dir in ["admin", "auth/responses"] {
            for entry in std::fs::read_dir(format!("{KEYSTONE}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let is_token_response = name.ends_with(".json")
                    && (name.contains("response") || dir == "auth/responses")
                    && !name.contains("receipt")
                    && !name.contains("version")
                    && !name.contains("catalog");
                if is_token_response {
                    files.push(path);
                }
            }
        }
        assert!(files.len() >= 12, "{files:?}");
        for path in files {
            let body = std::fs::read(&path).unwrap();
            let info = AccessInfo::from_token_response(SecretString::from("tok"), &body)
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            assert!(info.expires_at.is_some(), "{}", path.display());
            assert!(!info.methods.is_empty(), "{}", path.display());
            assert!(info.user.is_some(), "{}", path.display());
            assert_eq!(info.token().expose_secret(), "tok");
        }
    }

    #[test]
    fn project_scoped_sample_fields() {
        let body = std::fs::read(format!(
            "{KEYSTONE}/admin/auth-password-project-scoped-response.json"
        ))
        .unwrap();
        let info = AccessInfo::from_token_response(SecretString::from("tok"), &body).unwrap();
        let project = info.project.as_ref().unwrap();
        assert_eq!(project.name.as_deref(), Some("admin"));
        assert_eq!(info.role_names(), vec!["admin"]);
        assert_eq!(info.catalog.services().len(), 13);
        assert!(!info.system_scoped);
    }

    #[test]
    fn system_and_domain_and_appcred_samples() {
        let sys = std::fs::read(format!(
            "{KEYSTONE}/auth/responses/system-scoped-password.json"
        ))
        .unwrap();
        let sys = AccessInfo::from_token_response(SecretString::from("t"), &sys).unwrap();
        assert!(sys.system_scoped);
        let dom = std::fs::read(format!(
            "{KEYSTONE}/auth/responses/domain-scoped-password.json"
        ))
        .unwrap();
        let dom = AccessInfo::from_token_response(SecretString::from("t"), &dom).unwrap();
        assert!(dom.domain.is_some());
        let app = std::fs::read(format!(
            "{KEYSTONE}/admin/auth-application-credential-response.json"
        ))
        .unwrap();
        let app = AccessInfo::from_token_response(SecretString::from("t"), &app).unwrap();
        assert_eq!(
            app.application_credential.unwrap().name.as_deref(),
            Some("monitoring")
        );
    }

    #[test]
    fn application_credential_access_rules_are_read() {
        let body = serde_json::json!({"token": {
            "methods": ["application_credential"],
            "expires_at": "2099-01-01T00:00:00.000000Z",
            "user": {"id": "u", "name": "demo", "domain": {"id": "default", "name": "Default"}},
            "application_credential": {
                "id": "ac1", "name": "ci", "restricted": true,
                "access_rules": [
                    {"id": "r1", "service": "compute", "method": "GET", "path": "/v2.1/servers"}
                ]
            }
        }});
        let info = AccessInfo::from_token_response(
            SecretString::from("t"),
            &serde_json::to_vec(&body).unwrap(),
        )
        .unwrap();
        let rules = info.application_credential.unwrap().access_rules;
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].service, "compute");
        assert_eq!(rules[0].path, "/v2.1/servers");
    }

    #[test]
    fn expiry_margin() {
        let body = std::fs::read(format!(
            "{KEYSTONE}/admin/auth-application-credential-response.json"
        ))
        .unwrap();
        let info = AccessInfo::from_token_response(SecretString::from("t"), &body).unwrap();
        let expires = info.expires_at.unwrap();
        let margin = std::time::Duration::from_secs(30);
        assert!(!info.will_expire_within(expires - chrono::Duration::seconds(31), margin));
        assert!(info.will_expire_within(expires - chrono::Duration::seconds(29), margin));
        assert!(info.will_expire_within(expires + chrono::Duration::seconds(1), margin));
    }

    #[test]
    fn debug_hides_the_token() {
        let info = AccessInfo::from_static_token(SecretString::from("very-secret-token"));
        let text = format!("{info:?}");
        assert!(!text.contains("very-secret-token"), "{text}");
        assert!(!info.will_expire_within(Utc::now(), std::time::Duration::from_secs(3600)));
    }

    #[test]
    fn bad_bodies_are_errors() {
        assert!(AccessInfo::from_token_response(SecretString::from("t"), b"<html>").is_err());
        assert!(matches!(
            AccessInfo::from_token_response(
                SecretString::from("t"),
                br#"{"token": {"expires_at": "soon"}}"#
            ),
            Err(TokenParseError::Time(_))
        ));
    }
}
