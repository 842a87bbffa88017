//! Error bodies: Nova faults (nova-core) and Keystone/API-SIG/HTML errors
//! (keystone-auth), with any status and any bytes.
#![no_main]

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((first, rest)) => (400 + u16::from(*first) % 200, rest),
        None => (500, data),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut headers = HeaderMap::new();
    headers.insert("x-compute-request-id", HeaderValue::from_static("req-fuzz"));
    if body.first() == Some(&b'<') {
        headers.insert("content-type", HeaderValue::from_static("text/html"));
    }
    let mut response = nova_core::HttpResponse::new(status, Bytes::copy_from_slice(body));
    response.headers = headers.clone();
    let fault = nova_core::Fault::from_response(&Method::POST, "servers", &response);
    let shown = fault.to_string();
    assert!(shown.len() < 4096, "a fault's message stays short");
    let _ = fault.into_error().to_string();

    let url = keystone_auth::Url::parse("http://127.0.0.1:5000/v3/auth/tokens").expect("url");
    let keystone = keystone_auth::Response {
        status,
        headers,
        body: Bytes::copy_from_slice(body),
        url,
        method: Method::POST,
    };
    let error = keystone.to_http_error();
    let _ = error.to_string();
});
