//! What every engine adds to its report over time. [`Clock`] says which second and stage
//! a moment belongs to: the load threads put each reply in its rows with it
//! ([`crate::report::Recorded::timed`]), and at the end it fills in what the schedule
//! intended in each row. [`ErrorRows`] places the errors, counted where they happen, as
//! the run's main loop passes each boundary. [`Intervals`] prints `--interval`.

use std::time::Duration;

use tokio::time::Instant;

use crate::report::timeline::{Row, add_errors};
use crate::report::{KINDS, Recorded};
use crate::shape::Schedule;

/// A run's time: when it started, when its measured window began, and its schedule.
#[derive(Debug, Clone)]
pub struct Clock {
    start: Instant,
    measure_from: Instant,
    schedule: Option<Schedule>,
}

impl Clock {
    pub fn new(start: Instant, warmup: Duration, schedule: Option<Schedule>) -> Clock {
        Clock {
            start,
            measure_from: start + warmup,
            schedule,
        }
    }

    /// When the run started: the schedule's time 0.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// The second of the measured window that `at` falls in.
    pub fn second(&self, at: Instant) -> usize {
        at.saturating_duration_since(self.measure_from).as_secs() as usize
    }

    /// The stage a request due at `due` belongs to.
    pub fn stage(&self, due: Instant) -> Option<usize> {
        self.schedule
            .as_ref()?
            .stage_at(due.saturating_duration_since(self.start))
    }

    /// The next boundary after `passed`: the start of the measured window (before it),
    /// the next second, or the next stage, whichever is first.
    fn next_after(&self, passed: Option<Instant>) -> Instant {
        let Some(passed) = passed else {
            return self.measure_from;
        };
        let into = passed
            .saturating_duration_since(self.measure_from)
            .as_secs();
        let second = self.measure_from + Duration::from_secs(into + 1);
        let stage = self.schedule.as_ref().and_then(|schedule| {
            let now = passed.saturating_duration_since(self.start);
            let next = schedule.stage_at(now).map_or(0, |s| s + 1);
            (next..schedule.stages().len())
                .filter_map(|n| schedule.stage_start(n))
                .find(|at| *at > now)
                .map(|at| self.start + at)
        });
        stage.map_or(second, |stage| stage.min(second))
    }

    /// Every second and stage of a run that lasted `measured` given its row, and each row
    /// what the schedule intended in it.
    pub fn finish(&self, recorded: &mut Recorded, measured: Duration) {
        // The run ends a few milliseconds after its last second (the threads' joins): a
        // sliver that short gets no row of its own unless a reply came in it.
        let seconds = (measured.as_secs_f64() - 0.05).ceil().max(0.0) as usize;
        if seconds > 0 {
            recorded.seconds.at(seconds - 1, Row::second);
        }
        let Some(schedule) = &self.schedule else {
            return;
        };
        let warmup = self.measure_from - self.start;
        let end = warmup + measured;
        let due = |at: Duration| schedule.due_by(at.min(end));
        for second in 0..recorded.seconds.end() {
            let from = warmup + Duration::from_secs(second as u64);
            let intended = due(from + Duration::from_secs(1)) - due(from);
            recorded.seconds.at(second, Row::second).intended = Some(intended);
        }
        for (number, stage) in schedule.stages().iter().enumerate() {
            let Some(from) = schedule.stage_start(number) else {
                continue;
            };
            let intended = due(from + stage.duration) - due(from);
            recorded.stages.at(number, Row::stage).intended = Some(intended);
        }
    }

    /// What the schedule intended from `from` to `to` since the start, per second.
    pub fn intended_rate(&self, from: Duration, to: Duration) -> Option<f64> {
        let schedule = self.schedule.as_ref()?;
        if let Some(rate) = schedule.fixed_rate() {
            return Some(rate);
        }
        let span = to.saturating_sub(from).as_secs_f64();
        (span > 0.0).then(|| (schedule.due_by(to) - schedule.due_by(from)) as f64 / span)
    }

    /// The rate the schedule intends now (this shard's).
    pub fn intended_now(&self) -> Option<f64> {
        Some(self.schedule.as_ref()?.rate_at(self.start.elapsed()))
    }

    /// The intended mean rate over the measured window, for the report.
    pub fn mean_rate(&self, measured: Duration) -> Option<f64> {
        let warmup = self.measure_from - self.start;
        self.intended_rate(warmup, warmup + measured)
    }
}

/// Errors counted where they happen (shared counters), placed in the second and the stage
/// they happened in by the run's main loop as it passes each boundary.
#[derive(Debug, Default)]
pub struct ErrorRows {
    /// The errors counted at the last boundary.
    last: [u64; KINDS],
    /// When the last boundary was passed; `None` before the measured window.
    passed: Option<Instant>,
}

impl ErrorRows {
    /// When the next boundary comes.
    pub fn next(&self, clock: &Clock) -> Instant {
        clock.next_after(self.passed)
    }

    /// A boundary reached: the errors since the last one go to the second and the stage
    /// that just ended.
    pub fn pass(&mut self, clock: &Clock, errors: [u64; KINDS], recorded: &mut Recorded) {
        let now = Instant::now();
        // Rows are made only where errors were: a boundary passed at the very end must
        // not add an empty second.
        if let Some(passed) = self.passed.filter(|_| errors != self.last) {
            let row = recorded.seconds.at(clock.second(passed), Row::second);
            add_errors(row, &self.last, &errors);
            if let Some(stage) = clock.stage(passed) {
                add_errors(recorded.stages.at(stage, Row::stage), &self.last, &errors);
            }
        }
        self.last = errors;
        self.passed = Some(now.max(clock.measure_from));
    }

    /// The run has ended: the errors since the last boundary are placed too.
    pub fn finish(&mut self, clock: &Clock, errors: [u64; KINDS], recorded: &mut Recorded) {
        if self.passed.is_some() {
            self.pass(clock, errors, recorded);
        }
    }
}

/// `--interval`: where the last interval ended, and the run's figures then, so the next
/// is their difference. Load threads and sockets merge ten times a second, so an
/// interval's figures are at most 100 ms behind its clock.
pub struct Intervals {
    /// Ticks every `--interval`; `None` without it.
    tick: Option<tokio::time::Interval>,
    from: Duration,
    ok: u64,
    errors: [u64; KINDS],
    latency: hdrhistogram::Histogram<u64>,
}

impl Intervals {
    /// Every `every` from `start`, or never.
    pub fn every(every: Option<Duration>, start: Instant) -> Intervals {
        Intervals {
            tick: every.map(|every| tokio::time::interval_at(start + every, every)),
            from: Duration::ZERO,
            ok: 0,
            errors: [0; KINDS],
            latency: crate::report::stats::new_histogram(),
        }
    }

    /// Waits for the next interval's end (for ever without `--interval`), then prints
    /// it from the run's totals now: requests answered, errors by kind, and the latency
    /// histogram. Cancel-safe: nothing changes until the tick has come.
    pub async fn print(
        &mut self,
        printer: &crate::output::Printer,
        clock: &Clock,
        ok: &std::sync::atomic::AtomicU64,
        errors: &crate::report::Errors,
        recorded: &std::sync::Mutex<Recorded>,
    ) {
        match &mut self.tick {
            Some(tick) => {
                tick.tick().await;
            }
            None => std::future::pending().await,
        }
        let total = super::lock(recorded).latency.clone();
        let ok = ok.load(std::sync::atomic::Ordering::Relaxed);
        let interval = self.next(clock, ok, errors.snapshot(), total);
        printer.load_interval(&interval);
    }

    fn next(
        &mut self,
        clock: &Clock,
        ok: u64,
        errors: [u64; KINDS],
        total: hdrhistogram::Histogram<u64>,
    ) -> crate::report::Interval {
        let to = clock.start.elapsed();
        let mut latency = total.clone();
        // Histograms of one shape: the earlier is always within the later.
        let _ = latency.subtract(&self.latency);
        let interval = crate::report::Interval {
            from: self.from,
            to,
            requests: ok - self.ok,
            target_rps: clock.intended_rate(self.from, to),
            latency,
            errors: std::array::from_fn(|i| errors[i] - self.errors[i]),
        };
        (self.from, self.ok, self.errors, self.latency) = (to, ok, errors, total);
        interval
    }
}
