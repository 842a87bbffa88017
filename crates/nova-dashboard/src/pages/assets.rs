//! The stylesheet and the small live-update script, compiled into the binary.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

const CSS: &str = include_str!("../../assets/dashboard.css");
const JS: &str = include_str!("../../assets/dashboard.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=300"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /static/dashboard.css`
pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

/// `GET /static/dashboard.js`
pub async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}

/// Anything else.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}
