//! What one test creates in the cloud, deleted when the test ends, pass or fail, so that a run
//! never exhausts a real project's quota (Nova's default is 10 instances).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::time::{Duration, Instant};

use keystone_auth::{Adapter, CloudConfig, HeaderMap, Method};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long the cleanup waits for deleted servers to disappear.
const CLEANUP_TIMEOUT: Duration = Duration::from_secs(90);
/// Servers the whole run may hold at once on a shared target, unless `NOVA_TEST_MAX_SERVERS`
/// says otherwise: below Nova's default quota of 10 instances.
const DEFAULT_MAX_SERVERS: usize = 8;

static SERVER_BUDGET: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(max_servers())));

fn max_servers() -> usize {
    std::env::var("NOVA_TEST_MAX_SERVERS")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|n: &usize| *n > 0)
        .unwrap_or(DEFAULT_MAX_SERVERS)
}

/// A prefix unique to this run of the suite (`it` + 6 hex digits), so that names never
/// collide with another run's or with anything else in a real project.
pub fn run_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
            .unwrap_or(0);
        format!(
            "it{:06x}",
            (nanos ^ std::process::id().rotate_left(12)) & 0xff_ffff
        )
    })
}

/// Servers, keypairs and images one test creates. Dropping it deletes them (and any server
/// whose name starts with [`Resources::prefix`]), waits until the servers are gone, and then
/// returns the test's share of the server budget.
///
/// Against an in-process mock nothing is deleted: that mock dies with the test.
pub struct Resources {
    prefix: String,
    servers: Mutex<Vec<String>>,
    keypairs: Mutex<Vec<String>>,
    images: Mutex<Vec<String>>,
    /// The cloud to clean, or `None` for an in-process mock.
    cloud: Option<CloudConfig>,
    /// Released after the cleanup (fields drop after `Drop::drop`).
    _budget: Option<OwnedSemaphorePermit>,
}

impl Resources {
    /// Waits until `servers` more servers fit in the run's budget (on shared targets).
    pub(crate) async fn reserve(cloud: Option<CloudConfig>, servers: u32) -> Resources {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let budget = match (&cloud, servers) {
            (Some(_), 1..) => {
                let wanted = servers.min(u32::try_from(max_servers()).unwrap_or(u32::MAX));
                Some(
                    SERVER_BUDGET
                        .clone()
                        .acquire_many_owned(wanted)
                        .await
                        .expect("the server budget is never closed"),
                )
            }
            _ => None,
        };
        Resources {
            prefix: format!("{}-{}-", run_prefix(), NEXT.fetch_add(1, Ordering::SeqCst)),
            servers: Mutex::default(),
            keypairs: Mutex::default(),
            images: Mutex::default(),
            cloud,
            _budget: budget,
        }
    }

    /// The prefix of every name this test uses (`it1a2b3c-7-`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A name unique to this test: the prefix followed by `what`.
    pub fn name(&self, what: &str) -> String {
        format!("{}{what}", self.prefix)
    }

    /// Deletes server `id` at the end.
    pub fn server(&self, id: &str) {
        push(&self.servers, id);
    }

    /// Deletes keypair `name` at the end.
    pub fn keypair(&self, name: &str) {
        push(&self.keypairs, name);
    }

    /// Deletes image `id` (through the catalog's `image` service, if any) at the end.
    pub fn image(&self, id: &str) {
        push(&self.images, id);
    }
}

fn push(list: &Mutex<Vec<String>>, item: &str) {
    if let Ok(mut items) = list.lock() {
        items.push(item.to_string());
    }
}

fn take(list: &Mutex<Vec<String>>) -> Vec<String> {
    list.lock()
        .map(|mut items| std::mem::take(&mut *items))
        .unwrap_or_default()
}

impl Drop for Resources {
    fn drop(&mut self) {
        let Some(cloud) = self.cloud.take() else {
            return;
        };
        let work = Cleanup {
            cloud,
            prefix: self.prefix.clone(),
            servers: take(&self.servers),
            keypairs: take(&self.keypairs),
            images: take(&self.images),
        };
        // The test's runtime may be unwinding or about to stop, so the cleanup runs on a
        // thread with its own runtime and its own HTTP session, and this drop waits for it.
        let thread = std::thread::Builder::new()
            .name(format!("cleanup {}", self.prefix))
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(work.run()),
                    Err(error) => eprintln!("cleanup: no runtime: {error}"),
                }
            });
        match thread {
            Ok(handle) => {
                if handle.join().is_err() {
                    eprintln!("cleanup of {} panicked", self.prefix);
                }
            }
            Err(error) => eprintln!("cleanup: cannot start a thread: {error}"),
        }
    }
}

/// The deletions, run on the cleanup thread.
struct Cleanup {
    cloud: CloudConfig,
    prefix: String,
    servers: Vec<String>,
    keypairs: Vec<String>,
    images: Vec<String>,
}

impl Cleanup {
    async fn run(self) {
        let session = match self
            .cloud
            .session_builder()
            .and_then(|builder| builder.app_name("integration-tests-cleanup").build())
        {
            Ok(session) => session,
            Err(error) => {
                eprintln!("cleanup of {}: no session: {error}", self.prefix);
                return;
            }
        };
        let compute = Adapter::new(session.clone(), self.cloud.endpoint_filter("compute"));
        let mut servers = self.servers.clone();
        servers.extend(self.named_servers(&compute).await);
        servers.sort();
        servers.dedup();
        for id in &servers {
            delete_server(&compute, id).await;
        }
        let deadline = Instant::now() + CLEANUP_TIMEOUT;
        for id in &servers {
            wait_gone(&compute, id, deadline).await;
        }
        for name in &self.keypairs {
            let path = format!("os-keypairs/{name}");
            let _ = compute
                .send(Method::DELETE, &path, HeaderMap::new(), None)
                .await;
        }
        if !self.images.is_empty() {
            let image = Adapter::new(session, self.cloud.endpoint_filter("image"));
            if let Ok(endpoint) = image.endpoint().await {
                let versioned = endpoint.path().trim_end_matches('/').ends_with("/v2");
                for id in &self.images {
                    let path = if versioned {
                        format!("images/{id}")
                    } else {
                        format!("v2/images/{id}")
                    };
                    let _ = image
                        .send(Method::DELETE, &path, HeaderMap::new(), None)
                        .await;
                }
            }
        }
    }

    /// Servers whose name starts with the prefix (for example from a multiple create).
    async fn named_servers(&self, compute: &Adapter) -> Vec<String> {
        let path = format!("servers?name=%5E{}", self.prefix);
        let Ok(response) = compute
            .send(Method::GET, &path, HeaderMap::new(), None)
            .await
        else {
            return Vec::new();
        };
        let Ok(body) = response.json::<serde_json::Value>() else {
            return Vec::new();
        };
        body["servers"]
            .as_array()
            .map(|servers| {
                servers
                    .iter()
                    .filter(|s| {
                        s["name"]
                            .as_str()
                            .is_some_and(|name| name.starts_with(&self.prefix))
                    })
                    .filter_map(|s| s["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Deletes a server, unlocking it first if a lock refuses the delete.
async fn delete_server(compute: &Adapter, id: &str) {
    let path = format!("servers/{id}");
    let response = compute
        .send(Method::DELETE, &path, HeaderMap::new(), None)
        .await;
    if let Ok(response) = response
        && response.status.as_u16() == 409
    {
        let unlock = Some(keystone_auth::Bytes::from_static(br#"{"unlock": null}"#));
        let mut headers = HeaderMap::new();
        if let Ok(json) = "application/json".parse() {
            headers.insert("content-type", json);
        }
        let _ = compute
            .send(Method::POST, &format!("{path}/action"), headers, unlock)
            .await;
        let _ = compute
            .send(Method::DELETE, &path, HeaderMap::new(), None)
            .await;
    }
}

/// Polls until `GET /servers/{id}` answers 404, or the deadline passes.
async fn wait_gone(compute: &Adapter, id: &str, deadline: Instant) {
    let path = format!("servers/{id}");
    loop {
        match compute
            .send(Method::GET, &path, HeaderMap::new(), None)
            .await
        {
            Ok(response) if response.status.as_u16() == 404 => return,
            Ok(_) => {}
            Err(error) => {
                eprintln!("cleanup: cannot check server {id}: {error}");
                return;
            }
        }
        if Instant::now() >= deadline {
            eprintln!("cleanup: server {id} was still there after {CLEANUP_TIMEOUT:?}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
