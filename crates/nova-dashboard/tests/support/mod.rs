//! Shared by the dashboard's HTTP and browser tests: a mock cloud with a dashboard in front,
//! and a small cookie-keeping HTTP client that never follows redirects.

#![allow(dead_code, missing_docs)]

use std::collections::BTreeMap;

use keystone_auth::CloudConfig;
use mock_cloud::{MockCloud, MockConfig};
use nova_dashboard::{DashboardConfig, LoginMode, RunningDashboard};

/// The login form's base settings for a mock cloud.
pub fn form_login(cloud: &MockCloud) -> LoginMode {
    let mut base = CloudConfig::default();
    base.auth.auth_url = Some(cloud.auth_url().to_owned());
    LoginMode::Form(base)
}

/// `OS_*` settings of the mock's demo user.
pub fn demo_config(cloud: &MockCloud) -> CloudConfig {
    let env: std::collections::HashMap<String, String> = [
        ("OS_AUTH_URL", cloud.auth_url()),
        ("OS_USERNAME", "demo"),
        ("OS_PASSWORD", mock_cloud::seed::DEMO_PASSWORD),
        ("OS_USER_DOMAIN_NAME", "Default"),
        ("OS_PROJECT_NAME", "demo"),
        ("OS_PROJECT_DOMAIN_NAME", "Default"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    CloudConfig::from_env_map(&env)
}

/// A mock cloud (with `mock`) and a dashboard logging in to it with the form.
pub async fn start_with(
    mock: MockConfig,
    edit: impl FnOnce(&mut DashboardConfig),
) -> (MockCloud, RunningDashboard) {
    let cloud = MockCloud::start(mock)
        .await
        .unwrap_or_else(|e| panic!("mock-cloud: {e}"));
    let mut config = DashboardConfig::new(form_login(&cloud));
    edit(&mut config);
    let dashboard = nova_dashboard::start(config, "127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("dashboard: {e}"));
    (cloud, dashboard)
}

/// The default mock cloud and dashboard.
pub async fn start() -> (MockCloud, RunningDashboard) {
    start_with(MockConfig::default(), |_| {}).await
}

/// One answer.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The value of the first `name="csrf"` input.
    pub fn csrf(&self) -> String {
        hidden_value(&self.body, "csrf").unwrap_or_else(|| panic!("no csrf field in {}", self.body))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// The `value` of the input named `name`.
pub fn hidden_value(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    let end = start + body[start..].find('"')?;
    Some(body[start..end].to_owned())
}

/// A browser-like client: keeps cookies, does not follow redirects.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
}

impl Client {
    pub fn new(dashboard: &RunningDashboard) -> Self {
        let _already_installed = rustls::crypto::ring::default_provider().install_default();
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_else(|e| panic!("{e}")),
            base: dashboard.url().to_owned(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = if self.cookies.is_empty() {
            request
        } else {
            request.header("cookie", self.cookie_header())
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        let page = Page {
            status,
            headers,
            body,
        };
        for cookie in page.set_cookies() {
            let first = cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = first.split_once('=') {
                if value.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// Logs in as the mock's demo user; panics unless it worked.
    pub async fn login_demo(&mut self) {
        let form = self.get("/login").await;
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = form.csrf();
        let done = self
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("method", "password"),
                    ("username", "demo"),
                    ("password", mock_cloud::seed::DEMO_PASSWORD),
                    ("user_domain", "Default"),
                    ("project", "demo"),
                    ("project_domain", "Default"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(done.location(), "/instances");
    }

    /// The session's CSRF token, read from the instance list.
    pub async fn csrf(&mut self) -> String {
        self.get("/instances").await.csrf()
    }
}
