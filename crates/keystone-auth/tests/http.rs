//! keystone-auth over real HTTP against an in-process mock-cloud.

mod http {
    pub mod catalog;
    pub mod config;
    pub mod logging;
    pub mod multi_factor;
    pub mod oauth2;
    pub mod oidc;
    pub mod plugins;
    pub mod reauth;
    pub mod redirects;
    pub mod retries;
    pub mod support;
}
