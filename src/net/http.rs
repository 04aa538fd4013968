//! The small HTTP server of netdemo's side doors (`--metrics`, a relay's `--api`):
//! HTTP/1.1 by hyper, a task per connection, each request answered by a handler from what
//! it holds in memory, so it never waits on the data path. Bounded against hostile
//! clients: headers within 16 KiB and 10 s, a body within 1 MiB and 10 s, at most
//! [`MAX_CONNECTIONS`] at once.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use super::NetError;

/// A request, its body read whole (at most [`MAX_BODY`] bytes).
pub type Request = hyper::Request<Bytes>;
/// A response with its whole body.
pub type Response = hyper::Response<Full<Bytes>>;
/// What answers each request.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// Connections served at once; more wait in the listen backlog.
const MAX_CONNECTIONS: usize = 64;
/// The longest a client may take to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most a connection may buffer of a request's head.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body read; a larger one is answered 413 (an API call is a few
/// hundred bytes; `/populate` of many proxies a few KiB).
pub const MAX_BODY: usize = 1 << 20;
/// The longest a client may take to send a request's body.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// A running server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Binds `addr` and serves `handler` there until dropped.
    ///
    /// # Errors
    /// The address cannot be bound (in use, not this machine's).
    pub async fn start(addr: SocketAddr, handler: Handler) -> Result<Server, NetError> {
        let bind = |err| NetError::Bind {
            addr: addr.into(),
            err,
        };
        let listener = TcpListener::bind(addr).await.map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let task = tokio::spawn(accept_loop(listener, handler));
        Ok(Server { addr, task })
    }

    /// The address the OS granted.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, handler: Handler) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, or a connection reset before it was accepted: the
            // side door waits a moment rather than spin, and the data path goes on.
            Err(err) => {
                tracing::debug!(error = %err, "the HTTP side door could not accept");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let handler = handler.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let handler = handler.clone();
                async move {
                    let (parts, body) = request.into_parts();
                    let read = Limited::new(body, MAX_BODY).collect();
                    let body = match tokio::time::timeout(BODY_TIMEOUT, read).await {
                        Ok(Ok(body)) => body.to_bytes(),
                        _ => {
                            return Ok::<_, Infallible>(response(
                                hyper::StatusCode::PAYLOAD_TOO_LARGE,
                                "text/plain; charset=utf-8",
                                format!(
                                    "the request body must arrive whole within {}s and \
                                     {MAX_BODY} bytes\n",
                                    BODY_TIMEOUT.as_secs()
                                ),
                            ));
                        }
                    };
                    Ok(handler(&hyper::Request::from_parts(parts, body)))
                }
            });
            let served = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(err) = served {
                tracing::debug!(error = %err, "an HTTP side-door connection ended");
            }
            drop(slot);
        });
        // Reap what has finished, so the set does not grow with every scrape.
        while connections.try_join_next().is_some() {}
    }
}

/// A response with `status`, `content_type` and `body`.
pub fn response(status: hyper::StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response {
    let mut response = hyper::Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}
