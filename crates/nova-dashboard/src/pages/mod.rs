//! The pages and their handlers, one file per page.

pub mod assets;
pub mod detail;
pub mod instances;
pub mod launch;
pub mod layout;
pub mod login;
pub mod view;

use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use maud::{Markup, html};

use crate::SharedState;
use crate::error::DashboardError;
use crate::session::{SESSION_COOKIE, UserSession, cookie_value};

/// An HTML response.
pub fn html_response(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        markup.into_string(),
    )
        .into_response()
}

/// `303 See Other` to `to` (a path on this dashboard).
pub fn redirect(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/instances"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// The logged-in session of a request.
#[derive(Debug, Clone)]
pub struct Authed {
    /// The cookie value (the session's key).
    pub id: String,
    /// The session.
    pub session: UserSession,
}

/// A request without a live session.
#[derive(Debug, Clone, Copy)]
pub enum NotLoggedIn {
    /// A page: redirect to the login form.
    Page,
    /// A fragment: 401, which the live-update script stops on.
    Fragment,
}

impl IntoResponse for NotLoggedIn {
    fn into_response(self) -> Response {
        match self {
            Self::Page => redirect("/login"),
            Self::Fragment => (StatusCode::UNAUTHORIZED, "session expired").into_response(),
        }
    }
}

/// The request's live session, or why not (`fragment`: the request is for a fragment).
pub fn authed(
    state: &SharedState,
    headers: &HeaderMap,
    fragment: bool,
) -> Result<Authed, NotLoggedIn> {
    let found = cookie_value(headers, SESSION_COOKIE).and_then(|id| {
        state
            .sessions
            .get(id)
            .map(|session| (id.to_owned(), session))
    });
    match found {
        Some((id, session)) => Ok(Authed { id, session }),
        None if fragment => Err(NotLoggedIn::Fragment),
        None => Err(NotLoggedIn::Page),
    }
}

/// The page for a form whose CSRF token is missing or wrong.
pub fn csrf_rejected(session: Option<&UserSession>) -> Response {
    html_response(
        StatusCode::FORBIDDEN,
        layout::page(
            "Form rejected",
            session,
            html! {
                h1 { "Form rejected" }
                div class="error" role="alert" {
                    p { "This form was not sent from this dashboard session, or the session changed (CSRF check failed). Nothing was done." }
                }
                p { a href="/instances" { "Back to the instances" } }
            },
        ),
    )
}

/// The response for an error in a logged-in handler: a 401 from the cloud ends the session
/// (back to the login page), anything else is an error page with the cloud's status.
pub fn failure(state: &SharedState, authed: &Authed, error: DashboardError) -> Response {
    if error.is_unauthorized() {
        state.sessions.remove(&authed.id);
        return redirect("/login");
    }
    let status = match &error {
        DashboardError::Compute(e) if e.is_not_found() => StatusCode::NOT_FOUND,
        DashboardError::InvalidField { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::BAD_GATEWAY,
    };
    tracing::warn!(error = %error.user_message(), "request failed");
    html_response(status, layout::error_page(Some(&authed.session), &error))
}
