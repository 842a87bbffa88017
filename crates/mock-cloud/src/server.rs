//! The HTTP/1 server: one hyper connection per accepted socket (over TLS when
//! the cloud has a certificate), each raced against a kill signal (so a fault
//! can close it without answering), its idle timeout and the cloud's shutdown
//! signal. At most [`ConnectionConfig::max_connections`] sockets are held; the
//! header-read timeout is hyper's.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use tower::Service;

use crate::config::ConnectionConfig;
use crate::idle::{Activity, Handling, Watched, idle};

/// A handle that closes the connection a request arrived on, with no
/// response; present in every request's extensions.
#[derive(Clone, Debug)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection (the in-flight request future is dropped).
    pub fn fire(&self) {
        self.0.notify_one();
    }
}

/// What a connection accepted past the limit is told before it is closed.
const BUSY_RESPONSE: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\
content-type: text/plain\r\ncontent-length: 37\r\n\r\ntoo many connections; try again later\n";

/// Accepts connections until `shutdown` changes; then every open connection
/// is closed. With `tls`, every connection does a TLS handshake first (a
/// failed handshake just closes that connection). `limits` bounds how long a
/// client may take and how many sockets are held.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: ConnectionConfig,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let timeouts = Timeouts::from(&limits);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    Err(error) => {
                        // e.g. too many open files: back off instead of spinning
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
                    refuse(stream, tls.is_some(), limits.max_connections);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let (router, shutdown) = (router.clone(), shutdown.clone());
                match &tls {
                    None => {
                        connections.spawn(async move {
                            let _permit = permit;
                            serve_connection(stream, router, shutdown, timeouts).await;
                        });
                    }
                    Some(acceptor) => {
                        let handshake = acceptor.accept(stream);
                        connections.spawn(async move {
                            let _permit = permit;
                            match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, handshake).await {
                                Ok(Ok(stream)) => {
                                    serve_connection(stream, router, shutdown, timeouts).await;
                                }
                                Ok(Err(error)) => tracing::debug!(%error, "TLS handshake failed"),
                                Err(_) => tracing::debug!("TLS handshake timed out"),
                            }
                        });
                    }
                }
            }
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

/// Closes a connection accepted past the limit, telling a plain-HTTP client why
/// (one non-blocking write; a full socket buffer just gets the close).
fn refuse(stream: TcpStream, tls: bool, limit: usize) {
    tracing::warn!(limit, "connection limit reached; refusing a connection");
    if !tls {
        let _ = stream.try_write(BUSY_RESPONSE);
    }
}

/// How long the client may take to finish the TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The per-connection timeouts (`None`: off).
#[derive(Clone, Copy, Debug)]
struct Timeouts {
    header_read: Option<Duration>,
    idle: Option<Duration>,
}

impl From<&ConnectionConfig> for Timeouts {
    fn from(config: &ConnectionConfig) -> Self {
        let millis = |ms: u64| (ms > 0).then(|| Duration::from_millis(ms));
        Self {
            header_read: millis(config.header_read_timeout_ms),
            idle: millis(config.idle_timeout_ms),
        }
    }
}

async fn serve_connection<S>(
    stream: S,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
    timeouts: Timeouts,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let handle = ConnectionKill(Arc::clone(&kill));
    let activity = Arc::new(Activity::new());
    let handling = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |mut request: http::Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        let mut router = router.clone();
        let guard = Handling::start(Arc::clone(&handling));
        async move {
            let response = router.call(request).await.unwrap_or_else(|e| match e {});
            drop(guard);
            Ok::<_, Infallible>(response)
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    let io = Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    };
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        _ = kill.notified() => tracing::debug!("connection closed by an injected fault"),
        _ = idle(&activity, timeouts.idle) => tracing::debug!("idle connection closed"),
        _ = shutdown.changed() => {}
    }
}

/// Builds the TLS acceptor for `config`'s certificate and key.
pub fn tls_acceptor(
    config: &crate::config::TlsConfig,
) -> std::io::Result<tokio_rustls::TlsAcceptor> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let invalid = |what: &str, path: &std::path::Path, error: &dyn std::fmt::Display| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what} {}: {error}", path.display()),
        )
    };
    let certs = CertificateDer::pem_file_iter(&config.cert_file)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| invalid("cannot read the certificates in", &config.cert_file, &e))?;
    if certs.is_empty() {
        return Err(invalid(
            "no certificate in",
            &config.cert_file,
            &"expected PEM CERTIFICATE blocks",
        ));
    }
    let key = PrivateKeyDer::from_pem_file(&config.key_file)
        .map_err(|e| invalid("cannot read the private key in", &config.key_file, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid("TLS setup failed for", &config.cert_file, &e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            invalid(
                "the key does not fit the certificate in",
                &config.cert_file,
                &e,
            )
        })?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(server)))
}
