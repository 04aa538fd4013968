//! `udp relay`: each client address gets a session, an upstream socket of its own
//! connected to the target, so the target's replies go back to the client that caused
//! them. A session ends after `--idle-timeout` without a datagram either way. One command
//! may run many such relays (`proxies.rs`): the one of `--to`, and those made through
//! `--api`.
//!
//! Faults are drawn per datagram from a seeded generator: lost, sent twice, held back until
//! the next datagram has gone (reordered), delayed. Delayed datagrams wait in queues
//! bounded in count and bytes; what does not fit is dropped and counted, as a router
//! drops what overflows its buffer. Bound to more than loopback, what goes to each client
//! is capped at a ratio of what it sent (`amplification.rs`).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::amplification::{self, Cap};
use super::api;
use super::faults::DatagramFaults;
use super::link::Feed;
use super::proxies::{DEFAULT_PROXY, Proxies, Relays, Run};
use super::schedule::Schedule;
use super::toxics::{Stream, Toxics, Transport};
use crate::access::AccessList;
use crate::counters::{self, Counters, Fault};
use crate::event::{Direction, Event, Peer};
use crate::explain::{Role, Step};
use crate::hexdump;
use crate::net;
use crate::net::MAX_DATAGRAM;
use crate::net::announce::announce_udp;
use crate::output::Printer;
use crate::output::capture::{CLIENT_LEG, TARGET_LEG};
use crate::template::Rng;
use crate::throttle::Throttle;

/// How long a datagram held back for reordering waits for a successor.
const REORDER_HOLD: Duration = Duration::from_millis(50);
/// Sessions at once: each holds a socket and a task, and a flood of datagrams from forged
/// source addresses must not use up the process's descriptors.
const MAX_SESSIONS: usize = 4096;
/// Datagrams one direction of a session may hold back for their delay. At 60 s of latency
/// even one sender would otherwise queue without end (5 GB in 8 s).
const QUEUE_DATAGRAMS: usize = 16 * 1024;
/// Bytes all the relay's delay queues may hold together, each datagram counted with
/// [`QUEUE_OVERHEAD`] for its bookkeeping, so a flood of tiny datagrams is bounded too.
const QUEUE_BYTES: usize = 64 << 20;
const QUEUE_OVERHEAD: usize = 64;

/// Settings of `udp relay`.
#[derive(Debug, Clone)]
pub struct UdpRelayConfig {
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address the relay's upstream sockets are bound to.
    pub source: Option<std::net::IpAddr>,
    /// `--to`, the target of the relay started at once (the proxy named `default`);
    /// without it, relays are made through the API.
    pub to: Option<String>,
    /// The faults of the flags, as toxics of the `default` proxy.
    pub toxics: Toxics,
    /// `--schedule`: the default proxy's toxics over time.
    pub schedule: Option<Schedule>,
    /// `--api`: where the toxiproxy-compatible API is served.
    pub api: Option<SocketAddr>,
    pub seed: u64,
    pub idle_timeout: Duration,
    pub stats: bool,
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
    pub access: AccessList,
    /// Send clients more than [`amplification::RATIO`] times what they sent even when
    /// other machines can reach the relay (`--allow-amplification`).
    pub amplify: bool,
}

/// What the relay drops rather than queue or send, shared by every session: counted for
/// `--stats`, and said on stderr once, then at most once a second with a count.
#[derive(Default)]
struct Drops {
    /// Bytes in all delay queues now (with their overhead).
    queued: AtomicUsize,
    full: Mutex<Throttle>,
    capped: Mutex<Throttle>,
    counters: Option<Arc<Counters>>,
}

/// Why a datagram was dropped.
#[derive(Debug, Clone, Copy)]
enum Dropped {
    /// Its delay queue was full.
    Full,
    /// It would have sent the client more than the ratio allows.
    Capped,
}

impl Drops {
    fn drop_one(&self, why: Dropped, session: &AtomicU64, client: SocketAddr) {
        session.fetch_add(1, Ordering::Relaxed);
        if let Some(counters) = &self.counters {
            counters.dropped();
        }
        let throttle = match why {
            Dropped::Full => &self.full,
            Dropped::Capped => &self.capped,
        };
        let tally = throttle.lock().ok().and_then(|mut throttle| throttle.hit());
        if let Some(tally) = tally {
            log_drops(why, tally, Some(client));
        }
    }

    /// The counts not yet said, at shutdown.
    fn log_pending(&self) {
        for (why, throttle) in [(Dropped::Full, &self.full), (Dropped::Capped, &self.capped)] {
            if let Some(tally) = throttle.lock().ok().and_then(|mut t| t.take_pending()) {
                log_drops(why, tally, None);
            }
        }
    }
}

fn log_drops(why: Dropped, tally: crate::throttle::Tally, client: Option<SocketAddr>) {
    let client = client.map(|c| c.to_string()).unwrap_or_default();
    match why {
        Dropped::Full => tracing::warn!(
            %client,
            "datagrams dropped: the delay queue is full ({QUEUE_DATAGRAMS} datagrams a \
             session each way, {} MiB in all){} (a shorter --latency or --jitter holds fewer)",
            QUEUE_BYTES >> 20,
            tally.suffix()
        ),
        Dropped::Capped => tracing::warn!(
            %client,
            "datagrams to a client dropped: they would send it more than {}x what it sent \
             (relays other machines can reach are no amplifier){} (--allow-amplification \
             sends them)",
            amplification::RATIO,
            tally.suffix()
        ),
    }
}

/// One session's share of the drop accounting.
struct SessionDrops {
    drops: Arc<Drops>,
    dropped: Arc<AtomicU64>,
    client: SocketAddr,
}

/// Where one direction's datagrams go, with the fault state it keeps between them.
struct Outlet {
    to: Send,
    /// The relay's toxics as this direction sees them, and what they make now.
    feed: Feed,
    faults: DatagramFaults,
    rng: Rng,
    /// A datagram held back until the next one has gone.
    held: Option<(Bytes, Instant)>,
    /// Delayed datagrams, in order, to the task that sends each when it is due (made on
    /// the first delay): one queue keeps a fixed latency from reordering them.
    line: Option<mpsc::Sender<(Instant, Bytes)>>,
    /// When the last delayed datagram is due: none is due before it.
    last_due: Instant,
    drops: Arc<Drops>,
    /// This session's drops, both ways.
    dropped: Arc<AtomicU64>,
    /// The session's client, for logs.
    client: SocketAddr,
}

/// A way to send a datagram: to the client through the relay's socket (shown with `-x`
/// and `--json` as it goes), or to the target through the session's.
#[derive(Clone)]
enum Send {
    ToClient {
        socket: Arc<UdpSocket>,
        client: SocketAddr,
        printer: Arc<Printer>,
        /// What the client may still be sent, when other machines can reach the relay.
        cap: Option<Arc<Mutex<Cap>>>,
        drops: Arc<Drops>,
        dropped: Arc<AtomicU64>,
    },
    ToTarget {
        socket: Arc<UdpSocket>,
        printer: Arc<Printer>,
    },
}

/// `--pcap`: a datagram on one of the relay's legs, from and to the addresses `ends`
/// gives, asked of the socket only when there is a capture (they are system calls).
fn captured(
    printer: &Printer,
    leg: (&str, &str),
    ends: impl FnOnce() -> io::Result<(SocketAddr, SocketAddr)>,
    data: &[u8],
) {
    if let Some(capture) = printer.pcap()
        && let Ok((from, to)) = ends()
    {
        let interface = capture.interface(leg.0, leg.1);
        capture.datagram(interface, from, to, data);
    }
}

impl Send {
    async fn send(&self, data: &[u8]) {
        let sent = match self {
            Send::ToClient {
                socket,
                client,
                printer,
                cap,
                drops,
                dropped,
            } => {
                if let Some(cap) = cap
                    && !cap
                        .lock()
                        .is_ok_and(|mut cap| cap.may_send(data.len(), std::time::Instant::now()))
                {
                    drops.drop_one(Dropped::Capped, dropped, *client);
                    return;
                }
                show(printer, *client, false, data);
                let ends = || Ok((socket.local_addr()?, *client));
                captured(printer, CLIENT_LEG, ends, data);
                socket.send_to(data, client).await
            }
            Send::ToTarget { socket, printer } => {
                let ends = || Ok((socket.local_addr()?, socket.peer_addr()?));
                captured(printer, TARGET_LEG, ends, data);
                socket.send(data).await
            }
        };
        // Datagrams may be lost: a full buffer or an unreachable port loses this one.
        if let Err(err) = sent {
            tracing::debug!(error = %err, "a relayed datagram could not be sent");
        }
    }
}

/// A datagram on the client's side, for `--explain`, `-x` and `--json`: received from the
/// client (up) or sent to it (down), as the TCP relay shows its chunks.
fn show(printer: &Printer, client: SocketAddr, up: bool, data: &[u8]) {
    let client = Peer::from(client);
    let bytes = data.len();
    let step = if up {
        Step::Recv {
            peer: client,
            bytes,
        }
    } else {
        Step::Send {
            peer: client,
            bytes,
        }
    };
    printer.explain(Role::UdpServer, step);
    if printer.is_dumping() {
        let direction = if up {
            Direction::Received
        } else {
            Direction::Sent
        };
        printer.hex_dump(&hexdump::format(direction, client, None, data));
    }
    if printer.is_json() {
        printer.event(Event::Relayed {
            peer: client,
            up,
            data,
        });
    }
}

impl Outlet {
    fn new(to: Send, mut feed: Feed, seed: u64, session: &SessionDrops) -> Outlet {
        Outlet {
            to,
            faults: feed.datagram_faults(),
            feed,
            rng: Rng::new(seed),
            held: None,
            line: None,
            last_due: Instant::now(),
            drops: session.drops.clone(),
            dropped: session.dropped.clone(),
            client: session.client,
        }
    }

    /// Passes `data` on through the faults.
    async fn pass(&mut self, data: &[u8]) {
        if self.feed.has_changed() {
            self.faults = self.feed.datagram_faults();
        }
        if self.faults.is_none() {
            self.to.send(data).await;
            return;
        }
        let fate = self.faults.fate(&mut self.rng);
        if let Some(counters) = &self.drops.counters {
            for (applied, fault) in [
                (fate.copies == 0, Fault::Lost),
                (fate.copies == 2, Fault::Duplicated),
                (fate.held, Fault::Reordered),
                (fate.copies > 0 && !fate.delay.is_zero(), Fault::Delayed),
            ] {
                if applied {
                    counters.fault(fault);
                }
            }
        }
        if fate.copies == 0 {
            return;
        }
        let data = Bytes::copy_from_slice(data);
        if fate.held && self.held.is_none() {
            self.held = Some((data, Instant::now()));
            return;
        }
        let mut out = vec![data; usize::from(fate.copies)];
        out.extend(self.held.take().map(|(held, _)| held));
        if fate.delay.is_zero() && self.line.is_none() {
            for datagram in &out {
                self.to.send(datagram).await;
            }
            return;
        }
        let due = (Instant::now() + fate.delay).max(self.last_due);
        self.last_due = due;
        let drops = self.drops.clone();
        let line = self.line.get_or_insert_with(|| {
            let (line, mut queue) = mpsc::channel::<(Instant, Bytes)>(QUEUE_DATAGRAMS);
            let to = self.to.clone();
            tokio::spawn(async move {
                while let Some((due, datagram)) = queue.recv().await {
                    tokio::time::sleep_until(due).await;
                    to.send(&datagram).await;
                    drops
                        .queued
                        .fetch_sub(datagram.len() + QUEUE_OVERHEAD, Ordering::Relaxed);
                }
            });
            line
        });
        for datagram in out {
            let cost = datagram.len() + QUEUE_OVERHEAD;
            let before = self.drops.queued.fetch_add(cost, Ordering::Relaxed);
            let queued = before + cost <= QUEUE_BYTES && line.try_send((due, datagram)).is_ok();
            if !queued {
                self.drops.queued.fetch_sub(cost, Ordering::Relaxed);
                self.drops
                    .drop_one(Dropped::Full, &self.dropped, self.client);
            }
        }
    }

    /// Sends a held datagram that waited long enough for a successor.
    async fn flush_held(&mut self) {
        if let Some((_, since)) = &self.held
            && since.elapsed() >= REORDER_HOLD
            && let Some((held, _)) = self.held.take()
        {
            self.to.send(&held).await;
        }
    }
}

/// A client's session: the way up (its own upstream socket), the task relaying replies,
/// and when a datagram last went either way (milliseconds since the relay started).
struct Session {
    up: Outlet,
    /// What the client may be sent, when the relay is reachable beyond loopback.
    cap: Option<Arc<Mutex<Cap>>>,
    last: Arc<AtomicU64>,
    replies: JoinHandle<()>,
}

/// What every relay of the command shares.
struct Shared {
    cfg: UdpRelayConfig,
    printer: Arc<Printer>,
    counters: Option<Arc<Counters>>,
    drops: Arc<Drops>,
    started: Instant,
    /// Sessions so far, over every relay: each gets its own random streams.
    number: AtomicU64,
    /// Cancelled at shutdown.
    closing: CancellationToken,
    tracker: TaskTracker,
}

/// The UDP relays a command runs.
struct UdpRelays(Arc<Shared>);

impl Relays for UdpRelays {
    type Listener = UdpSocket;

    fn transport(&self) -> Transport {
        Transport::Udp
    }

    fn bind(&self, addr: SocketAddr) -> io::Result<UdpSocket> {
        let socket = std::net::UdpSocket::bind(addr)?;
        socket.set_nonblocking(true)?;
        UdpSocket::from_std(socket)
    }

    fn local_addr(&self, socket: &UdpSocket) -> io::Result<SocketAddr> {
        socket.local_addr()
    }

    fn closer(&self, _: &UdpSocket) -> Option<socket2::Socket> {
        None
    }

    fn run(&self, socket: UdpSocket, run: Run) {
        let shared = self.0.clone();
        self.0.tracker.spawn(async move {
            if let Err(err) = relay_on(socket, run, &shared).await {
                tracing::warn!(error = %err, "a UDP relay's socket failed; it stops");
            }
        });
    }
}

/// Relays datagrams until `shutdown` resolves: on `socket` to `--to` when there is one,
/// and on every proxy made through the API.
///
/// # Errors
/// The relay's own socket cannot say its address, or the API's cannot be bound.
pub async fn serve(
    socket: Option<UdpSocket>,
    mut cfg: UdpRelayConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    // Up before the relay says it listens: a scraper started on that line finds it.
    // The API serves `/metrics` too, so it counts as `--metrics` does.
    let counted = cfg.metrics.is_some() || cfg.api.is_some();
    let (counters, _reporter) = counters::start(cfg.stats, counted, &printer, false);
    let _metrics = crate::metrics::serve_counters(cfg.metrics, counters.as_ref(), &printer).await?;
    if let Some(counters) = &counters {
        counters.count_drops();
        counters.count_faults();
    }
    let toxics = std::mem::take(&mut cfg.toxics);
    let schedule = cfg.schedule.take();
    let live = cfg.api.is_some() || schedule.is_some();
    let shared = Arc::new(Shared {
        drops: Arc::new(Drops {
            counters: counters.clone(),
            ..Drops::default()
        }),
        started: Instant::now(),
        number: AtomicU64::new(0),
        closing: CancellationToken::new(),
        tracker: TaskTracker::new(),
        counters: counters.clone(),
        printer: printer.clone(),
        cfg,
    });
    let cfg = &shared.cfg;
    let proxies = Proxies::new(UdpRelays(shared.clone()), printer.clone(), live);
    let api = match cfg.api {
        Some(addr) => Some(api::start(addr, proxies.clone(), counters.clone(), &printer).await?),
        None => None,
    };
    match (socket, &cfg.to) {
        (Some(socket), Some(to)) => {
            printer.faults(
                None,
                &toxics.describe(Stream::Upstream),
                &toxics.describe(Stream::Downstream),
            );
            let local = announce_udp(&socket, &cfg.addrs, &printer, None)?;
            warn_if_capped(cfg, local, &printer);
            proxies.add_bound(DEFAULT_PROXY, socket, to.clone(), toxics, false);
            if let Some(schedule) = schedule {
                shared
                    .tracker
                    .spawn(schedule.run(proxies.clone(), shared.closing.clone()));
            }
        }
        _ => {
            if let Some(api) = &api {
                printer.listening_tls(api.addr().into(), None, None);
            }
        }
    }
    shutdown.await;
    drop(api);
    shared.closing.cancel();
    shared.tracker.close();
    shared.tracker.wait().await;
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    shared.drops.log_pending();
    Ok(())
}

/// Says so when clients are capped (a relay other machines can reach).
fn warn_if_capped(cfg: &UdpRelayConfig, local: SocketAddr, printer: &Printer) {
    // Loopback is reachable from this machine only: nothing to reflect towards.
    if !cfg.amplify && !local.ip().to_canonical().is_loopback() {
        printer.notice(format!(
            "each client is sent at most {}x the bytes it sent (over {} s, plus {} bytes), \
             so this relay cannot be used as a reflection amplifier (--allow-amplification \
             lifts the cap)",
            amplification::RATIO,
            amplification::WINDOW.as_secs(),
            amplification::ALLOWANCE
        ));
    }
}

/// One relay's socket: a session per client, until the relay stops or the command does.
///
/// # Errors
/// The socket fails.
async fn relay_on(socket: UdpSocket, run: Run, shared: &Shared) -> io::Result<()> {
    let (cfg, printer, counters, drops, started) = (
        &shared.cfg,
        &shared.printer,
        &shared.counters,
        &shared.drops,
        shared.started,
    );
    let local = socket.local_addr()?;
    let capped = !cfg.amplify && !local.ip().to_canonical().is_loopback();
    // The upstream is looked up once per start.
    let target = match tokio::net::lookup_host(run.upstream.as_str()).await {
        Ok(mut addrs) => addrs.next(),
        Err(err) => {
            tracing::warn!(upstream = %run.upstream, error = %err, "cannot resolve the upstream");
            None
        }
    };
    let socket = Arc::new(socket);
    let mut sessions: HashMap<SocketAddr, Session> = HashMap::new();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut tick = tokio::time::interval(REORDER_HOLD);
    let mut too_many = Throttle::default();
    loop {
        let (n, client) = tokio::select! {
            received = socket.recv_from(&mut buf) => match received {
                Ok(received) => received,
                // An ICMP error from an earlier send to a client that left: not ours.
                Err(err) if crate::io_error::is_about_a_peer(&err) => continue,
                Err(err) => {
                    abort(&sessions);
                    return Err(err);
                }
            },
            _ = tick.tick() => {
                sessions.retain(|_, session| !session.replies.is_finished());
                for session in sessions.values_mut() {
                    session.up.flush_held().await;
                }
                continue;
            }
            () = shared.closing.cancelled() => break,
            () = run.stop.cancelled() => break,
        };
        if !cfg.access.admit(client) {
            continue;
        }
        if let Some(counters) = counters {
            counters.message();
            counters.received(n);
        }
        let data = &buf[..n];
        show(printer, client, true, data);
        captured(printer, CLIENT_LEG, || Ok((client, local)), data);
        let Some(target) = target else {
            continue;
        };
        if sessions
            .get(&client)
            .is_some_and(|session| session.replies.is_finished())
        {
            sessions.remove(&client);
        }
        let full = sessions.len() >= MAX_SESSIONS;
        let session = match sessions.entry(client) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(_) if full => {
                if let Some(tally) = too_many.hit() {
                    tracing::warn!(
                        %client,
                        "{MAX_SESSIONS} sessions open: datagrams from new clients are dropped \
                         until one ends (--idle-timeout){}",
                        tally.suffix()
                    );
                }
                continue;
            }
            std::collections::hash_map::Entry::Vacant(entry) => {
                let number = shared.number.fetch_add(1, Ordering::Relaxed) + 1;
                let seed = cfg.seed.wrapping_add(number.wrapping_mul(2));
                let session = SessionDrops {
                    drops: drops.clone(),
                    dropped: Arc::new(AtomicU64::new(0)),
                    client,
                };
                let cap = capped.then(|| Arc::new(Mutex::new(Cap::new(std::time::Instant::now()))));
                let opened = open(shared, &run, target, &socket, started, seed, session, cap).await;
                match opened {
                    Ok(session) => entry.insert(session),
                    Err(err) => {
                        let error = format!("cannot open a socket to the target: {err}");
                        printer.event(Event::Error {
                            peer: client.into(),
                            error: &error,
                        });
                        continue;
                    }
                }
            }
        };
        session.last.store(millis(started), Ordering::Relaxed);
        if let Some(cap) = &session.cap
            && let Ok(mut cap) = cap.lock()
        {
            cap.received(n, std::time::Instant::now());
        }
        session.up.pass(data).await;
    }
    abort(&sessions);
    Ok(())
}

fn abort(sessions: &HashMap<SocketAddr, Session>) {
    for session in sessions.values() {
        session.replies.abort();
    }
}

fn millis(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

/// A new session for `client`: the upstream socket, and the task that relays the target's
/// replies back until the session has been idle for the timeout.
#[allow(clippy::too_many_arguments)]
async fn open(
    shared: &Shared,
    run: &Run,
    target: SocketAddr,
    socket: &Arc<UdpSocket>,
    started: Instant,
    seed: u64,
    session: SessionDrops,
    cap: Option<Arc<Mutex<Cap>>>,
) -> Result<Session, net::NetError> {
    let (cfg, printer) = (&shared.cfg, &shared.printer);
    let client = session.client;
    let source = cfg.source.map(|ip| SocketAddr::new(ip, 0));
    let upstream = Arc::new(net::open_udp(target, source).await?);
    printer.event(Event::Relay {
        peer: client.into(),
        target,
    });
    let last = Arc::new(AtomicU64::new(millis(started)));
    let to_client = Send::ToClient {
        socket: socket.clone(),
        client,
        printer: printer.clone(),
        cap: cap.clone(),
        drops: session.drops.clone(),
        dropped: session.dropped.clone(),
    };
    let feed = |stream, seed: u64| Feed::new(run.toxics.clone(), stream, Rng::new(seed), run.live);
    let replies = tokio::spawn(replies(
        upstream.clone(),
        Outlet::new(
            to_client,
            feed(Stream::Downstream, seed.wrapping_add(3)),
            seed.wrapping_add(1),
            &session,
        ),
        last.clone(),
        cfg.idle_timeout,
        started,
        shared.counters.clone(),
        printer.clone(),
        client,
    ));
    Ok(Session {
        up: Outlet::new(
            Send::ToTarget {
                socket: upstream,
                printer: printer.clone(),
            },
            feed(Stream::Upstream, seed.wrapping_add(2)),
            seed,
            &session,
        ),
        cap,
        last,
        replies,
    })
}

/// The target's replies, back to the client, until nothing went either way for `idle`.
#[allow(clippy::too_many_arguments)]
async fn replies(
    upstream: Arc<UdpSocket>,
    mut down: Outlet,
    last: Arc<AtomicU64>,
    idle: Duration,
    started: Instant,
    counters: Option<Arc<Counters>>,
    printer: Arc<Printer>,
    client: SocketAddr,
) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let quiet_for =
            Duration::from_millis(millis(started).saturating_sub(last.load(Ordering::Relaxed)));
        let Some(left) = idle.checked_sub(quiet_for).filter(|left| !left.is_zero()) else {
            break;
        };
        let wait = left.min(REORDER_HOLD);
        match tokio::time::timeout(wait, upstream.recv(&mut buf)).await {
            Err(_) => down.flush_held().await,
            Ok(Ok(n)) => {
                last.store(millis(started), Ordering::Relaxed);
                let ends = || Ok((upstream.peer_addr()?, upstream.local_addr()?));
                captured(&printer, TARGET_LEG, ends, &buf[..n]);
                if let Some(counters) = &counters {
                    counters.sent(n);
                }
                down.pass(&buf[..n]).await;
            }
            // The target is not listening (ICMP port unreachable): the client's datagrams
            // are lost, as they would be without the relay.
            Ok(Err(err)) => tracing::debug!(%client, error = %err, "the target refused a datagram"),
        }
    }
    let dropped = down.dropped.load(Ordering::Relaxed);
    if dropped > 0 {
        tracing::info!(%client, dropped, "the session dropped {dropped} datagram(s)");
    }
    printer.event(Event::Close {
        peer: client.into(),
        close: crate::event::Close::Expired,
    });
}
