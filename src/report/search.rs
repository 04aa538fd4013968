//! What a capacity search (`--find-max-rate`) found: each step's figures against the
//! promise, and the answer. Data only; `load/capacity.rs` fills it, `output` prints it.

use super::stats::Summary;

/// Whether a step kept the promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Kept,
    Broke,
}

/// One bound of the promise, as a step measured it.
#[derive(Debug, Clone)]
pub struct Bounded {
    /// The bound as written back: `p99 < 5.00 ms`.
    pub bound: String,
    /// Its metric: `p99`, `errors`.
    pub name: String,
    /// The step's figure: microseconds, percent or a count, as the bound counts.
    pub value: f64,
    /// The figure for people: `9.10 ms`.
    pub shown: String,
    pub kept: bool,
}

/// One step of the search: an open-loop run at `rate`.
#[derive(Debug, Clone)]
pub struct Step {
    /// From 1.
    pub number: usize,
    pub rate: f64,
    /// Requests answered per second over the measured time.
    pub achieved: f64,
    pub requests: u64,
    pub errors: u64,
    pub latency: Summary,
    pub bounds: Vec<Bounded>,
    /// Why the step broke the promise besides its bounds: nothing completed, or the
    /// service fell behind the schedule.
    pub why: Option<String>,
    pub verdict: Verdict,
    /// The load generator's CPU share, when it was saturated.
    pub client_busy: Option<f64>,
}

impl Step {
    /// What broke the step: the bounds it failed with their figures, and any other
    /// reason.
    pub fn broken(&self) -> Vec<String> {
        self.bounds
            .iter()
            .filter(|b| !b.kept)
            .map(|b| format!("{} {}", b.name, b.shown))
            .chain(self.why.clone())
            .collect()
    }
}
