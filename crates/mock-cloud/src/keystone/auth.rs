//! `POST/GET/HEAD/DELETE /identity/v3/auth/tokens`: issue, validate and revoke
//! tokens for the password, token, application_credential and totp methods,
//! with the users' multi-factor rules and auth receipts.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use chrono::{DateTime, SubsecRound, Utc};
use http::{HeaderMap, HeaderValue, StatusCode, Uri};
use serde_json::{Map, Value};

use super::body::token_body;
use super::directory::{AppCredential, Directory, Target};
use super::errors::{
    json_response, keystone_error, plugin_unauthorized, unauthorized, validation_error,
};
use super::receipts::{AUTH_RECEIPT_HEADER, receipt_response, rules_satisfied};
use super::tokens::{AppCredentialRef, TokenRecord, TokenScope};
use super::totp;
use crate::state::{AppState, SharedState};

/// Header carrying the token a response is about.
const SUBJECT_TOKEN: &str = "x-subject-token";

type Rejection = Box<Response>;

/// A domain named in a request.
enum DomainRef {
    Id(String),
    Name(String),
}

/// A scope named in a request.
enum ScopeRequest {
    /// No `scope` key at all.
    Absent,
    /// `"scope": "unscoped"`.
    Unscoped,
    /// By id, or by name with its domain.
    Project {
        id: Option<String>,
        name: Option<(String, DomainRef)>,
    },
    Domain(DomainRef),
    System,
}

fn reject(response: Response) -> Rejection {
    Box::new(response)
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

fn parse_domain(value: Option<&Value>, target: &str) -> Result<DomainRef, Rejection> {
    let domain = value
        .and_then(Value::as_object)
        .ok_or_else(|| reject(validation_error("domain", target)))?;
    if let Some(id) = str_field(domain, "id") {
        Ok(DomainRef::Id(id.to_owned()))
    } else if let Some(name) = str_field(domain, "name") {
        Ok(DomainRef::Name(name.to_owned()))
    } else {
        Err(reject(validation_error("id or name", "domain")))
    }
}

fn parse_scope(scope: Option<&Value>) -> Result<ScopeRequest, Rejection> {
    let Some(scope) = scope else {
        return Ok(ScopeRequest::Absent);
    };
    if scope.as_str() == Some("unscoped") {
        return Ok(ScopeRequest::Unscoped);
    }
    let Some(obj) = scope.as_object() else {
        return Err(reject(validation_error(
            "project, domain, OS-TRUST:trust or system",
            "scope",
        )));
    };
    let targets = ["project", "domain", "OS-TRUST:trust", "system"]
        .iter()
        .filter(|k| obj.contains_key(**k))
        .count();
    if targets != 1 {
        return Err(reject(validation_error(
            "exactly one of project, domain, OS-TRUST:trust or system",
            "scope",
        )));
    }
    if let Some(project) = obj.get("project") {
        let project = project
            .as_object()
            .ok_or_else(|| reject(validation_error("id or name", "project")))?;
        if let Some(id) = str_field(project, "id") {
            return Ok(ScopeRequest::Project {
                id: Some(id.to_owned()),
                name: None,
            });
        }
        let name = str_field(project, "name")
            .ok_or_else(|| reject(validation_error("id or name", "project")))?;
        let domain = parse_domain(project.get("domain"), "project")?;
        return Ok(ScopeRequest::Project {
            id: None,
            name: Some((name.to_owned(), domain)),
        });
    }
    if let Some(domain) = obj.get("domain") {
        return parse_domain(Some(domain), "scope").map(ScopeRequest::Domain);
    }
    if let Some(system) = obj.get("system") {
        if system.get("all").and_then(Value::as_bool) == Some(true) {
            return Ok(ScopeRequest::System);
        }
        return Err(reject(validation_error("all", "system")));
    }
    Err(reject(keystone_error(
        StatusCode::NOT_IMPLEMENTED,
        "The mock cloud does not implement OS-TRUST:trust scope.",
    )))
}

fn resolve_domain<'a>(dir: &'a Directory, domain: &DomainRef) -> Option<&'a str> {
    match domain {
        DomainRef::Id(id) => dir.domain(id).map(|d| d.id.as_str()),
        DomainRef::Name(name) => dir.domain_named(name).map(|d| d.id.as_str()),
    }
}

/// The user named by a `user` object: by id, or by name with its domain.
fn resolve_user(state: &AppState, user: &Map<String, Value>) -> Result<String, Rejection> {
    let dir = &state.keystone.directory;
    if let Some(id) = str_field(user, "id") {
        return dir
            .user(id)
            .map(|u| u.id.clone())
            .ok_or_else(|| reject(unauthorized(&state.urls)));
    }
    let name =
        str_field(user, "name").ok_or_else(|| reject(validation_error("id or name", "user")))?;
    let domain = parse_domain(user.get("domain"), "user")?;
    resolve_domain(dir, &domain)
        .and_then(|domain_id| dir.user_named(name, domain_id))
        .map(|u| u.id.clone())
        .ok_or_else(|| reject(unauthorized(&state.urls)))
}

fn password_method(state: &AppState, payload: &Map<String, Value>) -> Result<String, Rejection> {
    let user = payload
        .get("user")
        .and_then(Value::as_object)
        .ok_or_else(|| reject(validation_error("user", "password")))?;
    let user_id = resolve_user(state, user)?;
    let given = str_field(user, "password").unwrap_or_default();
    let known = state.keystone.directory.user(&user_id);
    match known {
        Some(u) if u.password.expose() == given => Ok(user_id),
        _ => Err(reject(unauthorized(&state.urls))),
    }
}

/// `totp`: `{"user": {"id" | "name" + "domain", "passcode"}}` checked against
/// the user's totp credential at the mock's clock.
fn totp_method(state: &AppState, payload: &Map<String, Value>) -> Result<String, Rejection> {
    let user = payload
        .get("user")
        .and_then(Value::as_object)
        .ok_or_else(|| reject(validation_error("user", "totp")))?;
    let user_id = resolve_user(state, user)?;
    let given = str_field(user, "passcode").unwrap_or_default();
    let secret = state
        .keystone
        .directory
        .user(&user_id)
        .and_then(|u| u.totp_secret.as_ref());
    match secret {
        Some(secret) if totp::verify(secret.expose(), given, state.now()) => Ok(user_id),
        _ => Err(reject(unauthorized(&state.urls))),
    }
}

fn token_method(
    state: &AppState,
    payload: &Map<String, Value>,
) -> Result<Arc<TokenRecord>, Rejection> {
    let id = str_field(payload, "id").ok_or_else(|| reject(validation_error("id", "token")))?;
    state
        .keystone
        .tokens
        .valid(id, state.now())
        .ok_or_else(|| reject(unauthorized(&state.urls)))
}

fn app_credential_method<'a>(
    state: &'a AppState,
    payload: &Map<String, Value>,
) -> Result<&'a AppCredential, Rejection> {
    let dir = &state.keystone.directory;
    let secret = str_field(payload, "secret")
        .ok_or_else(|| reject(validation_error("secret", "application_credential")))?;
    let credential = if let Some(id) = str_field(payload, "id") {
        dir.app_credentials.iter().find(|c| c.id == id)
    } else {
        let name = str_field(payload, "name")
            .ok_or_else(|| reject(validation_error("id or name", "application_credential")))?;
        let user = payload
            .get("user")
            .and_then(Value::as_object)
            .ok_or_else(|| reject(validation_error("user", "application_credential")))?;
        let user_id = resolve_user(state, user)?;
        dir.app_credentials
            .iter()
            .find(|c| c.name == name && c.user_id == user_id)
    };
    match credential {
        Some(c) if c.secret.expose() == secret => Ok(c),
        _ => Err(reject(unauthorized(&state.urls))),
    }
}

pub(super) fn audit_id() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
}

/// Authenticates a parsed request (with the `Openstack-Auth-Receipt` it
/// carried, if any) and builds the new token's record; a user whose
/// multi-factor rules the proved methods do not cover gets a receipt.
pub(super) fn authenticate(
    state: &AppState,
    request: &Value,
    receipt: Option<&str>,
) -> Result<TokenRecord, Rejection> {
    let auth = request
        .get("auth")
        .and_then(Value::as_object)
        .ok_or_else(|| reject(validation_error("auth", "request body")))?;
    let identity = auth
        .get("identity")
        .and_then(Value::as_object)
        .ok_or_else(|| reject(validation_error("identity", "auth")))?;
    let methods: Vec<&str> = identity
        .get("methods")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if methods.is_empty() {
        return Err(reject(validation_error("methods", "identity")));
    }
    if methods.contains(&"application_credential") && auth.contains_key("scope") {
        return Err(reject(plugin_unauthorized(
            &state.urls,
            "Error authenticating with application credential: Application credentials cannot \
             request a scope.",
        )));
    }
    let scope = parse_scope(auth.get("scope"))?;

    let mut user_id: Option<String> = None;
    let mut parent: Option<Arc<TokenRecord>> = None;
    let mut app: Option<&AppCredential> = None;
    for method in &methods {
        let payload = identity
            .get(*method)
            .and_then(Value::as_object)
            .ok_or_else(|| reject(validation_error(method, "identity")))?;
        let who = match *method {
            "password" => password_method(state, payload)?,
            "token" => {
                let record = token_method(state, payload)?;
                let who = record.user_id.clone();
                parent = Some(record);
                who
            }
            "application_credential" => {
                let credential = app_credential_method(state, payload)?;
                app = Some(credential);
                credential.user_id.clone()
            }
            "totp" => totp_method(state, payload)?,
            _ => {
                return Err(reject(plugin_unauthorized(
                    &state.urls,
                    "Attempted to authenticate with an unsupported method.",
                )));
            }
        };
        if user_id.as_ref().is_some_and(|u| *u != who) {
            return Err(reject(unauthorized(&state.urls)));
        }
        user_id = Some(who);
    }
    let user_id = user_id.ok_or_else(|| reject(unauthorized(&state.urls)))?;
    let dir = &state.keystone.directory;

    // extract_receipt, then the rules (keystone/api/_shared/authentication.py)
    let mut proved: Vec<String> = Vec::new();
    for m in methods.iter().map(|m| (*m).to_owned()) {
        if !proved.contains(&m) {
            proved.push(m);
        }
    }
    if let Some(receipt_id) = receipt {
        let record = state
            .keystone
            .receipts
            .valid(receipt_id, state.now())
            .filter(|r| r.user_id == user_id)
            .ok_or_else(|| {
                // ReceiptNotFound: Keystone 30 echoes the receipt, without WWW-Authenticate
                reject(keystone_error(
                    StatusCode::UNAUTHORIZED,
                    &format!("Could not find auth receipt: {receipt_id}."),
                ))
            })?;
        for m in record.methods {
            if !proved.contains(&m) {
                proved.push(m);
            }
        }
    }
    if let Some(user) = dir.user(&user_id)
        && !rules_satisfied(user, &proved)
    {
        let (id, record) = state.keystone.receipts.issue(&user_id, proved, state.now());
        return Err(reject(receipt_response(dir, user, &id, &record)));
    }

    let mut app_ref = app.map(|c| AppCredentialRef {
        id: c.id.clone(),
        name: c.name.clone(),
        restricted: c.restricted,
    });
    let (token_scope, role_ids) = if let Some(c) = app {
        (
            TokenScope::Project(c.project_id.clone()),
            c.role_ids.clone(),
        )
    } else if let Some(p) = parent.as_ref().filter(|p| p.app_credential.is_some()) {
        // tokens of application credentials keep their scope and cannot be rescoped
        if !matches!(scope, ScopeRequest::Absent) {
            return Err(reject(unauthorized(&state.urls)));
        }
        app_ref = p.app_credential.clone();
        (p.scope.clone(), p.role_ids.clone())
    } else {
        let (target, token_scope) = match &scope {
            ScopeRequest::Unscoped => (None, TokenScope::Unscoped),
            ScopeRequest::Absent => {
                let default = dir
                    .user(&user_id)
                    .and_then(|u| u.default_project_id.clone())
                    .filter(|_| parent.is_none());
                match default {
                    Some(p) => (Some(Target::Project(p.clone())), TokenScope::Project(p)),
                    None => (None, TokenScope::Unscoped),
                }
            }
            ScopeRequest::Project { id, name } => {
                let project = match (id, name) {
                    (Some(id), _) => dir.project(id),
                    (None, Some((name, domain))) => resolve_domain(dir, domain)
                        .and_then(|domain_id| dir.project_named(name, domain_id)),
                    (None, None) => None,
                };
                let project = project.ok_or_else(|| reject(unauthorized(&state.urls)))?;
                (
                    Some(Target::Project(project.id.clone())),
                    TokenScope::Project(project.id.clone()),
                )
            }
            ScopeRequest::Domain(domain) => {
                let domain_id =
                    resolve_domain(dir, domain).ok_or_else(|| reject(unauthorized(&state.urls)))?;
                (
                    Some(Target::Domain(domain_id.to_owned())),
                    TokenScope::Domain(domain_id.to_owned()),
                )
            }
            ScopeRequest::System => (Some(Target::System), TokenScope::System),
        };
        let role_ids = match &target {
            Some(target) => {
                let roles = dir.roles_on(&user_id, target);
                if roles.is_empty() {
                    return Err(reject(unauthorized(&state.urls)));
                }
                roles
            }
            None => Vec::new(),
        };
        (token_scope, role_ids)
    };

    let now = state.now().trunc_subsecs(0);
    let ttl =
        chrono::Duration::from_std(state.keystone.tokens.ttl()).unwrap_or(chrono::Duration::MAX);
    let mut expires_at: DateTime<Utc> = now
        .checked_add_signed(ttl)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let mut method_names: Vec<String> = proved;
    let mut audit_ids = vec![audit_id()];
    if let Some(p) = &parent {
        expires_at = expires_at.min(p.expires_at);
        for m in &p.methods {
            if !method_names.contains(m) {
                method_names.push(m.clone());
            }
        }
        if let Some(first) = p.audit_ids.first() {
            audit_ids.push(first.clone());
        }
    }
    let is_admin = role_ids
        .iter()
        .filter_map(|id| dir.role(id))
        .any(|r| r.name == "admin");
    Ok(TokenRecord {
        user_id,
        methods: method_names,
        scope: token_scope,
        role_ids,
        is_admin,
        issued_at: now,
        expires_at,
        audit_ids,
        app_credential: app_ref,
    })
}

fn wants_catalog(uri: &Uri) -> bool {
    !uri.query().is_some_and(|q| {
        q.split('&')
            .any(|pair| pair.split('=').next() == Some("nocatalog"))
    })
}

pub(super) fn token_response(
    state: &AppState,
    status: StatusCode,
    token_id: &str,
    record: &TokenRecord,
    uri: &Uri,
) -> Response {
    let catalog = wants_catalog(uri).then(|| state.keystone.catalog());
    let body = token_body(record, &state.keystone.directory, catalog.as_ref());
    let mut response = json_response(status, &body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(token_id) {
        headers.insert(SUBJECT_TOKEN, value);
    }
    headers.insert(http::header::VARY, HeaderValue::from_static("X-Auth-Token"));
    response
}

/// `POST /identity/v3/auth/tokens`: 201 with `X-Subject-Token`, or Keystone's 400/401.
pub async fn issue(
    State(state): State<SharedState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return keystone_error(
                StatusCode::BAD_REQUEST,
                "The request body is not valid JSON.",
            );
        }
    };
    let receipt = headers
        .get(AUTH_RECEIPT_HEADER)
        .map(|v| v.to_str().unwrap_or_default())
        .filter(|v| !v.is_empty());
    match authenticate(&state, &request, receipt) {
        Ok(record) => {
            let token_id = state.keystone.tokens.insert(record.clone(), state.now());
            token_response(&state, StatusCode::CREATED, &token_id, &record, &uri)
        }
        Err(rejection) => *rejection,
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks `X-Auth-Token` and finds the `X-Subject-Token`.
fn subject(state: &AppState, headers: &HeaderMap) -> Result<(String, Arc<TokenRecord>), Rejection> {
    let now = state.now();
    let caller =
        header_str(headers, "x-auth-token").and_then(|t| state.keystone.tokens.valid(t, now));
    if caller.is_none() {
        return Err(reject(unauthorized(&state.urls)));
    }
    let subject = header_str(headers, SUBJECT_TOKEN).unwrap_or_default();
    state
        .keystone
        .tokens
        .valid(subject, now)
        .map(|record| (subject.to_owned(), record))
        .ok_or_else(|| {
            reject(keystone_error(
                StatusCode::NOT_FOUND,
                "Failed to validate token",
            ))
        })
}

/// `GET /identity/v3/auth/tokens` (and `HEAD`): validates `X-Subject-Token`.
pub async fn validate(State(state): State<SharedState>, uri: Uri, headers: HeaderMap) -> Response {
    match subject(&state, &headers) {
        Ok((id, record)) => token_response(&state, StatusCode::OK, &id, &record, &uri),
        Err(rejection) => *rejection,
    }
}

/// `DELETE /identity/v3/auth/tokens`: revokes `X-Subject-Token`.
pub async fn revoke(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    match subject(&state, &headers) {
        Ok((id, _)) => {
            state.keystone.tokens.revoke(&id);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(rejection) => *rejection,
    }
}
