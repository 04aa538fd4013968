//! Shards of one load run on several machines: `--shard I/N` takes every N-th request of
//! the schedule one machine would have run, and `--start-at` starts every shard at the
//! same wall-clock instant, so N shards together make exactly the arrivals of one run.
//!
//! Request k of an open-loop run at rate R is due at start + k/R. Shard I (1-based) takes
//! the requests with k mod N = I-1: its j-th is k = jN + I-1, due at start + (I-1)/R +
//! j·N/R. So a shard is an ordinary run at rate R/N that begins (I-1)/R after the common
//! start: nothing in the schedulers changes.

use std::time::{Duration, SystemTime};

pub use crate::report::Shard;

/// When a load run begins: at `at` (`--start-at`; now without it), plus `offset` (a
/// shard's place in the schedule).
#[derive(Debug, Clone, Copy, Default)]
pub struct Start {
    pub at: Option<SystemTime>,
    pub offset: Duration,
}

impl Start {
    /// How long from now until the run begins; `None` if `--start-at` has passed.
    pub fn wait(&self) -> Option<Duration> {
        let until = match self.at {
            Some(at) => at.duration_since(SystemTime::now()).ok()?,
            None => Duration::ZERO,
        };
        Some(until + self.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_deal_every_request_exactly_once() {
        for total in [0u64, 1, 2, 7, 10, 1000, 1001] {
            for of in 1..=5 {
                let sum: u64 = (1..=of).map(|index| Shard { index, of }.part(total)).sum();
                assert_eq!(sum, total, "{total} over {of}");
            }
        }
        assert_eq!(Shard { index: 3, of: 3 }.part(10), 3);
        assert_eq!(Shard { index: 1, of: 3 }.part(10), 4);
    }

    #[test]
    fn shard_schedules_interleave_into_the_whole() {
        let rate = 1000.0;
        let of = 3;
        let mut due: Vec<f64> = (1..=of)
            .flat_map(|index| {
                let (local, offset) = Shard { index, of }.rate(rate);
                (0..100).map(move |j| offset.as_secs_f64() + j as f64 / local)
            })
            .collect();
        due.sort_by(f64::total_cmp);
        for (k, at) in due.iter().enumerate() {
            assert!((at - k as f64 / rate).abs() < 1e-9, "request {k} at {at}");
        }
    }
}
