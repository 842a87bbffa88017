//! Following redirects ourselves (reqwest's are off) so the token never
//! travels to another origin.

use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use http::{Method, StatusCode};
use tracing::debug;

use crate::error::{Error, Result};
use crate::session::response::Response;
use crate::session::wire::{HttpCore, Outgoing};

/// The `X-Auth-Token` header.
pub(crate) const X_AUTH_TOKEN: &str = "x-auth-token";

/// The final response and whether the request that produced it carried the token.
#[derive(Debug)]
pub(crate) struct Delivered {
    pub(crate) response: Response,
    pub(crate) token_sent: bool,
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

impl HttpCore {
    /// Sends `out` and follows up to `max_redirects` redirects. When a hop
    /// changes origin, `X-Auth-Token` and `Authorization` are dropped for the
    /// rest of the chain; a request with credentials in its body is not
    /// redirected to another origin at all.
    pub(crate) async fn send_following_redirects(&self, mut out: Outgoing) -> Result<Delivered> {
        // kept for the too-many-redirects error, only once a redirect happens
        let mut first: Option<(Method, url::Url)> = None;
        let mut hops = 0u32;
        loop {
            let token_sent = out.headers.contains_key(X_AUTH_TOKEN);
            let response = self.send_with_retries(&out).await?;
            if !is_redirect(response.status) {
                return Ok(Delivered {
                    response,
                    token_sent,
                });
            }
            let (first_method, first_url) =
                first.get_or_insert_with(|| (out.method.clone(), out.url.clone()));
            if hops >= self.max_redirects {
                return Err(Error::TooManyRedirects {
                    method: first_method.clone(),
                    url: Box::new(first_url.clone()),
                    limit: self.max_redirects,
                });
            }
            hops += 1;
            let bad = || Error::BadRedirect {
                method: out.method.clone(),
                url: Box::new(out.url.clone()),
                status: response.status,
            };
            let location = response
                .headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(bad)?;
            let next = out.url.join(location).map_err(|_| bad())?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(bad());
            }
            let cross_origin = next.origin() != out.url.origin();
            if cross_origin && out.credentials_in_body {
                return Err(Error::RedirectRefused {
                    method: out.method.clone(),
                    url: Box::new(out.url.clone()),
                    location: location.to_owned(),
                });
            }
            if cross_origin {
                let dropped = out.headers.remove(X_AUTH_TOKEN).is_some()
                    | out.headers.remove(AUTHORIZATION).is_some();
                debug!(
                    "redirect {} to another origin {}{}",
                    response.status.as_u16(),
                    next.origin().ascii_serialization(),
                    if dropped { "; token dropped" } else { "" }
                );
            } else {
                debug!("redirect {} to {}", response.status.as_u16(), next);
            }
            let becomes_get = response.status == StatusCode::SEE_OTHER
                || (matches!(response.status.as_u16(), 301 | 302) && out.method == Method::POST);
            if becomes_get {
                if out.method != Method::HEAD {
                    out.method = Method::GET;
                }
                out.body = None;
                out.headers.remove(CONTENT_TYPE);
                out.headers.remove(CONTENT_LENGTH);
            }
            let body_goes_along = out.body.as_ref().is_some_and(|b| !b.is_empty());
            if cross_origin && body_goes_along {
                return Err(Error::CrossOriginBodyRedirect {
                    method: out.method.clone(),
                    url: Box::new(crate::session::wire::url_without_password(&out.url)),
                    status: response.status,
                    from: out.url.origin().ascii_serialization(),
                    to: next.origin().ascii_serialization(),
                });
            }
            out.url = next;
        }
    }
}
