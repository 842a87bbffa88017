//! Several methods in one token request (`auth_type: v3multifactor`), and
//! continuing after an auth receipt.

use async_trait::async_trait;
use http::HeaderMap;
use http::header::HeaderValue;
use secrecy::ExposeSecret;
use url::Url;

use crate::access::AccessInfo;
use crate::error::{Error, Result};
use crate::identity::Scope;
use crate::plugin::factor::{Factor, token_request_body};
use crate::plugin::receipt::{AUTH_RECEIPT_HEADER, AuthReceipt};
use crate::plugin::{AuthContext, AuthPlugin, AuthUrl};

/// Authenticates with every given [`Factor`] in one request, as Keystone's
/// multi-factor rules (`multi_factor_auth_rules`) ask. When Keystone still
/// wants more it answers with a receipt, which is
/// [`Error::AuthReceiptRequired`]: build a plugin with the receipt and the
/// missing factors to finish.
///
/// ```
/// use keystone_auth::{Factor, MultiFactor, UserRef};
/// let user = UserRef::id("u1");
/// let first = MultiFactor::new("http://h/v3").factor(Factor::password(user.clone(), "pw"));
/// // ... Err(Error::AuthReceiptRequired(receipt)) from the session, then:
/// # let receipt: Option<keystone_auth::AuthReceipt> = None;
/// # if let Some(receipt) = receipt {
/// let second = MultiFactor::new("http://h/v3").receipt(receipt).factor(Factor::totp(user, "123456"));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MultiFactor {
    auth_url: AuthUrl,
    factors: Vec<Factor>,
    scope: Option<Scope>,
    receipt: Option<AuthReceipt>,
}

impl MultiFactor {
    /// A plugin with no factors yet.
    pub fn new(auth_url: impl AsRef<str>) -> Self {
        Self {
            auth_url: AuthUrl::new(auth_url),
            factors: Vec::new(),
            scope: None,
            receipt: None,
        }
    }

    /// Adds a factor (one per method; a second of the same method replaces
    /// the first).
    pub fn factor(mut self, factor: Factor) -> Self {
        self.factors.retain(|f| f.method() != factor.method());
        self.factors.push(factor);
        self
    }

    /// Scopes the token.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Continues from a receipt: it is sent in `Openstack-Auth-Receipt` and
    /// counts for the methods it proves.
    pub fn receipt(mut self, receipt: AuthReceipt) -> Self {
        self.receipt = Some(receipt);
        self
    }

    /// The methods the request will carry.
    pub fn methods(&self) -> Vec<&'static str> {
        self.factors.iter().map(Factor::method).collect()
    }

    pub(crate) fn request_body(&self) -> serde_json::Value {
        token_request_body(&self.factors, self.scope.as_ref())
    }

    fn headers(&self) -> Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        if let Some(receipt) = &self.receipt {
            let mut value =
                HeaderValue::from_str(receipt.secret().expose_secret()).map_err(|_| {
                    Error::InvalidAuth("the auth receipt is not a valid header value".into())
                })?;
            value.set_sensitive(true);
            headers.insert(AUTH_RECEIPT_HEADER, value);
        }
        Ok(headers)
    }
}

/// Keystone's 401 for an unknown or expired receipt quotes it ("Could not
/// find auth receipt: ..."): the receipt is a secret, so it is masked in
/// every text of the error.
fn mask_receipt(error: &mut crate::error::HttpError, receipt: &str) {
    if receipt.is_empty() {
        return;
    }
    for text in [&mut error.message, &mut error.details, &mut error.title]
        .into_iter()
        .flatten()
    {
        if text.contains(receipt) {
            *text = text.replace(receipt, "***");
        }
    }
}

#[async_trait]
impl AuthPlugin for MultiFactor {
    async fn authenticate(&self, ctx: &AuthContext<'_>) -> Result<AccessInfo> {
        let url = self.auth_url.require()?;
        if self.factors.is_empty() {
            return Err(Error::InvalidAuth(
                "multi-factor authentication needs at least one method (auth_methods)".into(),
            ));
        }
        let result = ctx
            .request_token_with(url, &self.request_body(), self.headers()?)
            .await;
        match (result, &self.receipt) {
            (Err(Error::Http(mut error)), Some(receipt)) => {
                mask_receipt(&mut error, receipt.secret().expose_secret());
                Err(Error::Http(error))
            }
            (result, _) => result,
        }
    }

    fn auth_url(&self) -> Option<&Url> {
        self.auth_url.get()
    }
}
