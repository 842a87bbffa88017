//! The provider's JSON: discovery document, token, device and error
//! responses, introspection claims.

use serde::{Deserialize, Serialize};

/// `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DiscoveryDocument {
    /// `issuer`.
    pub issuer: String,
    /// `token_endpoint`.
    pub token_endpoint: String,
    /// `device_authorization_endpoint`.
    pub device_authorization_endpoint: String,
    /// `introspection_endpoint`.
    pub introspection_endpoint: String,
    /// `grant_types_supported`.
    pub grant_types_supported: Vec<String>,
    /// `response_types_supported`.
    pub response_types_supported: Vec<String>,
    /// `subject_types_supported`.
    pub subject_types_supported: Vec<String>,
    /// `token_endpoint_auth_methods_supported`.
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
}

/// What a token stands for: the claims introspection returns and the
/// mapping reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// `active` (always true for a live token).
    pub active: bool,
    /// `iss`.
    pub iss: String,
    /// `sub`.
    pub sub: String,
    /// `preferred_username`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// `groups`.
    #[serde(default)]
    pub groups: Vec<String>,
    /// `client_id`.
    pub client_id: String,
    /// `scope`.
    pub scope: String,
    /// `exp` (seconds since the epoch).
    pub exp: i64,
}

/// A token response (RFC 6749 5.1).
#[derive(Debug, Serialize)]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: String,
    /// `token_type`.
    pub token_type: &'static str,
    /// `expires_in`.
    pub expires_in: u64,
    /// `scope`.
    pub scope: String,
    /// `id_token` (opaque here; introspectable like the access token).
    pub id_token: String,
}

/// A device authorization response (RFC 8628 3.2).
#[derive(Debug, Serialize)]
pub struct DeviceAuthorizationResponse {
    /// `device_code`.
    pub device_code: String,
    /// `user_code`.
    pub user_code: String,
    /// `verification_uri`.
    pub verification_uri: String,
    /// `verification_uri_complete`.
    pub verification_uri_complete: String,
    /// `expires_in`.
    pub expires_in: u64,
    /// `interval`.
    pub interval: u64,
}

/// An error response (RFC 6749 5.2).
#[derive(Debug, Serialize)]
pub struct OAuthError {
    /// `error`: `invalid_request`, `invalid_client`, `invalid_grant`, ...
    pub error: &'static str,
    /// `error_description`.
    pub error_description: String,
}

/// An inactive token's introspection answer.
#[derive(Debug, Serialize)]
pub struct Inactive {
    /// Always false.
    pub active: bool,
}
