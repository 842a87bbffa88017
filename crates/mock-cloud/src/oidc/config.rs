//! What the mock OpenID Connect provider and Keystone's federation half are
//! told at start: clients, users, the device flow's script, and the identity
//! provider, protocol and mapping Keystone knows.

use serde::Deserialize;

use crate::config::{Secret, seed};

/// Fixed names and secrets of the default OIDC seed, so tests can name them.
pub mod oidc_seed {
    /// Keystone's identity provider id for the mock provider.
    pub const IDENTITY_PROVIDER: &str = "mockidp";
    /// Keystone's federation protocol id.
    pub const PROTOCOL: &str = "openid";
    /// Keystone's mapping id.
    pub const MAPPING: &str = "mockidp-mapping";
    /// The confidential OAuth client.
    pub const CLIENT_ID: &str = "nova-cli";
    /// Its secret.
    pub const CLIENT_SECRET: &str = "nova-cli-oidc-secret";
    /// A public client (no secret; device flow).
    pub const PUBLIC_CLIENT_ID: &str = "nova-cli-public";
    /// The provider's user.
    pub const USERNAME: &str = "alice";
    /// Her password at the provider (not a Keystone password).
    pub const PASSWORD: &str = "alice-idp-password";
    /// Her `sub` claim.
    pub const SUBJECT: &str = "alice-0001";
    /// The authorization code the token endpoint accepts (as if the
    /// browser step had returned it), for the first user.
    pub const AUTHORIZATION_CODE: &str = "mock-authorization-code";
    /// The group claim the mapping turns into Keystone user `demo`.
    pub const GROUP: &str = "demo-members";
}

/// The provider and the federation set-up.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    /// OAuth clients.
    pub clients: Vec<OidcClientConfig>,
    /// Users who can log in at the provider.
    pub users: Vec<OidcUserConfig>,
    /// Lifetime of access tokens, seconds.
    pub access_token_ttl_secs: u64,
    /// How device authorizations are answered.
    pub device: DeviceScript,
    /// Keystone's side: identity provider, protocol, mapping.
    pub federation: FederationConfig,
}

/// One OAuth client.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcClientConfig {
    /// `client_id`.
    pub id: String,
    /// `client_secret`; none for a public client.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// Groups claimed for tokens of the client itself (client credentials grant).
    #[serde(default)]
    pub groups: Vec<String>,
}

/// One user of the provider.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcUserConfig {
    /// `preferred_username` and the password grant's `username`.
    pub username: String,
    /// The password grant's `password`.
    pub password: Secret,
    /// `sub`.
    pub subject: String,
    /// `groups`.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// What the device flow does (RFC 8628): the user "approves in the browser"
/// after `pending_polls` polls answered `authorization_pending`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeviceScript {
    /// `interval` announced, seconds.
    pub interval_secs: u64,
    /// `expires_in` announced, seconds.
    pub expires_in_secs: u64,
    /// Polls answered `authorization_pending` before the decision.
    pub pending_polls: u32,
    /// The poll number (1-based) answered `slow_down` instead, if any.
    pub slow_down_at_poll: Option<u32>,
    /// The user who approves.
    pub username: String,
    /// What the user decides.
    pub decision: DeviceDecision,
}

/// The user's answer to a device authorization.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeviceDecision {
    /// Approves: the token endpoint issues a token.
    Approve,
    /// Denies: `access_denied`.
    Deny,
    /// Never answers: `authorization_pending` until the code expires.
    Never,
}

/// Keystone's federation objects (read side): one identity provider with
/// one protocol and its mapping.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederationConfig {
    /// Identity provider id.
    pub identity_provider: String,
    /// Protocol id.
    pub protocol: String,
    /// Mapping id.
    pub mapping: String,
    /// The mapping's rules, first match wins.
    pub rules: Vec<MappingRule>,
}

/// A mapping rule, reduced: when the `groups` claim holds `group`, the
/// federated user is the local user `user_id` (Keystone maps to ephemeral
/// users and groups; the mock maps to a seeded user so the rescope finds
/// its role assignments).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingRule {
    /// A value of the `groups` claim.
    pub group: String,
    /// The local user the token is issued for.
    pub user_id: String,
}

impl Default for OidcConfig {
    fn default() -> Self {
        use oidc_seed::*;
        Self {
            clients: vec![
                OidcClientConfig {
                    id: CLIENT_ID.into(),
                    secret: Some(Secret::new(CLIENT_SECRET)),
                    groups: vec![GROUP.into()],
                },
                OidcClientConfig {
                    id: PUBLIC_CLIENT_ID.into(),
                    secret: None,
                    groups: Vec::new(),
                },
            ],
            users: vec![OidcUserConfig {
                username: USERNAME.into(),
                password: Secret::new(PASSWORD),
                subject: SUBJECT.into(),
                groups: vec![GROUP.into()],
            }],
            access_token_ttl_secs: 3600,
            device: DeviceScript::default(),
            federation: FederationConfig::default(),
        }
    }
}

impl Default for DeviceScript {
    fn default() -> Self {
        Self {
            interval_secs: 5,
            expires_in_secs: 600,
            pending_polls: 1,
            slow_down_at_poll: None,
            username: oidc_seed::USERNAME.into(),
            decision: DeviceDecision::Approve,
        }
    }
}

impl Default for FederationConfig {
    fn default() -> Self {
        Self {
            identity_provider: oidc_seed::IDENTITY_PROVIDER.into(),
            protocol: oidc_seed::PROTOCOL.into(),
            mapping: oidc_seed::MAPPING.into(),
            rules: vec![MappingRule {
                group: oidc_seed::GROUP.into(),
                user_id: seed::DEMO_USER_ID.into(),
            }],
        }
    }
}
