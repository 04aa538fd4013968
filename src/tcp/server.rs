//! `tcp serve`: bind, accept clients, and run one handler task per connection.
//!
//! The five steps of the tutorial's server map onto this file: create and bind the socket
//! (`bind`), listen (`TcpListener` does it on bind), loop on `accept`, exchange data (the
//! handler, which runs the mode), and close (when the handler's task ends). What the server
//! answers is the mode's business (`mode/seed.rs`), not this file's.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::access::{AccessList, exposure_warning};
use crate::addr::first_ok;
use crate::cli::TcpServeArgs;
use crate::counters;
use crate::encoding::Encoding;
use crate::error::NetError;
use crate::explain::{self, Role, Step};
use crate::framing::{FrameSpec, FramedStream, RAW_READ_MAX};
use crate::hexdump::Tapped;
use crate::mode::{OnEof, Service, Session, stdio};
use crate::output::{Event, Printer};
use crate::shutdown;

/// Runtime settings of `tcp serve`, built from its arguments before any socket opens.
#[derive(Debug, Clone)]
pub struct TcpServeConfig {
    /// Addresses to try binding, in order.
    pub addrs: Vec<SocketAddr>,
    pub service: Service,
    pub frames: FrameSpec,
    /// Stdio mode: serve one client after another instead of only the first.
    pub keep_open: bool,
    /// Stdio mode, `--json`: how received bytes are shown.
    pub encoding: Encoding,
    /// At most this many clients at once; the others wait in the listen queue.
    pub max_connections: Option<usize>,
    /// Close a client that sends nothing for this long.
    pub idle_timeout: Option<Duration>,
    /// Report connections, messages and bytes per second once a second.
    pub stats: bool,
    /// How long a stopping server waits for connections to finish their current message.
    pub grace: Duration,
    /// Peers the server talks to.
    pub access: AccessList,
}

impl TcpServeConfig {
    /// # Errors
    /// The address does not resolve.
    pub async fn from_args(args: &TcpServeArgs) -> Result<TcpServeConfig, NetError> {
        Ok(TcpServeConfig {
            addrs: args.addr.resolve().await?,
            service: Service::new(args.mode, args.codec.encoding, args.delay, args.on_eof),
            frames: args.framing.spec(),
            keep_open: args.keep_open,
            encoding: args.codec.encoding,
            max_connections: args.max_connections.map(|n| n as usize),
            idle_timeout: args.idle_timeout,
            stats: args.stats,
            grace: args.grace,
            access: args.access.list(),
        })
    }
}

/// Binds the first address that can be bound.
///
/// # Errors
/// Every address failed; the error is the last one (port in use, address not available...).
pub async fn bind(addrs: &[SocketAddr]) -> Result<TcpListener, NetError> {
    first_ok(addrs, |addr| async move {
        TcpListener::bind(addr)
            .await
            .map_err(|err| NetError::Bind { addr, err })
    })
    .await
}

/// The listen backlog: what tokio's `TcpListener::bind` asks for.
const LISTEN_BACKLOG: u32 = 1024;

/// Longest pause between failed `accept`s (e.g. out of file descriptors).
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Serves clients on `listener` until `shutdown` resolves or stdout goes away, then stops
/// accepting, lets each connection finish the message in hand, and returns.
///
/// Prints the `listening on` line first, with the real address (the OS's choice for port 0).
///
/// # Errors
/// The listener's own address cannot be read. A failing client never ends the server.
pub async fn serve(
    listener: TcpListener,
    cfg: TcpServeConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let local = listener.local_addr()?;
    explain_listening(&printer, &cfg.addrs, local);
    printer.listening(local);
    if let Some(warning) = exposure_warning(local, "TCP") {
        tracing::warn!("{warning}");
    }
    let access = cfg.access.clone();
    if let Service::Stdio(on_eof) = cfg.service {
        let encoding = cfg.encoding;
        return serve_stdio(
            listener,
            &access,
            on_eof,
            cfg.keep_open,
            encoding,
            &printer,
            shutdown,
        )
        .await;
    }
    let service = Arc::new(cfg.service);
    let stop = CancellationToken::new();
    let tracker = TaskTracker::new();
    let (counters, _reporter) = counters::start(cfg.stats, &printer, true);
    // Without --max-connections there is no limit worth a semaphore's bookkeeping.
    let limit = cfg
        .max_connections
        .map(|n| (n, Arc::new(Semaphore::new(n))));
    tokio::pin!(shutdown);
    loop {
        // A slot first, then a client: while every slot is taken, new clients wait in the
        // kernel's listen queue, connected but not yet greeted.
        let mut waited = false;
        let permit = match &limit {
            Some((max, slots)) => {
                if slots.available_permits() == 0 {
                    waited = true;
                    tracing::warn!(
                        max,
                        "--max-connections reached: new clients wait until one closes"
                    );
                }
                tokio::select! {
                    permit = slots.clone().acquire_owned() => permit.ok(),
                    () = &mut shutdown => break,
                }
            }
            None => None,
        };
        let (stream, peer) = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = &mut shutdown => break,
            () = printer.stdout_gone() => break,
        };
        // Refused peers are closed here, before a byte is read or written.
        if !access.admit(peer) {
            continue;
        }
        if waited {
            tracing::warn!(%peer, "served after waiting for a free slot (--max-connections)");
        }
        // Replies are written whole, one write each; Nagle's algorithm would only delay them.
        if let Err(err) = stream.set_nodelay(true) {
            tracing::debug!(%peer, error = %err, "cannot set TCP_NODELAY");
        }
        let (service, printer, stop) = (service.clone(), printer.clone(), stop.clone());
        let codec = cfg.frames.codec(RAW_READ_MAX);
        let idle_timeout = cfg.idle_timeout;
        let counters = counters.clone();
        tracker.spawn(async move {
            // Held until the connection ends, freeing its slot.
            let _permit = permit;
            printer.event(Event::Accept { peer });
            if let Some(counters) = &counters {
                counters.accepted();
            }
            printer.explain(Role::TcpServer, Step::Accept { peer });
            let stream =
                Tapped::new(stream, peer, &printer, Role::TcpServer).counting(counters.clone());
            let conn = FramedStream::new(stream, peer, codec);
            let session = Session {
                printer: &printer,
                shutdown: &stop,
                idle_timeout,
                counters: counters.as_deref(),
            };
            handle(conn, &service, &session).await;
            if let Some(counters) = &counters {
                counters.closed();
            }
        });
    }
    // Dropping the listener closes it: new clients are refused from here on.
    drop(listener);
    printer.explain(Role::TcpServer, Step::Stop { addr: local });
    printer.event(Event::Shutdown);
    stop.cancel();
    let left = shutdown::drain(&tracker, cfg.grace).await;
    if left > 0 {
        tracing::warn!(
            connections = left,
            "closing connections still busy after the grace period"
        );
    }
    Ok(())
}

/// Stdio mode: one client at a time, since there is one stdin. The first client is served
/// and the server exits, or with `--keep-open` the next client is accepted after it.
async fn serve_stdio(
    listener: TcpListener,
    access: &AccessList,
    on_eof: OnEof,
    keep_open: bool,
    encoding: Encoding,
    printer: &Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut stdin = stdio::StdinReader::spawn();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = &mut shutdown => break,
        };
        if !access.admit(peer) {
            continue;
        }
        printer.event(Event::Accept { peer });
        printer.explain(Role::TcpServer, Step::Accept { peer });
        let stream = Tapped::new(stream, peer, printer, Role::TcpServer);
        let session = stdio::tcp_session(stream, peer, &mut stdin, on_eof, encoding, printer);
        let ended = tokio::select! {
            ended = session => ended,
            () = &mut shutdown => break,
        };
        let ending = ended
            .as_ref()
            .copied()
            .map_err(|err| err as &dyn std::fmt::Display);
        printer.explain_close(Role::TcpServer, peer, ending);
        match ended {
            Ok(close) => printer.event(Event::Close { peer, close }),
            Err(err) => printer.event(Event::Error { peer, error: &err }),
        }
        if !keep_open || printer.is_stdout_gone() {
            return Ok(());
        }
    }
    printer.event(Event::Shutdown);
    Ok(())
}

/// The next client. Failed accepts are retried: at once when only that client is affected,
/// after a doubling pause otherwise (EMFILE and friends would spin).
async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    let mut backoff = Duration::ZERO;
    loop {
        match listener.accept().await {
            Ok(accepted) => return accepted,
            Err(err) if is_per_connection(&err) => {
                tracing::debug!(error = %err, "a client left before accept");
            }
            Err(err) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(10), MAX_ACCEPT_BACKOFF);
                tracing::warn!(error = %err, retry_ms = backoff.as_millis(), "accept failed");
                tokio::time::sleep(backoff).await;
            }
        }
    }
}

/// One connection, start to end. Errors stay here: one bad client never stops the server.
async fn handle(
    mut conn: FramedStream<Tapped<TcpStream>>,
    service: &Service,
    session: &Session<'_>,
) {
    let peer = conn.peer();
    let ended = service.tcp_session(&mut conn, session).await;
    let ending = ended
        .as_ref()
        .copied()
        .map_err(|err| err as &dyn std::fmt::Display);
    session.printer.explain_close(Role::TcpServer, peer, ending);
    match ended {
        Ok(close) => session.printer.event(Event::Close { peer, close }),
        Err(err) => session.printer.event(Event::Error { peer, error: &err }),
    }
}

/// `--explain`: the steps `bind` took (socket, bind, listen), with the address granted.
fn explain_listening(printer: &Printer, requested: &[SocketAddr], bound: SocketAddr) {
    for step in explain::bind_steps(requested, bound) {
        printer.explain(Role::TcpServer, step);
    }
    printer.explain(
        Role::TcpServer,
        Step::Listen {
            backlog: LISTEN_BACKLOG,
        },
    );
}

/// Errors of `accept` that concern one client that already left, not the listener.
fn is_per_connection(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}
