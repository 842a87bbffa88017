//! The page frame: head, navigation, the logout form, flash messages and error boxes.
//! maud escapes every interpolated string, so server-provided text is never markup.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::error::DashboardError;
use crate::session::UserSession;

/// A hidden input with the session's CSRF token.
pub fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

/// A whole page.
pub fn page(title: &str, session: Option<&UserSession>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - nova-dashboard" }
                link rel="stylesheet" href="/static/dashboard.css";
                script src="/static/dashboard.js" defer {}
            }
            body {
                header class="top" {
                    a class="brand" href="/instances" { "nova-dashboard" }
                    @if let Some(session) = session {
                        nav aria-label="Main" {
                            a href="/instances" { "Instances" }
                            a href="/launch" { "Launch Instance" }
                        }
                        div class="who" {
                            span { (session.cloud.user_name) " @ " (session.cloud.project_name) }
                            span class="version" title="negotiated compute microversion" {
                                "compute " (session.cloud.microversion().to_string())
                            }
                            form method="post" action="/logout" class="inline" {
                                (csrf_field(&session.csrf))
                                button type="submit" id="logout" { "Log out" }
                            }
                        }
                    }
                }
                main id="main" { (body) }
            }
        }
    }
}

/// An error box: the message (escaped), and the request id when there is one.
pub fn error_box(error: &DashboardError) -> Markup {
    html! {
        div class="error" role="alert" {
            p { (error.user_message()) }
            @if let Some(id) = error.request_id() {
                p class="request-id" { "Request ID: " code { (id) } }
            }
        }
    }
}

/// A notice box (success messages).
pub fn notice(text: &str) -> Markup {
    html! { div class="notice" role="status" { (text) } }
}

/// A page for an error that stops the handler.
pub fn error_page(session: Option<&UserSession>, error: &DashboardError) -> Markup {
    page(
        "Error",
        session,
        html! {
            h1 { "Something went wrong" }
            (error_box(error))
            p { a href="/instances" { "Back to the instances" } }
        },
    )
}

/// An empty `Markup`.
pub fn nothing() -> Markup {
    PreEscaped(String::new())
}
