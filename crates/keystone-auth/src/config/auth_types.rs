//! Every `auth_type` name keystoneauth accepts, and what it means here:
//! a method this crate implements, or a typed "not supported".

use crate::error::Error;

/// The authentication method a config selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Password,
    Token,
    ApplicationCredential,
    Totp,
    MultiFactor,
    OAuth2ClientCredential,
    NoAuth,
    OidcPassword,
    OidcClientCredentials,
    OidcAuthorizationCode,
    OidcDeviceAuthorization,
    OidcAccessToken,
}

/// A name and what it selects; `Err(reason)` for names refused.
type Entry = (&'static str, Result<Method, &'static str>);

const NOT_YET: &str = "not implemented by keystone-auth yet";
const V2: &str = "Identity v2 was removed from Keystone (Queens); use the v3 method";

/// keystoneauth1 5.x's `keystoneauth1.plugin` entry points, plus the
/// spellings python-openstackclient and openstacksdk accept for them.
const TABLE: &[Entry] = &[
    ("password", Ok(Method::Password)),
    ("v3password", Ok(Method::Password)),
    ("token", Ok(Method::Token)),
    ("v3token", Ok(Method::Token)),
    ("v3applicationcredential", Ok(Method::ApplicationCredential)),
    ("applicationcredential", Ok(Method::ApplicationCredential)),
    ("application_credential", Ok(Method::ApplicationCredential)),
    ("v3totp", Ok(Method::Totp)),
    ("totp", Ok(Method::Totp)),
    ("v3multifactor", Ok(Method::MultiFactor)),
    ("multifactor", Ok(Method::MultiFactor)),
    (
        "v3oauth2clientcredential",
        Ok(Method::OAuth2ClientCredential),
    ),
    ("oauth2clientcredential", Ok(Method::OAuth2ClientCredential)),
    ("none", Ok(Method::NoAuth)),
    ("noauth", Ok(Method::NoAuth)),
    (
        "admin_token",
        Err(
            "Keystone removed the admin token (ADMIN_TOKEN middleware); authenticate as a user, or use auth_type none with an endpoint for a standalone service",
        ),
    ),
    (
        "token_endpoint",
        Err("an alias of admin_token, which Keystone removed"),
    ),
    (
        "v3admintoken",
        Err("an alias of admin_token, which Keystone removed"),
    ),
    ("v2password", Err(V2)),
    ("v2token", Err(V2)),
    ("v3oidcpassword", Ok(Method::OidcPassword)),
    ("v3oidcclientcredentials", Ok(Method::OidcClientCredentials)),
    ("v3oidcauthcode", Ok(Method::OidcAuthorizationCode)),
    ("v3oidcdeviceauthz", Ok(Method::OidcDeviceAuthorization)),
    ("v3oidcaccesstoken", Ok(Method::OidcAccessToken)),
    ("v3oauth2mtlsclientcredential", Err(NOT_YET)),
    ("v3oauth1", Err(NOT_YET)),
    ("v3samlpassword", Err(NOT_YET)),
    ("v3adfspassword", Err(NOT_YET)),
    ("v3kerberos", Err(NOT_YET)),
    ("v3fedkerb", Err(NOT_YET)),
    ("v3tokenlessauth", Err(NOT_YET)),
    ("v3websso", Err("needs a web browser")),
    ("http_basic", Err(NOT_YET)),
];

/// The names that work.
pub(crate) fn supported() -> Vec<&'static str> {
    TABLE
        .iter()
        .filter(|(_, m)| m.is_ok())
        .map(|(name, _)| *name)
        .collect()
}

/// The method `name` selects (case-insensitive; `-` and `_` alike).
pub(crate) fn lookup(name: &str) -> Result<Method, Error> {
    let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
    let found = TABLE.iter().find(|(n, _)| *n == wanted);
    match found {
        Some((_, Ok(method))) => Ok(*method),
        Some((_, Err(reason))) => Err(Error::AuthTypeNotSupported {
            name: name.to_owned(),
            reason: Some((*reason).to_owned()),
            supported: supported(),
        }),
        None => Err(Error::AuthTypeNotSupported {
            name: name.to_owned(),
            reason: None,
            supported: supported(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// keystoneauth1 5.18.1's entry_points.txt, `[keystoneauth1.plugin]`.
    const KEYSTONEAUTH_NAMES: &[&str] = &[
        "admin_token",
        "http_basic",
        "none",
        "password",
        "token",
        "v2password",
        "v2token",
        "v3adfspassword",
        "v3applicationcredential",
        "v3fedkerb",
        "v3kerberos",
        "v3multifactor",
        "v3oauth1",
        "v3oauth2clientcredential",
        "v3oauth2mtlsclientcredential",
        "v3oidcaccesstoken",
        "v3oidcauthcode",
        "v3oidcclientcredentials",
        "v3oidcdeviceauthz",
        "v3oidcpassword",
        "v3password",
        "v3samlpassword",
        "v3token",
        "v3tokenlessauth",
        "v3totp",
        "v3websso",
    ];

    #[test]
    fn every_keystoneauth_name_works_or_is_a_typed_refusal_listing_what_works() {
        for name in KEYSTONEAUTH_NAMES {
            match lookup(name) {
                Ok(_) => {}
                Err(Error::AuthTypeNotSupported {
                    name: n, supported, ..
                }) => {
                    assert_eq!(&n, name);
                    assert!(supported.contains(&"v3totp") && supported.contains(&"password"));
                }
                Err(other) => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(lookup("V3TOTP").unwrap(), Method::Totp);
        assert_eq!(lookup("v3multifactor").unwrap(), Method::MultiFactor);
        let err = lookup("admin_token").unwrap_err().to_string();
        assert!(
            err.contains("admin_token") && err.contains("supported: password"),
            "{err}"
        );
        assert!(lookup("saml2").unwrap_err().to_string().contains("saml2"));
    }
}
