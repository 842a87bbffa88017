//! OpenStack Identity v3 authentication, service catalog and an HTTP session
//! for any OpenStack service client (a Rust keystoneauth).
//!
//! An [`AuthPlugin`] obtains an [`AccessInfo`] (token + [`ServiceCatalog`]);
//! a [`Session`] sends requests with the token, renews it (single-flight),
//! retries safely, follows redirects without leaking it and logs with
//! secrets masked; an [`Adapter`] binds a session to one service endpoint.
//!
//! ```no_run
//! use keystone_auth::{Adapter, DomainRef, EndpointFilter, Password, Scope, Session, UserRef};
//! use http::{HeaderMap, Method};
//!
//! # async fn run() -> keystone_auth::Result<()> {
//! let plugin = Password::new(
//!     "http://127.0.0.1:5000/v3",
//!     UserRef::name_in_domain("demo", DomainRef::name("Default")),
//!     "secret",
//! )
//! .scope(Scope::project_name("demo", DomainRef::name("Default")));
//! let session = Session::builder(plugin).app_name("example").build()?;
//! let compute = Adapter::new(session, EndpointFilter::new("compute"));
//! let response = compute
//!     .send(Method::GET, "servers", HeaderMap::new(), None)
//!     .await?
//!     .error_for_status()?;
//! println!("{} servers bytes", response.body.len());
//! # Ok(())
//! # }
//! ```

mod access;
mod adapter;
mod catalog;
pub mod clock;
mod config;
mod error;
mod error_body;
mod error_kind;
mod identity;
pub mod local_file;
mod plugin;
pub mod redact;
mod session;

pub use access::{
    AccessInfo, AccessRule, ApplicationCredentialInfo, DomainInfo, ProjectInfo, RoleInfo, UserInfo,
    parse_keystone_time,
};
pub use adapter::Adapter;
pub use catalog::{CatalogEndpoint, CatalogService, EndpointFilter, Interface, ServiceCatalog};
pub use clock::{Clock, Sleeper};
pub use config::{AuthSettings, CloudConfig, ConfigSearch};
pub use error::{Error, ErrorBodyKind, HttpError, Result, TlsFailure};
pub use error_kind::ErrorKind;
pub use identity::{DomainRef, Scope, UserRef};
pub use plugin::{
    AUTH_RECEIPT_HEADER, ApplicationCredential, AuthContext, AuthPlugin, AuthReceipt, Factor,
    MultiFactor, NoAuth, OAuth2ClientCredential, Password, RestoredAuth, StaticToken, Token, Totp,
};
pub use plugin::{AccessTokenType, DeviceCode, Oidc, OidcError};
pub use session::{Request, RequestTiming, Response, RetryPolicy, Session, SessionBuilder};

/// Re-exported so callers can name header and body types without adding the crates.
pub use bytes::Bytes;
pub use http::{HeaderMap, Method, StatusCode};
pub use url::Url;
