//! What every mock-cloud HTTP test binary shares: a reqwest client that does not follow
//! redirects (so the tests see the mock's own answers), with the TLS provider installed once.

use std::sync::Once;

use reqwest::Client;

/// A client that reports redirects instead of following them.
pub fn client() -> Client {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}
