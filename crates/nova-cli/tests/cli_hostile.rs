//! Issue 19 through the `nova` binary: a hostile fake Keystone/Nova on 127.0.0.1 (a few
//! lines of std networking, one thread) whose names, faults and error messages carry
//! terminal escapes and echo the token and password; and malformed boot options that must
//! not reach any server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

mod support;

use support::*;

const TOKEN: &str = "gAAAAABcli-hostile-token-0123456789";
/// Sets the window title, clears the screen, and fakes a row in `-f value`.
const EVIL_NAME: &str = "web\u{1b}]0;pwned\u{7}\u{1b}[2J\nfake-id fake-row\u{202e}";

/// Every request line read (`METHOD /path`).
type Seen = Arc<Mutex<Vec<String>>>;

fn server_body(base: &str) -> Value {
    json!({
        "id": "11111111-2222-3333-4444-555555555555", "name": EVIL_NAME, "status": "ERROR",
        "tenant_id": "p1", "user_id": "u1", "metadata": {"k": "v\u{1b}[31mred"},
        "hostId": "", "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z",
        "addresses": {}, "links": [{"rel": "self", "href": format!("{base}/compute/v2.1/servers/1")}],
        "flavor": {"original_name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1,
                   "ephemeral": 0, "swap": 0, "extra_specs": {}},
        "image": {"id": "70a599e0-31e7-49b7-b260-868f441e862b", "links": []},
        "fault": {"code": 500, "message": "boom\u{1b}[2J", "created": "2024-01-01T00:00:00Z"},
        "OS-EXT-STS:power_state": 0, "OS-EXT-STS:task_state": null,
        "OS-EXT-STS:vm_state": "error", "accessIPv4": "", "accessIPv6": "", "progress": 0,
        "config_drive": "", "key_name": null, "tags": [], "description": null, "locked": false,
        "locked_reason": null, "OS-DCF:diskConfig": "MANUAL", "security_groups": [],
        "trusted_image_certificates": null, "host_status": "UP",
        "os-extended-volumes:volumes_attached": [], "OS-SRV-USG:launched_at": null,
        "OS-SRV-USG:terminated_at": null, "OS-EXT-AZ:availability_zone": "nova"
    })
}

fn answer(method: &str, path: &str, base: &str) -> (u16, Vec<(String, String)>, Value) {
    let now = chrono_free_now();
    if method == "POST" && path.ends_with("/v3/auth/tokens") {
        let body = json!({"token": {
            "methods": ["password"], "issued_at": now.0, "expires_at": now.1,
            "user": {"id": "u1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
            "project": {"id": "p1", "name": "demo", "domain": {"id": "default", "name": "Default"}},
            "roles": [{"id": "r1", "name": "member"}],
            "catalog": [{"type": "compute", "name": "nova", "id": "c1", "endpoints": [
                {"id": "e1", "interface": "public", "region": "RegionOne",
                 "region_id": "RegionOne", "url": format!("{base}/compute/v2.1")}]}]
        }});
        return (201, vec![("x-subject-token".into(), TOKEN.into())], body);
    }
    if path.trim_end_matches('/') == "/compute/v2.1" {
        let body = json!({"version": {"id": "v2.1", "status": "CURRENT", "version": "2.60",
            "min_version": "2.1", "updated": "2013-07-23T11:33:21Z", "links": []}});
        return (200, vec![], body);
    }
    if method == "GET" && path.starts_with("/compute/v2.1/servers/detail") {
        return (200, vec![], json!({"servers": [server_body(base)]}));
    }
    if method == "GET" && path.starts_with("/compute/v2.1/flavors/1") {
        let body = json!({"flavor": {"id": "1", "name": "m1.tiny", "ram": 512, "vcpus": 1,
            "disk": 1, "OS-FLV-EXT-DATA:ephemeral": 0, "swap": 0,
            "os-flavor-access:is_public": true, "rxtx_factor": 1.0, "links": [],
            "description": null, "extra_specs": {}, "OS-FLV-DISABLED:disabled": false}});
        return (200, vec![], body);
    }
    let message = format!("token {TOKEN} and password demo-password refused\u{1b}]0;owned\u{7}");
    (
        400,
        vec![],
        json!({"badRequest": {"code": 400, "message": message}}),
    )
}

/// `issued_at` now and `expires_at` in an hour, from the system clock, in Keystone's format.
fn chrono_free_now() -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    (iso(now), iso(now + 3600))
}

fn iso(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant), for dates after 1970.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn serve_one(stream: TcpStream, base: &str, seen: &Seen) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0).min(1 << 20);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    seen.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(format!("{method} {path}"));
    let (status, headers, json) = answer(method, path, base);
    let body = json.to_string();
    let mut out = format!(
        "HTTP/1.1 {status} Hostile\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\nx-openstack-request-id: req-hostile-cli\r\n",
        body.len()
    );
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&body);
    let mut stream = stream;
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

/// Starts the server on a thread (it lives as long as the test process); its auth URL and
/// the requests it saw.
fn hostile() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Seen = Arc::default();
    let (thread_base, thread_seen) = (base.clone(), Arc::clone(&seen));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = serve_one(stream, &thread_base, &thread_seen);
        }
    });
    (format!("{base}/identity/v3"), seen)
}

fn no_control_bytes(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: control characters {bad:?} in {text}"
    );
}

// Class 2: terminal escapes from the server never reach the terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn class2_server_text_reaches_stdout_and_stderr_escaped() {
    let (auth, _seen) = hostile();
    for args in [
        &["list"][..],
        &["list", "-f", "value"],
        &["list", "-f", "json"],
        &["list", "-f", "yaml"],
        &["show", "11111111-2222-3333-4444-555555555555"],
    ] {
        let out = nova(&auth, args).await;
        no_control_bytes(&format!("stdout of {args:?}"), &out.stdout);
        no_control_bytes(&format!("stderr of {args:?}"), &out.stderr);
    }
    let value = ok(&nova(&auth, &["list", "-f", "value"]).await);
    assert_eq!(value.lines().count(), 1, "no forged row: {value}");
    let listed = json(&nova(&auth, &["list", "-f", "json"]).await);
    assert_eq!(
        listed[0]["Name"], EVIL_NAME,
        "JSON keeps the text, encoded: {listed}"
    );
}

// Class 1: a token and password echoed in a server's error never reach stderr.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn class1_echoed_token_and_password_are_masked_on_stderr() {
    let (auth, _seen) = hostile();
    for args in [&["delete", "x"][..], &["--debug", "delete", "x"]] {
        let out = nova(&auth, args).await;
        assert!(!out.status.success(), "{args:?}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            all.contains("refused"),
            "{args:?}: the server's message is shown: {all}"
        );
        assert!(!all.contains(TOKEN), "{args:?}: {all}");
        assert!(!all.contains("demo-password"), "{args:?}: {all}");
        no_control_bytes(&format!("{args:?}"), all.as_bytes());
    }
}

// Class 9: malformed block devices and hints are refused before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn class9_malformed_block_devices_and_hints_are_refused_unsent() {
    let (auth, seen) = hostile();
    for bad in [
        &["--block-device", "source=volume,dest=volume,bootindex=0"][..],
        &["--block-device-mapping", "=x"],
        &["--block-device-mapping", "vda=::::"],
        &["--hint", "==="],
        &["--hint", "group=my-group"],
        &["--hint", "same_host=web-1"],
        &["--hint", "cidr=24"],
    ] {
        let mut args = vec![
            "boot",
            "--flavor",
            "1",
            "--image",
            "70a599e0-31e7-49b7-b260-868f441e862b",
        ];
        args.extend_from_slice(bad);
        args.push("bad-1");
        let out = nova(&auth, &args).await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
    }
    let posts: Vec<String> = seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter(|r| r.starts_with("POST /compute"))
        .cloned()
        .collect();
    assert!(posts.is_empty(), "sent: {posts:?}");
}

// Class 4: `/dev/zero` and oversized files are refused before reading; class 5: `--insecure`
// warns on stderr every time unless silenced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn class4_and_5_devices_refused_and_insecure_warns() {
    let (auth, seen) = hostile();
    let dir = std::env::temp_dir().join(format!("cli-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let big = dir.join("big-user-data");
    std::fs::write(&big, vec![b'x'; 2 * 1024 * 1024]).expect("write");
    let big = big.to_string_lossy().into_owned();
    for (file, why) in [
        ("/dev/zero", "not a regular file"),
        (big.as_str(), "larger than the limit"),
    ] {
        let out = nova(
            &auth,
            &[
                "boot",
                "--flavor",
                "1",
                "--boot-volume",
                "vol-1",
                "--user-data",
                file,
                "x",
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(2), "{file}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(why), "{}", text(&out.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        !seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|r| r.starts_with("POST /compute")),
        "nothing was created"
    );

    let warned = nova(&auth, &["--insecure", "list", "-f", "value"]).await;
    assert!(
        text(&warned.stderr).contains("verification is disabled"),
        "{}",
        text(&warned.stderr)
    );
    let silenced = nova(
        &auth,
        &["--insecure", "--no-insecure-warning", "list", "-f", "value"],
    )
    .await;
    assert!(
        !text(&silenced.stderr).contains("verification is disabled"),
        "{}",
        text(&silenced.stderr)
    );
}
