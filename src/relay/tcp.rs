//! `tcp relay`: accept clients, give each a connection of its own to the target, and copy
//! bytes both ways, exactly, through the faults asked for.
//!
//! A half-close on one side is passed on to the other (FIN for FIN), and the connection
//! ends when both directions have; a reset on one side resets the other (RST for RST), so
//! both peers see what they would see without the relay in between.
//!
//! One command may run many such relays (`proxies.rs`): the one of `--to`, and those made
//! through `--api`; they share the bounds below, the counters and the shutdown.
//!
//! At most `--max-connections` clients are relayed at once (10,000 unless told): those
//! beyond wait, accepted, for a free slot, and a line a second says how many wait, so a
//! load run through the relay never stalls in silence.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use socket2::SockRef;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::api;
use super::exchange::{self, ExchangeFaults};
use super::faults::Cut;
use super::link::Feed;
use super::pipe::{Buffered, Ended, pipe};
use super::proxies::{DEFAULT_PROXY, Proxies, Relays, Run};
use super::schedule::Schedule;
use super::toxics::{Stream, Toxics, Transport};
use crate::access::AccessList;
use crate::counters::{self, Counters, Fault};
use crate::event::{Close, Event, Peer};
use crate::explain::{Role, Step};
use crate::io_error::{Cause, cause};
use crate::net;
use crate::net::announce::announce;
use crate::net::listener::accept;
use crate::output::Printer;
use crate::output::capture::{CLIENT_LEG, TARGET_LEG};
use crate::shutdown;
use crate::tap::{Tap, Tapped};
use crate::template::Rng;

/// Settings of `tcp relay`.
#[derive(Debug, Clone)]
pub struct TcpRelayConfig {
    /// Addresses to try binding, in order.
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address the relay's connections to the target leave from.
    pub source: Option<std::net::IpAddr>,
    /// `--to`, the target of the relay started at once (the proxy named `default`);
    /// without it, relays are made through the API.
    pub to: Option<String>,
    /// Bounds connecting to the target.
    pub timeout: Duration,
    /// The faults of the flags, as toxics of the `default` proxy.
    pub toxics: Toxics,
    /// Protocol-aware faults (`--framing` with `--fail-requests`, `--hold-requests`).
    pub exchange: Option<ExchangeFaults>,
    /// `--schedule`: the default proxy's toxics over time.
    pub schedule: Option<Schedule>,
    /// `--api`: where the toxiproxy-compatible API is served.
    pub api: Option<SocketAddr>,
    pub seed: u64,
    /// Clients relayed at once, over every proxy; more wait for a slot.
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

/// What every proxy of the command shares: the settings, the output, the bounds, and the
/// tokens of shutdown.
struct Shared {
    cfg: TcpRelayConfig,
    printer: Arc<Printer>,
    counters: Option<Arc<Counters>>,
    tracker: TaskTracker,
    /// Cancelled at shutdown: relays stop accepting, clients waiting for a slot leave.
    closing: CancellationToken,
    /// Cancelled once the grace period is over: every connection is cut.
    stop: CancellationToken,
    slots: Arc<Semaphore>,
    held: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    queued: Arc<Buffered>,
    /// Connections so far, over every proxy: each gets its own random stream.
    number: AtomicU64,
}

/// The TCP relays a command runs.
struct TcpRelays(Arc<Shared>);

impl Relays for TcpRelays {
    type Listener = TcpListener;

    fn transport(&self) -> Transport {
        Transport::Tcp
    }

    fn bind(&self, addr: SocketAddr) -> io::Result<TcpListener> {
        net::listen(addr)
    }

    fn local_addr(&self, listener: &TcpListener) -> io::Result<SocketAddr> {
        listener.local_addr()
    }

    fn closer(&self, listener: &TcpListener) -> Option<socket2::Socket> {
        SockRef::from(listener).try_clone().ok()
    }

    fn run(&self, listener: TcpListener, run: Run) {
        let shared = self.0.clone();
        self.0.tracker.spawn(accept_loop(listener, run, shared));
    }
}

/// Relays clients until `shutdown` resolves, then stops accepting and gives the
/// connections `grace` to finish: on `listener` to `--to` when there is one, and on every
/// proxy made through the API.
///
/// # Errors
/// The listener's own address cannot be read, or the API's address cannot be bound.
pub async fn serve(
    listener: Option<TcpListener>,
    mut cfg: TcpRelayConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    // Up before the relay says it listens: a scraper started on that line finds it.
    // The API serves `/metrics` too, so it counts as `--metrics` does.
    let counted = cfg.metrics.is_some() || cfg.api.is_some();
    let (counters, _reporter) = counters::start(cfg.stats, counted, &printer, true);
    let _metrics = crate::metrics::serve_counters(cfg.metrics, counters.as_ref(), &printer).await?;
    if let Some(counters) = &counters {
        counters.count_faults();
    }
    let toxics = std::mem::take(&mut cfg.toxics);
    let schedule = cfg.schedule.take();
    let live = cfg.api.is_some() || schedule.is_some();
    let shared = Arc::new(Shared {
        slots: Arc::new(Semaphore::new(cfg.max_connections)),
        held: Arc::new(Semaphore::new(cfg.max_connections + MAX_WAITING)),
        waiting: Arc::new(AtomicUsize::new(0)),
        queued: Arc::new(Buffered::new(cfg.max_buffered)),
        number: AtomicU64::new(0),
        tracker: TaskTracker::new(),
        closing: CancellationToken::new(),
        stop: CancellationToken::new(),
        counters: counters.clone(),
        printer: printer.clone(),
        cfg,
    });
    let cfg = &shared.cfg;
    let proxies = Proxies::new(TcpRelays(shared.clone()), printer.clone(), live);
    let api = match cfg.api {
        Some(addr) => Some(api::start(addr, proxies.clone(), counters.clone(), &printer).await?),
        None => None,
    };
    let local = match (listener, &cfg.to) {
        (Some(listener), Some(to)) => {
            printer.faults(
                None,
                &toxics.describe(Stream::Upstream),
                &toxics.describe(Stream::Downstream),
            );
            let local = listener.local_addr()?;
            let framed = cfg.exchange.is_some();
            proxies.add_bound(DEFAULT_PROXY, listener, to.clone(), toxics, framed);
            if let Some(schedule) = schedule {
                shared
                    .tracker
                    .spawn(schedule.run(proxies.clone(), shared.closing.clone()));
            }
            local.into()
        }
        _ => api
            .as_ref()
            .map_or(Peer::from(cfg.addrs[0]), |api| api.addr().into()),
    };
    let local = announce(local, &cfg.addrs, None, &printer, None, Some(cfg.threads));
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = tick.tick() => report_waiting(&shared.waiting, cfg.max_connections),
            () = &mut shutdown => break,
        }
    }
    drop(api);
    shared.closing.cancel();
    printer.explain(Role::TcpServer, Step::Stop { addr: local });
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    // Connections go on through the grace period, then are cut.
    let left = shutdown::drain(&shared.tracker, cfg.grace).await;
    shared.stop.cancel();
    if left > 0 {
        tracing::warn!(
            connections = left,
            "closing relayed connections still open after the grace period"
        );
    }
    Ok(())
}

/// One proxy's listener: accepts clients until the proxy stops or the command does, and
/// relays each in a task of its own.
async fn accept_loop(listener: TcpListener, run: Run, shared: Arc<Shared>) {
    let run = Arc::new(run);
    // The upstream is looked up once per start, as the address to dial for every client.
    let upstream = match tokio::net::lookup_host(run.upstream.as_str()).await {
        Ok(addrs) => Ok(addrs.collect::<Vec<_>>()),
        Err(err) => Err(format!(
            "cannot resolve the upstream {}: {err}",
            run.upstream
        )),
    };
    let upstream = Arc::new(upstream);
    loop {
        let hold = tokio::select! {
            permit = shared.held.clone().acquire_owned() => permit.ok(),
            () = run.stop.cancelled() => break,
            () = shared.closing.cancelled() => break,
        };
        let (client, peer) = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = run.stop.cancelled() => break,
            () = shared.closing.cancelled() => break,
        };
        if !shared.cfg.access.admit(peer) {
            continue;
        }
        let number = shared.number.fetch_add(1, Ordering::Relaxed) + 1;
        // Each connection its own random stream, so one seed repeats the whole run.
        let rng = Rng::new(shared.cfg.seed.wrapping_add(number));
        let (run, shared, upstream) = (run.clone(), shared.clone(), upstream.clone());
        let tracker = shared.tracker.clone();
        tracker.spawn(async move {
            let _hold = hold;
            let _slot = match shared.slots.clone().try_acquire_owned() {
                Ok(slot) => slot,
                Err(_) => {
                    shared.waiting.fetch_add(1, Ordering::Relaxed);
                    let slot = tokio::select! {
                        slot = shared.slots.clone().acquire_owned() => slot.ok(),
                        () = shared.closing.cancelled() => None,
                        () = run.stop.cancelled() => None,
                    };
                    shared.waiting.fetch_sub(1, Ordering::Relaxed);
                    match slot {
                        Some(slot) => slot,
                        None => return,
                    }
                }
            };
            if let Some(counters) = &shared.counters {
                counters.accepted();
            }
            relay(client, peer.into(), &upstream, &run, &shared, rng).await;
            if let Some(counters) = &shared.counters {
                counters.closed();
            }
        });
    }
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
async fn relay(
    mut client: TcpStream,
    peer: Peer,
    upstream: &Result<Vec<SocketAddr>, String>,
    run: &Run,
    shared: &Shared,
    mut rng: Rng,
) {
    let (cfg, printer, counters) = (&shared.cfg, &shared.printer, shared.counters.as_ref());
    printer.event(Event::Accept {
        peer,
        process: None,
    });
    printer.explain(Role::TcpServer, Step::Accept { peer });
    if let Err(err) = client.set_nodelay(true) {
        tracing::debug!(%peer, error = %err, "cannot set TCP_NODELAY");
    }
    let narrate = printer.narrator(Role::TcpClient);
    let connected = match upstream {
        Ok(addrs) => net::connect_tcp(
            addrs,
            cfg.source.map(|ip| SocketAddr::new(ip, 0)),
            cfg.timeout,
            Some(&narrate),
        )
        .await
        .map_err(|err| err.to_string()),
        Err(err) => Err(err.clone()),
    };
    let (mut upstream, target) = match connected {
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
        run,
        shared,
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
        () = shared.stop.cancelled() => Ok(Close::Shutdown),
        // Disabled or deleted through the API: its connections end with it.
        () = run.stop.cancelled() => Ok(Close::Shutdown),
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
    run: &Run,
    shared: &Shared,
    rng: &mut Rng,
) -> Result<Option<Cut>, (Side, io::Error)> {
    let (printer, counters, queued) = (&shared.printer, shared.counters.as_ref(), &shared.queued);
    let mut client_tap = Tap::new(printer, Role::TcpServer).counting(counters.cloned());
    // Dumped on the client's side only: "received from CLIENT" is a chunk going up, "sent
    // to CLIENT" one coming down, and each names its connection.
    let mut target_tap = Tap::new(printer, Role::TcpClient).without_dump();
    if printer.pcap().is_some() {
        if let (Ok(local), Ok(remote)) = (client.local_addr(), client.peer_addr()) {
            client_tap = client_tap.capturing_stream(local, remote, false, CLIENT_LEG);
        }
        if let (Ok(local), Ok(remote)) = (upstream.local_addr(), upstream.peer_addr()) {
            target_tap = target_tap.capturing_stream(local, remote, true, TARGET_LEG);
        }
    }
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
    let feed = |stream, rng: &mut Rng| {
        Feed::new(
            run.toxics.clone(),
            stream,
            Rng::new(rng_seed(rng)),
            run.live,
        )
    };
    let (up_feed, down_feed) = (feed(Stream::Upstream, rng), feed(Stream::Downstream, rng));
    let Some(faults) = shared
        .cfg
        .exchange
        .as_ref()
        .filter(|_| run.name == DEFAULT_PROXY)
    else {
        let seen = Seen {
            up: &seen_up,
            down: &seen_down,
        };
        return copy_pipes(
            (&mut client_read, &mut client_write),
            (&mut target_read, &mut target_write),
            (up_feed, down_feed),
            rng,
            queued,
            seen,
        )
        .await;
    };
    // The protocol faults face the client; the byte faults sit between them and the
    // target, joined by an in-memory pipe, so the two kinds combine.
    let (near, far) = tokio::io::duplex(4 * 64 * 1024);
    let (mut near_read, mut near_write) = tokio::io::split(near);
    let (mut far_read, mut far_write) = tokio::io::split(far);
    let seen = |up: bool, data: &[u8]| if up { seen_up(data) } else { seen_down(data) };
    let tally = Tally(counters);
    let exchanged = exchange::exchange(
        &mut client_read,
        &mut client_write,
        &mut near_read,
        &mut near_write,
        faults,
        feed(Stream::Upstream, rng),
        Rng::new(rng_seed(rng)),
        &tally,
        &seen,
    );
    // Shown once, by the exchange.
    let unseen = |_: &[u8]| {};
    let piped = copy_pipes(
        (&mut far_read, &mut far_write),
        (&mut target_read, &mut target_write),
        (up_feed, down_feed),
        rng,
        queued,
        Seen {
            up: &unseen,
            down: &unseen,
        },
    );
    tokio::pin!(exchanged, piped);
    let (mut exchanged_done, mut piped_done) = (false, false);
    while !(exchanged_done && piped_done) {
        tokio::select! {
            done = &mut exchanged, if !exchanged_done => {
                exchanged_done = true;
                // A failure on the in-memory side means the pipes ended: theirs is the
                // reason, or the client's close.
                if let Err(failed) = done
                    && failed.client
                {
                    return Err((Side::Client, failed.err));
                }
            }
            done = &mut piped, if !piped_done => {
                piped_done = true;
                match done {
                    Ok(Some(cut)) => return Ok(Some(cut)),
                    Err((Side::Target, err)) => return Err((Side::Target, err)),
                    _ => {}
                }
            }
        }
    }
    Ok(None)
}

/// What each direction's bytes are shown as, as they are passed on.
struct Seen<'a> {
    up: &'a (dyn Fn(&[u8]) + Sync),
    down: &'a (dyn Fn(&[u8]) + Sync),
}

/// Both directions through their byte faults at once, until both ended (`None`), a
/// limit or a toxic cut the connection (the cut to make), or one side failed.
async fn copy_pipes<CR, CW, TR, TW>(
    client: (&mut CR, &mut CW),
    target: (&mut TR, &mut TW),
    feeds: (Feed, Feed),
    rng: &mut Rng,
    queued: &Buffered,
    seen: Seen<'_>,
) -> Result<Option<Cut>, (Side, io::Error)>
where
    CR: tokio::io::AsyncRead + Unpin,
    CW: tokio::io::AsyncWrite + Unpin,
    TR: tokio::io::AsyncRead + Unpin,
    TW: tokio::io::AsyncWrite + Unpin,
{
    let (client_read, client_write) = client;
    let (target_read, target_write) = target;
    let (up_feed, down_feed) = feeds;
    let up = pipe(
        client_read,
        target_write,
        up_feed,
        Rng::new(rng_seed(rng)),
        queued,
        seen.up,
    );
    let down = pipe(
        target_read,
        client_write,
        down_feed,
        Rng::new(rng_seed(rng)),
        queued,
        seen.down,
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

/// What the protocol faults did, counted for `--stats` and `/metrics`.
struct Tally<'a>(Option<&'a Arc<Counters>>);

impl exchange::Tally for Tally<'_> {
    fn failed(&self) {
        if let Some(counters) = self.0 {
            counters.fault(Fault::Failed);
        }
    }

    fn held(&self) {
        if let Some(counters) = self.0 {
            counters.fault(Fault::Held);
        }
    }
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
            tracing::info!(%peer, "a fault resets both connections");
            Close::Cut
        }
        Cut::Close => {
            for stream in [client, upstream] {
                let _ = SockRef::from(stream).shutdown(std::net::Shutdown::Both);
            }
            tracing::info!(%peer, "a fault closes both connections");
            Close::Cut
        }
    }
}
