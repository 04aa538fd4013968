//! `tcp relay`: accept clients, give each a connection of its own to the target, and copy
//! bytes both ways, exactly, through the faults asked for.
//!
//! A half-close on one side is passed on to the other (FIN for FIN), and the connection
//! ends when both directions have; a reset on one side resets the other (RST for RST), so
//! both peers see what they would see without the relay in between.
//!
//! At most `--max-connections` clients are relayed at once (10,000 unless told): those
//! beyond wait, accepted, for a free slot, and a line a second says how many wait, so a
//! load run through the relay never stalls in silence.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use socket2::SockRef;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::faults::{Cut, StreamFaults};
use super::pipe::{Buffered, Ended, pipe};
use crate::access::AccessList;
use crate::counters::{self, Counters, Fault};
use crate::event::{Close, Event, Peer};
use crate::explain::{Role, Step};
use crate::io_error::{Cause, cause};
use crate::net;
use crate::net::announce::announce;
use crate::net::listener::accept;
use crate::output::Printer;
use crate::shutdown;
use crate::tap::{Tap, Tapped};
use crate::template::Rng;

/// Settings of `tcp relay`.
#[derive(Debug, Clone)]
pub struct TcpRelayConfig {
    /// Addresses to try binding, in order.
    pub addrs: Vec<SocketAddr>,
    /// The target's addresses, tried in order for each client.
    pub to: Vec<SocketAddr>,
    /// Bounds connecting to the target.
    pub timeout: Duration,
    /// Client to target.
    pub up: StreamFaults,
    /// Target to client.
    pub down: StreamFaults,
    pub seed: u64,
    /// Clients relayed at once; more wait for a slot.
    pub max_connections: usize,
    /// Bytes the delay queues of all connections may hold (`--max-buffered`).
    pub max_buffered: usize,
    pub stats: bool,
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
    pub grace: Duration,
    pub access: AccessList,
    /// Threads the relay's runtime gets (`--threads`).
    pub threads: usize,
}

/// Clients held accepted while they wait for a slot, beyond those relayed: enough to count
/// and report a crowd, few enough that waiting clients cannot use up the descriptors. The
/// rest wait in the kernel's listen queue.
const MAX_WAITING: usize = 1024;

/// Relays clients on `listener` until `shutdown` resolves, then stops accepting and gives
/// the connections `grace` to finish.
///
/// # Errors
/// The listener's own address cannot be read.
pub async fn serve(
    listener: TcpListener,
    cfg: TcpRelayConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    // Up before the relay says it listens: a scraper started on that line finds it.
    let (counters, _reporter) = counters::start(cfg.stats, cfg.metrics.is_some(), &printer, true);
    let _metrics = crate::metrics::serve_counters(cfg.metrics, counters.as_ref(), &printer).await?;
    if let Some(counters) = &counters {
        counters.count_faults();
    }
    printer.faults(&cfg.up.describe(), &cfg.down.describe());
    let local = announce(
        listener.local_addr()?.into(),
        &cfg.addrs,
        None,
        &printer,
        None,
        Some(cfg.threads),
    );
    let cfg = Arc::new(cfg);
    let stop = CancellationToken::new();
    let tracker = TaskTracker::new();
    let slots = Arc::new(Semaphore::new(cfg.max_connections));
    let held = Arc::new(Semaphore::new(cfg.max_connections + MAX_WAITING));
    let waiting = Arc::new(AtomicUsize::new(0));
    let queued = Arc::new(Buffered::new(cfg.max_buffered));
    // Clients waiting for a slot stop waiting as soon as the relay stops accepting: they
    // were never relayed, so the grace period is not theirs.
    let closing = CancellationToken::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(shutdown);
    let mut number = 0u64;
    'accepting: loop {
        let hold = tokio::select! {
            permit = held.clone().acquire_owned() => permit.ok(),
            _ = tick.tick() => {
                report_waiting(&waiting, cfg.max_connections);
                continue;
            }
            () = &mut shutdown => break,
        };
        let (client, peer) = loop {
            tokio::select! {
                accepted = accept(&listener) => break accepted,
                _ = tick.tick() => report_waiting(&waiting, cfg.max_connections),
                () = &mut shutdown => break 'accepting,
            }
        };
        if !cfg.access.admit(peer) {
            continue;
        }
        number += 1;
        // Each connection its own random stream, so one seed repeats the whole run.
        let rng = Rng::new(cfg.seed.wrapping_add(number));
        let (cfg, printer, stop, counters, slots, waiting, closing, queued) = (
            cfg.clone(),
            printer.clone(),
            stop.clone(),
            counters.clone(),
            slots.clone(),
            waiting.clone(),
            closing.clone(),
            queued.clone(),
        );
        tracker.spawn(async move {
            let _hold = hold;
            let _slot = match slots.clone().try_acquire_owned() {
                Ok(slot) => slot,
                Err(_) => {
                    waiting.fetch_add(1, Ordering::Relaxed);
                    let slot = tokio::select! {
                        slot = slots.acquire_owned() => slot.ok(),
                        () = closing.cancelled() => None,
                    };
                    waiting.fetch_sub(1, Ordering::Relaxed);
                    match slot {
                        Some(slot) => slot,
                        None => return,
                    }
                }
            };
            if let Some(counters) = &counters {
                counters.accepted();
            }
            relay(
                client,
                peer.into(),
                &cfg,
                &printer,
                &stop,
                counters.as_ref(),
                &queued,
                rng,
            )
            .await;
            if let Some(counters) = &counters {
                counters.closed();
            }
        });
    }
    closing.cancel();
    drop(listener);
    printer.explain(Role::TcpServer, Step::Stop { addr: local });
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    // Connections go on through the grace period, then are cut.
    let left = shutdown::drain(&tracker, cfg.grace).await;
    stop.cancel();
    if left > 0 {
        tracing::warn!(
            connections = left,
            "closing relayed connections still open after the grace period"
        );
    }
    Ok(())
}

/// Says how many clients wait for a slot, if any: called once a second.
fn report_waiting(waiting: &AtomicUsize, max: usize) {
    let waiting = waiting.load(Ordering::Relaxed);
    if waiting > 0 {
        tracing::warn!(
            "{waiting} client(s) wait for a free slot (--max-connections {max}): raise it, \
             or end connections sooner"
        );
    }
}

/// One client, start to end: connect to the target, copy both ways, end both alike.
#[allow(clippy::too_many_arguments)]
async fn relay(
    mut client: TcpStream,
    peer: Peer,
    cfg: &TcpRelayConfig,
    printer: &Arc<Printer>,
    stop: &CancellationToken,
    counters: Option<&Arc<Counters>>,
    queued: &Buffered,
    mut rng: Rng,
) {
    printer.event(Event::Accept {
        peer,
        process: None,
    });
    printer.explain(Role::TcpServer, Step::Accept { peer });
    if let Err(err) = client.set_nodelay(true) {
        tracing::debug!(%peer, error = %err, "cannot set TCP_NODELAY");
    }
    let narrate = printer.narrator(Role::TcpClient);
    let (mut upstream, target) = match net::connect_tcp(&cfg.to, cfg.timeout, Some(&narrate)).await
    {
        Ok((upstream, target, _)) => (upstream, target),
        Err(err) => {
            // The client learns it as a reset, as it would connecting straight to a
            // target that refused.
            let _ = SockRef::from(&client).set_linger(Some(Duration::ZERO));
            let error = format!("cannot reach the target: {err}");
            printer.event(Event::Error {
                peer,
                error: &error,
            });
            return;
        }
    };
    printer.event(Event::Relay { peer, target });
    let ended = copy_both(
        &mut client,
        &mut upstream,
        peer,
        target.into(),
        cfg,
        printer,
        counters,
        queued,
        &mut rng,
    );
    let ended = tokio::select! {
        ended = ended => ended.map(|cut| match cut {
            Some(cut) => {
                if let Some(counters) = counters {
                    counters.fault(match cut {
                        Cut::Reset => Fault::Reset,
                        Cut::Close => Fault::Closed,
                    });
                }
                cut_both(&client, &upstream, cut, peer)
            }
            None => Close::Eof,
        }),
        () = stop.cancelled() => Ok(Close::Shutdown),
    };
    match ended {
        Ok(close) => {
            printer.explain_close(Role::TcpServer, peer, Ok::<Close, &String>(close));
            printer.event(Event::Close { peer, close });
        }
        Err((side, err)) => {
            // What one side did, the other gets: a reset for a reset.
            let other = if side == Side::Client {
                &upstream
            } else {
                &client
            };
            if cause(&err) == Cause::Reset {
                let _ = SockRef::from(other).set_linger(Some(Duration::ZERO));
            }
            let error = format!("{}: {}", side.name(), crate::io_error::describe(&err));
            printer.explain_close(Role::TcpServer, peer, Err(&error));
            printer.event(Event::Error {
                peer,
                error: &error,
            });
        }
    }
}

/// Which side of a relayed connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Target,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Client => "the client's side",
            Side::Target => "the target's side",
        }
    }
}

/// Both directions at once, until both ended (`None`), a byte limit was reached (the cut
/// to make, once the halves are given back), or one side failed.
#[allow(clippy::too_many_arguments)]
async fn copy_both(
    client: &mut TcpStream,
    upstream: &mut TcpStream,
    peer: Peer,
    target: Peer,
    cfg: &TcpRelayConfig,
    printer: &Arc<Printer>,
    counters: Option<&Arc<Counters>>,
    queued: &Buffered,
    rng: &mut Rng,
) -> Result<Option<Cut>, (Side, io::Error)> {
    let client_tap = Tap::new(printer, Role::TcpServer).counting(counters.cloned());
    // Dumped on the client's side only: "received from CLIENT" is a chunk going up, "sent
    // to CLIENT" one coming down, and each names its connection.
    let target_tap = Tap::new(printer, Role::TcpClient).without_dump();
    let (client_read, client_write) = client.split();
    let (target_read, target_write) = upstream.split();
    let mut client_read = Tapped::new(client_read, peer, client_tap.clone());
    let mut client_write = Tapped::new(client_write, peer, client_tap);
    let mut target_read = Tapped::new(target_read, target, target_tap.clone());
    let mut target_write = Tapped::new(target_write, target, target_tap);
    let json = printer.is_json();
    let seen_up = |data: &[u8]| {
        if json {
            printer.event(Event::Relayed {
                peer,
                up: true,
                data,
            });
        }
    };
    let seen_down = |data: &[u8]| {
        if json {
            printer.event(Event::Relayed {
                peer,
                up: false,
                data,
            });
        }
    };
    let up = pipe(
        &mut client_read,
        &mut target_write,
        cfg.up,
        Rng::new(rng_seed(rng)),
        queued,
        &seen_up,
    );
    let down = pipe(
        &mut target_read,
        &mut client_write,
        cfg.down,
        Rng::new(rng_seed(rng)),
        queued,
        &seen_down,
    );
    tokio::pin!(up, down);
    let (mut up_done, mut down_done) = (false, false);
    while !(up_done && down_done) {
        let (ended, side) = tokio::select! {
            ended = &mut up, if !up_done => (ended, Side::Client),
            ended = &mut down, if !down_done => (ended, Side::Target),
        };
        match ended {
            Ok(Ended::Eof) if side == Side::Client => up_done = true,
            Ok(Ended::Eof) => down_done = true,
            Ok(Ended::Cut(cut)) => return Ok(Some(cut)),
            Err(failed) => {
                // Up reads the client and writes the target; down the other way round.
                let client_failed = (side == Side::Client) != failed.writing;
                let failed_side = if client_failed {
                    Side::Client
                } else {
                    Side::Target
                };
                return Err((failed_side, failed.err));
            }
        }
    }
    Ok(None)
}

fn rng_seed(rng: &mut Rng) -> u64 {
    (rng.unit() * u64::MAX as f64) as u64
}

/// Ends both connections as a byte limit says: RST or FIN.
fn cut_both(client: &TcpStream, upstream: &TcpStream, cut: Cut, peer: Peer) -> Close {
    match cut {
        Cut::Reset => {
            for stream in [client, upstream] {
                let _ = SockRef::from(stream).set_linger(Some(Duration::ZERO));
            }
            tracing::info!(%peer, "--reset-after reached: resetting both connections");
            Close::Cut
        }
        Cut::Close => {
            for stream in [client, upstream] {
                let _ = SockRef::from(stream).shutdown(std::net::Shutdown::Both);
            }
            tracing::info!(%peer, "--close-after reached: closing both connections");
            Close::Cut
        }
    }
}
