//! `bench-baseline SCENARIO`: the same HTTP calls as `bench-ours`, written with bare
//! reqwest + serde_json and no SDK: what a careful person would write by hand.
//!
//! Same HTTP stack as keystone-auth (reqwest with rustls and the ring provider, one
//! client and so one connection pool, redirects off). It authenticates with a password
//! from `OS_*` (no clouds.yaml), takes the compute URL from the catalog, and sends the
//! microversion given in `BENCH_MICROVERSION` (no version discovery: that is the one
//! request our client may make on top). Server bodies are decoded into
//! `serde_json::Value`, so every field is read, as the SDK reads every field.

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use nova_bench::{Outcome, Scenario, Settings};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Deserialize;
use serde_json::{Value, json};

fn main() -> ExitCode {
    nova_bench::run_main("bench-baseline", |scenario, settings| async move {
        run(scenario, &settings).await
    })
}

type Failure = Box<dyn std::error::Error>;

fn env(name: &str) -> Result<String, Failure> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

/// An authenticated compute endpoint.
struct Compute {
    http: reqwest::Client,
    url: String,
    headers: HeaderMap,
}

#[derive(Deserialize)]
struct Catalog {
    token: CatalogToken,
}

#[derive(Deserialize)]
struct CatalogToken {
    #[serde(default)]
    catalog: Vec<CatalogService>,
}

#[derive(Deserialize)]
struct CatalogService {
    #[serde(rename = "type")]
    service_type: String,
    endpoints: Vec<CatalogEndpoint>,
}

#[derive(Deserialize)]
struct CatalogEndpoint {
    interface: String,
    #[serde(default)]
    region_id: Option<String>,
    url: String,
}

#[derive(Deserialize)]
struct Page {
    servers: Vec<Value>,
    #[serde(default)]
    servers_links: Vec<Link>,
}

#[derive(Deserialize)]
struct Link {
    href: String,
    rel: String,
}

#[derive(Deserialize)]
struct One {
    server: Value,
}

async fn connect(settings: &Settings) -> Result<Compute, Failure> {
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(30))
        .build()?;
    let body = json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": env("OS_USERNAME")?,
            "domain": {"name": env("OS_USER_DOMAIN_NAME")?},
            "password": env("OS_PASSWORD")?,
        }}},
        "scope": {"project": {
            "name": env("OS_PROJECT_NAME")?,
            "domain": {"name": env("OS_PROJECT_DOMAIN_NAME")?},
        }},
    }});
    let auth_url = env("OS_AUTH_URL")?;
    let response = http
        .post(format!("{}/auth/tokens", auth_url.trim_end_matches('/')))
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?
        .error_for_status()?;
    let token = response
        .headers()
        .get("x-subject-token")
        .cloned()
        .ok_or("no X-Subject-Token")?;
    let catalog: Catalog = serde_json::from_slice(&response.bytes().await?)?;
    let region = std::env::var("OS_REGION_NAME").ok();
    let interface = std::env::var("OS_INTERFACE").unwrap_or_else(|_| "public".to_owned());
    let url = catalog
        .token
        .catalog
        .into_iter()
        .filter(|s| s.service_type == "compute")
        .flat_map(|s| s.endpoints)
        .find(|e| {
            e.interface == interface
                && (region.is_none() || e.region_id.as_deref() == region.as_deref())
        })
        .ok_or("no compute endpoint in the catalog")?
        .url;
    let microversion = settings
        .microversion
        .as_deref()
        .ok_or("BENCH_MICROVERSION must be set")?;
    let mut headers = HeaderMap::new();
    let mut token = token;
    token.set_sensitive(true);
    headers.insert("x-auth-token", token);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(
        "openstack-api-version",
        HeaderValue::from_str(&format!("compute {microversion}"))?,
    );
    headers.insert(
        "x-openstack-nova-api-version",
        HeaderValue::from_str(microversion)?,
    );
    Ok(Compute {
        http,
        url: url.trim_end_matches('/').to_owned(),
        headers,
    })
}

impl Compute {
    async fn get<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, Failure> {
        let response = self
            .http
            .get(url)
            .headers(self.headers.clone())
            .send()
            .await?
            .error_for_status()?;
        Ok(serde_json::from_slice(&response.bytes().await?)?)
    }

    async fn create(&self, name: &str, settings: &Settings) -> Result<String, Failure> {
        let body = json!({"server": {
            "name": name,
            "imageRef": settings.image()?,
            "flavorRef": settings.flavor,
            "networks": "auto",
        }});
        let response = self
            .http
            .post(format!("{}/servers", self.url))
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&body)?)
            .send()
            .await?
            .error_for_status()?;
        let created: One = serde_json::from_slice(&response.bytes().await?)?;
        Ok(created.server["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Every server, page by page; `each` sees every page before it is dropped.
    async fn list(&self, settings: &Settings) -> Result<u64, Failure> {
        let mut url = format!("{}/servers/detail?limit={}", self.url, settings.page_size);
        let mut count = 0u64;
        loop {
            let page: Page = self.get(&url).await?;
            count += page.servers.len() as u64;
            match page.servers_links.into_iter().find(|l| l.rel == "next") {
                Some(next) if !page.servers.is_empty() => url = next.href,
                _ => return Ok(count),
            }
        }
    }
}

async fn run(scenario: Scenario, settings: &Settings) -> Result<Outcome, String> {
    run_scenario(scenario, settings)
        .await
        .map_err(|e| e.to_string())
}

async fn run_scenario(scenario: Scenario, settings: &Settings) -> Result<Outcome, Failure> {
    let compute = connect(settings).await?;
    match scenario {
        Scenario::Version => {
            Ok(Outcome::new(scenario, 0).note(settings.microversion.clone().unwrap_or_default()))
        }
        Scenario::Boot => {
            let id = compute.create("bench-boot", settings).await?;
            let url = format!("{}/servers/{id}", compute.url);
            loop {
                let server: One = compute.get(&url).await?;
                let status = server.server["status"].as_str().unwrap_or_default();
                let idle = server.server["OS-EXT-STS:task_state"].is_null();
                if status == "ACTIVE" && idle {
                    return Ok(Outcome::new(scenario, 1).note("ACTIVE"));
                }
                if status == "ERROR" {
                    return Err("the server went to ERROR".into());
                }
                tokio::time::sleep(settings.poll_interval).await;
            }
        }
        Scenario::Show => {
            let page: Page = compute
                .get(&format!("{}/servers/detail?limit=1", compute.url))
                .await?;
            let id = page
                .servers
                .first()
                .and_then(|s| s["id"].as_str())
                .ok_or("there is no server to show")?
                .to_owned();
            let url = format!("{}/servers/{id}", compute.url);
            let mut shown = 0u64;
            let before = nova_bench::allocations_so_far();
            for _ in 0..settings.shows {
                let server: One = compute.get(&url).await?;
                if server.server["id"] == id.as_str() {
                    shown += 1;
                }
            }
            let allocations = nova_bench::allocations_so_far() - before;
            Ok(Outcome::new(scenario, shown).allocations(allocations))
        }
        Scenario::List | Scenario::Stream => {
            Ok(Outcome::new(scenario, compute.list(settings).await?))
        }
        Scenario::Page => {
            let page: Page = compute
                .get(&format!("{}/servers/detail", compute.url))
                .await?;
            Ok(Outcome::new(scenario, page.servers.len() as u64))
        }
        Scenario::Create => {
            let ids: Vec<String> = futures::stream::iter(0..settings.creates)
                .map(|n| {
                    let compute = &compute;
                    async move { compute.create(&format!("bench-{n}"), settings).await }
                })
                .buffer_unordered(settings.in_flight)
                .try_collect()
                .await?;
            let distinct: HashSet<&String> = ids.iter().collect();
            Ok(Outcome::new(scenario, distinct.len() as u64))
        }
    }
}
