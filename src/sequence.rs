//! Which numbered datagrams arrived: how many, how many twice, how many out of order, and
//! RFC 3550 jitter. Sequence numbers are told apart over a window of the latest
//! [`WINDOW`], so a flood of any length, or a sender that lies about its numbers, costs
//! the same 8 KiB.
//!
//! The datagrams of one-way runs start with their sequence number and send time (both
//! big-endian u64, nanoseconds since the sender began), as UDP load datagrams do.

use crate::event::ArrivalReport;
use crate::report::stats::Jitter;

/// Sequence numbers told apart: one behind the highest by more than this is counted as
/// arrived late, never as a duplicate.
pub const WINDOW: u64 = 1 << 16;

/// The sequence number and send time a datagram starts with.
pub fn header(datagram: &[u8]) -> Option<(u64, u64)> {
    let seq = u64::from_be_bytes(datagram.get(..8)?.try_into().ok()?);
    let sent = u64::from_be_bytes(datagram.get(8..16)?.try_into().ok()?);
    Some((seq, sent))
}

/// What arrived of one sender's numbered datagrams.
pub struct Arrivals {
    /// Bit `seq % WINDOW`: whether `seq` arrived, for the window below `highest`.
    seen: Vec<u64>,
    highest: Option<u64>,
    pub received: u64,
    pub bytes: u64,
    pub duplicates: u64,
    pub reordered: u64,
    jitter: Jitter,
}

impl Default for Arrivals {
    fn default() -> Arrivals {
        Arrivals {
            seen: vec![0; (WINDOW / 64) as usize],
            highest: None,
            received: 0,
            bytes: 0,
            duplicates: 0,
            reordered: 0,
            jitter: Jitter::default(),
        }
    }
}

impl Arrivals {
    /// Records datagram `seq` of `bytes`, sent at `sent_ns` by the sender's clock and
    /// received at `arrived_ns` by ours (the clocks' offset cancels out of the jitter).
    pub fn record(&mut self, seq: u64, bytes: usize, sent_ns: u64, arrived_ns: u64) {
        match self.highest {
            Some(highest) if seq <= highest => {
                if highest - seq >= WINDOW {
                    // Too old to tell a duplicate from a late arrival: taken as late.
                    self.reordered += 1;
                } else if self.mark(seq) {
                    self.reordered += 1;
                } else {
                    self.duplicates += 1;
                    return;
                }
            }
            _ => {
                let from = self.highest.map_or(seq, |h| h.saturating_add(1));
                // Bits of numbers now leaving the window are cleared for those entering.
                if seq - from >= WINDOW {
                    self.seen.fill(0);
                } else {
                    for skipped in from..seq {
                        self.clear(skipped);
                    }
                }
                self.clear(seq);
                self.mark(seq);
                self.highest = Some(seq);
            }
        }
        self.received += 1;
        self.bytes += bytes as u64;
        let transit = arrived_ns as f64 / 1e3 - sent_ns as f64 / 1e3;
        self.jitter.record(transit);
    }

    /// The highest sequence number seen: one more is the least the sender sent.
    pub fn highest(&self) -> Option<u64> {
        self.highest
    }

    /// RFC 3550 jitter, in microseconds.
    pub fn jitter_us(&self) -> f64 {
        self.jitter.value()
    }

    /// Marks `seq`; false if it was marked already.
    fn mark(&mut self, seq: u64) -> bool {
        let (word, bit) = (((seq % WINDOW) / 64) as usize, seq % 64);
        let fresh = self.seen[word] & (1 << bit) == 0;
        self.seen[word] |= 1 << bit;
        fresh
    }

    fn clear(&mut self, seq: u64) {
        let (word, bit) = (((seq % WINDOW) / 64) as usize, seq % 64);
        self.seen[word] &= !(1 << bit);
    }
}

/// What a one-way sender sends when it is done, to ask the receiver what arrived.
pub const REPORT_REQUEST: &[u8] = b"netdemo: what arrived?\n";
/// The receiver's answer: this, then an [`ArrivalReport`] as JSON.
pub const REPORT_PREFIX: &[u8] = b"netdemo: arrived ";

impl Arrivals {
    /// What arrived, as a report.
    pub fn summary(&self) -> ArrivalReport {
        ArrivalReport {
            received: self.received,
            bytes: self.bytes,
            duplicates: self.duplicates,
            reordered: self.reordered,
            jitter_us: (self.jitter_us() * 1000.0).round() / 1000.0,
        }
    }

    /// The report, as the datagram that answers [`REPORT_REQUEST`].
    pub fn report(&self) -> Vec<u8> {
        let report = self.summary();
        let mut datagram = REPORT_PREFIX.to_vec();
        // Plain numbers always serialize.
        let _ = serde_json::to_writer(&mut datagram, &report);
        datagram
    }
}

/// The report in a receiver's answer, if `datagram` is one.
pub fn read_report(datagram: &[u8]) -> Option<ArrivalReport> {
    serde_json::from_slice(datagram.strip_prefix(REPORT_PREFIX)?).ok()
}

/// What `udp send --mode receive` asks of `udp serve --mode source`: this, then
/// `BITS SIZE MILLIS\n` (bits per second, 0 unpaced; bytes a datagram; how long).
pub const STREAM_REQUEST: &[u8] = b"netdemo: stream ";
/// What a source sends when a stream is done: this, then how many it sent, `N\n`.
pub const STREAMED: &[u8] = b"netdemo: streamed ";

/// A stream asked for: bits per second (`None` unpaced), bytes a datagram, how long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StreamRequest {
    pub bitrate: Option<f64>,
    pub size: usize,
    pub duration: std::time::Duration,
}

/// The longest stream a source sends for one request.
pub const MAX_STREAM: std::time::Duration = std::time::Duration::from_secs(3600);

impl StreamRequest {
    pub fn datagram(&self) -> Vec<u8> {
        let mut datagram = STREAM_REQUEST.to_vec();
        datagram.extend_from_slice(
            format!(
                "{} {} {}\n",
                self.bitrate.unwrap_or(0.0).round() as u64,
                self.size,
                self.duration.as_millis()
            )
            .as_bytes(),
        );
        datagram
    }

    /// The request in `datagram`, if it is one within bounds (16 to 65,000 bytes a
    /// datagram, at most 100 Gbit/s, at most an hour).
    pub fn read(datagram: &[u8]) -> Option<StreamRequest> {
        let text = std::str::from_utf8(datagram.strip_prefix(STREAM_REQUEST)?).ok()?;
        let mut words = text.trim_end().split(' ');
        let bits: u64 = words.next()?.parse().ok()?;
        let size: usize = words.next()?.parse().ok()?;
        let millis: u64 = words.next()?.parse().ok()?;
        let duration = std::time::Duration::from_millis(millis);
        let fits = (16..=65_000).contains(&size)
            && bits <= 100_000_000_000
            && !duration.is_zero()
            && duration <= MAX_STREAM;
        (fits && words.next().is_none()).then_some(StreamRequest {
            bitrate: (bits > 0).then_some(bits as f64),
            size,
            duration,
        })
    }
}

/// How many a finished stream sent, if `datagram` says so.
pub fn read_streamed(datagram: &[u8]) -> Option<u64> {
    std::str::from_utf8(datagram.strip_prefix(STREAMED)?)
        .ok()?
        .trim_end()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_reordering_and_gaps_are_told_apart() {
        let mut arrivals = Arrivals::default();
        for seq in [0, 1, 3, 2, 3, 5] {
            arrivals.record(seq, 10, 0, 0);
        }
        assert_eq!(arrivals.received, 5);
        assert_eq!(arrivals.duplicates, 1);
        assert_eq!(arrivals.reordered, 1);
        assert_eq!(arrivals.highest(), Some(5));
        assert_eq!(arrivals.bytes, 50);
    }

    #[test]
    fn the_window_moves_and_a_hostile_number_costs_nothing_more() {
        let mut arrivals = Arrivals::default();
        arrivals.record(7, 1, 0, 0);
        arrivals.record(u64::MAX - 1, 1, 0, 0);
        // 7 is far behind now: late, never a duplicate.
        arrivals.record(7, 1, 0, 0);
        assert_eq!((arrivals.duplicates, arrivals.reordered), (0, 1));
        assert_eq!(arrivals.seen.len() as u64, WINDOW / 64);
        // A number that left the window and came back round is new again.
        let mut arrivals = Arrivals::default();
        arrivals.record(5, 1, 0, 0);
        arrivals.record(5 + WINDOW, 1, 0, 0);
        arrivals.record(5 + 2 * WINDOW, 1, 0, 0);
        assert_eq!(arrivals.duplicates, 0);
    }

    #[test]
    fn a_stream_request_reads_back_and_bounds_hold() {
        let request = StreamRequest {
            bitrate: Some(5e6),
            size: 1400,
            duration: std::time::Duration::from_secs(2),
        };
        assert_eq!(StreamRequest::read(&request.datagram()), Some(request));
        for bad in [
            &b"netdemo: stream 1000 8 1000\n"[..],
            b"netdemo: stream 1000 1400 0\n",
            b"netdemo: stream 1000 1400 99999999999\n",
            b"netdemo: stream 1000 1400 1000 7\n",
            b"netdemo: stream x",
        ] {
            assert_eq!(StreamRequest::read(bad), None, "{bad:?}");
        }
        assert_eq!(read_streamed(b"netdemo: streamed 42\n"), Some(42));
    }
}
