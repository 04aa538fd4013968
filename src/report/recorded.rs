//! The histograms a load run records (latency, connect and TLS times, latency by
//! message), shared by its workers and merged into its report.

use hdrhistogram::Histogram;

use super::stats;
use super::timeline::{Row, Rows};

/// Histograms shared by all workers. Each worker records into its own and merges it here
/// every few hundred requests, so the live progress line can show a p99 and the lock is
/// taken rarely.
pub struct Recorded {
    /// Round trips, from the intended send time (open loop) or the send (closed loop).
    pub latency: Histogram<u64>,
    /// Round trips from the actual send, shown beside the corrected figure in open loop.
    pub uncorrected: Histogram<u64>,
    /// TCP connect times.
    pub connect: Histogram<u64>,
    /// Full TLS handshake times, after the TCP connect (`--tls`; empty otherwise).
    pub tls_handshake: Histogram<u64>,
    /// Resumed TLS handshakes (`--tls-resume on`, the default): shorter, no certificate,
    /// so kept apart rather than averaged with the full ones.
    pub tls_resumed: Histogram<u64>,
    /// Latency by message, when several rotate (empty otherwise).
    pub by_message: Vec<Histogram<u64>>,
    /// Open loop: how late requests that fell due on an idle connection were sent. The
    /// server has no part in it (the connection was free): it is the generator's own
    /// delay, from its ticker, waking the connection, or a busy thread.
    pub lag: Histogram<u64>,
    /// A row per second of the measured window, by when each reply came.
    pub seconds: Rows,
    /// A row per stage of a shaped rate, by when each request was due.
    pub stages: Rows,
}

impl Default for Recorded {
    fn default() -> Recorded {
        Recorded::new()
    }
}

impl Recorded {
    pub fn new() -> Recorded {
        Recorded {
            latency: stats::new_histogram(),
            uncorrected: stats::new_histogram(),
            connect: stats::new_histogram(),
            tls_handshake: stats::new_histogram(),
            tls_resumed: stats::new_histogram(),
            by_message: Vec::new(),
            lag: stats::new_histogram(),
            seconds: Rows::default(),
            stages: Rows::default(),
        }
    }

    /// A reply `micros` after it was due (or sent, in closed loop), in second `second` of
    /// the measured window and, with a shaped rate, due in stage `stage`.
    pub fn timed(&mut self, second: usize, stage: Option<usize>, micros: u64) {
        self.seconds.at(second, Row::second).record(micros);
        if let Some(stage) = stage {
            self.stages.at(stage, Row::stage).record(micros);
        }
    }

    /// With a latency histogram for each of `messages` when there are several.
    pub fn with_messages(messages: usize) -> Recorded {
        Recorded {
            by_message: if messages > 1 {
                (0..messages).map(|_| stats::new_histogram()).collect()
            } else {
                Vec::new()
            },
            ..Recorded::new()
        }
    }

    /// Adds `other` into `self` and empties `other`.
    pub fn absorb(&mut self, other: &mut Recorded) {
        // Histograms built by `new_histogram` share bounds, so adding cannot fail.
        let _ = self.latency.add(&other.latency);
        let _ = self.uncorrected.add(&other.uncorrected);
        let _ = self.connect.add(&other.connect);
        let _ = self.tls_handshake.add(&other.tls_handshake);
        let _ = self.tls_resumed.add(&other.tls_resumed);
        let _ = self.lag.add(&other.lag);
        other.latency.reset();
        other.uncorrected.reset();
        other.connect.reset();
        other.tls_handshake.reset();
        other.tls_resumed.reset();
        other.lag.reset();
        if self.by_message.len() < other.by_message.len() {
            self.by_message
                .resize_with(other.by_message.len(), stats::new_histogram);
        }
        for (mine, theirs) in self.by_message.iter_mut().zip(&mut other.by_message) {
            let _ = mine.add(&*theirs);
            theirs.reset();
        }
        self.seconds.absorb(&mut other.seconds, Row::second);
        self.stages.absorb(&mut other.stages, Row::stage);
    }
}
