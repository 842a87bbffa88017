//! The HTTP server against slow, idle and too many clients (issue 19, class 10): a
//! slowloris client is cut off by the header-read timeout, an idle one by the idle
//! timeout (never while its request is being handled), and sockets past the connection
//! limit are refused at once, after which the server answers again.

use std::time::Duration;

use mock_cloud::{ConnectionConfig, Fault, MockCloud, MockConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The bound on a test that must not hang (far above every configured timeout).
const NO_HANG: Duration = Duration::from_secs(60);

/// One request for the Keystone version document, keeping the connection open.
const GET_IDENTITY: &[u8] = b"GET /identity/v3 HTTP/1.1\r\nhost: localhost\r\n\r\n";

async fn cloud_with(connections: ConnectionConfig) -> MockCloud {
    MockCloud::start(MockConfig {
        connections,
        ..MockConfig::default()
    })
    .await
    .expect("start")
}

/// Reads one response (headers and a `content-length` body) without waiting for the
/// connection to close; `None` if the connection closed first.
async fn read_response(stream: &mut TcpStream) -> Option<String> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                return Some(text);
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Whether the server closes `stream` (EOF or reset) before sending anything.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(NO_HANG, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}

async fn answers(cloud: &MockCloud) -> String {
    let mut stream = TcpStream::connect(cloud.addr()).await.expect("connect");
    stream.write_all(GET_IDENTITY).await.expect("write");
    tokio::time::timeout(NO_HANG, read_response(&mut stream))
        .await
        .expect("an answer in time")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_slowloris_client_sending_headers_byte_by_byte_is_cut_off() {
    let cloud = cloud_with(ConnectionConfig {
        header_read_timeout_ms: 300,
        ..ConnectionConfig::default()
    })
    .await;
    let mut stream = TcpStream::connect(cloud.addr()).await.expect("connect");
    let head = b"GET /identity/v3 HTTP/1.1\r\nhost: localhost\r\nx-slow: ";
    // One byte every 20 ms (each gap far below the timeout), never ending the headers:
    // only a deadline for the whole header, not one per byte, cuts this off.
    let mut sent = 0usize;
    let mut cut_off = false;
    let mut byte = [0u8; 1];
    while sent < 5_000 {
        let next = head.get(sent).copied().unwrap_or(b'a');
        if stream.write_all(&[next]).await.is_err() {
            cut_off = true;
            break;
        }
        sent += 1;
        tokio::select! {
            read = stream.read(&mut byte) => {
                cut_off = matches!(read, Ok(0) | Err(_));
                assert!(cut_off, "no answer to a request never finished: {byte:?}");
                break;
            }
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
    assert!(cut_off, "the server kept reading headers for {sent} bytes");
    assert!(sent > 1, "cut off after {sent} bytes: the drip did not run");
    assert!(answers(&cloud).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn idle_connections_are_closed_before_and_between_requests() {
    let cloud = cloud_with(ConnectionConfig {
        header_read_timeout_ms: 300,
        ..ConnectionConfig::default()
    })
    .await;
    let mut silent = TcpStream::connect(cloud.addr()).await.expect("connect");
    assert!(
        closed_by_server(&mut silent).await,
        "a silent client is cut off"
    );

    let mut kept_alive = TcpStream::connect(cloud.addr()).await.expect("connect");
    kept_alive.write_all(GET_IDENTITY).await.expect("write");
    let answer = read_response(&mut kept_alive).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        closed_by_server(&mut kept_alive).await,
        "an idle keep-alive connection is cut off"
    );
}

#[tokio::test]
async fn the_idle_timeout_closes_a_silent_socket_but_not_a_request_being_handled() {
    let cloud = cloud_with(ConnectionConfig {
        header_read_timeout_ms: 0,
        idle_timeout_ms: 300,
        ..ConnectionConfig::default()
    })
    .await;
    let mut silent = TcpStream::connect(cloud.addr()).await.expect("connect");
    assert!(
        closed_by_server(&mut silent).await,
        "a silent client is cut off"
    );

    // A handler slower than the idle timeout still answers.
    cloud
        .control()
        .add_fault(Fault::delay("GET /identity/v3", Duration::from_millis(1_200)).times(1));
    let answer = answers(&cloud).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(cloud.control().faults().is_empty(), "the delay ran");
}

#[tokio::test]
async fn sockets_past_the_connection_limit_are_refused_and_the_server_recovers() {
    let cloud = cloud_with(ConnectionConfig {
        header_read_timeout_ms: 0,
        idle_timeout_ms: 0,
        max_connections: 4,
    })
    .await;
    // Four keep-alive connections, each answered once: the server holds all four.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(cloud.addr()).await.expect("connect");
        stream.write_all(GET_IDENTITY).await.expect("write");
        let answer = read_response(&mut stream).await.expect("an answer");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        held.push(stream);
    }
    // Many more: each is told 503 and closed, none is held.
    for _ in 0..200 {
        let mut stream = TcpStream::connect(cloud.addr()).await.expect("connect");
        let mut text = Vec::new();
        tokio::time::timeout(NO_HANG, stream.read_to_end(&mut text))
            .await
            .expect("refused at once")
            .expect("read");
        let text = String::from_utf8_lossy(&text);
        assert!(
            text.starts_with("HTTP/1.1 503 Service Unavailable"),
            "{text}"
        );
    }
    // The held ones still work.
    held[0].write_all(GET_IDENTITY).await.expect("write");
    let answer = read_response(&mut held[0]).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Closing them frees their places (the server notices each close by itself).
    drop(held);
    let mut answer = String::new();
    for _ in 0..500 {
        answer = answers(&cloud).await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
