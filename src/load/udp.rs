//! UDP load: numbered, timestamped datagrams at a rate (or one at a time), and what came
//! back: round-trip percentiles, loss, duplicates, reordering and RFC 3550 jitter.
//!
//! Each datagram starts with its sequence number and its send time (nanoseconds since the
//! run began, both big-endian u64), padded to `--size`. The reply (seed `Hello, DATA` or an
//! echo) carries them back, so every reply says which datagram it answers and how long the
//! round trip took, whatever order replies arrive in.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use color_eyre::eyre::Result;
use tokio::net::UdpSocket;
use tokio::time::Instant;

use super::lock;
use crate::net::batch::{self, BATCH, Batch};
use crate::net::{self, NetError};
use crate::report::Recorded;
use crate::report::stats::Jitter;
use crate::report::timeline::Row;
use crate::report::{ErrorKind, Errors, Report, UdpFigures};
use crate::shape::Schedule;

/// Datagrams that never came back, each in the second and stage it was due in: in open
/// loop the schedule says when that was (one at a time, only their number is known).
fn lost_rows(
    seen: &Seen,
    sent: u64,
    schedule: Option<&Schedule>,
    clock: &super::timeline::Clock,
    recorded: &mut Recorded,
) {
    let Some(schedule) = schedule else {
        return;
    };
    let start = clock.start();
    for seq in (0..sent).filter(|seq| !seen.contains(*seq)) {
        let Some(due) = schedule.due(seq) else {
            continue;
        };
        let due = start + due;
        let lost = ErrorKind::Lost as usize;
        recorded.seconds.at(clock.second(due), Row::second).errors[lost] += 1;
        if let Some(stage) = clock.stage(due) {
            recorded.stages.at(stage, Row::stage).errors[lost] += 1;
        }
    }
}

/// Sequence number and send time: the smallest `--size`.
pub const HEADER: usize = 16;

/// Everything a UDP load run needs.
#[derive(Debug, Clone)]
pub struct UdpLoad {
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address (and port) datagrams leave from.
    pub source: Option<SocketAddr>,
    pub count: Option<u64>,
    pub duration: Option<Duration>,
    /// Open loop: when each datagram is due (a fixed rate, a ramp, stages); without it,
    /// one datagram at a time.
    pub schedule: Option<Schedule>,
    pub size: usize,
    /// What a reply starts with before the echoed datagram (`Hello, ` in seed mode).
    pub prefix: Vec<u8>,
    /// How long to wait for a reply before counting the datagram lost.
    pub timeout: Duration,
    /// When it starts, and what its report says it is of.
    pub placement: super::Placement,
    /// `--html`: the report as a page, too.
    pub html: Option<std::path::PathBuf>,
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
}

/// `/metrics` of a seed or echo UDP load: what its receiver has recorded so far.
struct SeedFigures {
    errors: Arc<Errors>,
    recorded: Arc<std::sync::Mutex<Recorded>>,
    sent: Arc<AtomicU64>,
    clock: super::timeline::Clock,
    /// Bytes of a datagram, and of its reply.
    sizes: (u64, u64),
}

impl crate::metrics::Source for SeedFigures {
    fn expose(&self, out: &mut crate::metrics::Exposition) {
        let latency = lock(&self.recorded).latency.clone();
        let ok = latency.len();
        let sent = self.sent.load(Ordering::Relaxed);
        super::LoadFigures {
            ok,
            errors: self.errors.snapshot(),
            bytes: sent * self.sizes.0 + ok * self.sizes.1,
            intended_rps: self.clock.intended_now(),
            latency,
        }
        .expose(out);
    }
}

/// Which sequence numbers have been answered: one bit each, so a long flood costs
/// 125 KB per million datagrams rather than a hash set's tens of bytes per entry.
#[derive(Default)]
struct Seen {
    bits: Vec<u64>,
    count: u64,
}

impl Seen {
    fn contains(&self, seq: u64) -> bool {
        self.bits
            .get((seq / 64) as usize)
            .is_some_and(|word| word & (1 << (seq % 64)) != 0)
    }

    /// Marks `seq`; false if it was already marked (a duplicate).
    fn insert(&mut self, seq: u64) -> bool {
        let (word, bit) = ((seq / 64) as usize, seq % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        let fresh = self.bits[word] & (1 << bit) == 0;
        self.bits[word] |= 1 << bit;
        self.count += u64::from(fresh);
        fresh
    }
}

/// Receiver-side tallies.
#[derive(Default)]
struct Tally {
    seen: Seen,
    highest: Option<u64>,
    duplicates: u64,
    reordered: u64,
    jitter: Jitter,
}

/// Runs the load and returns what happened.
///
/// # Errors
/// The socket cannot be opened, or nothing listens there (ICMP port unreachable).
pub async fn run(
    cfg: UdpLoad,
    progress: indicatif::ProgressBar,
    interrupt: impl Future<Output = i32>,
    metrics: Option<&crate::metrics::Endpoint>,
) -> Result<Report> {
    let (socket, addr): (UdpSocket, SocketAddr) = net::first_ok(&cfg.addrs, |addr| async move {
        Ok((net::open_udp(addr, cfg.source).await?, addr))
    })
    .await?;
    let socket = Arc::new(socket);
    let start = Instant::now();
    let clock = super::timeline::Clock::new(start, Duration::ZERO, cfg.schedule.clone());
    let sent = Arc::new(AtomicU64::new(0));
    // How many sequence numbers have been handed out. A reply carrying one beyond it was
    // never sent by us; taking it at its word would size the bitset of answers by a
    // number a peer chose.
    let queued = Arc::new(AtomicU64::new(0));
    // One past the highest sequence number answered, and a wake-up for each answer: the
    // one-at-a-time loop waits on them.
    let answered = Arc::new(AtomicU64::new(0));
    // Every datagram that came back, ours or not: one at a time, a wrong reply ends the
    // wait for the datagram it answered instead of letting it run to --timeout.
    let replies = Arc::new(AtomicU64::new(0));
    let first_wrong = Arc::new(std::sync::Mutex::new(None::<Vec<u8>>));
    let reply_arrived = Arc::new(tokio::sync::Notify::new());
    let errors = Arc::new(Errors::default());
    let recorded = Arc::new(std::sync::Mutex::new(Recorded::new()));
    let tally = Arc::new(std::sync::Mutex::new(Tally::default()));
    let sender_done = tokio_util::sync::CancellationToken::new();
    if let Some(endpoint) = metrics {
        endpoint.attach(Arc::new(SeedFigures {
            errors: errors.clone(),
            recorded: recorded.clone(),
            sent: sent.clone(),
            clock: clock.clone(),
            sizes: (cfg.size as u64, (cfg.size + cfg.prefix.len()) as u64),
        }));
    }

    let receiver = {
        let (socket, errors, recorded, tally) = (
            socket.clone(),
            errors.clone(),
            recorded.clone(),
            tally.clone(),
        );
        let (answered, reply_arrived) = (answered.clone(), reply_arrived.clone());
        let (replies, first_wrong) = (replies.clone(), first_wrong.clone());
        let queued = queued.clone();
        let prefix = cfg.prefix.clone();
        let (done, timeout) = (sender_done.clone(), cfg.timeout);
        let clock = clock.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 65_536];
            loop {
                let received = tokio::select! {
                    received = socket.recv(&mut buf) => received,
                    // After the last send, stragglers get `--timeout` to arrive.
                    () = async { done.cancelled().await; tokio::time::sleep(timeout).await } => return Ok(()),
                };
                let len = match received {
                    Ok(len) => len,
                    Err(err) if err.kind() == std::io::ErrorKind::ConnectionRefused => {
                        return Err(err);
                    }
                    Err(_) => {
                        errors.add(ErrorKind::Other);
                        continue;
                    }
                };
                let now = start.elapsed();
                replies.fetch_add(1, Ordering::Release);
                let Some((seq, sent_ns)) = parse(&buf[..len], &prefix)
                    .filter(|(seq, _)| *seq < queued.load(Ordering::Acquire))
                else {
                    errors.add(ErrorKind::WrongReply);
                    lock(&first_wrong).get_or_insert_with(|| buf[..len].to_vec());
                    reply_arrived.notify_one();
                    continue;
                };
                let mut tally = lock(&tally);
                if !tally.seen.insert(seq) {
                    tally.duplicates += 1;
                    continue;
                }
                if tally.highest.is_some_and(|highest| seq < highest) {
                    tally.reordered += 1;
                }
                tally.highest = Some(tally.highest.map_or(seq, |h| h.max(seq)));
                let rtt = now.saturating_sub(Duration::from_nanos(sent_ns));
                tally.jitter.record(rtt.as_secs_f64() * 1e6);
                drop(tally);
                let rtt = rtt.as_micros() as u64;
                let mut recorded = lock(&recorded);
                recorded.latency.saturating_record(rtt);
                // A datagram's stage is the one it was sent in: its send time is in it.
                let sent_at = start + Duration::from_nanos(sent_ns);
                recorded.timed(clock.second(Instant::now()), clock.stage(sent_at), rtt);
                answered.fetch_max(seq + 1, Ordering::Release);
                reply_arrived.notify_one();
            }
        })
    };

    let deadline = cfg.duration.map(|d| start + d);
    // Datagrams go out up to 32 per sendmmsg: one system call per datagram would spend CPU
    // that the server under test shares.
    let mut outgoing = Batch::new(0);
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    let mut seq = 0u64;
    // How many replies had come back when the last datagram went out (one at a time).
    let mut replies_at_send = 0;
    let sending = async {
        'send: loop {
            // A hard deadline, checked whatever the rate: a tick that sends nothing still ends
            // the run on time.
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                break 'send;
            }
            let due = match &cfg.schedule {
                // Open loop: every millisecond, send what has become due since the last tick.
                Some(schedule) => {
                    tick.tick().await;
                    schedule.due_by(start.elapsed())
                }
                // One at a time: the next once the last is answered or has timed out.
                None => {
                    if seq > 0 {
                        let answer = async {
                            while answered.load(Ordering::Acquire) < seq
                                && replies.load(Ordering::Acquire) <= replies_at_send
                                && !receiver.is_finished()
                            {
                                reply_arrived.notified().await;
                            }
                        };
                        // No answer within --timeout: the datagram counts as lost; go on.
                        let _ = tokio::time::timeout(cfg.timeout, answer).await;
                    }
                    seq + 1
                }
            };
            while seq < due {
                if cfg.count.is_some_and(|count| seq >= count)
                    || deadline.is_some_and(|deadline| Instant::now() >= deadline)
                    || receiver.is_finished()
                {
                    break 'send;
                }
                replies_at_send = replies.load(Ordering::Acquire);
                let datagram = outgoing.reply_buf();
                datagram.clear();
                datagram.resize(cfg.size, 0);
                datagram[..8].copy_from_slice(&seq.to_be_bytes());
                let ns = start.elapsed().as_nanos() as u64;
                datagram[8..16].copy_from_slice(&ns.to_be_bytes());
                outgoing.queue_reply(addr);
                seq += 1;
                queued.store(seq, Ordering::Release);
                if outgoing.queued() == BATCH && flush(&socket, &mut outgoing, &sent, &errors).await
                {
                    break 'send;
                }
            }
            if flush(&socket, &mut outgoing, &sent, &errors).await {
                break 'send;
            }
            progress.set_message(format!("{seq} sent"));
        }
    };
    // Ctrl-C or SIGTERM (`timeout` sends it): stop sending, and report what was measured.
    let interrupted = tokio::select! {
        () = sending => None,
        number = interrupt => Some(number),
    };
    flush(&socket, &mut outgoing, &sent, &errors).await;
    let measured = start.elapsed();
    sender_done.cancel();
    let received_result = receiver.await;
    progress.finish_and_clear();
    if let Ok(Err(err)) = received_result {
        return Err(NetError::Unreachable { addr, err }.into());
    }
    let tally = std::mem::take(&mut *lock(&tally));
    let sent = sent.load(Ordering::Relaxed);
    let received = tally.seen.count;
    let size = cfg.size + cfg.prefix.len();
    // A datagram that never came back is an error like any other, in the same table: a
    // report never says "0 errors" above a line of losses.
    let mut errors = errors.snapshot();
    errors[ErrorKind::Lost as usize] += sent.saturating_sub(received);
    let mut recorded = std::mem::take(&mut *lock(&recorded));
    lost_rows(
        &tally.seen,
        sent,
        cfg.schedule.as_ref(),
        &clock,
        &mut recorded,
    );
    clock.finish(&mut recorded, measured);
    Ok(Report {
        connections: 1,
        rate: clock.mean_rate(measured),
        stages: cfg
            .schedule
            .as_ref()
            .map(|s| s.stages().to_vec())
            .unwrap_or_default(),
        measured,
        warmup: Duration::ZERO,
        ok: received,
        errors,
        bytes: sent * cfg.size as u64 + received * size as u64,
        recorded,
        udp: Some(UdpFigures {
            sent,
            received,
            lost: sent.saturating_sub(received),
            duplicates: tally.duplicates,
            reordered: tally.reordered,
            jitter_us: tally.jitter.value(),
        }),
        in_flight: 0,
        by_message: Vec::new(),
        first_mismatch: None,
        error_replies: 0,
        greetings_pending: 0,
        interrupted,
        provenance: Default::default(),
        reconnect: false,
        client: None,
        stalled: (received == 0 && interrupted.is_none()).then(|| {
            match lock(&first_wrong).take() {
                Some(wrong) => format!(
                    "every reply from {addr} was wrong for {} (first: {}): is it a server of the \
                 chosen --mode? (see --mode)",
                    if cfg.prefix.is_empty() {
                        "an echo"
                    } else {
                        "the seed protocol"
                    },
                    super::show(&wrong),
                ),
                None => format!(
                    "no reply from {addr} to any of {sent} datagrams within {}: is it a UDP server \
                 of the chosen --mode? (see --mode, or a longer --timeout)",
                    humantime::format_duration(cfg.timeout)
                ),
            }
        }),
    })
}

/// Sends the queued datagrams. Returns true when they were refused: nothing listens, and
/// the receiver reports it.
async fn flush(
    socket: &UdpSocket,
    outgoing: &mut Batch,
    sent: &AtomicU64,
    errors: &Errors,
) -> bool {
    let mut refused = false;
    let count = batch::send_replies(socket, outgoing, |_, _, err| {
        if err.kind() == std::io::ErrorKind::ConnectionRefused {
            refused = true;
        } else {
            errors.add(ErrorKind::Other);
        }
    })
    .await;
    sent.fetch_add(count as u64, Ordering::Relaxed);
    refused
}

/// The sequence number and send time a reply carries, if it is one of ours.
fn parse(reply: &[u8], prefix: &[u8]) -> Option<(u64, u64)> {
    let body = reply.strip_prefix(prefix)?;
    let seq = u64::from_be_bytes(body.get(..8)?.try_into().ok()?);
    let sent = u64::from_be_bytes(body.get(8..16)?.try_into().ok()?);
    Some((seq, sent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_told_apart_from_new_sequence_numbers() {
        let mut seen = Seen::default();
        assert!(seen.insert(0));
        assert!(seen.insert(130));
        assert!(!seen.insert(130));
        assert!(seen.insert(64));
        assert_eq!(seen.count, 3);
    }

    #[test]
    fn replies_carry_sequence_and_time_back() {
        let mut datagram = vec![0u8; 20];
        datagram[..8].copy_from_slice(&7u64.to_be_bytes());
        datagram[8..16].copy_from_slice(&99u64.to_be_bytes());
        let reply = [&b"Hello, "[..], &datagram].concat();
        assert_eq!(parse(&reply, b"Hello, "), Some((7, 99)));
        assert_eq!(parse(&datagram, b""), Some((7, 99)));
        assert_eq!(parse(b"Hello, short", b"Hello, "), None);
        assert_eq!(parse(&datagram, b"Hello, "), None);
    }
}
