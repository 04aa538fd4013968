//! Rate shapes for open-loop load: a fixed `--rate`, a `--rate A..B --ramp D`, or
//! `--stages '10s@1k,30s@5k..20k'`, parsed, and turned into the schedule the load engines
//! follow: when request k is due, and how many are due by a given time.
//!
//! A shape is a list of stages, each a linear rate from one value to another over its
//! duration (equal values: a hold). The number of requests due by time t is the integral
//! of the rate, N(t); request k is due when N first exceeds k, so a fixed rate R puts
//! request k at k/R, as before shapes existed, and a stage at rate 0 is a pause. Pure
//! arithmetic: no clock, no I/O.

use std::time::Duration;

/// The highest rate: above it the schedule's arithmetic would lose requests, and no
/// loopback test needs more.
pub const MAX_RATE: f64 = 10_000_000.0;

/// The longest shape: a year, like the longest duration.
const MAX_SECONDS: f64 = 365.0 * 86_400.0;
/// The most stages a shape has: more is a mistake (or a file pasted in), and each costs a
/// row in the report.
pub const MAX_STAGES: usize = 1_000;

/// One stage of a shape: `duration` long, the rate going linearly from `from` to `to`
/// (requests per second).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    pub duration: Duration,
    pub from: f64,
    pub to: f64,
}

impl Stage {
    /// The requests the stage holds: the area under its rate.
    pub fn requests(&self) -> f64 {
        (self.from + self.to) / 2.0 * self.duration.as_secs_f64()
    }
}

impl std::fmt::Display for Stage {
    /// `10s@1000` or `30s@5000..20000`, as `--stages` reads it back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let duration = humantime::format_duration(self.duration);
        if self.from == self.to {
            write!(f, "{duration}@{}", rate_text(self.from))
        } else {
            write!(
                f,
                "{duration}@{}..{}",
                rate_text(self.from),
                rate_text(self.to)
            )
        }
    }
}

/// A rate as it is written back: whole numbers without a fraction.
pub fn rate_text(rate: f64) -> String {
    if rate.fract() == 0.0 {
        format!("{rate:.0}")
    } else {
        format!("{rate}")
    }
}

/// `--rate` as given: one rate, or a range (for `--ramp`, or the bounds of
/// `--find-max-rate`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateArg {
    Fixed(f64),
    Range(f64, f64),
}

/// A rate in requests per second: a number, with `k` or `M` for a thousand and a million
/// (rates are counts, so decimal, unlike byte sizes). 0 is a rate here; callers that need
/// more say so.
///
/// # Errors
/// Not a number, negative, or above [`MAX_RATE`].
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (number, scale) = match text.char_indices().last() {
        Some((at, 'k' | 'K')) => (&text[..at], 1e3),
        Some((at, 'M')) => (&text[..at], 1e6),
        _ => (text, 1.0),
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 && n * scale <= MAX_RATE => Ok(n * scale),
        _ => Err(format!(
            "'{text}' is not a rate: write requests per second from 0 to 10M, e.g. 500, 2k or \
             1.5M (k and M are 1,000 and 1,000,000)"
        )),
    }
}

/// `--rate`: `R`, or `A..B`.
///
/// # Errors
/// A rate that does not parse, a fixed rate of 0, or a range whose ends are both 0.
pub fn parse_rate_arg(text: &str) -> Result<RateArg, String> {
    match text.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (parse_rate(from)?, parse_rate(to)?);
            if from == 0.0 && to == 0.0 {
                return Err("a range from 0 to 0 sends nothing: give e.g. 1k..20k".to_owned());
            }
            Ok(RateArg::Range(from, to))
        }
        None => match parse_rate(text)? {
            0.0 => Err("a rate of 0 sends nothing: give requests per second above 0".to_owned()),
            rate => Ok(RateArg::Fixed(rate)),
        },
    }
}

/// `--stages`: `DURATION@RATE` or `DURATION@FROM..TO`, separated by commas.
///
/// # Errors
/// A stage that does not parse, a zero duration, a shape longer than a year, or one that
/// sends nothing.
pub fn parse_stages(text: &str) -> Result<Vec<Stage>, String> {
    let mut stages = Vec::new();
    let mut seconds = 0.0;
    if text.split(',').count() > MAX_STAGES {
        return Err(format!(
            "more than {MAX_STAGES} stages: give fewer, longer ones"
        ));
    }
    for (number, part) in text.split(',').enumerate() {
        let part = part.trim();
        let at = |why: String| format!("stage {} ('{part}'): {why}", number + 1);
        let (duration, rate) = part.split_once('@').ok_or_else(|| {
            at("write DURATION@RATE or DURATION@FROM..TO, e.g. 30s@5k or 30s@5k..20k".to_owned())
        })?;
        let duration = humantime::parse_duration(duration.trim())
            .map_err(|err| at(format!("{err} (write e.g. 500ms, 30s or 2m)")))?;
        if duration.is_zero() {
            return Err(at("a stage lasts longer than 0".to_owned()));
        }
        let (from, to) = match rate.split_once("..") {
            Some((from, to)) => (parse_rate(from).map_err(at)?, parse_rate(to).map_err(at)?),
            None => {
                let rate = parse_rate(rate).map_err(at)?;
                (rate, rate)
            }
        };
        seconds += duration.as_secs_f64();
        stages.push(Stage { duration, from, to });
    }
    if seconds > MAX_SECONDS {
        return Err("the stages last longer than a year".to_owned());
    }
    if stages.iter().all(|stage| stage.requests() < 1.0) {
        return Err("the stages send nothing: give a rate above 0 in one of them".to_owned());
    }
    Ok(stages)
}

/// `--stages` as clap holds it: one value, the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Stages(pub Vec<Stage>);

/// `--stages`, for clap.
///
/// # Errors
/// As [`parse_stages`].
pub fn parse_stages_arg(text: &str) -> Result<Stages, String> {
    parse_stages(text).map(Stages)
}

/// The shape's stages as `--stages` would read them: what a report says it ran.
pub fn describe(stages: &[Stage]) -> String {
    stages
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A stretch of the schedule: a stage, the warm-up before the first, or a fixed rate
/// that holds for ever.
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// When it starts, in seconds from the start of the run.
    start: f64,
    /// Its length in seconds; infinite for a fixed rate.
    length: f64,
    from: f64,
    /// The rate's change per second.
    slope: f64,
    /// Requests due before it starts: N(start).
    before: f64,
    /// Which stage it is, `None` for the warm-up and for a fixed rate.
    stage: Option<usize>,
}

impl Segment {
    fn requests(&self) -> f64 {
        if self.length.is_infinite() {
            f64::INFINITY
        } else {
            self.from * self.length + self.slope * self.length * self.length / 2.0
        }
    }

    /// N at `tau` seconds into the segment.
    fn count(&self, tau: f64) -> f64 {
        let tau = tau.clamp(0.0, self.length);
        self.before + self.from * tau + self.slope * tau * tau / 2.0
    }

    /// How far into the segment N reaches `before + k`, for `k` within it. The form
    /// `2k / (r0 + sqrt(r0² + 2ak))` is the quadratic's root without the cancellation that
    /// `(-r0 + sqrt(...)) / a` suffers when the slope is small, and holds for a = 0.
    fn time_of(&self, k: f64) -> f64 {
        if k <= 0.0 {
            return 0.0;
        }
        let root = (self.from * self.from + 2.0 * self.slope * k)
            .max(0.0)
            .sqrt();
        let denominator = self.from + root;
        if denominator <= 0.0 {
            return self.length;
        }
        (2.0 * k / denominator).min(self.length)
    }
}

/// The open-loop schedule of one process: the shape (and the warm-up before it, at the
/// first stage's rate), dealt to shards. Shard I of N takes the requests k with
/// k mod N = I-1 of the whole run's schedule, so N shards together make exactly the
/// arrivals of one run whatever the shape.
#[derive(Debug, Clone)]
pub struct Schedule {
    segments: Vec<Segment>,
    /// Requests the whole schedule holds; infinite for a fixed rate.
    total: f64,
    /// The shape's stages, as given (empty for a fixed rate).
    stages: Vec<Stage>,
    /// The warm-up's length in seconds.
    warmup: f64,
    /// This shard's place: every `stride`-th request from `first`.
    first: u64,
    stride: u64,
}

impl Schedule {
    /// A fixed rate for as long as the run lasts.
    pub fn fixed(rate: f64) -> Schedule {
        Schedule::of(
            vec![Segment {
                start: 0.0,
                length: f64::INFINITY,
                from: rate,
                slope: 0.0,
                before: 0.0,
                stage: None,
            }],
            Vec::new(),
            0.0,
        )
    }

    /// `stages`, after `warmup` at the first stage's starting rate.
    pub fn shaped(stages: &[Stage], warmup: Duration) -> Schedule {
        let mut segments = Vec::with_capacity(stages.len() + 1);
        let mut start = 0.0;
        let mut before = 0.0;
        let mut push = |length: f64, from: f64, to: f64, stage: Option<usize>| {
            let segment = Segment {
                start,
                length,
                from,
                slope: (to - from) / length,
                before,
                stage,
            };
            start += length;
            before += segment.requests();
            segments.push(segment);
        };
        if !warmup.is_zero()
            && let Some(first) = stages.first()
        {
            push(warmup.as_secs_f64(), first.from, first.from, None);
        }
        for (number, stage) in stages.iter().enumerate() {
            push(
                stage.duration.as_secs_f64(),
                stage.from,
                stage.to,
                Some(number),
            );
        }
        Schedule::of(segments, stages.to_vec(), warmup.as_secs_f64())
    }

    fn of(segments: Vec<Segment>, stages: Vec<Stage>, warmup: f64) -> Schedule {
        let total = segments
            .last()
            .map_or(0.0, |last| last.before + last.requests());
        Schedule {
            segments,
            total,
            stages,
            warmup,
            first: 0,
            stride: 1,
        }
    }

    /// Shard `index` (1-based) of `of`.
    pub fn sharded(mut self, index: u32, of: u32) -> Schedule {
        self.first = u64::from(index.saturating_sub(1));
        self.stride = u64::from(of.max(1));
        self
    }

    /// The stages, empty for a fixed rate.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// The fixed rate, for a schedule that is one (this shard's share of it).
    pub fn fixed_rate(&self) -> Option<f64> {
        match self.segments.as_slice() {
            [only] if only.length.is_infinite() => Some(only.from / self.stride as f64),
            _ => None,
        }
    }

    /// How long the shape lasts after the warm-up; `None` for a fixed rate.
    pub fn length(&self) -> Option<Duration> {
        let last = self.segments.last()?;
        last.length
            .is_finite()
            .then(|| Duration::from_secs_f64(last.start + last.length - self.warmup))
    }

    /// The whole run's N(t): requests due by `t` seconds, shards together.
    fn whole_count(&self, t: f64) -> f64 {
        let at = self
            .segments
            .partition_point(|segment| segment.start <= t)
            .saturating_sub(1);
        match self.segments.get(at) {
            Some(segment) => segment.count(t - segment.start).min(self.total),
            None => 0.0,
        }
    }

    /// Requests of this shard due by `at` since the start of the run: ceil(N(t)) of the
    /// whole run (request k is due once N exceeds k), dealt to the shards.
    pub fn due_by(&self, at: Duration) -> u64 {
        let whole = self.whole_count(at.as_secs_f64()).ceil();
        let whole = if whole >= u64::MAX as f64 {
            u64::MAX
        } else {
            whole as u64
        };
        self.part(whole)
    }

    /// This shard's share of the whole run's first `whole` requests.
    fn part(&self, whole: u64) -> u64 {
        if whole <= self.first {
            0
        } else {
            (whole - self.first).div_ceil(self.stride)
        }
    }

    /// When this shard's request `index` is due, since the start of the run; `None` past
    /// the schedule's end.
    pub fn due(&self, index: u64) -> Option<Duration> {
        let whole = index
            .checked_mul(self.stride)
            .and_then(|k| k.checked_add(self.first))? as f64;
        if whole >= self.total {
            return None;
        }
        // The segment holding request `whole`: the last whose N at its start is at most
        // it, skipping pauses (they hold no request).
        let at = self
            .segments
            .partition_point(|segment| segment.before <= whole)
            .saturating_sub(1);
        let mut segment = self.segments.get(at)?;
        let mut next = at;
        while segment.requests() <= whole - segment.before && next + 1 < self.segments.len() {
            next += 1;
            segment = &self.segments[next];
        }
        let seconds = segment.start + segment.time_of(whole - segment.before);
        Some(Duration::from_secs_f64(seconds.min(MAX_SECONDS)))
    }

    /// Which stage a time since the start of the run falls in; `None` in the warm-up, past
    /// the end, or for a fixed rate.
    pub fn stage_at(&self, at: Duration) -> Option<usize> {
        let t = at.as_secs_f64();
        let index = self
            .segments
            .partition_point(|segment| segment.start <= t)
            .checked_sub(1)?;
        let segment = self.segments.get(index)?;
        (t < segment.start + segment.length)
            .then_some(segment.stage)
            .flatten()
    }

    /// When stage `number` starts, since the start of the run.
    pub fn stage_start(&self, number: usize) -> Option<Duration> {
        // The warm-up, when there is one, is the segment before the first stage.
        let lead = usize::from(self.warmup > 0.0);
        self.segments
            .get(number + lead)
            .filter(|segment| segment.stage == Some(number))
            .map(|segment| Duration::from_secs_f64(segment.start))
    }

    /// The whole run's intended rate at a time since its start (this shard's share).
    pub fn rate_at(&self, at: Duration) -> f64 {
        let t = at.as_secs_f64();
        let index = self
            .segments
            .partition_point(|segment| segment.start <= t)
            .saturating_sub(1);
        match self.segments.get(index) {
            Some(segment) if t < segment.start + segment.length => {
                (segment.from + segment.slope * (t - segment.start)) / self.stride as f64
            }
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages(text: &str) -> Vec<Stage> {
        parse_stages(text).unwrap()
    }

    #[test]
    fn rates_take_k_and_m_as_thousands_and_millions() {
        assert_eq!(parse_rate("1k"), Ok(1_000.0));
        assert_eq!(parse_rate("2.5M"), Ok(2_500_000.0));
        assert_eq!(parse_rate("750"), Ok(750.0));
        assert_eq!(parse_rate("0"), Ok(0.0));
        for bad in ["-5", "1e300", "20M", "fast", "", "NaN", "inf", "1m"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_rate_arg("1k..50k"), Ok(RateArg::Range(1e3, 5e4)));
        assert_eq!(parse_rate_arg("20k..0"), Ok(RateArg::Range(2e4, 0.0)));
        assert_eq!(parse_rate_arg("5000"), Ok(RateArg::Fixed(5e3)));
        for bad in ["0", "0..0", "-1..5", "1k..", "..5"] {
            assert!(parse_rate_arg(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stages_parse_and_read_back() {
        let parsed = stages("10s@1k, 30s@5k..20k,10s@20k..0");
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[1].from, 5_000.0);
        assert_eq!(parsed[1].to, 20_000.0);
        assert_eq!(describe(&parsed), "10s@1000,30s@5000..20000,10s@20000..0");
        assert_eq!(stages(&describe(&parsed)), parsed);
        for bad in [
            "", "10s", "10s@", "@5k", "0s@5k", "10x@5k", "10s@-5", "10s@5k..", "10s@0", "10s@0..0",
            "10s@1k,,", "400d@1",
        ] {
            assert!(parse_stages(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_fixed_rate_puts_request_k_at_k_over_r() {
        let schedule = Schedule::fixed(1_000.0);
        for k in [0, 1, 999, 123_456] {
            let due = schedule.due(k).unwrap().as_secs_f64();
            assert!((due - k as f64 / 1_000.0).abs() < 1e-9, "{k}: {due}");
        }
        assert_eq!(schedule.due_by(Duration::ZERO), 0);
        assert_eq!(schedule.due_by(Duration::from_micros(1)), 1);
        assert_eq!(schedule.due_by(Duration::from_millis(1500)), 1500);
        assert_eq!(schedule.fixed_rate(), Some(1_000.0));
        assert_eq!(schedule.length(), None);
    }

    #[test]
    fn a_ramp_follows_the_area_under_its_rate() {
        // 1,000/s rising to 3,000/s over 10 s: 20,000 requests, 2,000 in the first
        // 1.9... s and N(t) = 1000t + 100t².
        let schedule = Schedule::shaped(&stages("10s@1k..3k"), Duration::ZERO);
        assert_eq!(schedule.due_by(Duration::from_secs(10)), 20_000);
        assert_eq!(schedule.due_by(Duration::from_secs(20)), 20_000);
        assert_eq!(schedule.due_by(Duration::from_secs(5)), 7_500);
        for t in [0.5f64, 2.0, 7.25, 9.99] {
            let n = 1000.0 * t + 100.0 * t * t;
            let due = schedule.due(n as u64).unwrap().as_secs_f64();
            let expected = (-1000.0 + (1e6 + 400.0 * (n.floor())).sqrt()) / 200.0;
            assert!((due - expected).abs() < 1e-6, "{t}: {due} vs {expected}");
        }
        assert_eq!(schedule.due(20_000), None);
        assert!((schedule.rate_at(Duration::from_secs(5)) - 2_000.0).abs() < 1e-6);
    }

    #[test]
    fn stages_hold_ramp_and_pause_in_turn() {
        let schedule = Schedule::shaped(
            &stages("1s@100,1s@0,1s@0..200,1s@200..0"),
            Duration::from_secs(1),
        );
        // Warm-up at 100/s, then 100, a pause, 100 ramping up, 100 ramping down.
        assert_eq!(schedule.due_by(Duration::from_secs(1)), 100);
        assert_eq!(schedule.due_by(Duration::from_secs(2)), 200);
        assert_eq!(schedule.due_by(Duration::from_secs(3)), 200);
        assert_eq!(schedule.due_by(Duration::from_secs(4)), 300);
        assert_eq!(schedule.due_by(Duration::from_secs(5)), 400);
        // The first request after the pause is due when the pause ends, not during it.
        let after = schedule.due(200).unwrap().as_secs_f64();
        assert!((3.0..3.2).contains(&after), "{after}");
        assert_eq!(schedule.stage_at(Duration::from_millis(500)), None);
        assert_eq!(schedule.stage_at(Duration::from_millis(1500)), Some(0));
        assert_eq!(schedule.stage_at(Duration::from_millis(4500)), Some(3));
        assert_eq!(schedule.stage_at(Duration::from_secs(6)), None);
        assert_eq!(schedule.length(), Some(Duration::from_secs(4)));
        assert_eq!(schedule.stage_start(2), Some(Duration::from_secs(3)));
        // Every request's due time is in order, and due_by agrees with it.
        let mut last = Duration::ZERO;
        for k in 0..400 {
            let due = schedule.due(k).unwrap();
            assert!(due >= last, "{k}");
            assert!(
                schedule.due_by(due + Duration::from_nanos(1_000)) > k,
                "{k}"
            );
            last = due;
        }
    }

    #[test]
    fn shards_of_a_shape_interleave_into_the_whole() {
        let shape = stages("2s@0..1k,1s@1k..300");
        let whole = Schedule::shaped(&shape, Duration::ZERO);
        let of = 3;
        let mut due: Vec<Duration> = (1..=of)
            .flat_map(|index| {
                let shard = Schedule::shaped(&shape, Duration::ZERO).sharded(index, of);
                (0..).map_while(move |j| shard.due(j))
            })
            .collect();
        due.sort();
        let expected: Vec<Duration> = (0..).map_while(|k| whole.due(k)).collect();
        assert_eq!(due, expected);
        let at = Duration::from_millis(2345);
        let parts: u64 = (1..=of)
            .map(|index| {
                Schedule::shaped(&shape, Duration::ZERO)
                    .sharded(index, of)
                    .due_by(at)
            })
            .sum();
        assert_eq!(parts, whole.due_by(at));
    }
}
