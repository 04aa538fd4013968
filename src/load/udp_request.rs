//! UDP load in `--mode request`: any request/reply service over datagrams (DNS, a game
//! server, a metrics agent), from `-c` sockets at once, each with its own source port and
//! up to `--pipeline` requests in flight.
//!
//! A reply is matched to its request by arrival order while one request is in flight on
//! a socket; with more, by an ID field the protocol carries (`--match-id OFFSET:LEN`,
//! `--preset dns`): netdemo writes a fresh ID into each request, never one still
//! outstanding on that socket, and finds the request by the reply's same field. A reply
//! that matches nothing is counted (`unmatched`), not fatal. A request with no reply
//! within `--timeout` is `lost`, an error like any other.
//!
//! Closed loop by default (a socket sends when a reply frees room in its window); with
//! `--rate`, open loop: request i is due at start + i/rate, taken by the first socket with
//! room, and its latency counts from when it was due (the uncorrected figure is beside).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use color_eyre::eyre::Result;
use tokio::net::UdpSocket;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{lock, micros};
use crate::expect::Expect;
use crate::framing::Framing;
use crate::net::{self, MAX_DATAGRAM, NetError};
use crate::report::Recorded;
use crate::report::{ErrorKind, Errors, Report};
use crate::request::{Request, Scratch};
use crate::shape::Schedule;
use crate::template::Rng;

/// Everything a UDP request load run needs.
#[derive(Debug, Clone)]
pub struct UdpRequestLoad {
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address (and port) datagrams leave from.
    pub source: Option<SocketAddr>,
    /// The requests, sent in turn on each socket.
    pub messages: Vec<Request>,
    /// The messages as given, for the report.
    pub labels: Vec<String>,
    pub expect: Expect,
    /// What else a reply must be (`--preset dns`: an answer, NOERROR).
    pub check: ReplyCheck,
    pub count: Option<u64>,
    pub duration: Option<Duration>,
    /// How long to wait for each reply before counting it lost.
    pub timeout: Duration,
    /// Sockets, each its own source port (`-c`).
    pub sockets: usize,
    /// Requests in flight per socket (`--pipeline`).
    pub window: usize,
    /// Open loop: when each request is due (a fixed rate, a ramp, stages).
    pub schedule: Option<Schedule>,
    /// `--interval`: a line (or JSON event) this often, with what completed since the last.
    pub interval: Option<Duration>,
    /// Where requests and replies carry the ID that matches them (`--match-id`).
    pub id: Option<IdField>,
    /// Threads the sockets run on (`--threads`).
    pub threads: usize,
    /// When it starts, and what its report says it is of.
    pub placement: super::Placement,
    /// `--html`: the report as a page, too.
    pub html: Option<std::path::PathBuf>,
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
}

/// A field of `len` bytes (1 to 4, big-endian) at `offset` in each request and reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdField {
    pub offset: usize,
    pub len: usize,
}

impl IdField {
    /// How many IDs the field holds: the most requests one socket can have in flight.
    pub fn ids(self) -> u64 {
        1u64 << (8 * self.len)
    }

    fn write(self, datagram: &mut [u8], id: u32) {
        let bytes = id.to_be_bytes();
        datagram[self.offset..self.offset + self.len].copy_from_slice(&bytes[4 - self.len..]);
    }

    fn read(self, datagram: &[u8]) -> Option<u32> {
        let field = datagram.get(self.offset..self.offset + self.len)?;
        Some(field.iter().fold(0u32, |id, b| (id << 8) | u32::from(*b)))
    }
}

/// A protocol's own verdict on a reply, beyond `--expect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplyCheck {
    #[default]
    None,
    /// A DNS response (QR set) with RCODE 0, NOERROR.
    Dns,
}

impl ReplyCheck {
    fn accepts(self, reply: &[u8]) -> bool {
        match self {
            ReplyCheck::None => true,
            ReplyCheck::Dns => reply.len() >= 12 && reply[2] & 0x80 != 0 && reply[3] & 0x0f == 0,
        }
    }
}

/// State the sockets of one run share. Each socket keeps its own figures and adds them
/// here when it ends, so nothing here is written per request but the schedule's index.
struct Shared {
    cfg: UdpRequestLoad,
    start: Instant,
    /// The next request index to claim (the schedule's, and `-n`'s budget).
    next: AtomicU64,
    stop: CancellationToken,
    recorded: Mutex<Recorded>,
    errors: Errors,
    ok: AtomicU64,
    bytes: AtomicU64,
    unmatched: AtomicU64,
    in_flight: AtomicU64,
    errors_by_message: Vec<AtomicU64>,
    first_mismatch: Mutex<Option<(usize, Vec<u8>)>>,
    /// The first socket error that ended a socket (ICMP port unreachable...).
    failure: Mutex<Option<NetError>>,
    /// Which second and stage a reply or a loss belongs to.
    clock: super::timeline::Clock,
}

/// Runs the load and returns what happened.
///
/// # Errors
/// No socket can be opened, or nothing listens there (ICMP port unreachable) and no
/// request was answered.
pub async fn run(
    cfg: UdpRequestLoad,
    progress: indicatif::ProgressBar,
    interrupt: impl Future<Output = i32>,
    printer: &crate::output::Printer,
    metrics: Option<&crate::metrics::Endpoint>,
) -> Result<Report> {
    let (first, addr) = net::first_ok(&cfg.addrs, |addr| async move {
        Ok((net::open_udp(addr, cfg.source).await?, addr))
    })
    .await?;
    let mut sockets = vec![first];
    for _ in 1..cfg.sockets {
        sockets.push(net::open_udp(addr, cfg.source).await?);
    }
    let start = Instant::now();
    let deadline = cfg.duration.map(|d| start + d);
    let shared = Arc::new(Shared {
        start,
        next: AtomicU64::new(0),
        stop: CancellationToken::new(),
        recorded: Mutex::new(Recorded::with_messages(cfg.messages.len())),
        errors: Errors::default(),
        ok: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        unmatched: AtomicU64::new(0),
        in_flight: AtomicU64::new(0),
        errors_by_message: cfg.messages.iter().map(|_| AtomicU64::new(0)).collect(),
        first_mismatch: Mutex::new(None),
        failure: Mutex::new(None),
        clock: super::timeline::Clock::new(start, Duration::ZERO, cfg.schedule.clone()),
        cfg,
    });
    if let Some(endpoint) = metrics {
        endpoint.attach(shared.clone());
    }
    let mut workers = tokio::task::JoinSet::new();
    for (number, socket) in sockets.into_iter().enumerate() {
        let shared = shared.clone();
        workers.spawn(async move { socket_loop(&shared, socket, number as u64).await });
    }
    let all_done = async { while workers.join_next().await.is_some() {} };
    tokio::pin!(all_done);
    tokio::pin!(interrupt);
    let until_deadline = crate::shutdown::deadline(deadline);
    tokio::pin!(until_deadline);
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut interrupted = None;
    let mut intervals = super::timeline::Intervals::every(shared.cfg.interval, start);
    loop {
        tokio::select! {
            () = intervals.print(
                printer,
                &shared.clock,
                &shared.ok,
                &shared.errors,
                &shared.recorded,
            ) => {}
            () = &mut all_done => break,
            () = &mut until_deadline, if !shared.stop.is_cancelled() => shared.stop.cancel(),
            number = &mut interrupt, if interrupted.is_none() => {
                interrupted = Some(number);
                shared.stop.cancel();
            }
            _ = tick.tick() => progress.set_message(format!(
                "{} requests, {} errors",
                shared.ok.load(Ordering::Relaxed),
                shared.errors.total()
            )),
        }
    }
    progress.finish_and_clear();
    let measured = start.elapsed();
    let ok = shared.ok.load(Ordering::Relaxed);
    if let Some(err) = lock(&shared.failure).take().filter(|_| ok == 0) {
        return Err(err.into());
    }
    Ok(report(&shared, addr, measured, interrupted))
}

impl crate::metrics::Source for Shared {
    fn expose(&self, out: &mut crate::metrics::Exposition) {
        super::LoadFigures::of(
            &self.ok,
            &self.errors,
            &self.bytes,
            &self.clock,
            &self.recorded,
        )
        .expose(out);
    }
}

/// What a run came to, from the figures its sockets left.
fn report(
    shared: &Shared,
    addr: SocketAddr,
    measured: Duration,
    interrupted: Option<i32>,
) -> Report {
    let cfg = &shared.cfg;
    let ok = shared.ok.load(Ordering::Relaxed);
    let mut recorded = std::mem::take(&mut *lock(&shared.recorded));
    // Each socket put its failures in their rows itself.
    shared.clock.finish(&mut recorded, measured);
    let by_message = if cfg.messages.len() > 1 {
        cfg.labels
            .iter()
            .cloned()
            .zip(
                shared
                    .errors_by_message
                    .iter()
                    .map(|e| e.load(Ordering::Relaxed)),
            )
            .collect()
    } else {
        Vec::new()
    };
    let show = |bytes: &[u8]| super::show(bytes);
    let first_mismatch = lock(&shared.first_mismatch).take().map(|(which, got)| {
        let expected = match cfg.check {
            ReplyCheck::Dns if matches!(cfg.expect, Expect::Any) => {
                "a DNS response with RCODE 0 (NOERROR)".to_owned()
            }
            _ => cfg.expect.describe(which, show),
        };
        format!(
            "first wrong reply to '{}': {}, expected {expected}",
            cfg.labels.get(which).map_or("", String::as_str),
            show(&got),
        )
    });
    let unmatched = shared.unmatched.load(Ordering::Relaxed);
    if unmatched > 0 {
        tracing::warn!(
            replies = unmatched,
            "replies matched no request in flight (late, duplicated, or another ID)"
        );
    }
    Report {
        connections: cfg.sockets,
        rate: shared.clock.mean_rate(measured),
        stages: cfg
            .schedule
            .as_ref()
            .map(|s| s.stages().to_vec())
            .unwrap_or_default(),
        measured,
        warmup: Duration::ZERO,
        ok,
        errors: shared.errors.snapshot(),
        bytes: shared.bytes.load(Ordering::Relaxed),
        recorded,
        udp: None,
        in_flight: shared.in_flight.load(Ordering::Relaxed),
        by_message,
        first_mismatch,
        error_replies: 0,
        greetings_pending: 0,
        interrupted,
        provenance: Default::default(),
        reconnect: false,
        client: None,
        stalled: (ok == 0).then(|| {
            format!(
                "no reply from {addr} met the expectation within {}: is it a UDP service of \
                 this protocol? (see --expect, or a longer --timeout)",
                humantime::format_duration(cfg.timeout)
            )
        }),
    }
}

/// A request sent and not yet answered.
struct Pending {
    /// Its index in the run: which message, and which send this was of an ID's.
    index: u64,
    which: usize,
    len: usize,
    sent: Instant,
    due: Instant,
}

/// One socket's requests in flight, by ID (or in order, one at a time), and when each
/// becomes lost: the timeout is the same for all, so sending order is expiry order.
struct Window {
    pending: HashMap<u32, Pending>,
    /// (expiry, id, index) in sending order.
    expiries: VecDeque<(Instant, u32, u64)>,
    next_id: u32,
}

impl Window {
    /// A free ID: the next in turn that is not in flight.
    fn free_id(&mut self, ids: u64) -> u32 {
        loop {
            let id = self.next_id;
            self.next_id = ((u64::from(id) + 1) % ids) as u32;
            if !self.pending.contains_key(&id) {
                return id;
            }
        }
    }
}

/// What one socket has seen and not yet added to the run's figures.
struct Tally {
    recorded: Recorded,
    ok: u64,
    bytes: u64,
    unmatched: u64,
    /// Failures by kind and message, not yet added to the run's (their rows are in
    /// `recorded` already).
    errors: Vec<(ErrorKind, usize)>,
    /// When it was last added to the run's: every [`MERGE_PAUSE`], so the live line moves.
    merged: Instant,
}

/// How often a socket adds its figures to the run's.
const MERGE_PAUSE: Duration = Duration::from_millis(100);

/// One socket, start to end: fill the window with what may go, then wait for a reply, a
/// loss, the next due request or the end.
async fn socket_loop(shared: &Shared, socket: UdpSocket, number: u64) {
    let cfg = &shared.cfg;
    let ids = cfg.id.map_or(1, IdField::ids);
    let mut window = Window {
        pending: HashMap::with_capacity(cfg.window),
        expiries: VecDeque::with_capacity(cfg.window),
        next_id: 0,
    };
    let mut tally = Tally {
        recorded: Recorded::with_messages(cfg.messages.len()),
        ok: 0,
        bytes: 0,
        unmatched: 0,
        errors: Vec::new(),
        merged: Instant::now(),
    };
    let mut rng = Rng::new(number ^ shared.start.elapsed().as_nanos() as u64);
    let mut scratch = Scratch::default();
    let mut datagram = Vec::new();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    // A request taken from the schedule and not yet due (open loop).
    let mut waiting: Option<u64> = None;
    let mut taking = true;
    // The run's end, watched through a token of this socket's own and one future made
    // once: waiting on the run's token anew for every datagram would take its lock, from
    // every socket.
    let stopped = shared.stop.child_token().cancelled_owned();
    tokio::pin!(stopped);
    let failure = 'run: loop {
        // Send what may go now.
        let now = Instant::now();
        while taking && window.pending.len() < cfg.window {
            let Some(index) = waiting.take().or_else(|| take(shared)) else {
                taking = false;
                break;
            };
            let due = due_time(shared, index, now);
            if due > now {
                waiting = Some(index);
                break;
            }
            let which = (index % cfg.messages.len() as u64) as usize;
            datagram.clear();
            datagram.extend_from_slice(cfg.messages[which].bytes(
                index,
                number,
                &mut rng,
                &mut scratch,
            ));
            let id = window.free_id(ids);
            // Planning checked every message has room for the ID; a template that
            // renders shorter goes without one, and its reply will match nothing.
            if let Some(field) = cfg.id.filter(|f| datagram.len() >= f.offset + f.len) {
                field.write(&mut datagram, id);
            }
            if let Err(err) = socket.send(&datagram).await {
                break 'run Some(err);
            }
            window.pending.insert(
                id,
                Pending {
                    index,
                    which,
                    len: datagram.len(),
                    sent: now,
                    due,
                },
            );
            window.expiries.push_back((now + cfg.timeout, id, index));
        }
        if window.pending.is_empty() && waiting.is_none() {
            break None;
        }
        // Wake for the first loss, or the next request falling due with room for it.
        let lost_at = window.expiries.front().map(|(at, ..)| *at);
        let due_at = waiting
            .filter(|_| window.pending.len() < cfg.window)
            .map(|index| due_time(shared, index, now));
        let wake = match (lost_at, due_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            got = socket.recv(&mut buf) => match got {
                Ok(got) => received(shared, &mut window, &mut tally, &buf[..got]),
                Err(err) => break Some(err),
            },
            () = crate::shutdown::deadline(wake) => {
                expire(shared, &mut window, &mut tally, Instant::now());
            }
            () = &mut stopped => break None,
        }
        // Losses alone (a server gone) must reach the run's figures too.
        if Instant::now().saturating_duration_since(tally.merged) >= MERGE_PAUSE {
            merge(shared, &mut tally);
        }
    };
    if let Some(err) = failure {
        let addr = socket.peer_addr().unwrap_or_else(|_| cfg.addrs[0]);
        let err = net::refused_or(addr, err, |addr, err| NetError::Send { addr, err });
        lock(&shared.failure).get_or_insert(err);
    }
    shared
        .in_flight
        .fetch_add(window.pending.len() as u64, Ordering::Relaxed);
    merge(shared, &mut tally);
}

/// Takes the next request of the run, or `None` when the run is over.
fn take(shared: &Shared) -> Option<u64> {
    if shared.stop.is_cancelled() {
        return None;
    }
    let index = shared.next.fetch_add(1, Ordering::Relaxed);
    shared
        .cfg
        .count
        .is_none_or(|count| index < count)
        .then_some(index)
}

/// When request `index` is due: on schedule in open loop, now in closed loop.
fn due_time(shared: &Shared, index: u64, now: Instant) -> Instant {
    match &shared.cfg.schedule {
        // Past the schedule's end: never due (the run ends first).
        Some(schedule) => schedule
            .due(index)
            .map_or(shared.start + Duration::from_secs(365 * 86_400), |due| {
                shared.start + due
            }),
        None => now,
    }
}

/// A reply: find its request (by ID, or the one in flight), check it, record it.
fn received(shared: &Shared, window: &mut Window, tally: &mut Tally, reply: &[u8]) {
    let cfg = &shared.cfg;
    let id = match cfg.id {
        Some(field) => field.read(reply),
        None => window.pending.keys().next().copied(),
    };
    let Some(request) = id.and_then(|id| window.pending.remove(&id)) else {
        tally.unmatched += 1;
        return;
    };
    let done = Instant::now();
    if !(cfg.expect.accepts(Framing::Raw, request.which, reply) && cfg.check.accepts(reply)) {
        lock(&shared.first_mismatch).get_or_insert_with(|| (request.which, reply.to_vec()));
        failed(shared, tally, ErrorKind::WrongReply, &request, done);
        return;
    }
    let corrected = micros(done.saturating_duration_since(request.due));
    tally.recorded.latency.saturating_record(corrected);
    tally.recorded.timed(
        shared.clock.second(done),
        shared.clock.stage(request.due),
        corrected,
    );
    tally
        .recorded
        .uncorrected
        .saturating_record(micros(done.saturating_duration_since(request.sent)));
    if let Some(histogram) = tally.recorded.by_message.get_mut(request.which) {
        histogram.saturating_record(corrected);
    }
    tally.ok += 1;
    tally.bytes += (request.len + reply.len()) as u64;
    if done.saturating_duration_since(tally.merged) >= MERGE_PAUSE {
        merge(shared, tally);
    }
}

/// Requests whose reply is now late: lost. An expiry whose ID was answered, or reused
/// since, is passed over.
fn expire(shared: &Shared, window: &mut Window, tally: &mut Tally, now: Instant) {
    while let Some(&(at, id, index)) = window.expiries.front() {
        if at > now {
            break;
        }
        window.expiries.pop_front();
        if window.pending.get(&id).is_some_and(|p| p.index == index)
            && let Some(request) = window.pending.remove(&id)
        {
            failed(shared, tally, ErrorKind::Lost, &request, now);
        }
    }
}

/// A request failed at `at`: counted by kind and message, in the second it failed and in
/// the stage it was due in.
fn failed(shared: &Shared, tally: &mut Tally, kind: ErrorKind, request: &Pending, at: Instant) {
    use crate::report::timeline::Row;
    tally.errors.push((kind, request.which));
    let second = shared.clock.second(at);
    tally.recorded.seconds.at(second, Row::second).errors[kind as usize] += 1;
    if let Some(stage) = shared.clock.stage(request.due) {
        tally.recorded.stages.at(stage, Row::stage).errors[kind as usize] += 1;
    }
}

/// A socket's figures, added to the run's.
fn merge(shared: &Shared, tally: &mut Tally) {
    shared.ok.fetch_add(tally.ok, Ordering::Relaxed);
    shared.bytes.fetch_add(tally.bytes, Ordering::Relaxed);
    shared
        .unmatched
        .fetch_add(tally.unmatched, Ordering::Relaxed);
    for (kind, which) in tally.errors.drain(..) {
        shared.errors.add(kind);
        if shared.cfg.messages.len() > 1 {
            shared.errors_by_message[which].fetch_add(1, Ordering::Relaxed);
        }
    }
    lock(&shared.recorded).absorb(&mut tally.recorded);
    (tally.ok, tally.bytes, tally.unmatched) = (0, 0, 0);
    tally.merged = Instant::now();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_field_is_written_and_read_big_endian() {
        let field = IdField { offset: 1, len: 2 };
        let mut datagram = vec![0u8; 4];
        field.write(&mut datagram, 0xbeef);
        assert_eq!(datagram, [0, 0xbe, 0xef, 0]);
        assert_eq!(field.read(&datagram), Some(0xbeef));
        assert_eq!(field.read(&[0, 1]), None);
        assert_eq!(field.ids(), 65_536);
    }

    #[test]
    fn a_free_id_is_never_one_in_flight() {
        let mut window = Window {
            pending: HashMap::new(),
            expiries: VecDeque::new(),
            next_id: 0,
        };
        let request = |index| Pending {
            index,
            which: 0,
            len: 0,
            sent: Instant::now(),
            due: Instant::now(),
        };
        window.pending.insert(0, request(0));
        window.pending.insert(1, request(1));
        assert_eq!(window.free_id(4), 2);
        assert_eq!(window.free_id(4), 3);
        // Wraps, passing over 0 and 1, still in flight.
        window.pending.insert(2, request(2));
        window.pending.insert(3, request(3));
        window.pending.remove(&1);
        assert_eq!(window.free_id(4), 1);
    }

    #[test]
    fn dns_replies_must_be_answers_without_an_error_code() {
        let mut reply = vec![0u8; 12];
        assert!(!ReplyCheck::Dns.accepts(&reply), "a query, not a response");
        reply[2] = 0x81;
        reply[3] = 0x80;
        assert!(ReplyCheck::Dns.accepts(&reply));
        reply[3] = 0x83; // NXDOMAIN
        assert!(!ReplyCheck::Dns.accepts(&reply));
        assert!(!ReplyCheck::Dns.accepts(&reply[..5]));
    }
}
