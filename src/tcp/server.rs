//! `tcp serve` and `unix serve`: accept clients, and run one handler task per connection.
//!
//! The five steps of the tutorial's server map onto this file and `net/listener.rs`: create
//! and bind the socket, and listen (`Bind::listen`: `net::bind_tcp`, or `net::unix::bind`
//! for a socket file), loop on `accept`, exchange data (a `Handler`, which runs the
//! service), and close (when the handler's task ends). What the server answers is the service's business
//! (`service/`), not this file's; whether clients come over TCP or a Unix socket is the
//! listener's.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::access::AccessList;
use crate::counters::{self, Counters, Ended};
use crate::event::{Close, Event, Peer, Process};
use crate::explain::{Role, Step};
use crate::framing::budget::Budget;
use crate::framing::{FrameCodec, FrameError, FrameSpec, FramedStream};
use crate::io_error::{Cause, cause};
use crate::output::Printer;
use crate::service::{Service, Session};
use crate::shutdown;
use crate::tap::{Tap, Tapped};
use crate::throttle::Throttle;
use crate::tls::{ServerTls, StdStream, Stream};

use crate::net::announce::announce_listener;
use crate::net::handshake;
use crate::net::listener::{Bind, Listener};
use crate::net::workers::Workers;

/// Runtime settings of `tcp serve` and `unix serve` (the name is the older one's), built
/// from their arguments before any socket opens.
#[derive(Debug, Clone)]
pub struct TcpServeConfig {
    /// Where to listen.
    pub bind: Bind,
    pub service: Service,
    pub frames: FrameSpec,
    /// At most this many clients at once; the others wait in the listen queue.
    pub max_connections: Option<usize>,
    /// Close a client that sends nothing for this long.
    pub idle_timeout: Option<Duration>,
    /// Report connections, messages and bytes per second once a second.
    pub stats: bool,
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
    /// How long a stopping server waits for connections to finish their current message.
    pub grace: Duration,
    /// Connections run on this many threads of their own, one current-thread runtime each
    /// (see `workers.rs`); `None` runs them on the caller's runtime (tests, with a paused
    /// clock).
    pub threads: Option<usize>,
    /// Bytes of partial messages all connections may hold beyond a small allowance each
    /// (`--max-buffered`, see `framing::budget`).
    pub max_buffered: usize,
    /// Peers the server talks to.
    pub access: AccessList,
    /// `--tls`: each client's handshake comes first.
    pub tls: Option<Arc<ServerTls>>,
}

/// An accepted connection on its way to the task that serves it: a worker thread takes
/// it out of the accept loop's runtime and registers it with its own.
enum Conn {
    Here(Stream),
    Moving(StdStream),
}

/// How long a connection's clean close may take (see `handle`).
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// Serves clients on `listener` until `shutdown` resolves or stdout goes away, then stops
/// accepting, lets each connection finish the message in hand, and returns.
///
/// Prints the `listening on` line first, with the real address (the OS's choice for port 0).
///
/// # Errors
/// The listener's own address cannot be read. A failing client never ends the server.
pub async fn serve(
    mut listener: Listener,
    cfg: TcpServeConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    // Up before the server says it listens: a scraper started on that line finds it.
    let (counters, _reporter) = counters::start(cfg.stats, cfg.metrics.is_some(), &printer, true);
    let _metrics = crate::metrics::serve_counters(cfg.metrics, counters.as_ref(), &printer).await?;
    let local = announce_listener(
        &listener,
        &cfg.bind,
        &printer,
        cfg.tls.as_deref(),
        cfg.threads,
    )?;
    let role = listener.role();
    let access = cfg.access.clone();
    let service = Arc::new(cfg.service);
    let stop = CancellationToken::new();
    let tracker = TaskTracker::new();
    let budget = Budget::new(cfg.max_buffered);
    let mut workers = cfg.threads.map(Workers::start).transpose()?;
    // Without --max-connections there is no limit worth a semaphore's bookkeeping.
    let limit = cfg
        .max_connections
        .map(|n| (n, Arc::new(Semaphore::new(n))));
    // Both said once a second at most: a flood at the limit would say them per client.
    let (mut full, mut served_late) = (Throttle::default(), Throttle::default());
    tokio::pin!(shutdown);
    loop {
        // A slot first, then a client: while every slot is taken, new clients wait in the
        // kernel's listen queue, connected but not yet greeted.
        let mut waited = false;
        let permit = match &limit {
            Some((max, slots)) => {
                if slots.available_permits() == 0 {
                    waited = true;
                    if let Some(tally) = full.hit() {
                        tracing::warn!(
                            max,
                            "--max-connections reached: new clients wait until one closes{}",
                            tally.suffix()
                        );
                    }
                }
                tokio::select! {
                    permit = slots.clone().acquire_owned() => permit.ok(),
                    () = &mut shutdown => break,
                }
            }
            None => None,
        };
        let (stream, peer, process) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        // Refused peers are closed here, before a byte is read or written.
        if let Some(addr) = peer.inet()
            && !access.admit(addr)
        {
            continue;
        }
        if waited && let Some(tally) = served_late.hit() {
            tracing::warn!(
                %peer,
                "served after waiting for a free slot (--max-connections){}",
                tally.suffix()
            );
        }
        if let Stream::Plain(tcp) = &stream {
            // Replies are written whole, one write each; Nagle's algorithm would only
            // delay them.
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(%peer, error = %err, "cannot set TCP_NODELAY");
            }
            crate::net::keep_alive(tcp);
        }
        let stream = match &workers {
            None => Conn::Here(stream),
            Some(_) => match stream.into_std() {
                Ok(std) => Conn::Moving(std),
                // One connection's trouble never ends the server.
                Err(err) => {
                    tracing::warn!(%peer, error = %err, "cannot hand the connection over");
                    continue;
                }
            },
        };
        let task = Handler {
            stream,
            peer,
            process,
            role,
            codec: cfg.frames.codec(service.raw_read()).with_budget(&budget),
            service: service.clone(),
            printer: printer.clone(),
            stop: stop.clone(),
            idle_timeout: cfg.idle_timeout,
            counters: counters.clone(),
            tls: cfg.tls.clone(),
            _permit: permit,
        }
        .run();
        match &mut workers {
            Some(workers) => drop(workers.spawn(tracker.track_future(task))),
            None => drop(tracker.spawn(task)),
        }
    }
    // Dropping the listener closes it: new clients are refused from here on.
    drop(listener);
    printer.explain(role, Step::Stop { addr: local });
    printer.event(Event::Shutdown);
    access.log_pending();
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

/// One accepted connection and all that serving it needs, made in the accept loop and
/// run by whichever runtime takes it (mini-redis's `Handler`).
struct Handler {
    stream: Conn,
    peer: Peer,
    /// A Unix client's process (SO_PEERCRED), for the accept event.
    process: Option<Process>,
    role: Role,
    codec: FrameCodec,
    service: Arc<Service>,
    printer: Arc<Printer>,
    /// Cancelled when the server stops.
    stop: CancellationToken,
    idle_timeout: Option<Duration>,
    counters: Option<Arc<Counters>>,
    tls: Option<Arc<ServerTls>>,
    /// Held until the connection ends, freeing its slot (`--max-connections`).
    _permit: Option<OwnedSemaphorePermit>,
}

impl Handler {
    /// Takes the connection onto this runtime, says so, shakes hands (`--tls`), serves it,
    /// and counts it closed.
    ///
    /// The handler is taken apart before the future is made: an `async fn` taking `self`
    /// keeps the whole struct in its state beside what is moved out of it, 0.23 KiB more
    /// per idle connection (scripts/bench-tcp section 3: 3.99 KiB against 3.63 KiB).
    fn run(self) -> impl Future<Output = ()> + Send + 'static {
        let Handler {
            stream,
            peer,
            process,
            role,
            codec,
            service,
            printer,
            stop,
            idle_timeout,
            counters,
            tls,
            _permit,
        } = self;
        async move {
            let _permit = _permit;
            let stream = match stream {
                Conn::Here(stream) => stream,
                Conn::Moving(std) => match std.into_stream() {
                    Ok(stream) => stream,
                    Err(err) => {
                        tracing::warn!(%peer, error = %err, "cannot take the connection");
                        return;
                    }
                },
            };
            printer.event(Event::Accept { peer, process });
            if let Some(counters) = &counters {
                counters.accepted();
            }
            printer.explain(role, Step::Accept { peer });
            // A client still in its handshake has no message in hand: a stopping server
            // drops it at once rather than waiting out the grace period for it.
            let shaken = tokio::select! {
                shaken = handshake::server(tls.as_deref(), stream, peer, &printer) => shaken,
                () = stop.cancelled() => None,
            };
            if let Some(stream) = shaken {
                let tap = Tap::new(&printer, role).counting(counters.clone());
                let stream = Tapped::connection(stream, peer, tap);
                let conn = FramedStream::new(stream, peer, codec);
                let session = Session {
                    printer: &printer,
                    shutdown: &stop,
                    idle_timeout,
                    counters: counters.as_deref(),
                };
                handle(conn, &service, &session, role).await;
            }
            if let Some(counters) = &counters {
                counters.closed();
            }
        }
    }
}

/// One connection, start to end. Errors stay here: one bad client never stops the server.
async fn handle(
    mut conn: FramedStream<Tapped<Stream>>,
    service: &Service,
    session: &Session<'_>,
    role: Role,
) {
    let peer = conn.peer();
    let ended = match service.tcp_session(&mut conn, session).await {
        // A client that resets instead of closing has left, as clients do; not a failure.
        Err(FrameError::Io(err)) if cause(&err) == Cause::Reset => Ok(Close::Reset),
        ended => ended,
    };
    // A clean end of TLS is said as such, with close_notify: without it a TLS client
    // cannot tell the end from a cut (openssl s_client fails on it). Bounded: a peer that
    // reads nothing must not hold the connection open. Plain TCP just closes, as the
    // tutorial's server does.
    if ended.is_ok() && conn.stream().inner().is_tls() {
        let _ = tokio::time::timeout(CLOSE_WAIT, conn.shutdown()).await;
    }
    // The socket goes first, then the lines about it: they may wait in the writer's queue
    // behind a stalled reader, and a socket must never wait with them.
    drop(conn);
    session
        .printer
        .explain_close(role, peer, ended.as_ref().copied());
    if let Some(counters) = session.counters {
        let how = match &ended {
            Ok(Close::Reset) => Some(Ended::Reset),
            Ok(Close::Idle) => Some(Ended::Idle),
            Ok(_) => None,
            Err(FrameError::TooLarge { .. }) => Some(Ended::TooLarge),
            Err(FrameError::OverBudget { .. }) => Some(Ended::OverBudget),
            Err(FrameError::Invalid(_)) => Some(Ended::Invalid),
            Err(FrameError::Truncated) => Some(Ended::Truncated),
            Err(FrameError::Io(_)) => Some(Ended::Io),
        };
        if let Some(how) = how {
            counters.ended(how);
        }
    }
    match ended {
        Ok(close) => session.printer.event(Event::Close { peer, close }),
        Err(err) => session.printer.event(Event::Error { peer, error: &err }),
    }
}
