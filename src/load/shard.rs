//! Shards of one load run on several machines: `--shard I/N` takes every N-th request of
//! the schedule one machine would have run, and `--start-at` starts every shard at the
//! same wall-clock instant, so N shards together make exactly the arrivals of one run.
//!
//! Shard I (1-based) takes the requests with k mod N = I-1 of the whole run's schedule:
//! its j-th is request k = jN + I-1, due when the whole run's would be, whatever the
//! shape (`crate::shape::Schedule::sharded`).

use std::time::{Duration, SystemTime};

pub use crate::report::Shard;

/// When a load run begins: at `at` (`--start-at`), or now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Start {
    pub at: Option<SystemTime>,
}

impl Start {
    /// How long from now until the run begins; `None` if `--start-at` has passed.
    pub fn wait(&self) -> Option<Duration> {
        match self.at {
            Some(at) => at.duration_since(SystemTime::now()).ok(),
            None => Some(Duration::ZERO),
        }
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
}
