//! The faults a relay adds, as settings for one direction, and the seeded randomness that
//! decides each chunk's or datagram's fate, so a failing run can be repeated exactly.
//!
//! Like toxiproxy's toxics, a fault is only its settings; the per-connection state (bytes
//! moved, the last release time, the random generator) lives with the pipe that applies it.

use std::time::Duration;

use tokio::time::Instant;

use crate::template::Rng;

/// What one direction of a relayed TCP connection goes through, worked out from the
/// relay's toxics for one connection at one moment (`toxics.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StreamFaults {
    pub latency: Duration,
    /// Up to this much more delay, drawn per chunk.
    pub jitter: Duration,
    /// Bytes per second, at most; none pass at 0.
    pub bandwidth: Option<u64>,
    /// How chunks are cut before they are written.
    pub slice: Option<Slice>,
    /// Once this direction has moved this many bytes, both connections are reset.
    pub reset_after: Option<u64>,
    /// Once this direction has moved this many bytes, both connections are closed.
    pub close_after: Option<u64>,
    /// Bytes read are dropped, not passed on (toxiproxy's `timeout`).
    pub blackhole: bool,
    /// Both connections are closed then (`timeout` with a time).
    pub close_at: Option<Instant>,
    /// The first chunk that comes is dropped, and both connections are reset this long
    /// after it (`reset_peer`).
    pub reset_peer: Option<Duration>,
    /// The close waits this long after the last byte (`slow_close`).
    pub slow_close: Duration,
    /// Chunks dropped, in percent (`drop_chunks`).
    pub drop: f64,
    /// Chunks with a byte flipped, in percent (`corrupt`).
    pub corrupt: f64,
}

/// Pieces a chunk is cut into: `average` bytes give or take up to `variation`, `delay`
/// apart (toxiproxy's slicer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub average: usize,
    pub variation: usize,
    pub delay: Duration,
}

impl StreamFaults {
    /// Whether bytes must wait (a delay, a rate, slicing) rather than go straight through.
    pub fn delays(&self) -> bool {
        !self.latency.is_zero()
            || !self.jitter.is_zero()
            || self.bandwidth.is_some()
            || self.slice.is_some()
    }

    /// Whether the faults act on anything but the byte count: then bytes cannot simply
    /// be copied.
    pub fn acts(&self) -> bool {
        self.delays()
            || self.blackhole
            || self.close_at.is_some()
            || self.reset_peer.is_some()
            || !self.slow_close.is_zero()
            || self.drop > 0.0
            || self.corrupt > 0.0
    }

    /// The byte count at which the connection ends, and how: the lower of the two limits.
    pub fn limit(&self) -> Option<(u64, Cut)> {
        match (self.reset_after, self.close_after) {
            (Some(reset), Some(close)) if close < reset => Some((close, Cut::Close)),
            (Some(reset), _) => Some((reset, Cut::Reset)),
            (None, Some(close)) => Some((close, Cut::Close)),
            (None, None) => None,
        }
    }
}

/// How a relay ends a connection that reached its byte limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// RST both ways (`--reset-after`, `reset_peer`).
    Reset,
    /// FIN both ways (`--close-after`, `limit_data`, `timeout`).
    Close,
}

/// What one direction of a UDP relay session goes through.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DatagramFaults {
    pub latency: Duration,
    pub jitter: Duration,
    /// Percentages, 0 to 100.
    pub loss: f64,
    pub duplicate: f64,
    pub reorder: f64,
}

impl DatagramFaults {
    pub fn is_none(&self) -> bool {
        *self == DatagramFaults::default()
    }
}

/// What happens to one datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fate {
    /// Sent this many times: 0 (lost), 1, or 2 (duplicated).
    pub copies: u8,
    /// Held back until the next datagram has gone.
    pub held: bool,
    pub delay: Duration,
}

impl DatagramFaults {
    /// Draws one datagram's fate.
    pub fn fate(&self, rng: &mut Rng) -> Fate {
        let delay = delay(self.latency, self.jitter, rng);
        if rng.chance(self.loss) {
            return Fate {
                copies: 0,
                held: false,
                delay,
            };
        }
        Fate {
            copies: if rng.chance(self.duplicate) { 2 } else { 1 },
            held: rng.chance(self.reorder),
            delay,
        }
    }
}

/// `latency` plus a uniform draw from `[0, jitter]`.
pub fn delay(latency: Duration, jitter: Duration, rng: &mut Rng) -> Duration {
    if jitter.is_zero() {
        latency
    } else {
        latency + jitter.mul_f64(rng.unit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lower_limit_decides_how_a_connection_ends() {
        let both = StreamFaults {
            reset_after: Some(100),
            close_after: Some(50),
            ..StreamFaults::default()
        };
        assert_eq!(both.limit(), Some((50, Cut::Close)));
        let reset = StreamFaults {
            reset_after: Some(10),
            ..StreamFaults::default()
        };
        assert_eq!(reset.limit(), Some((10, Cut::Reset)));
        assert_eq!(StreamFaults::default().limit(), None);
        assert!(!StreamFaults::default().delays());
    }

    #[test]
    fn fates_follow_their_percentages_and_repeat_with_the_seed() {
        let faults = DatagramFaults {
            loss: 10.0,
            duplicate: 5.0,
            ..DatagramFaults::default()
        };
        let draw = |seed| {
            let mut rng = Rng::new(seed);
            (0..100_000)
                .map(|_| faults.fate(&mut rng))
                .collect::<Vec<_>>()
        };
        let fates = draw(7);
        assert_eq!(fates, draw(7));
        let lost = fates.iter().filter(|f| f.copies == 0).count();
        let doubled = fates.iter().filter(|f| f.copies == 2).count();
        // Binomial: sd = sqrt(n p (1 - p)), under 100 for both; 5 sd of tolerance.
        assert!((lost as i64 - 10_000).abs() < 500, "{lost}");
        assert!((doubled as i64 - 4_500).abs() < 500, "{doubled}");
    }
}
