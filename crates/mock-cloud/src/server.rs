//! The HTTP/1 server: one hyper connection per accepted socket, each raced
//! against a kill signal (so a fault can close it without answering) and the
//! cloud's shutdown signal.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::Service;

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

/// Accepts connections until `shutdown` changes; then every open connection
/// is closed.
pub async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
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
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_connection(stream, router.clone(), shutdown.clone()));
            }
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let kill = Arc::new(Notify::new());
    let handle = ConnectionKill(Arc::clone(&kill));
    let service = hyper::service::service_fn(move |mut request: http::Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        let mut router = router.clone();
        async move { Ok::<_, Infallible>(router.call(request).await.unwrap_or_else(|e| match e {})) }
    });
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        _ = kill.notified() => tracing::debug!("connection closed by an injected fault"),
        _ = shutdown.changed() => {}
    }
}
