//! `GET|POST /login` and `POST /logout`.
//!
//! The login form's CSRF token is tied to a short-lived cookie set with the form (there is
//! no session yet). The credentials complete the dashboard's base `CloudConfig`; the auth
//! URL always comes from the dashboard's own settings, never from the form.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use keystone_auth::CloudConfig;
use maud::{Markup, html};
use secrecy::{ExposeSecret, SecretString};

use super::layout::{error_box, page};
use super::{authed, csrf_rejected, html_response, redirect};
use crate::cloud::CloudConnection;
use crate::error::DashboardError;
use crate::form::FormData;
use crate::session::{
    LOGIN_COOKIE, SESSION_COOKIE, clear_cookie, cookie_value, random_token, set_cookie,
};
use crate::{LoginMode, SharedState};

/// What the form keeps between attempts (never the secret).
#[derive(Debug, Default)]
struct Typed {
    method: String,
    username: String,
    user_domain: String,
    project: String,
    project_domain: String,
    credential_id: String,
}

impl Typed {
    fn from_form(form: &FormData) -> Self {
        let text = |name: &str| form.get(name).unwrap_or_default().to_owned();
        Self {
            method: text("method"),
            username: text("username"),
            user_domain: text("user_domain"),
            project: text("project"),
            project_domain: text("project_domain"),
            credential_id: text("credential_id"),
        }
    }
}

fn login_form(
    state: &SharedState,
    csrf: &str,
    typed: &Typed,
    error: Option<&DashboardError>,
) -> Markup {
    let domain = |v: &str| {
        if v.is_empty() {
            "Default".to_owned()
        } else {
            v.to_owned()
        }
    };
    let appcred = typed.method == "application_credential";
    let body = html! {
        h1 { "Log in" }
        @if let Some(error) = error { (error_box(error)) }
        @match &state.config.login {
            LoginMode::Cloud(config) => {
                p { "Single-user mode: this dashboard uses the credentials of cloud "
                    strong { (config.name.clone().unwrap_or_else(|| "from OS_* variables".into())) } "." }
                form method="post" action="/login" class="login" {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" id="login" { "Continue" }
                }
            }
            LoginMode::Form(config) => {
                p class="hint" { "Identity service: " code { (config.auth.auth_url.clone().unwrap_or_default()) } }
                form method="post" action="/login" class="login" {
                    input type="hidden" name="csrf" value=(csrf);
                    fieldset {
                        legend { "Authenticate with" }
                        label { input type="radio" name="method" value="password" checked[!appcred]; " Keystone password" }
                        label { input type="radio" name="method" value="application_credential" checked[appcred]; " Application credential" }
                    }
                    fieldset {
                        legend { "Password" }
                        label for="username" { "User name" }
                        input id="username" name="username" autocomplete="username" value=(typed.username);
                        label for="password" { "Password" }
                        input id="password" name="password" type="password" autocomplete="current-password";
                        label for="user_domain" { "User domain" }
                        input id="user_domain" name="user_domain" value=(domain(&typed.user_domain));
                        label for="project" { "Project" }
                        input id="project" name="project" value=(typed.project);
                        label for="project_domain" { "Project domain" }
                        input id="project_domain" name="project_domain" value=(domain(&typed.project_domain));
                    }
                    fieldset {
                        legend { "Application credential" }
                        label for="credential_id" { "Credential ID" }
                        input id="credential_id" name="credential_id" value=(typed.credential_id);
                        label for="credential_secret" { "Secret" }
                        input id="credential_secret" name="credential_secret" type="password" autocomplete="off";
                    }
                    button type="submit" id="login" { "Log in" }
                }
            }
        }
    };
    page("Log in", None, body)
}

/// The login page with a fresh form token (also in a cookie).
fn login_page(
    state: &SharedState,
    status: StatusCode,
    typed: &Typed,
    error: Option<&DashboardError>,
) -> Response {
    let csrf = random_token();
    let cookie = set_cookie(LOGIN_COOKIE, &csrf, state.config.secure_cookies);
    let mut response = html_response(status, login_form(state, &csrf, typed, error));
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /login`
pub async fn show(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    if authed(&state, &headers, false).is_ok() {
        return redirect("/instances");
    }
    login_page(&state, StatusCode::OK, &Typed::default(), None)
}

/// The base settings completed with the form's credentials.
fn credentials(base: &CloudConfig, form: &FormData) -> Result<CloudConfig, DashboardError> {
    let mut config = base.clone();
    let auth = &mut config.auth;
    if form.get("method") == Some("application_credential") {
        let id = form
            .get("credential_id")
            .ok_or_else(|| DashboardError::field("Credential ID", "is required"))?;
        let secret = form
            .raw("credential_secret")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| DashboardError::field("Secret", "is required"))?;
        config.auth_type = Some("v3applicationcredential".into());
        auth.application_credential_id = Some(id.to_owned());
        auth.application_credential_secret = Some(SecretString::from(secret.to_owned()));
        auth.username = None;
        auth.password = None;
        auth.project_name = None;
        auth.project_id = None;
    } else {
        let user = form
            .get("username")
            .ok_or_else(|| DashboardError::field("User name", "is required"))?;
        let password = form
            .raw("password")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| DashboardError::field("Password", "is required"))?;
        let project = form
            .get("project")
            .ok_or_else(|| DashboardError::field("Project", "is required"))?;
        config.auth_type = Some("password".into());
        auth.username = Some(user.to_owned());
        auth.password = Some(SecretString::from(password.to_owned()));
        auth.user_domain_name = Some(form.get("user_domain").unwrap_or("Default").to_owned());
        auth.project_name = Some(project.to_owned());
        auth.project_domain_name = Some(form.get("project_domain").unwrap_or("Default").to_owned());
    }
    Ok(config)
}

async fn connection(
    state: &SharedState,
    form: &FormData,
) -> Result<Arc<CloudConnection>, DashboardError> {
    match &state.config.login {
        LoginMode::Form(base) => Ok(Arc::new(
            CloudConnection::connect(credentials(base, form)?).await?,
        )),
        LoginMode::Cloud(config) => {
            let mut single = state.single_user.lock().await;
            if let Some(existing) = single.as_ref() {
                return Ok(Arc::clone(existing));
            }
            let made = Arc::new(CloudConnection::connect(config.clone()).await?);
            *single = Some(Arc::clone(&made));
            Ok(made)
        }
    }
}

/// `POST /login`
pub async fn submit(State(state): State<SharedState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let expected = cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !form.csrf_ok(expected) {
        return csrf_rejected(None);
    }
    let typed = Typed::from_form(&form);
    match connection(&state, &form).await {
        Ok(cloud) => {
            tracing::info!(user = %cloud.user_name, project = %cloud.project_name, "logged in");
            let (id, _) = state.sessions.create(cloud);
            let secure = state.config.secure_cookies;
            let mut response = redirect("/instances");
            for cookie in [
                set_cookie(SESSION_COOKIE, &id, secure),
                clear_cookie(LOGIN_COOKIE, secure),
            ] {
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        Err(error) => {
            tracing::warn!(error = %error.user_message(), "login failed");
            let status = match &error {
                DashboardError::InvalidField { .. } => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNAUTHORIZED,
            };
            login_page(&state, status, &typed, Some(&error))
        }
    }
}

/// Asks Keystone to revoke the session's token (`DELETE /v3/auth/tokens`), best effort.
async fn revoke_token(cloud: &CloudConnection) {
    let Some(auth_url) = cloud.config.auth.auth_url.as_deref() else {
        return;
    };
    let Ok(access) = cloud.session.access_info().await else {
        return;
    };
    let url = format!("{}/auth/tokens", auth_url.trim_end_matches('/'));
    let request = keystone_auth::Request::delete(url)
        .header("X-Subject-Token", access.token().expose_secret());
    match cloud.session.send(request).await {
        Ok(response) => {
            tracing::info!(status = response.status.as_u16(), "token revoked at logout")
        }
        Err(error) => tracing::warn!(%error, "could not revoke the token at logout"),
    }
    cloud.session.invalidate();
}

/// `POST /logout`: forgets the session and revokes its token (not in single-user mode,
/// where the connection is shared).
pub async fn logout(State(state): State<SharedState>, headers: HeaderMap, body: Bytes) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(authed) => authed,
        Err(rejected) => return rejected.into_response(),
    };
    if !FormData::parse(&body).csrf_ok(&authed.session.csrf) {
        return csrf_rejected(Some(&authed.session));
    }
    state.sessions.remove(&authed.id);
    if matches!(state.config.login, LoginMode::Form(_)) {
        revoke_token(&authed.session.cloud).await;
    }
    let mut response = redirect("/login");
    if let Ok(value) =
        HeaderValue::from_str(&clear_cookie(SESSION_COOKIE, state.config.secure_cookies))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.into_response()
}
