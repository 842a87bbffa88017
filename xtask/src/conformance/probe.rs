//! Readiness probes: free loopback ports and a bare HTTP status check.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// `count` distinct free ports on 127.0.0.1 (held together while chosen, then
/// released for the services to bind).
pub fn free_ports(count: usize) -> Result<Vec<u16>, String> {
    let listeners = (0..count)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("cannot find a free port on 127.0.0.1: {error}"))?;
    listeners
        .iter()
        .map(|listener| listener.local_addr().map(|addr| addr.port()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("cannot read a local port: {error}"))
}

/// The status code of `GET path` on 127.0.0.1:`port`, or `None` when nothing
/// answers (yet).
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let timeout = Duration::from_secs(2);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.set_write_timeout(Some(timeout)).ok()?;
    let request =
        format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut head = [0u8; 64];
    let read = stream.read(&mut head).ok()?;
    let line = String::from_utf8_lossy(&head[..read]);
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{free_ports, http_status};
    use std::io::{Read, Write};
    use std::net::TcpListener;

    #[test]
    fn ports_are_distinct() {
        let ports = free_ports(4).expect("ports");
        let mut sorted = ports.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 4);
    }

    #[test]
    fn reads_the_status_code() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 256];
            let _ = stream.read(&mut buf);
            stream
                .write_all(b"HTTP/1.1 300 Multiple Choices\r\nContent-Length: 0\r\n\r\n")
                .expect("write");
        });
        assert_eq!(http_status(port, "/"), Some(300));
        server.join().expect("server thread");
    }

    #[test]
    fn nothing_listening_is_none() {
        let port = free_ports(1).expect("port")[0];
        assert_eq!(http_status(port, "/"), None);
    }
}
