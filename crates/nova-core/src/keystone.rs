//! [`Transport`] for `keystone_auth::Adapter` (feature `keystone`): compute requests go
//! through the keystone session (token, re-authentication, retries, TLS, redacted logs).

use keystone_auth::ErrorKind;

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// The class of a keystone-auth failure seen by a compute request. The session
/// returns every compute answer as a response, so an HTTP error from it is the
/// identity service's (authentication).
fn transport_kind(kind: ErrorKind) -> TransportErrorKind {
    match kind {
        ErrorKind::Http | ErrorKind::Authentication | ErrorKind::MoreFactorsRequired => {
            TransportErrorKind::Auth
        }
        ErrorKind::Connect => TransportErrorKind::Connect,
        ErrorKind::Tls => TransportErrorKind::Tls,
        ErrorKind::Timeout => TransportErrorKind::Timeout,
        ErrorKind::LostAfterSend => TransportErrorKind::LostAfterSend,
        ErrorKind::EndpointNotFound => TransportErrorKind::EndpointNotFound,
        ErrorKind::Config => TransportErrorKind::Config,
        _ => TransportErrorKind::Other,
    }
}

fn transport_error(what: String, error: keystone_auth::Error) -> TransportError {
    let mut out = TransportError::new(
        format!("keystone-auth could not complete {what}"),
        error.may_have_reached_server(),
    )
    .with_kind(transport_kind(error.kind()));
    if let Some(status) = error.status() {
        out = out.with_status(status);
    }
    out.with_source(error)
}

#[async_trait::async_trait]
impl Transport for keystone_auth::Adapter {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let HttpRequest {
            method,
            path,
            headers,
            body,
        } = request;
        match keystone_auth::Adapter::send(self, method.clone(), &path, headers, body).await {
            Ok(response) => {
                // An error body may echo a secret of this session (a password, the token):
                // mask it by value before it becomes an error message.
                let body = match response.status.is_success() {
                    true => response.body,
                    false => keystone_auth::redact::redact_bytes(&response.body)
                        .map_or(response.body, bytes::Bytes::from),
                };
                Ok(HttpResponse {
                    status: response.status,
                    headers: response.headers,
                    body,
                })
            }
            Err(e) => Err(transport_error(format!("{method} {path}"), e)),
        }
    }

    async fn endpoint(&self) -> Result<String, TransportError> {
        keystone_auth::Adapter::endpoint(self)
            .await
            .map(|url| url.to_string())
            .map_err(|e| transport_error("the compute endpoint lookup".to_owned(), e))
    }
}
