//! A [`Transport`] that counts what it sends: proves "no request left the client" against any
//! cloud, where mock-cloud's counters only exist on the mock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use nova_core::{HttpRequest, HttpResponse, Transport, TransportError};

/// Wraps another transport and counts every `send`.
#[derive(Debug)]
pub struct CountingTransport {
    inner: Arc<dyn Transport>,
    sent: AtomicUsize,
}

impl CountingTransport {
    /// Counts the requests sent through `inner`.
    pub fn new(inner: Arc<dyn Transport>) -> CountingTransport {
        CountingTransport {
            inner,
            sent: AtomicUsize::new(0),
        }
    }

    /// Requests sent so far.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl Transport for CountingTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request).await
    }

    async fn endpoint(&self) -> Result<String, TransportError> {
        self.inner.endpoint().await
    }
}
