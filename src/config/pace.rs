//! Planning a load run's pace: closed loop, a fixed `--rate`, a `--rate A..B --ramp D` or
//! `--stages`, dealt to this shard; and how long the run lasts. `--find-max-rate` is
//! planned in `capacity.rs` and sets the rate of each step itself.

use std::time::Duration;

use color_eyre::eyre::Result;

use crate::cli::ShapeArgs;
use crate::load::Engine;
use crate::load::capacity::{Capacity, Search};
use crate::load::shard::Shard;
use crate::shape::{RateArg, Schedule, Stage};

use super::refuse::usage;
use super::{DEFAULT_LOAD_DURATION, Plan};

/// The open loop's schedule (`None`: closed loop) and how long to measure; or, for
/// `--find-max-rate`, the search that sets each step's rate.
pub(super) struct Pace {
    pub schedule: Option<Schedule>,
    pub duration: Option<Duration>,
    pub search: Option<Search>,
}

/// `--find-max-rate`'s range when `--rate` does not give one.
const SEARCH_LOW: f64 = 100.0;
const SEARCH_HIGH: f64 = 1_000_000.0;
/// A step's measured time, and its warm-up, when not given.
const STEP: Duration = Duration::from_secs(4);
const STEP_WARMUP: Duration = Duration::from_secs(1);

/// `duration` is `-d`; `counted`, whether `-n` bounds the run.
pub(super) fn pace(
    shape: &ShapeArgs,
    duration: Option<Duration>,
    counted: bool,
    warmup: Duration,
    shard: Option<Shard>,
) -> Result<Pace> {
    if shape.find_max_rate {
        return search(shape, duration, counted, warmup, shard);
    }
    for (given, flag) in [
        (shape.slo.is_some(), "--slo"),
        (shape.step_duration.is_some(), "--step-duration"),
    ] {
        if given {
            return Err(usage(format!(
                "{flag} goes with --find-max-rate (the capacity search)"
            )));
        }
    }
    let stages = match (shape.rate, shape.ramp, &shape.stages) {
        (_, _, Some(_)) if shape.rate.is_some() || shape.ramp.is_some() => {
            return Err(usage(
                "--stages gives the rates itself: leave out --rate and --ramp",
            ));
        }
        (_, _, Some(stages)) => Some(stages.0.clone()),
        (Some(RateArg::Range(from, to)), Some(ramp), None) => {
            if ramp.is_zero() {
                return Err(usage("--ramp 0 would ramp nothing: give e.g. --ramp 60s"));
            }
            Some(vec![Stage {
                duration: ramp,
                from,
                to,
            }])
        }
        (Some(RateArg::Range(from, to)), None, None) => {
            return Err(usage(format!(
                "--rate {}..{} is a range: ramp over it with --ramp DURATION, or search it \
                 with --find-max-rate --slo",
                crate::shape::rate_text(from),
                crate::shape::rate_text(to)
            )));
        }
        (_, Some(_), None) => {
            return Err(usage(
                "--ramp needs the rates to ramp between: --rate FROM..TO (e.g. 1k..20k)",
            ));
        }
        (Some(RateArg::Fixed(rate)), None, None) => {
            let schedule = Schedule::fixed(rate);
            return Ok(Pace {
                schedule: Some(dealt(schedule, shard)),
                duration: default_duration(duration, counted),
                search: None,
            });
        }
        (None, None, None) => None,
    };
    let Some(stages) = stages else {
        return Ok(Pace {
            schedule: None,
            duration: default_duration(duration, counted),
            search: None,
        });
    };
    if duration.is_some() {
        return Err(usage(format!(
            "the shape sets how long the run lasts ({}): leave out -d",
            humantime::format_duration(stages.iter().map(|s| s.duration).sum::<Duration>())
        )));
    }
    let schedule = dealt(Schedule::shaped(&stages, warmup), shard);
    Ok(Pace {
        duration: schedule.length(),
        schedule: Some(schedule),
        search: None,
    })
}

/// `--find-max-rate`: the range, the promise and the steps' length, each flag that would
/// fight the search refused by name.
fn search(
    shape: &ShapeArgs,
    duration: Option<Duration>,
    counted: bool,
    warmup: Duration,
    shard: Option<Shard>,
) -> Result<Pace> {
    let refusals = [
        (counted, "-n", "each step runs for --step-duration"),
        (
            duration.is_some(),
            "-d",
            "--step-duration sets each step's length",
        ),
        (
            shape.ramp.is_some(),
            "--ramp",
            "the search sets each step's rate",
        ),
        (
            shape.stages.is_some(),
            "--stages",
            "the search sets each step's rate",
        ),
        (
            matches!(shape.rate, Some(RateArg::Fixed(_))),
            "a fixed --rate",
            "the search looks between two rates: give --rate LOW..HIGH, or leave it out for \
             100..1M",
        ),
    ];
    for (given, flag, why) in refusals {
        if given {
            return Err(usage(format!(
                "{flag} does not go with --find-max-rate: {why}"
            )));
        }
    }
    if shard.is_some() {
        return Err(usage(
            "--find-max-rate cannot be sharded: each shard would judge its own share and stop \
             at its own step, so no step would hold the whole rate; search from one machine \
             (with more --threads), or run --stages across shards and merge them",
        ));
    }
    let (low, high) = match shape.rate {
        Some(RateArg::Range(low, high)) => (low, high),
        _ => (SEARCH_LOW, SEARCH_HIGH),
    };
    if low <= 0.0 || low >= high {
        return Err(usage(format!(
            "--rate {}..{}: a search goes up from a rate above 0 to a higher one (e.g. \
             100..50k)",
            crate::shape::rate_text(low),
            crate::shape::rate_text(high)
        )));
    }
    let Some(slo) = shape.slo.clone() else {
        return Err(usage(
            "--find-max-rate needs the promise to keep: --slo 'p99<5ms' (see --help)",
        ));
    };
    let step = shape.step_duration.unwrap_or(STEP);
    if step.is_zero() {
        return Err(usage(
            "--step-duration 0 would measure nothing: give e.g. 4s",
        ));
    }
    Ok(Pace {
        schedule: None,
        duration: Some(step),
        search: Some(Search {
            slo,
            low,
            high,
            step,
            warmup: if warmup.is_zero() {
                STEP_WARMUP
            } else {
                warmup
            },
        }),
    })
}

/// The plan for a load `engine`: the run itself, or a search over its rate.
pub(super) fn planned(engine: Engine, search: Option<Search>) -> Plan {
    match (search, engine) {
        (Some(search), engine) => Plan::Capacity(Capacity { engine, search }),
        (None, Engine::Tcp(load)) => Plan::TcpLoad(load),
        (None, Engine::Udp(load)) => Plan::UdpLoad(load),
        (None, Engine::UdpRequest(load)) => Plan::UdpRequestLoad(load),
    }
}

/// This shard's part of the schedule: every N-th request of the whole run's.
fn dealt(schedule: Schedule, shard: Option<Shard>) -> Schedule {
    match shard {
        Some(shard) => schedule.sharded(shard.index, shard.of),
        None => schedule,
    }
}

/// `-d`, or the default when neither `-d` nor a count says when to stop.
pub(super) fn default_duration(given: Option<Duration>, counted: bool) -> Option<Duration> {
    given.or((!counted).then_some(DEFAULT_LOAD_DURATION))
}
