//! `--stats` and `--metrics`: what a server or a relay did, counted as it happens,
//! reported once a second (`--stats`) and served to scrapers (`--metrics`).
//!
//! Counting is a few relaxed atomic additions per message, paid only when one of them is
//! on (the counters are an `Option` everywhere they are passed).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::event::Rates;
use crate::output::Printer;

/// Running totals, shared by every connection of a server.
#[derive(Debug, Default)]
pub struct Counters {
    /// Connections open now (TCP).
    open: AtomicU64,
    accepted: AtomicU64,
    messages: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    /// Datagrams a UDP relay dropped rather than queue or send (a full delay queue, the
    /// amplification cap), since the start.
    dropped: AtomicU64,
    /// Whether the program drops datagrams at all, and so reports the count.
    drops: std::sync::atomic::AtomicBool,
    /// A stream program's (connections open and accepted mean something).
    stream: bool,
    /// Faults a relay applied, by [`Fault`].
    faults: [AtomicU64; Fault::ALL.len()],
    /// Whether the program applies faults at all (a relay), and so reports them.
    applies_faults: std::sync::atomic::AtomicBool,
    /// Connections a stream server ended other than cleanly, by [`Ended`].
    ended: [AtomicU64; Ended::ALL.len()],
}

/// How a stream server's connection ended other than cleanly, counted for `--metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The client reset it (RST).
    Reset,
    /// Idle for longer than `--idle-timeout`.
    Idle,
    /// A frame over `--max-frame`.
    TooLarge,
    /// Partial messages over `--max-buffered`.
    OverBudget,
    /// Bytes that do not read as the framing.
    Invalid,
    /// Closed in the middle of a frame.
    Truncated,
    /// Anything else the socket reported.
    Io,
}

impl Ended {
    pub const ALL: [Ended; 7] = [
        Ended::Reset,
        Ended::Idle,
        Ended::TooLarge,
        Ended::OverBudget,
        Ended::Invalid,
        Ended::Truncated,
        Ended::Io,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Ended::Reset => "reset",
            Ended::Idle => "idle_timeout",
            Ended::TooLarge => "too_large",
            Ended::OverBudget => "over_budget",
            Ended::Invalid => "invalid_frame",
            Ended::Truncated => "truncated",
            Ended::Io => "io",
        }
    }
}

/// A fault a relay applied, counted for `--metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A datagram lost (`--loss`).
    Lost,
    /// A datagram sent twice (`--duplicate`).
    Duplicated,
    /// A datagram held back behind the next (`--reorder`).
    Reordered,
    /// A datagram delayed (`--latency`, `--jitter`).
    Delayed,
    /// A connection reset (`--reset-after`).
    Reset,
    /// A connection closed (`--close-after`).
    Closed,
    /// A request answered by the relay itself (`--fail-requests`).
    Failed,
    /// A request whose reply was kept back (`--hold-requests`).
    Held,
}

impl Fault {
    pub const ALL: [Fault; 8] = [
        Fault::Lost,
        Fault::Duplicated,
        Fault::Reordered,
        Fault::Delayed,
        Fault::Reset,
        Fault::Closed,
        Fault::Failed,
        Fault::Held,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::Lost => "lost",
            Fault::Duplicated => "duplicated",
            Fault::Reordered => "reordered",
            Fault::Delayed => "delayed",
            Fault::Reset => "reset",
            Fault::Closed => "closed",
            Fault::Failed => "failed",
            Fault::Held => "held",
        }
    }
}

impl Counters {
    pub fn accepted(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
        self.open.fetch_add(1, Ordering::Relaxed);
    }

    pub fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn message(&self) {
        self.messages.fetch_add(1, Ordering::Relaxed);
    }

    pub fn received(&self, bytes: usize) {
        self.bytes_in.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn sent(&self, bytes: usize) {
        self.bytes_out.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Says the program counts drops, so the reports show the count, zero included.
    pub fn count_drops(&self) {
        self.drops.store(true, Ordering::Relaxed);
    }

    pub fn dropped(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }

    /// A connection ended other than cleanly.
    pub fn ended(&self, how: Ended) {
        self.ended[how as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Connections ended other than cleanly, by how (stream servers).
    pub fn endings(&self) -> [(Ended, u64); Ended::ALL.len()] {
        Ended::ALL.map(|how| (how, self.ended[how as usize].load(Ordering::Relaxed)))
    }

    /// Says the program applies faults, so the metrics show them, zeros included.
    pub fn count_faults(&self) {
        self.applies_faults.store(true, Ordering::Relaxed);
    }

    pub fn fault(&self, fault: Fault) {
        self.faults[fault as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Faults applied by kind, where the program applies any.
    pub fn faults(&self) -> Option<[(Fault, u64); Fault::ALL.len()]> {
        self.applies_faults
            .load(Ordering::Relaxed)
            .then(|| Fault::ALL.map(|f| (f, self.faults[f as usize].load(Ordering::Relaxed))))
    }

    /// Connections open and accepted, messages, bytes in and out.
    pub fn snapshot(&self) -> [u64; 5] {
        [
            self.open.load(Ordering::Relaxed),
            self.accepted.load(Ordering::Relaxed),
            self.messages.load(Ordering::Relaxed),
            self.bytes_in.load(Ordering::Relaxed),
            self.bytes_out.load(Ordering::Relaxed),
        ]
    }
}

/// With `--stats` or `--metrics` (`counted`): counters, and with `--stats` a task
/// reporting them every second until the returned guard drops (when the server returns).
pub fn start(
    stats: bool,
    counted: bool,
    printer: &Arc<Printer>,
    tcp: bool,
) -> (Option<Arc<Counters>>, Reporter) {
    if !stats && !counted {
        return (None, Reporter(None));
    }
    let counters = Arc::new(Counters {
        stream: tcp,
        ..Counters::default()
    });
    let task =
        stats.then(|| tokio::spawn(report_every_second(counters.clone(), printer.clone(), tcp)));
    (Some(counters), Reporter(task))
}

impl Counters {
    /// Datagrams dropped, where the program drops any.
    pub fn drops(&self) -> Option<u64> {
        self.drops
            .load(Ordering::Relaxed)
            .then(|| self.dropped.load(Ordering::Relaxed))
    }

    /// A stream program's: connections mean something.
    pub fn is_stream(&self) -> bool {
        self.stream
    }
}

/// Stops the reporting task when dropped.
pub struct Reporter(Option<tokio::task::JoinHandle<()>>);

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

/// Reports the counters' rates every second until the future is dropped.
async fn report_every_second(counters: Arc<Counters>, printer: Arc<Printer>, tcp: bool) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    // The counters began at zero when the server did: what arrived before this task first
    // ran belongs to the first second, not to nobody.
    let mut last = [0; 5];
    let mut last_at = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        let now = counters.snapshot();
        let secs = last_at.elapsed().as_secs_f64().max(1e-9);
        last_at = tokio::time::Instant::now();
        let rate = |i: usize| (now[i] - last[i]) as f64 / secs;
        printer.stats(&Rates {
            open: tcp.then_some(now[0]),
            accepted_per_s: rate(1),
            messages_per_s: rate(2),
            bytes_in_per_s: rate(3),
            bytes_out_per_s: rate(4),
            dropped: counters
                .drops
                .load(Ordering::Relaxed)
                .then(|| counters.dropped.load(Ordering::Relaxed)),
        });
        last = now;
    }
}
