//! Stream load (TCP, or a Unix socket): N connections run the request/reply protocol for a
//! set time or count.
//!
//! Closed loop (default): each connection sends its next request when the previous reply
//! arrived, so the server's speed sets the pace. Open loop (`--rate R`): request i is due
//! at start + i/R whatever the replies do; a ticker computes how many are due every
//! millisecond and the first free connection takes the next one. A request that waits for
//! a free connection is late, and its latency counts from when it was due: measuring from
//! the actual send instead would hide exactly the stalls a load test is for
//! ("coordinated omission"). Both figures are reported.
//!
//! Connections are dealt to `--threads` threads, each with a current-thread runtime: a
//! connection never moves, and a thread's connections record into one [`Tally`] of
//! their own, merged into the run's ten times a second. Nothing shared is written per
//! request: the shared counters and the histogram lock are met at merges, and the run's
//! end is watched through each thread's own token.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::event::Peer;
use crate::net::dial::{Dialed, Endpoint, dial};
use crate::tls::{ClientTls, Stream};
use bytes::{Bytes, BytesMut};
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{lock, micros};
use crate::expect::{self, Expect};
use crate::framing::{FrameError, FrameSpec, FramedStream, Framing};
use crate::net::NetError;
use crate::net::handshake;
use crate::report::Recorded;
use crate::report::{ErrorKind, Errors, Report};
use crate::request::{Request, Scratch};
use crate::shape::Schedule;
use crate::template::Rng;

/// Everything a stream load run needs, resolved and encoded.
#[derive(Debug, Clone)]
pub struct TcpLoad {
    pub endpoint: Endpoint,
    pub connections: usize,
    /// Measure for this long (after the warm-up).
    pub duration: Option<Duration>,
    /// Stop after this many requests (warm-up included).
    pub requests: Option<u64>,
    /// Open loop: when each request is due (a fixed rate, a ramp, stages).
    pub schedule: Option<Schedule>,
    pub warmup: Duration,
    /// What each connection must read first (the seed greeting), if anything.
    pub greeting: Option<Vec<u8>>,
    /// The requests, sent in turn on each connection.
    pub messages: Vec<Request>,
    /// What each reply must be.
    pub expect: Expect,
    /// The expectation is the user's (`--expect`, `--expect-regex` in request mode), not
    /// the seed or echo protocol's: a failure is about the reply, not the mode.
    pub expect_given: bool,
    pub frames: FrameSpec,
    /// Bounds connecting and each reply.
    pub timeout: Duration,
    /// Requests in flight per connection (`--pipeline`).
    pub pipeline: usize,
    /// The messages as given, to name them in the report when several rotate.
    pub labels: Vec<String>,
    /// `--tls`: each connection's handshake comes first, and is timed on its own.
    pub tls: Option<Arc<ClientTls>>,
    /// `--framing ws`: each connection is upgraded to WebSocket after TLS.
    pub upgrade: Option<crate::framing::websocket::Upgrade>,
    /// When it starts, and what its report says it is of.
    pub placement: super::Placement,
    /// Each request on a new connection (`--reconnect`): connect, greeting, request,
    /// reply, close.
    pub reconnect: bool,
    /// `--hist-log`: where the interval log goes.
    pub hist_log: Option<std::path::PathBuf>,
    /// `--html`: the report as a page, too.
    pub html: Option<std::path::PathBuf>,
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
    /// Threads the connections are dealt to (`--threads`), each with a runtime of its own.
    pub threads: usize,
    /// `--interval`: a line (or JSON event) this often, with what completed since the last.
    pub interval: Option<Duration>,
}

/// What a run saw besides its counts, to say why nothing completed when nothing did.
#[derive(Default)]
struct Progress {
    connected: AtomicU64,
    greeted: AtomicU64,
    sent: AtomicU64,
    /// Waits cut short by the end of the run: greetings, and requests in flight.
    greeting_pending: AtomicU64,
    in_flight: AtomicU64,
    last_connect_error: Mutex<Option<String>>,
    /// How the last failed greeting failed.
    greeting_failure: Mutex<Option<ErrorKind>>,
    /// The first greeting that was not the tutorial's.
    wrong_greeting: Mutex<Option<Vec<u8>>>,
    /// The first reply that failed its expectation, whole, and which message it answered.
    first_mismatch: Mutex<Option<(usize, Vec<u8>)>>,
    /// The first failure to read a reply, in words.
    first_failure: Mutex<Option<String>>,
    /// Replies that said the request failed (RESP errors, HTTP 4xx/5xx) but counted,
    /// since nothing was expected.
    error_replies: AtomicU64,
}

/// The payload when no message is given: `size` letters, so it reads well in a dump.
pub fn payload(size: usize) -> Vec<u8> {
    (b'a'..=b'z').cycle().take(size).collect()
}

/// State shared by the workers of one run.
struct Shared {
    cfg: TcpLoad,
    start: Instant,
    /// Requests sent before this are warm-up: sent, checked, not recorded.
    measure_from: Instant,
    /// The next request index to claim: request i is due at start + i/rate.
    next: AtomicU64,
    /// `-n`'s budget: attempts reserved so far, requests and connects alike.
    attempts: AtomicU64,
    /// Open loop: requests with an index below this are due.
    released: AtomicU64,
    due: Notify,
    stop: CancellationToken,
    recorded: Mutex<Recorded>,
    errors: Errors,
    /// Failures by message, when several rotate.
    errors_by_message: Vec<AtomicU64>,
    ok: AtomicU64,
    bytes: AtomicU64,
    progress: Progress,
    /// Which second and stage a reply belongs to.
    clock: super::timeline::Clock,
}

/// Runs the load and returns what happened.
///
/// # Errors
/// A load thread or its runtime cannot be started.
pub async fn run(
    cfg: TcpLoad,
    progress: indicatif::ProgressBar,
    interrupt: impl Future<Output = i32>,
    mut hist_log: Option<super::histlog::HistLog>,
    printer: &crate::output::Printer,
    metrics: Option<&crate::metrics::Endpoint>,
) -> std::io::Result<Report> {
    let start = Instant::now();
    let shared = Arc::new(Shared {
        start,
        measure_from: start + cfg.warmup,
        next: AtomicU64::new(0),
        attempts: AtomicU64::new(0),
        released: AtomicU64::new(0),
        due: Notify::new(),
        stop: CancellationToken::new(),
        recorded: Mutex::new(Recorded::with_messages(cfg.messages.len())),
        errors: Errors::default(),
        errors_by_message: if cfg.messages.len() > 1 {
            cfg.messages.iter().map(|_| AtomicU64::new(0)).collect()
        } else {
            Vec::new()
        },
        ok: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        progress: Progress::default(),
        clock: super::timeline::Clock::new(start, cfg.warmup, cfg.schedule.clone()),
        cfg,
    });
    if let Some(endpoint) = metrics {
        endpoint.attach(shared.clone());
    }
    let deadline = shared
        .cfg
        .duration
        .map(|duration| start + shared.cfg.warmup + duration);
    // Each thread holds a sender; when the last is dropped, every connection has ended.
    let (done, mut all_ended) = tokio::sync::mpsc::channel::<()>(1);
    let threads = match start_threads(&shared, &done) {
        Ok(threads) => threads,
        Err(err) => {
            shared.stop.cancel();
            return Err(err);
        }
    };
    drop(done);
    if shared.cfg.schedule.is_some() {
        spawn_ticker(shared.clone());
    }
    let mut error_rows = super::timeline::ErrorRows::default();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let all_done = async {
        while all_ended.recv().await.is_some() {}
        // Every connection has finished (-n reached): the ticker, if any, stops too.
        shared.stop.cancel();
    };
    tokio::pin!(all_done);
    let until_deadline = crate::shutdown::deadline(deadline);
    tokio::pin!(until_deadline);
    tokio::pin!(interrupt);
    let mut interrupted = None;
    let mut logged_to = Duration::ZERO;
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
            () = tokio::time::sleep_until(error_rows.next(&shared.clock)) => {
                let recorded = &mut lock(&shared.recorded);
                error_rows.pass(&shared.clock, shared.errors.snapshot(), recorded);
            }
            () = &mut all_done => break,
            () = &mut until_deadline, if !shared.stop.is_cancelled() => shared.stop.cancel(),
            // Ctrl-C or SIGTERM (`timeout` sends it): stop, and report what was measured.
            number = &mut interrupt, if interrupted.is_none() => {
                interrupted = Some(number);
                shared.stop.cancel();
            }
            _ = tick.tick() => {
                progress.set_message(live_line(&shared));
                if let Some(log) = &mut hist_log {
                    let now = shared.start.elapsed();
                    if now >= logged_to + Duration::from_secs(1) {
                        log.interval(&lock(&shared.recorded).latency, logged_to, now - logged_to);
                        logged_to = now;
                    }
                }
            }
        }
    }
    progress.finish_and_clear();
    let end = Instant::now();
    for thread in threads {
        // Each has dropped its sender on its way out: the join is immediate.
        let _ = thread.join();
    }
    let measured = end.saturating_duration_since(shared.measure_from);
    let mut recorded = std::mem::take(&mut *lock(&shared.recorded));
    error_rows.finish(&shared.clock, shared.errors.snapshot(), &mut recorded);
    shared.clock.finish(&mut recorded, measured);
    if let Some(log) = &mut hist_log {
        let now = shared.start.elapsed();
        log.interval(&recorded.latency, logged_to, now.saturating_sub(logged_to));
    }
    let in_flight = shared.progress.in_flight.load(Ordering::Relaxed);
    if in_flight > 0 {
        tracing::info!(
            requests = in_flight,
            "requests in flight when the run ended"
        );
    }
    Ok(Report {
        connections: shared.cfg.connections,
        rate: shared.clock.mean_rate(measured),
        stages: shared
            .cfg
            .schedule
            .as_ref()
            .map(|s| s.stages().to_vec())
            .unwrap_or_default(),
        measured,
        warmup: shared.cfg.warmup,
        ok: shared.ok.load(Ordering::Relaxed),
        errors: shared.errors.snapshot(),
        bytes: shared.bytes.load(Ordering::Relaxed),
        recorded,
        udp: None,
        in_flight,
        by_message: shared
            .cfg
            .labels
            .iter()
            .zip(&shared.errors_by_message)
            .map(|(label, errors)| (label.clone(), errors.load(Ordering::Relaxed)))
            .collect(),
        greetings_pending: shared.progress.greeting_pending.load(Ordering::Relaxed),
        first_mismatch: first_mismatch(&shared),
        error_replies: shared.progress.error_replies.load(Ordering::Relaxed),
        stalled: stalled(&shared),
        interrupted,
        provenance: Default::default(),
        reconnect: shared.cfg.reconnect,
        client: None,
    })
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

/// Starts the load threads, each with a current-thread runtime and its share of the
/// connections (dealt in turn). A connection then lives on one thread: no work stealing
/// moves it, and what its thread's connections record is shared by them without atomics.
fn start_threads(
    shared: &Arc<Shared>,
    done: &tokio::sync::mpsc::Sender<()>,
) -> std::io::Result<Vec<std::thread::JoinHandle<()>>> {
    let connections = shared.cfg.connections;
    let count = shared.cfg.threads.clamp(1, connections.max(1));
    let mut threads = Vec::with_capacity(count);
    for number in 0..count {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shared, done) = (shared.clone(), done.clone());
        let conns: Vec<u64> = (number..connections)
            .step_by(count)
            .map(|c| c as u64)
            .collect();
        let thread = std::thread::Builder::new()
            .name(format!("netdemo-load-{number}"))
            .spawn(move || {
                runtime.block_on(load_thread(&shared, conns));
                drop(runtime);
                drop(done);
            })?;
        threads.push(thread);
    }
    Ok(threads)
}

/// One load thread: its connections, run together on its runtime.
async fn load_thread(shared: &Shared, conns: Vec<u64>) {
    let thread = LoadThread {
        // A token of the thread's own: waiting on the run's would take the run's lock on
        // every request, from every thread.
        stop: shared.stop.child_token(),
        tally: RefCell::new(Tally::new(shared.cfg.messages.len())),
    };
    // Unordered: a wake-up polls the connection it is for, not every connection (as
    // join_all does below 31 of them).
    let mut workers: FuturesUnordered<_> = conns
        .into_iter()
        .map(|conn_no| worker(shared, &thread, conn_no))
        .collect();
    while workers.next().await.is_some() {}
    thread.tally.borrow_mut().merge(shared);
}

/// What one load thread's connections share.
struct LoadThread {
    stop: CancellationToken,
    tally: RefCell<Tally>,
}

/// The first wrong reply beside what was expected, once for the run: text on one line, or
/// a hex dump when it is binary.
fn first_mismatch(shared: &Shared) -> Option<String> {
    let (which, reply) = lock(&shared.progress.first_mismatch).clone()?;
    let cfg = &shared.cfg;
    let got = cfg.expect.got(cfg.frames.framing, &reply);
    let quoted = |bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(char::is_control) => Some(format!("'{text}'")),
        _ => None,
    };
    let expected = cfg
        .expect
        .describe(which, |b| quoted(b).unwrap_or_else(|| super::show(b)));
    let to = match cfg.labels.get(which) {
        Some(label) => format!(" to '{label}'"),
        None => String::new(),
    };
    let peer = cfg.endpoint.first_peer();
    Some(match quoted(&got) {
        Some(text) => format!("first wrong reply{to}: {text}, expected {expected}"),
        None => {
            // A large binary reply would flood stderr: its start says enough.
            const SHOWN: usize = 256;
            let start = &got[..got.len().min(SHOWN)];
            let more = if got.len() > SHOWN {
                format!("\n... ({} bytes in all)", got.len())
            } else {
                String::new()
            };
            format!(
                "first wrong reply{to}, expected {expected}, was:\n{}{more}",
                crate::hexdump::format(crate::event::Direction::Received, peer, Some(0), start)
                    .trim_end()
            )
        }
    })
}

/// Why no request completed, in one line that says what to try; `None` when some did.
fn stalled(shared: &Shared) -> Option<String> {
    if shared.ok.load(Ordering::Relaxed) > 0 {
        return None;
    }
    let cfg = &shared.cfg;
    let progress = &shared.progress;
    let target = cfg.endpoint.first_peer();
    let timeout = humantime::format_duration(cfg.timeout);
    let connections = cfg.connections;
    if progress.connected.load(Ordering::Relaxed) == 0 {
        let error = lock(&progress.last_connect_error).take();
        return Some(match error {
            Some(error) => format!("no connection succeeded: {error}"),
            None => format!("no connection to {target} completed before the run ended"),
        });
    }
    if cfg.greeting.is_some() && progress.greeted.load(Ordering::Relaxed) == 0 {
        let wrong = lock(&progress.wrong_greeting).take();
        let failure = *lock(&progress.greeting_failure);
        let framing = cfg.frames.framing.name();
        return Some(match (wrong, failure) {
            (Some(got), _) => format!(
                "{target} greeted with {} instead of the tutorial's greeting: is it a \
                 seed-protocol server? for other services see --mode",
                super::show(&got)
            ),
            (None, Some(ErrorKind::WrongReply)) => format!(
                "the greeting from {target} does not read as --framing {framing}: is it a \
                 seed-protocol server with the same --framing? (see --mode and --framing)"
            ),
            (None, Some(ErrorKind::Reset)) => format!(
                "{target} closed every connection before greeting: is it a seed-protocol \
                 server? for other services see --mode"
            ),
            (None, Some(ErrorKind::Timeout)) => format!(
                "{connections} connection(s), no greeting within {timeout}: is {target} a \
                 seed-protocol server (with --framing {framing})? for other services see --mode"
            ),
            _ => format!(
                "{connections} connection(s), no greeting within the run: is {target} a \
                 seed-protocol server? for other services see --mode (or try a longer -d)"
            ),
        });
    }
    if progress.sent.load(Ordering::Relaxed) == 0 {
        return Some(format!(
            "{connections} connection(s) to {target}, but no request was sent before the run \
             ended (try a longer -d)"
        ));
    }
    let errors = shared.errors.total();
    if errors == 0 && !cfg.warmup.is_zero() {
        return Some(
            "every request fell in the --warmup (-n counts warm-up requests too): raise -n or \
             shorten --warmup"
                .to_owned(),
        );
    }
    if let Some((which, reply)) = lock(&progress.first_mismatch).clone() {
        let show = |bytes: &[u8]| super::show(bytes);
        if cfg.expect_given {
            // The user's own --expect failed: the mode is not in doubt, the reply is the clue.
            let to = match cfg.labels.get(which) {
                Some(label) => format!(" to '{}'", crate::encoding::shown_text(label)),
                None => String::new(),
            };
            return Some(format!(
                "no reply from {target} met {}: the first reply{to} was '{}'",
                expectation(&cfg.expect, which),
                shown_reply(&expect::shown(cfg.frames.framing, &reply)),
            ));
        }
        let got = cfg.expect.got(cfg.frames.framing, &reply);
        return Some(format!(
            "no reply from {target} was the one expected (first: {}, expected {}); is it a \
             server of the chosen --mode?",
            show(&got),
            cfg.expect.describe(which, show)
        ));
    }
    // Some connections were greeted and others not: the wrong greeting is the clue.
    if let Some(got) = lock(&progress.wrong_greeting).take() {
        return Some(format!(
            "no reply from {target} was the one expected (first: {}); is it a server of the \
             chosen --mode?",
            super::show(&got)
        ));
    }
    if let Some(why) = lock(&progress.first_failure).take() {
        return Some(format!(
            "no request to {target} succeeded: {why} (is it a server of the chosen --mode and \
             --framing?)"
        ));
    }
    Some(format!(
        "no reply from {target} to any request within {timeout}: is it a server of the \
         chosen --mode? (see --mode, or a longer --timeout)"
    ))
}

/// The flag whose expectation a reply failed, with its value: `--expect '200'`.
fn expectation(expect: &Expect, which: usize) -> String {
    match expect {
        Expect::Regex(regex) => {
            format!("--expect-regex /{}/", regex.as_str())
        }
        _ => format!("--expect {}", expect.describe(which, super::show)),
    }
}

/// A reply for an error line: its first [`SHOWN_REPLY`] characters, control characters
/// escaped, so a long or hostile reply cannot flood or rewrite the terminal.
fn shown_reply(reply: &[u8]) -> String {
    const SHOWN_REPLY: usize = 200;
    let text = String::from_utf8_lossy(reply);
    let mut cut: String = text.chars().take(SHOWN_REPLY).collect();
    cut = crate::encoding::shown_text(&cut);
    if text.chars().nth(SHOWN_REPLY).is_some() {
        cut.push_str(&format!("... ({} bytes in all)", reply.len()));
    }
    cut
}

/// The progress line: requests so far, rate, errors and p99.
fn live_line(shared: &Shared) -> String {
    let elapsed = shared.start.elapsed().as_secs_f64().max(1e-9);
    let ok = shared.ok.load(Ordering::Relaxed);
    let p99 = lock(&shared.recorded).latency.value_at_quantile(0.99);
    format!(
        "{ok} requests  {:.0}/s  {} errors  p99 {}",
        ok as f64 / elapsed,
        shared.errors.total(),
        crate::report::stats::micros(p99 as f64)
    )
}

/// How often the open-loop ticker releases due requests. tokio's timers have millisecond
/// resolution: a 1 ms interval task put ~0.7 ms between a request's due time and its send
/// at 2000 requests/s on 16 connections (corrected mean 822 µs against 145 µs
/// uncorrected, against a server answering in about 100 µs). A plain thread sleeping
/// 100 µs brought the corrected mean to 272 µs against 118 µs uncorrected.
const TICK: Duration = Duration::from_micros(100);

/// Open loop: a thread that, every [`TICK`], releases the requests that have become due.
/// A thread rather than a task, for the finer sleep; it ends when the run stops.
fn spawn_ticker(shared: Arc<Shared>) {
    let started = std::thread::Builder::new()
        .name("load-ticker".into())
        .spawn(move || {
            let Some(schedule) = &shared.cfg.schedule else {
                return;
            };
            while !shared.stop.is_cancelled() {
                // Every request due by now is released.
                let due = schedule.due_by(shared.start.elapsed());
                if due > shared.released.load(Ordering::Relaxed) {
                    shared.released.store(due, Ordering::Release);
                    shared.due.notify_waiters();
                }
                std::thread::sleep(TICK);
            }
            shared.due.notify_waiters();
        });
    if let Err(err) = started {
        tracing::error!(error = %err, "cannot start the open-loop ticker");
        // Without a ticker nothing is ever due; stop rather than hang.
    }
}

/// Reserves one attempt of `-n`, for a request or for a connect (and greeting) that may
/// fail: failures use the budget up too, so a run against a dead server still ends, and
/// never makes more than `-n` attempts. False when none is left.
fn reserve(shared: &Shared) -> bool {
    let Some(limit) = shared.cfg.requests else {
        return true;
    };
    shared
        .attempts
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < limit).then_some(n + 1)
        })
        .is_ok()
}

/// Gives back a connect's reservation: it succeeded, so the requests it carries count.
fn release(shared: &Shared) {
    if shared.cfg.requests.is_some() {
        shared.attempts.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Takes the next request of the run: its index in the schedule, or `None` when the run
/// is over (stopped, or `-n` used up).
fn take(shared: &Shared) -> Option<u64> {
    if shared.stop.is_cancelled() || !reserve(shared) {
        return None;
    }
    Some(shared.next.fetch_add(1, Ordering::Relaxed))
}

/// Whether request `index` may go now: always in closed loop; in open loop once the
/// ticker has released it.
fn is_due(shared: &Shared, index: u64) -> bool {
    shared.cfg.schedule.is_none() || shared.released.load(Ordering::Acquire) > index
}

/// Waits until request `index` is due. Cancel-safe: nothing changes until it returns.
async fn until_due(shared: &Shared, index: u64) {
    loop {
        // Register before checking, so a release between the check and the wait wakes us.
        let notified = shared.due.notified();
        if is_due(shared, index) || shared.stop.is_cancelled() {
            return;
        }
        notified.await;
    }
}

/// When request `index` was due: on schedule in open loop, now in closed loop.
fn due_time(shared: &Shared, index: u64) -> Instant {
    match shared.cfg.schedule.as_ref().and_then(|s| s.due(index)) {
        Some(due) => shared.start + due,
        None => Instant::now(),
    }
}

/// What a connection's request loop asks of the worker.
enum Flow {
    /// The connection failed or the server closes it: connect again.
    Reconnect,
    /// The run is over.
    Stop,
}

/// A connection's number, random letters and buffers, for `{conn}`, `{rand:N}` and
/// filling templates without an allocation per request.
struct Fill {
    conn_no: u64,
    rng: Rng,
    scratch: Scratch,
}

/// A request sent and not yet answered.
struct Pending {
    which: usize,
    /// The request's size, for the bytes moved.
    len: usize,
    sent: Instant,
    due: Instant,
}

/// Requests on one connection, up to `--pipeline` in flight: every request that may go
/// now is written in one write, and replies are matched to them first in, first out.
/// After a failure the connection's state is unknown: every request still in flight
/// counts as failed, and the worker reconnects.
async fn requests(
    shared: &Shared,
    thread: &LoadThread,
    watch: &mut Watch,
    conn: &mut FramedStream<Stream>,
    fill: &mut Fill,
) -> Flow {
    let cfg = &shared.cfg;
    let progress = &shared.progress;
    let framing = cfg.frames.framing;
    let mut window: VecDeque<Pending> = VecDeque::with_capacity(cfg.pipeline);
    // The messages rotate on each connection, from the first.
    let mut turn = 0;
    // A request taken from the schedule but not yet due (open loop).
    let mut waiting: Option<u64> = None;
    let mut taking = true;
    // The connection slept until a request fell due, with room for it: how late that
    // request then goes is the generator's own delay, not the server's.
    let mut woke = false;
    // A failure counts every request in flight on the connection (and `also`, one not
    // yet in the window), each against its message.
    let fail = |kind: ErrorKind, window: &VecDeque<Pending>, also: Option<usize>| {
        for which in window.iter().map(|p| p.which).chain(also) {
            shared.errors.add(kind);
            if let Some(count) = shared.errors_by_message.get(which) {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
    };
    loop {
        // Replies already read (a server answers a pipeline in one write) are taken before
        // the window is refilled, so the refill goes out in one write too.
        let buffered = match window.front() {
            Some(front) => {
                read_reply(shared, watch, conn, cfg.expect.exact(front.which)).now_or_never()
            }
            None => None,
        };
        let reply = if let Some(reply) = buffered {
            reply
        } else {
            // Fill the window with every request that may go now, then write them at once.
            // They leave together: one clock reading serves them all.
            let mut queued = 0;
            let now = Instant::now();
            while taking && window.len() < cfg.pipeline {
                let index = match waiting.take().or_else(|| take(shared)) {
                    Some(index) => index,
                    None => {
                        taking = false;
                        break;
                    }
                };
                if !is_due(shared, index) {
                    waiting = Some(index);
                    break;
                }
                let which = turn % cfg.messages.len();
                turn += 1;
                let Fill {
                    conn_no,
                    rng,
                    scratch,
                } = fill;
                let request = cfg.messages[which].bytes(index, *conn_no, rng, scratch);
                let len = request.len();
                if let Err(err) = conn.queue_frame(request) {
                    fail(ErrorKind::of_frame(&err), &window, Some(which));
                    return Flow::Reconnect;
                }
                let due = due_time(shared, index);
                if woke && queued == 0 && now >= shared.measure_from {
                    let lag = micros(now.saturating_duration_since(due));
                    thread
                        .tally
                        .borrow_mut()
                        .recorded
                        .lag
                        .saturating_record(lag);
                }
                window.push_back(Pending {
                    which,
                    len,
                    sent: now,
                    due,
                });
                queued += 1;
            }
            woke = false;
            if queued > 0 {
                // A server that stops reading would block the write: the deadline still wins.
                let written = tokio::select! {
                    written = conn.flush() => written,
                    () = &mut watch.stop => {
                        progress.in_flight.fetch_add(window.len() as u64, Ordering::Relaxed);
                        return Flow::Stop;
                    }
                };
                if let Err(err) = written {
                    fail(ErrorKind::of_frame(&err), &window, None);
                    return Flow::Reconnect;
                }
                thread.tally.borrow_mut().sent += queued;
            }
            let Some(front) = window.front() else {
                match waiting {
                    // Open loop, nothing in flight: sleep until the next request is due.
                    Some(index) => {
                        until_due(shared, index).await;
                        if shared.stop.is_cancelled() {
                            return Flow::Stop;
                        }
                        woke = true;
                        continue;
                    }
                    None => return Flow::Stop,
                }
            };
            let exact = cfg.expect.exact(front.which);
            // The next reply, or (open loop, room in the window) the next request falling due.
            let room = waiting.filter(|_| window.len() < cfg.pipeline);
            tokio::select! {
                reply = read_reply(shared, watch, conn, exact) => reply,
                () = until_due(shared, room.unwrap_or(0)), if room.is_some() => {
                    woke = true;
                    continue;
                }
            }
        };
        let reply = match reply {
            Some(Ok(reply)) => reply,
            Some(Err(kind)) => {
                fail(kind, &window, None);
                return Flow::Reconnect;
            }
            None => {
                progress
                    .in_flight
                    .fetch_add(window.len() as u64, Ordering::Relaxed);
                return Flow::Stop;
            }
        };
        let done = Instant::now();
        let Some(Pending {
            which,
            len,
            sent,
            due,
        }) = window.pop_front()
        else {
            return Flow::Reconnect;
        };
        if !cfg.expect.accepts(framing, which, &reply) {
            lock(&progress.first_mismatch).get_or_insert_with(|| (which, reply.to_vec()));
            // A whole frame was read, so the connection is still in step: the wrong reply
            // is one error and the others in flight go on. In raw framing a reply's end is
            // a guess, so the connection is replaced.
            if framing != Framing::Raw {
                fail(ErrorKind::WrongReply, &VecDeque::new(), Some(which));
                if conn.peer_closes() {
                    if !window.is_empty() {
                        fail(ErrorKind::Reset, &window, None);
                    }
                    return Flow::Reconnect;
                }
                continue;
            }
            fail(ErrorKind::WrongReply, &window, Some(which));
            return Flow::Reconnect;
        }
        if matches!(cfg.expect, Expect::Any) && expect::is_error_reply(framing, &reply) {
            progress.error_replies.fetch_add(1, Ordering::Relaxed);
        }
        if sent >= shared.measure_from {
            let corrected = micros(done.saturating_duration_since(due.max(shared.start)));
            let mut tally = thread.tally.borrow_mut();
            let recorded = &mut tally.recorded;
            recorded.latency.saturating_record(corrected);
            recorded.timed(
                shared.clock.second(done),
                shared.clock.stage(due),
                corrected,
            );
            recorded.uncorrected.saturating_record(micros(done - sent));
            if let Some(histogram) = recorded.by_message.get_mut(which) {
                histogram.saturating_record(corrected);
            }
            tally.ok += 1;
            tally.bytes += (len + reply.len()) as u64;
            if tally.due(done) {
                tally.merge(shared);
            }
        }
        // --reconnect: one request per connection; the next one connects anew.
        if cfg.reconnect {
            return Flow::Reconnect;
        }
        // An HTTP server that closes after its response: a new connection, no error.
        if conn.peer_closes() {
            if !window.is_empty() {
                fail(ErrorKind::Reset, &window, None);
            }
            return Flow::Reconnect;
        }
    }
}

/// One connection's life: connect, greet, request after request; on a failure, count it
/// and reconnect, until the run stops.
async fn worker(shared: &Shared, thread: &LoadThread, conn_no: u64) {
    // What a connection needs to fill templates, kept across reconnects.
    let mut fill = Fill {
        conn_no,
        rng: Rng::new(conn_no ^ shared.start.elapsed().as_nanos() as u64),
        scratch: Scratch::default(),
    };
    let mut watch = Watch::new(&thread.stop, shared.cfg.timeout);
    while !shared.stop.is_cancelled() {
        if !reserve(shared) {
            break;
        }
        let conn = tokio::select! {
            conn = connect(shared, thread) => conn,
            () = thread.stop.cancelled() => break,
        };
        let Some(mut conn) = conn else {
            // Refused or timed out: pause briefly so a dead server is not hammered.
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(10)) => {}
                () = thread.stop.cancelled() => break,
            }
            continue;
        };
        let cfg = &shared.cfg;
        let progress = &shared.progress;
        if let Some(greeting) = &cfg.greeting {
            let failed = match read_reply(shared, &mut watch, &mut conn, Some(greeting)).await {
                Some(Ok(got)) if got[..] == greeting[..] => None,
                Some(Ok(got)) => {
                    lock(&progress.wrong_greeting).get_or_insert_with(|| got.to_vec());
                    Some(ErrorKind::WrongReply)
                }
                Some(Err(kind)) => Some(kind),
                None => {
                    progress.greeting_pending.fetch_add(1, Ordering::Relaxed);
                    break;
                }
            };
            if let Some(kind) = failed {
                shared.errors.add(kind);
                *lock(&progress.greeting_failure) = Some(kind);
                continue;
            }
            progress.greeted.fetch_add(1, Ordering::Relaxed);
        }
        release(shared);
        match requests(shared, thread, &mut watch, &mut conn, &mut fill).await {
            Flow::Reconnect => {}
            Flow::Stop => break,
        }
    }
}

/// A load thread's histograms and counts not yet added to the run's: shared counters
/// touched on every reply would bounce their cache line between the cores at every
/// request.
struct Tally {
    recorded: Recorded,
    ok: u64,
    bytes: u64,
    /// Requests written.
    sent: u64,
    /// Replies recorded since the last merge.
    since: u64,
    /// When the last merge was. Merging empties the thread's histograms, a memset of
    /// tens of KiB: at a million requests a second, every 256 requests made it 4% of the
    /// CPU (perf), so merges also wait for [`MERGE_PAUSE`].
    merged: Option<Instant>,
}

/// The least time between two merges of one thread, unless [`MERGE_MOST`] wait.
const MERGE_PAUSE: Duration = Duration::from_millis(100);
/// Merged at once past this many, whatever the time.
const MERGE_MOST: u64 = 1 << 16;

impl Tally {
    fn new(messages: usize) -> Tally {
        Tally {
            recorded: Recorded::with_messages(messages),
            ok: 0,
            bytes: 0,
            sent: 0,
            since: 0,
            merged: None,
        }
    }

    /// Whether to merge now, the reply just recorded having come at `now`: every
    /// [`MERGE_PAUSE`] whatever the rate (so the live line and `--interval` are at most that
    /// far behind), and at once past [`MERGE_MOST`].
    fn due(&mut self, now: Instant) -> bool {
        self.since += 1;
        self.since >= MERGE_MOST
            || self
                .merged
                .is_none_or(|at| now.saturating_duration_since(at) >= MERGE_PAUSE)
    }

    fn merge(&mut self, shared: &Shared) {
        shared.ok.fetch_add(self.ok, Ordering::Relaxed);
        shared.bytes.fetch_add(self.bytes, Ordering::Relaxed);
        shared.progress.sent.fetch_add(self.sent, Ordering::Relaxed);
        lock(&shared.recorded).absorb(&mut self.recorded);
        (self.ok, self.bytes, self.sent, self.since) = (0, 0, 0, 0);
        self.merged = Some(Instant::now());
    }
}

async fn connect(shared: &Shared, thread: &LoadThread) -> Option<FramedStream<Stream>> {
    let cfg = &shared.cfg;
    let Dialed { stream, peer, took } = match dial(&cfg.endpoint, cfg.timeout, None, None).await {
        Ok(dialed) => dialed,
        Err(err) => {
            shared.errors.add(ErrorKind::of_net(&err));
            *lock(&shared.progress.last_connect_error) = Some(err.to_string());
            return None;
        }
    };
    let measured = Instant::now() >= shared.measure_from;
    if measured {
        let connect = &mut thread.tally.borrow_mut().recorded.connect;
        connect.saturating_record(micros(took));
    }
    let stream = match handshake::shake(cfg.tls.as_deref(), stream, peer, cfg.timeout).await {
        Ok((stream, info)) => {
            if let Some(info) = info.filter(|_| measured) {
                let recorded = &mut thread.tally.borrow_mut().recorded;
                let kind = if info.resumed {
                    &mut recorded.tls_resumed
                } else {
                    &mut recorded.tls_handshake
                };
                kind.saturating_record(micros(info.took));
            }
            stream
        }
        Err(err) => {
            shared.errors.add(ErrorKind::Tls);
            if err.is_permanent() {
                // Every connection would meet the same certificate or the same plain-TCP
                // server: one failure says it all.
                shared.stop.cancel();
            }
            *lock(&shared.progress.last_connect_error) = Some(err.to_string());
            return None;
        }
    };
    let mut stream = stream;
    if let Some(asked) = &cfg.upgrade {
        use crate::framing::websocket::{UpgradeError, upgrade};
        let failed = match tokio::time::timeout(cfg.timeout, upgrade(&mut stream, asked)).await {
            Ok(Ok(())) => None,
            Ok(Err(UpgradeError::Refused(why))) => {
                // Every connection would get the same answer.
                shared.stop.cancel();
                Some((ErrorKind::Other, why))
            }
            Ok(Err(UpgradeError::Io(why))) => Some((ErrorKind::Other, why)),
            Err(_) => Some((
                ErrorKind::Timeout,
                "no answer to the WebSocket upgrade within --timeout".to_owned(),
            )),
        };
        if let Some((kind, why)) = failed {
            shared.errors.add(kind);
            *lock(&shared.progress.last_connect_error) = Some(format!("{peer}: {why}"));
            return None;
        }
    }
    shared.progress.connected.fetch_add(1, Ordering::Relaxed);
    Some(FramedStream::new(stream, peer, cfg.frames.codec(64 * 1024)))
}

/// The next frame, or why there is none.
/// The first failure is kept in words, to say why a run that completed nothing failed.
async fn next(shared: &Shared, conn: &mut FramedStream<Stream>) -> Result<Bytes, ErrorKind> {
    let failed = |why: String, kind: ErrorKind| {
        lock(&shared.progress.first_failure).get_or_insert(why);
        kind
    };
    match conn.read_frame().await {
        Ok(Some(frame)) => Ok(frame),
        Ok(None) => Err(failed(
            "the server closed the connection".to_owned(),
            ErrorKind::Reset,
        )),
        Err(err) => Err(failed(err.to_string(), ErrorKind::of_frame(&err))),
    }
}

/// Reads one reply: one frame; in raw framing with an exact reply expected, reads until as
/// many bytes arrived, since TCP may split a reply, or until one differs (a short wrong
/// reply is wrong at once, not a timeout). `None` when the run stopped while waiting.
async fn read_reply(
    shared: &Shared,
    watch: &mut Watch,
    conn: &mut FramedStream<Stream>,
    expected: Option<&[u8]>,
) -> Option<Result<Bytes, ErrorKind>> {
    let read = async {
        // One frame is one reply: a view of the read buffer, not a copy.
        let first = next(shared, conn).await?;
        let accumulate = match expected {
            Some(expected) => {
                shared.cfg.frames.framing == Framing::Raw && first.len() < expected.len()
            }
            None => false,
        };
        if !accumulate {
            return Ok(first);
        }
        let expected = expected.unwrap_or_default();
        let mut reply = BytesMut::from(&first[..]);
        while reply.len() < expected.len() && expected.starts_with(&reply) {
            reply.extend_from_slice(&next(shared, conn).await?);
        }
        Ok(reply.freeze())
    };
    watch.deadline = Instant::now() + watch.timeout;
    tokio::select! {
        read = read => Some(read),
        expired = watch.expired() => expired.then_some(Err(ErrorKind::Timeout)),
    }
}

/// A connection's watch over the reply it awaits: `--timeout`, and the end of the run.
/// One timer per connection, moved only when it fires before the reply now awaited is
/// late: a timer made and dropped for every request (`tokio::time::timeout`) cost more
/// than anything else the load threads did outside the kernel (perf: Sleep::poll and
/// TimerEntry::drop), and the run's cancellation is one future, registered once.
struct Watch {
    stop: std::pin::Pin<Box<tokio_util::sync::WaitForCancellationFutureOwned>>,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
    timeout: Duration,
    /// When the reply awaited now is late.
    deadline: Instant,
}

impl Watch {
    fn new(stop: &CancellationToken, timeout: Duration) -> Watch {
        let deadline = Instant::now() + timeout;
        Watch {
            stop: Box::pin(stop.clone().cancelled_owned()),
            timer: Box::pin(tokio::time::sleep_until(deadline)),
            timeout,
            deadline,
        }
    }

    /// True once the deadline has passed; false when the run stops first.
    async fn expired(&mut self) -> bool {
        loop {
            tokio::select! {
                () = &mut self.stop => return false,
                () = &mut self.timer => {
                    if Instant::now() >= self.deadline {
                        return true;
                    }
                    // Fired for an earlier reply's deadline: wait for this one's.
                    self.timer.as_mut().reset(self.deadline);
                }
            }
        }
    }
}

impl ErrorKind {
    fn of_frame(err: &FrameError) -> ErrorKind {
        match err {
            FrameError::Io(err) => ErrorKind::of_io(err),
            FrameError::Truncated => ErrorKind::Reset,
            // Requests were checked against --max-frame before the run: a frame over it
            // is a reply, larger than the expected one.
            FrameError::TooLarge { .. } | FrameError::Invalid(_) => ErrorKind::WrongReply,
            // Servers' bound; a load run has none.
            FrameError::OverBudget { .. } => ErrorKind::Other,
        }
    }

    fn of_net(err: &NetError) -> ErrorKind {
        match err {
            NetError::ConnectTimeout { .. } | NetError::ReplyTimeout { .. } => ErrorKind::Timeout,
            // No socket file refuses as surely as a closed port (a server that stopped).
            NetError::Connect {
                addr: Peer::Unix { .. },
                err,
            } if err.kind() == std::io::ErrorKind::NotFound => ErrorKind::Refused,
            // The target behind a proxy refused, as it would without one.
            NetError::Proxy(err) if err.target_refused() => ErrorKind::Refused,
            NetError::Proxy(crate::net::proxy::ProxyError::Timeout { .. }) => ErrorKind::Timeout,
            other => other.io().map_or(ErrorKind::Other, ErrorKind::of_io),
        }
    }
}
