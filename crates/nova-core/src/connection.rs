//! [`Connection`]: one negotiated microversion on one compute endpoint, shared by all
//! managers; and [`ApiResponse`], what every call returns. The header and echo policy is
//! documented on [`Connection`].

use std::sync::Arc;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{BodyKind, Error, Fault, Result};
use crate::fault::{body_snippet, looks_like_html};
use crate::microversion::MicroVersion;
use crate::requirement::VersionReq;
use crate::transport::{HttpRequest, HttpResponse, Transport};

/// The standard microversion header (`OpenStack-API-Version: compute 2.60`).
pub const OPENSTACK_API_VERSION: &str = "openstack-api-version";
/// Nova's legacy microversion header (`X-OpenStack-Nova-API-Version: 2.60`).
pub const NOVA_API_VERSION: &str = "x-openstack-nova-api-version";
/// The service name in the standard header.
pub const COMPUTE_SERVICE_TYPE: &str = "compute";

/// What to do when the server echoes a different microversion than the one sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MismatchPolicy {
    /// Fail the call with [`Error::MicroversionMismatch`] (the default).
    #[default]
    Error,
    /// Log a `tracing` warning and return the response, labelled with the echoed version.
    Warn,
}

/// The body of a response that is not decoded (204s, actions, `Location`-only answers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawBody(pub Bytes);

impl RawBody {
    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.0
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A successful response: the decoded value plus what produced it.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub value: T,
    /// The HTTP status (e.g. 202 vs 204).
    pub status: StatusCode,
    /// `x-openstack-request-id`, else `x-compute-request-id`.
    pub request_id: Option<String>,
    /// The microversion that produced this response (see [`Connection`] for the echo policy).
    pub microversion: MicroVersion,
    /// All response headers.
    pub headers: HeaderMap,
}

impl<T> ApiResponse<T> {
    /// The value, dropping the metadata.
    pub fn into_value(self) -> T {
        self.value
    }

    /// Transforms the value, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            value: f(self.value),
            status: self.status,
            request_id: self.request_id,
            microversion: self.microversion,
            headers: self.headers,
        }
    }

    /// The first value of header `name` as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Location` header (POST /servers answers with the server's URL).
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the body is {0}, not JSON")]
struct NotJson(BodyKind);

/// One compute endpoint at one negotiated microversion. Cheap to clone; all clones share the
/// transport.
///
/// # Microversion headers and the echo check
///
/// Every request at version `X.Y` (`Y > 0`) carries both `OpenStack-API-Version: compute X.Y`
/// and `X-OpenStack-Nova-API-Version: X.Y` (Nova reads both at every microversion). At an
/// `X.0` version ("no microversions", legacy v2) no version header is sent, as
/// python-novaclient does: Nova would answer `2.0` with 406, and no header means the
/// 2.0-compatible 2.1.
///
/// Nova echoes the version it used in the same two headers; the standard one wins when both
/// are present, as on the server. For every successful response the echo is compared with
/// what was sent:
///
/// - **same version**: fine; [`ApiResponse::microversion`] is that version.
/// - **different version**: by default ([`MismatchPolicy::Error`]) the call fails with
///   [`Error::MicroversionMismatch`] (the request did reach the server and took effect; the
///   error exists because the response may not have the shape the caller expects). With
///   [`MismatchPolicy::Warn`] a `tracing` warning is logged and the response is returned with
///   `microversion` set to the version the server says it used (when it parses).
/// - **no echo**: a `tracing` warning (a proxy may have stripped it, or the endpoint is not
///   Nova v2.1); `microversion` is the version sent.
///
/// Error responses (status >= 400) are not echo-checked: the status error is more useful.
///
/// ```
/// # use std::sync::Arc;
/// # use nova_core::{Connection, MicroVersion, VersionReq, Transport};
/// # fn demo(transport: Arc<dyn Transport>) -> nova_core::Result<()> {
/// let conn = Connection::new(transport, MicroVersion::new(2, 60));
/// conn.require("servers.tags", &VersionReq::parse(">=2.26")?)?; // no I/O
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Connection {
    transport: Arc<dyn Transport>,
    version: MicroVersion,
    policy: MismatchPolicy,
    /// `version_headers(version)` and `Accept`, built once rather than on every request.
    headers: HeaderMap,
    /// The same plus `Content-Type: application/json`, for requests with a body.
    body_headers: HeaderMap,
}

impl Connection {
    /// A connection that sends every request at `version`.
    pub fn new(transport: Arc<dyn Transport>, version: MicroVersion) -> Connection {
        Connection {
            transport,
            version,
            policy: MismatchPolicy::default(),
            headers: request_headers(version, false),
            body_headers: request_headers(version, true),
        }
    }

    /// Sets what happens when the server echoes a different version.
    pub fn with_mismatch_policy(mut self, policy: MismatchPolicy) -> Connection {
        self.policy = policy;
        self
    }

    /// The same transport at another microversion.
    pub fn with_microversion(&self, version: MicroVersion) -> Connection {
        Connection {
            transport: Arc::clone(&self.transport),
            version,
            policy: self.policy,
            headers: request_headers(version, false),
            body_headers: request_headers(version, true),
        }
    }

    /// The microversion every request carries.
    pub fn microversion(&self) -> MicroVersion {
        self.version
    }

    /// The mismatch policy.
    pub fn mismatch_policy(&self) -> MismatchPolicy {
        self.policy
    }

    /// The transport.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    /// `Ok` if the negotiated version can perform `operation`; otherwise
    /// [`Error::VersionNotSupported`]. No I/O.
    pub fn require(&self, operation: &'static str, req: &VersionReq) -> Result<()> {
        if req.matches(self.version) {
            Ok(())
        } else {
            Err(Error::VersionNotSupported {
                operation,
                required: *req,
                negotiated: self.version,
            })
        }
    }

    /// `Ok` if the negotiated version accepts request field `field`; otherwise
    /// [`Error::FieldNotSupported`]. No I/O.
    pub fn require_field(&self, field: &'static str, req: &VersionReq) -> Result<()> {
        if req.matches(self.version) {
            Ok(())
        } else {
            Err(Error::FieldNotSupported {
                field,
                required: *req,
                negotiated: self.version,
            })
        }
    }

    /// `GET path`, decoding the JSON body into `T`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<ApiResponse<T>> {
        let raw = self.send(Method::GET, path, None).await?;
        decode(raw)
    }

    /// `POST path` with a JSON body, decoding the JSON answer into `T`.
    pub async fn post<B, T>(&self, path: &str, body: &B) -> Result<ApiResponse<T>>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.post_raw(path, body).await?;
        decode(raw)
    }

    /// `POST path` with a JSON body, not decoding the answer (actions answering 202/204).
    pub async fn post_raw<B>(&self, path: &str, body: &B) -> Result<ApiResponse<RawBody>>
    where
        B: Serialize + ?Sized,
    {
        let body = encode(body)?;
        self.send(Method::POST, path, Some(body)).await
    }

    /// `PUT path` with a JSON body, decoding the JSON answer into `T`.
    pub async fn put<B, T>(&self, path: &str, body: &B) -> Result<ApiResponse<T>>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let body = encode(body)?;
        let raw = self.send(Method::PUT, path, Some(body)).await?;
        decode(raw)
    }

    /// `DELETE path`; the (usually empty) body is not decoded.
    pub async fn delete(&self, path: &str) -> Result<ApiResponse<RawBody>> {
        self.send(Method::DELETE, path, None).await
    }

    /// Sends one request with the microversion headers and maps the answer: status >= 400
    /// (and any non-2xx) becomes the matching [`Error`] variant, the echoed version is
    /// checked. The body is returned undecoded.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> Result<ApiResponse<RawBody>> {
        let mut request = HttpRequest::new(method.clone(), path);
        request.headers = match body {
            Some(_) => self.body_headers.clone(),
            None => self.headers.clone(),
        };
        request.body = body;

        tracing::debug!(%method, path, microversion = %self.version, "compute request");
        let response = self.transport.send(request).await?;
        let request_id = response.request_id().map(str::to_owned);
        tracing::debug!(
            %method, path, status = response.status.as_u16(), request_id = request_id.as_deref(),
            "compute response"
        );

        if !response.status.is_success() {
            return Err(Fault::from_response(&method, path, &response).into_error());
        }
        let microversion = self.check_echo(&method, path, &response)?;
        Ok(ApiResponse {
            value: RawBody(response.body),
            status: response.status,
            request_id,
            microversion,
            headers: response.headers,
        })
    }

    fn check_echo(
        &self,
        method: &Method,
        path: &str,
        response: &HttpResponse,
    ) -> Result<MicroVersion> {
        let echoed = echoed_version(&response.headers);
        if self.version.is_major_only() {
            // No header was sent: the server used its default; report what it says if readable.
            return Ok(echoed
                .and_then(|e| e.parse::<MicroVersion>().ok())
                .unwrap_or(self.version));
        }
        let Some(echoed) = echoed else {
            tracing::warn!(
                %method, path, sent = %self.version,
                "the compute response carries no microversion header; assuming the version sent"
            );
            return Ok(self.version);
        };
        match echoed.parse::<MicroVersion>() {
            Ok(v) if v == self.version => Ok(v),
            parsed => match self.policy {
                MismatchPolicy::Error => Err(Error::MicroversionMismatch {
                    sent: self.version,
                    received: echoed,
                }),
                MismatchPolicy::Warn => {
                    tracing::warn!(
                        %method, path, sent = %self.version, received = %echoed,
                        "the server answered with a different compute microversion"
                    );
                    Ok(parsed.unwrap_or(self.version))
                }
            },
        }
    }
}

/// The headers of every request of a connection at `version`: the microversion headers,
/// `Accept: application/json`, and with a body `Content-Type: application/json`.
fn request_headers(version: MicroVersion, with_body: bool) -> HeaderMap {
    let mut headers = version_headers(version);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if with_body {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    headers
}

/// The two microversion headers for `version`; none for an `X.0` version.
pub fn version_headers(version: MicroVersion) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if version.is_major_only() {
        return headers;
    }
    let legacy = version.to_string();
    let standard = format!("{COMPUTE_SERVICE_TYPE} {legacy}");
    // Digits, a dot and a space are always valid header text.
    if let (Ok(standard), Ok(legacy)) = (
        HeaderValue::from_str(&standard),
        HeaderValue::from_str(&legacy),
    ) {
        headers.insert(OPENSTACK_API_VERSION, standard);
        headers.insert(NOVA_API_VERSION, legacy);
    }
    headers
}

/// The compute version a response (or request) names, read like Nova reads requests: the
/// last `compute` entry of `OpenStack-API-Version` (service name case-insensitive, entries
/// comma-separated, header possibly repeated), else the last comma-separated value of
/// `X-OpenStack-Nova-API-Version`. Returned as text, unparsed.
pub fn echoed_version(headers: &HeaderMap) -> Option<String> {
    let mut standard = None;
    for value in headers.get_all(OPENSTACK_API_VERSION) {
        let Ok(text) = value.to_str() else { continue };
        for entry in text.split(',') {
            let mut words = entry.split_whitespace();
            if let (Some(service), Some(version)) = (words.next(), words.next())
                && service.eq_ignore_ascii_case(COMPUTE_SERVICE_TYPE)
            {
                standard = Some(version.to_owned());
            }
        }
    }
    if standard.is_some() {
        return standard;
    }
    let mut legacy = None;
    for value in headers.get_all(NOVA_API_VERSION) {
        let Ok(text) = value.to_str() else { continue };
        if let Some(last) = text.split(',').map(str::trim).rfind(|s| !s.is_empty()) {
            legacy = Some(last.to_owned());
        }
    }
    legacy
}

fn encode<B: Serialize + ?Sized>(body: &B) -> Result<Bytes> {
    serde_json::to_vec(body)
        .map(Bytes::from)
        .map_err(|e| Error::InvalidInput {
            field: "request body".to_owned(),
            reason: format!("cannot be encoded as JSON: {e}"),
        })
}

/// Decodes a raw response's JSON body into `T`. An empty body decodes as JSON `null` (so
/// `()` and `Option<_>` work for bodiless answers). A non-JSON body (an HTML page, text) is a
/// [`Error::Decode`] that says what it was.
pub fn decode<T: DeserializeOwned>(raw: ApiResponse<RawBody>) -> Result<ApiResponse<T>> {
    let body = raw.value.0.clone();
    // built only on failure: no allocation on the success path
    let decode_error = |source: Box<dyn std::error::Error + Send + Sync>| Error::Decode {
        what: std::any::type_name::<T>().to_owned(),
        request_id: raw.request_id.clone(),
        snippet: body_snippet(&body),
        source,
    };
    let value = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice::<T>(b"null").map_err(|e| decode_error(Box::new(e)))?
    } else {
        match serde_json::from_slice::<T>(&body) {
            Ok(v) => v,
            Err(e) if e.is_syntax() || e.is_eof() => {
                if looks_like_html(raw.header("content-type"), &body) {
                    return Err(decode_error(Box::new(NotJson(BodyKind::Html))));
                }
                let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
                if matches!(first, Some(b'{' | b'[' | b'"')) {
                    return Err(decode_error(Box::new(e)));
                }
                return Err(decode_error(Box::new(NotJson(BodyKind::Text))));
            }
            Err(e) => return Err(decode_error(Box::new(e))),
        }
    };
    Ok(raw.map(|_| value))
}

#[cfg(test)]
mod tests;
