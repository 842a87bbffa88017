//! Test helpers: a fake [`Transport`] and a fake Nova that behaves like the real one for
//! version headers and version documents.

use std::sync::Mutex;

use http::{HeaderValue, Method, StatusCode};

use crate::connection::{NOVA_API_VERSION, OPENSTACK_API_VERSION, echoed_version};
use crate::microversion::MicroVersion;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

type Handler = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync>;

/// A transport answering with a closure and recording every request.
pub(crate) struct FakeTransport {
    endpoint: String,
    handler: Handler,
    requests: Mutex<Vec<HttpRequest>>,
}

impl std::fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTransport")
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl FakeTransport {
    pub(crate) fn new(
        endpoint: &str,
        handler: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            endpoint: endpoint.to_owned(),
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
        })
    }

    pub(crate) fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl Transport for FakeTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if let Ok(mut r) = self.requests.lock() {
            r.push(request.clone());
        }
        (self.handler)(&request)
    }

    async fn endpoint(&self) -> Result<String, TransportError> {
        Ok(self.endpoint.clone())
    }
}

/// A JSON response with Nova's request id headers.
pub(crate) fn json(status: u16, body: &str) -> HttpResponse {
    let mut r = HttpResponse::new(
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body.to_owned(),
    );
    r.headers
        .insert("content-type", HeaderValue::from_static("application/json"));
    r.headers.insert(
        "x-openstack-request-id",
        HeaderValue::from_static("req-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
    );
    r.headers.insert(
        "x-compute-request-id",
        HeaderValue::from_static("req-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
    );
    r
}

/// Adds both echo headers for `version`.
pub(crate) fn echo(mut r: HttpResponse, version: &str) -> HttpResponse {
    if let (Ok(std), Ok(legacy)) = (
        HeaderValue::from_str(&format!("compute {version}")),
        HeaderValue::from_str(version),
    ) {
        r.headers.insert(OPENSTACK_API_VERSION, std);
        r.headers.insert(NOVA_API_VERSION, legacy);
        r.headers
            .append("vary", HeaderValue::from_static("OpenStack-API-Version"));
        r.headers.append(
            "vary",
            HeaderValue::from_static("X-OpenStack-Nova-API-Version"),
        );
    }
    r
}

/// A fake Nova at `http://nova.test/compute/v2.1` supporting `min..=max`: version documents at
/// `/compute/` and `/compute/v2.1/`, Nova's 400/406 for bad versions, and `GET servers`
/// answering `{"servers": []}` with the version echoed.
pub(crate) fn fake_nova(min: MicroVersion, max: MicroVersion) -> std::sync::Arc<FakeTransport> {
    FakeTransport::new("http://nova.test/compute/v2.1", move |req| {
        let doc = format!(
            r#"{{"id": "v2.1", "status": "CURRENT", "version": "{max}", "min_version": "{min}", "updated": "2013-07-23T11:33:21Z", "links": [{{"rel": "self", "href": "http://nova.test/compute/v2.1/"}}]}}"#
        );
        match req.path.as_str() {
            "http://nova.test/compute/" => {
                return Ok(json(
                    200,
                    &format!(
                        r#"{{"versions": [{{"id": "v2.0", "status": "DEPRECATED", "version": "", "min_version": "", "updated": "2025-07-04T12:00:00Z", "links": []}}, {doc}]}}"#
                    ),
                ));
            }
            "http://nova.test/compute/v2.1" | "http://nova.test/compute/v2.1/" => {
                return Ok(echo(json(200, &format!(r#"{{"version": {doc}}}"#)), "2.1"));
            }
            _ => {}
        }
        let version = match echoed_version(&req.headers) {
            None => MicroVersion::V2_1,
            Some(text) => match text.parse::<MicroVersion>() {
                Ok(v) => v,
                Err(_) => {
                    return Ok(json(
                        400,
                        &format!(
                            r#"{{"badRequest": {{"code": 400, "message": "API Version String {text} is of invalid format. Must be of format MajorNum.MinorNum."}}}}"#
                        ),
                    ));
                }
            },
        };
        if version < min || version > max {
            return Ok(echo(
                json(
                    406,
                    &format!(
                        r#"{{"computeFault": {{"code": 406, "message": "Version {version} is not supported by the API. Minimum is {min} and maximum is {max}."}}}}"#
                    ),
                ),
                &version.to_string(),
            ));
        }
        match (&req.method, req.path.as_str()) {
            (&Method::GET, "servers") => {
                Ok(echo(json(200, r#"{"servers": []}"#), &version.to_string()))
            }
            _ => Ok(echo(
                json(
                    404,
                    r#"{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}"#,
                ),
                &version.to_string(),
            )),
        }
    })
}

/// A factory building the mockall mock of the client trait, answering `microversion()`.
pub(crate) fn mock_client(conn: crate::Connection) -> Box<dyn crate::compute::ComputeClient> {
    let mut mock = crate::compute::MockComputeClient::new();
    mock.expect_microversion().return_const(conn.microversion());
    Box::new(mock)
}

/// A registration of major 2 (2.1 to 2.104) using [`mock_client`].
pub(crate) const FAKE_V2: crate::ClientRegistration = crate::ClientRegistration {
    major: 2,
    min: MicroVersion::new(2, 1),
    max: MicroVersion::new(2, 104),
    name: "fake-v2",
    factory: mock_client,
};

// Registered through inventory in the unit-test binary: major 90 twice (a conflict), 91 once.
crate::register_client!(crate::ClientRegistration {
    major: 90,
    min: MicroVersion::new(90, 1),
    max: MicroVersion::new(90, 9),
    name: "dup-b",
    factory: mock_client,
});
crate::register_client!(crate::ClientRegistration {
    major: 90,
    min: MicroVersion::new(90, 1),
    max: MicroVersion::new(90, 5),
    name: "dup-a",
    factory: mock_client,
});
crate::register_client!(crate::ClientRegistration {
    major: 91,
    min: MicroVersion::new(91, 1),
    max: MicroVersion::new(91, 9),
    name: "fake-91",
    factory: mock_client,
});
