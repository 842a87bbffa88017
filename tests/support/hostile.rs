//! A small hostile HTTP server on 127.0.0.1 (an ephemeral port): a fake Keystone and Nova
//! that answers whatever a test scripts, including what no honest server would: echoed
//! secrets, terminal escapes, stalls, drip-fed bodies, cross-origin redirects, broken
//! tokens, pages without end. Every request it reads is recorded (head and body) so a test
//! can assert what reached it. One request per connection (`Connection: close`); every
//! task stops when the server is dropped.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// The longest request head or body read.
const MAX_REQUEST: usize = 1024 * 1024;

/// A request as the server read it.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// The method.
    pub method: String,
    /// The path with its query.
    pub path: String,
    /// The headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Full {
        /// The status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body (`Content-Length` is set from it).
        body: Vec<u8>,
    },
    /// Headers of a response with `Content-Length: declared`, then one byte of body every
    /// `every`, for ever.
    Drip {
        /// The declared length.
        declared: usize,
        /// The pause between bytes.
        every: Duration,
    },
    /// Read the request, then answer nothing and keep the connection open.
    Stall,
    /// Close the connection without answering.
    Close,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// This reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

type Handler = dyn Fn(&Recorded, &str) -> Reply + Send + Sync;

/// The running server; stops when dropped.
pub struct HostileServer {
    url: String,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HostileServer {
    /// Starts a server answering every request with `handler(request, base_url)`.
    pub async fn start(
        handler: impl Fn(&Recorded, &str) -> Reply + Send + Sync + 'static,
    ) -> HostileServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = {
            let log = Arc::clone(&log);
            let base = url.clone();
            tokio::spawn(async move {
                // Owned here: aborting the accept task drops the set, which aborts every
                // connection task with it.
                let mut connections = JoinSet::new();
                while let Ok((stream, _)) = listener.accept().await {
                    let (log, handler, base) =
                        (Arc::clone(&log), Arc::clone(&handler), base.clone());
                    connections.spawn(async move {
                        let _ = serve(stream, &log, handler.as_ref(), &base).await;
                    });
                    while connections.try_join_next().is_some() {}
                }
            })
        };
        HostileServer { url, log, task }
    }

    /// A fake cloud: Keystone's token route and Nova's version document are answered as a
    /// real cloud would (the catalog points compute at `<url>/compute/v2.1`, the token is
    /// [`TOKEN`]), everything else by `script`.
    pub async fn cloud(
        script: impl Fn(&Recorded, &str) -> Reply + Send + Sync + 'static,
    ) -> HostileServer {
        HostileServer::start(move |request, base| {
            if request.method == "POST" && request.path.ends_with("/v3/auth/tokens") {
                return token_reply(base, TOKEN, None);
            }
            if request.method == "GET" && request.path.trim_end_matches('/') == "/compute/v2.1" {
                return Reply::json(200, &version_document());
            }
            script(request, base)
        })
        .await
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The Keystone URL, `<url>/identity/v3`.
    pub fn auth_url(&self) -> String {
        format!("{}/identity/v3", self.url)
    }

    /// Every request read so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many requests had this method and a path starting with `prefix`.
    pub fn count(&self, method: &str, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.path.starts_with(prefix))
            .count()
    }
}

/// The token [`HostileServer::cloud`] issues.
pub const TOKEN: &str = "gAAAAABhostile-token-value-0123456789";

/// A Keystone token response issuing `token`, with a catalog pointing compute at
/// `<base>/compute/v2.1`; `lifetime` (default an hour) sets `expires_at - issued_at`
/// (negative: expired on arrival).
pub fn token_reply(base: &str, token: &str, lifetime: Option<chrono::Duration>) -> Reply {
    let issued = chrono::Utc::now();
    let expires = issued + lifetime.unwrap_or_else(|| chrono::Duration::hours(1));
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let body = serde_json::json!({"token": {
        "methods": ["password"],
        "issued_at": fmt(issued),
        "expires_at": fmt(expires),
        "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
        "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
        "roles": [{"id": "r1", "name": "member"}],
        "catalog": [{"type": "compute", "name": "nova", "id": "c1", "endpoints": [
            {"id": "e1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
             "url": format!("{base}/compute/v2.1")}
        ]}]
    }});
    Reply::json(201, &body).header("x-subject-token", token)
}

/// Nova's version document for v2.1, up to 2.60.
pub fn version_document() -> serde_json::Value {
    serde_json::json!({"version": {
        "id": "v2.1", "status": "CURRENT", "version": "2.60", "min_version": "2.1",
        "updated": "2013-07-23T11:33:21Z", "links": []
    }})
}

/// A minimal server body with this id and name, as Nova shows it at 2.60.
pub fn server_json(id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "name": name, "status": "ACTIVE", "tenant_id": "p1", "user_id": "u1",
        "metadata": {}, "hostId": "", "created": "2024-01-01T00:00:00Z",
        "updated": "2024-01-01T00:00:00Z", "addresses": {}, "links": [],
        "flavor": {"original_name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1,
                   "ephemeral": 0, "swap": 0, "extra_specs": {}},
        "image": {"id": "70a599e0-31e7-49b7-b260-868f441e862b", "links": []},
        "OS-EXT-STS:power_state": 1, "OS-EXT-STS:task_state": null,
        "OS-EXT-STS:vm_state": "active", "accessIPv4": "", "accessIPv6": "",
        "progress": 0, "config_drive": "", "key_name": null, "tags": [],
        "description": null, "locked": false, "locked_reason": null,
        "OS-DCF:diskConfig": "MANUAL", "security_groups": [], "trusted_image_certificates": null,
        "host_status": "UP", "os-extended-volumes:volumes_attached": [],
        "OS-SRV-USG:launched_at": null, "OS-SRV-USG:terminated_at": null,
        "OS-EXT-AZ:availability_zone": "nova"
    })
}

async fn serve(
    mut stream: TcpStream,
    log: &Mutex<Vec<Recorded>>,
    handler: &Handler,
    base: &str,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_REQUEST {
            return Ok(());
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let mut request = Recorded {
        method: first.next().unwrap_or_default().to_owned(),
        path: first.next().unwrap_or_default().to_owned(),
        ..Recorded::default()
    };
    for line in lines.filter(|l| !l.is_empty()) {
        if let Some((n, v)) = line.split_once(':') {
            request
                .headers
                .push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    request.body = body;
    log.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(request.clone());
    match handler(&request, base) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} Hostile\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await?;
        }
        Reply::Drip { declared, every } => {
            let out = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            );
            stream.write_all(out.as_bytes()).await?;
            // Bounded by the declared length; the client gives up long before.
            for _ in 0..declared {
                tokio::time::sleep(every).await;
                stream.write_all(b" ").await?;
                stream.flush().await?;
            }
        }
        Reply::Stall => {
            // Holds the connection until the client gives up (or the server is dropped).
            let mut sink = [0u8; 64];
            while stream.read(&mut sink).await? > 0 {}
        }
        Reply::Close => {}
    }
    Ok(())
}
