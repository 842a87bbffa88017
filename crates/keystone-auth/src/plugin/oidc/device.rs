//! The device authorization grant (RFC 8628): ask for a device code, show
//! the user where to approve it, poll the token endpoint honoring
//! `interval` and `slow_down`, within the code's lifetime.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use super::error::{OidcError, server_text};
use super::provider::{OAuthClient, oauth_error_code, refusal};
use crate::error::Result;
use crate::plugin::AuthContext;
use crate::redact::register_secret;
use crate::session::Response;

/// The device grant type.
pub(crate) const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The longest device code lifetime honored (a hostile `expires_in` does not
/// keep the client polling for days).
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// The shortest poll interval used, whatever the provider says.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// What the user must do to approve a device login: open
/// `verification_uri` and enter `user_code` (or open
/// `verification_uri_complete`). Provider text is stripped of control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceCode {
    /// The code the user types.
    pub user_code: String,
    /// Where the user types it.
    pub verification_uri: String,
    /// A URI with the code in it, when the provider gives one.
    pub verification_uri_complete: Option<String>,
    /// How long the code lives.
    pub expires_in: Duration,
}

/// Shows a [`DeviceCode`] to the user.
#[derive(Clone)]
pub(crate) struct DevicePrompt(pub(crate) Arc<dyn Fn(&DeviceCode) + Send + Sync>);

impl fmt::Debug for DevicePrompt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DevicePrompt")
    }
}

impl Default for DevicePrompt {
    fn default() -> Self {
        Self(Arc::new(|code: &DeviceCode| {
            match &code.verification_uri_complete {
                Some(uri) => tracing::warn!("To authenticate please go to: {uri}"),
                None => tracing::warn!(
                    "To authenticate please go to {} and enter the code {}",
                    code.verification_uri,
                    code.user_code
                ),
            }
        }))
    }
}

#[derive(Deserialize)]
struct DeviceAuthorizationResponse {
    device_code: String,
    user_code: String,
    verification_uri: String,
    #[serde(default)]
    verification_uri_complete: Option<String>,
    expires_in: u64,
    #[serde(default)]
    interval: Option<u64>,
}

/// Runs the device flow up to the token response.
pub(crate) async fn device_token_response(
    ctx: &AuthContext<'_>,
    client: &OAuthClient,
    device_endpoint: &Url,
    token_endpoint: &Url,
    openid_scope: &str,
    prompt: &DevicePrompt,
) -> Result<Response> {
    let mut fields = vec![("scope", openid_scope)];
    // RFC 8628 does not need client_id with a secret; Entra ID does, so
    // keystoneauth always sends it.
    if client.secret.is_some() {
        fields.push(("client_id", client.id.as_str()));
    }
    let response = client.post_form(ctx, device_endpoint, &fields).await?;
    let invalid = |reason: &str| OidcError::InvalidResponse {
        url: Box::new(device_endpoint.clone()),
        reason: reason.to_owned(),
    };
    let answer: DeviceAuthorizationResponse = serde_json::from_slice(&response.body)
        .map_err(|_| invalid("not a device authorization response"))?;
    if answer.device_code.is_empty() {
        return Err(invalid("empty device_code").into());
    }
    register_secret(&answer.device_code);
    let device_code = SecretString::from(answer.device_code);
    let lifetime = Duration::from_secs(answer.expires_in).min(MAX_LIFETIME);
    let mut interval = Duration::from_secs(answer.interval.unwrap_or(5)).max(MIN_INTERVAL);
    (prompt.0)(&DeviceCode {
        user_code: server_text(&answer.user_code),
        verification_uri: server_text(&answer.verification_uri),
        verification_uri_complete: answer.verification_uri_complete.as_deref().map(server_text),
        expires_in: lifetime,
    });
    let deadline = ctx.now() + chrono::Duration::from_std(lifetime).unwrap_or_default();
    let mut waited = Duration::ZERO;
    let expired = || OidcError::DeviceCodeExpired {
        url: Box::new(token_endpoint.clone()),
    };
    loop {
        let mut fields = vec![
            ("grant_type", DEVICE_GRANT),
            (
                "device_code",
                secrecy::ExposeSecret::expose_secret(&device_code),
            ),
        ];
        if client.secret.is_some() {
            fields.push(("client_id", client.id.as_str()));
        }
        let response = client.post_form_raw(ctx, token_endpoint, &fields).await?;
        if response.status.is_success() {
            return Ok(response);
        }
        match oauth_error_code(&response).as_deref() {
            Some("authorization_pending") => {}
            Some("slow_down") => interval += Duration::from_secs(5),
            Some("expired_token") => return Err(expired().into()),
            Some("access_denied") => {
                return Err(OidcError::DeviceAuthorizationDenied {
                    url: Box::new(token_endpoint.clone()),
                }
                .into());
            }
            _ => return Err(refusal(&response, token_endpoint).into()),
        }
        // Bounded by the code's lifetime twice over: the time slept (so an
        // instant test sleeper still ends) and the clock.
        if waited + interval > lifetime || ctx.now() >= deadline {
            return Err(expired().into());
        }
        waited += interval;
        ctx.core.sleeper.sleep(interval).await;
    }
}
