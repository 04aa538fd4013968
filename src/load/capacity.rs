//! `--find-max-rate --slo`: the highest open-loop rate a service takes while keeping its
//! promise. Each step is an ordinary open-loop run of the planned engine at one fixed
//! rate: a warm-up it discards, then `--step-duration` measured. The search doubles the
//! rate from the range's low end until a step breaks the promise (or the high end keeps
//! it), then bisects between the last rate that kept it and the first that broke it until
//! they are within [`PRECISION`] of each other.
//!
//! A step breaks the promise when a bound of `--slo` fails, when nothing completed, or
//! when fewer than 95% of the intended requests were answered in the step (a service
//! that falls behind its schedule has no latency to promise). When a step broke the
//! promise while the load generator itself was saturated, it cannot be blamed on the
//! service: the search stops and says so. Saturated means its CPU was, or it sent
//! requests late on connections that were free (its own lag, which corrected latency
//! would charge to the service) by as much as the latency that broke the promise. A step that kept the promise keeps it whatever the
//! generator went through.

use std::time::Duration;

use color_eyre::eyre::bail;

use super::{Engine, run_engine};
use crate::output::Printer;
use crate::report::search::{Bounded, Step, Verdict};
use crate::report::stats::Summary;
use crate::report::{Report, SATURATED};
use crate::shape::Schedule;
use crate::slo::{Figures, Slo};

/// The search stops bisecting when the rate that broke the promise is within this share
/// above the rate that kept it.
pub const PRECISION: f64 = 0.05;
/// A step whose answered requests fall short of its intended ones by more than this
/// share fell behind its schedule.
const BEHIND: f64 = 0.95;

/// What the search holds the service to, and where it looks.
#[derive(Debug, Clone)]
pub struct Search {
    pub slo: Slo,
    pub low: f64,
    pub high: f64,
    /// Each step's measured time, after `warmup`.
    pub step: Duration,
    pub warmup: Duration,
}

/// A capacity search: the planned engine, run at each step's rate.
pub struct Capacity {
    pub engine: Engine,
    pub search: Search,
}

impl std::fmt::Debug for Capacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capacity")
            .field("search", &self.search)
            .finish_non_exhaustive()
    }
}

/// Runs the search, printing each step as it ends and the answer at the end.
///
/// # Errors
/// Even the lowest rate broke the promise; the load generator was saturated; a signal
/// came; or a step could not start.
pub async fn search(capacity: Capacity, printer: &Printer) -> color_eyre::Result<()> {
    let Capacity { engine, search } = capacity;
    let html = engine.html().map(super::Page::create).transpose()?;
    // One endpoint for the whole search: each step attaches its figures in turn.
    let metrics = super::serve_metrics(engine.metrics(), printer).await?;
    if let Some(line) = engine.placement().waiting() {
        printer.status_line(line);
    }
    engine.placement().wait(crate::shutdown::signal()).await?;
    let mut steps: Vec<Step> = Vec::new();
    let mut kept: Option<usize> = None;
    let mut broke: Option<usize> = None;
    let signals = Signals::watch();
    let mut rate = search.low;
    let stopped = loop {
        let report = step(&engine, &search, rate, printer, metrics.as_ref(), &signals).await?;
        let step = judge(steps.len() + 1, rate, &report, &search.slo);
        printer.search_step(&step);
        let verdict = step.verdict;
        let saturated = (verdict == Verdict::Broke)
            .then(|| report.saturated().or_else(|| behind(&report, &search.slo)))
            .flatten();
        steps.push(step);
        if let Some(signal) = report.interrupted {
            printer.search_end(&search.slo, &steps, kept, broke, Some("interrupted"));
            write_page(html, &engine, &search, &steps, kept, broke)?;
            return Err(crate::error::Interrupted(signal).into());
        }
        if let Some(warning) = saturated {
            break Some(warning);
        }
        let last = steps.len() - 1;
        match verdict {
            Verdict::Kept => kept = Some(last),
            Verdict::Broke => broke = Some(last),
        }
        rate = match (kept.map(|k| steps[k].rate), broke.map(|b| steps[b].rate)) {
            // Still stepping up.
            (Some(ok), None) if ok < search.high => (ok * 2.0).min(search.high),
            (Some(_), None) => break None,
            (None, Some(_)) => break None,
            (Some(ok), Some(bad)) if bad <= ok * (1.0 + PRECISION) => break None,
            (Some(ok), Some(bad)) => ((ok + bad) / 2.0).round(),
            (None, None) => break None,
        };
    };
    printer.search_end(&search.slo, &steps, kept, broke, stopped.as_deref());
    write_page(html, &engine, &search, &steps, kept, broke)?;
    if let Some(warning) = stopped {
        bail!(
            "{warning}; the search stopped: the service's limit is above what this generator \
             can offer{}",
            kept.map(|k| format!(" (it kept the promise at {:.0}/s)", steps[k].rate))
                .unwrap_or_default()
        );
    }
    if kept.is_none() {
        let why = broke.map(|b| steps[b].broken().join(", "));
        bail!(
            "even the lowest rate, {:.0}/s, broke the promise ({}): {} (try a lower --rate \
             LOW..HIGH)",
            search.low,
            search.slo,
            why.unwrap_or_default()
        );
    }
    Ok(())
}

/// `--html`: the search as a page, whatever it came to.
fn write_page(
    html: Option<super::Page>,
    engine: &Engine,
    search: &Search,
    steps: &[Step],
    kept: Option<usize>,
    broke: Option<usize>,
) -> color_eyre::Result<()> {
    let Some(page) = html else {
        return Ok(());
    };
    let view = crate::output::html::SearchPage {
        slo: &search.slo,
        steps,
        kept,
        broke,
        provenance: &engine.placement().provenance,
    };
    page.write(&crate::output::html::search_report(
        &view,
        &crate::output::html::command_line(),
    ))
}

/// One step: a warm-up, then the measured time at `rate`, with the engine's own report.
async fn step(
    engine: &Engine,
    search: &Search,
    rate: f64,
    printer: &Printer,
    metrics: Option<&crate::metrics::Endpoint>,
    signals: &Signals,
) -> color_eyre::Result<Report> {
    let schedule = Schedule::fixed(rate);
    // An engine without a warm-up of its own gets one as a run of its own, discarded.
    if !engine.warms_up() && !search.warmup.is_zero() {
        let warmup = engine.stepped(schedule.clone(), Duration::ZERO, search.warmup);
        let report =
            run_engine(warmup, printer.progress(), printer, metrics, signals.next()).await?;
        if report.interrupted.is_some() {
            return Ok(report);
        }
    }
    let stepped = engine.stepped(schedule, search.warmup, search.step);
    let progress = printer.progress();
    let mut report = run_engine(stepped, progress, printer, metrics, signals.next()).await?;
    report.provenance = engine.placement().provenance.clone();
    Ok(report)
}

/// Ctrl-C and SIGTERM for the whole search: watched once, so a signal that comes between
/// two steps stops the next one at once instead of going unseen.
struct Signals {
    received: tokio::sync::watch::Receiver<Option<i32>>,
    watcher: tokio::task::JoinHandle<()>,
}

impl Signals {
    fn watch() -> Signals {
        let (tell, received) = tokio::sync::watch::channel(None);
        // The handlers are installed here, not when the task first runs.
        let signal = crate::shutdown::signal();
        let watcher = tokio::spawn(async move {
            let number = signal.await;
            let _ = tell.send(Some(number));
        });
        Signals { received, watcher }
    }

    /// Resolves with the signal's number once one has come, before this call or after.
    fn next(&self) -> impl std::future::Future<Output = i32> + use<> {
        let mut received = self.received.clone();
        async move {
            loop {
                if let Some(number) = *received.borrow_and_update() {
                    return number;
                }
                if received.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// The generator's own lag, when it could be what broke the promise: the p99 of how late
/// requests that fell due on idle connections were sent is above half the tightest
/// latency bound (10 ms when the promise has none) and above half the step's own p99. A
/// service that queued requests for far longer than the generator lagged broke the
/// promise by itself, whatever the generator went through.
fn behind(report: &Report, slo: &Slo) -> Option<String> {
    let lag = &report.recorded.lag;
    if lag.is_empty() {
        return None;
    }
    let p99 = lag.value_at_quantile(0.99);
    let limit = slo
        .tightest_latency()
        .map_or(10_000, |bound| super::micros(bound) / 2);
    let step_p99 = report.recorded.latency.value_at_quantile(0.99);
    (p99 > limit && p99 > step_p99 / 2).then(|| {
        format!(
            "the load generator fell behind its own schedule: requests that fell due on idle \
             connections went out late (p99 {}, of a p99 latency of {}), which the service \
             had no part in",
            crate::report::stats::micros(p99 as f64),
            crate::report::stats::micros(step_p99 as f64)
        )
    })
}

/// A step's verdict: each bound's figure, and whether the step kept the promise.
fn judge(number: usize, rate: f64, report: &Report, slo: &Slo) -> Step {
    let latency = &report.recorded.latency;
    let errors = report.error_total();
    let figures = Figures {
        latency,
        ok: report.ok,
        errors,
    };
    let bounds: Vec<Bounded> = slo
        .0
        .iter()
        .map(|bound| {
            let value = bound.measure(figures);
            Bounded {
                bound: bound.to_string(),
                name: bound.name(),
                value,
                shown: bound.show(value),
                kept: bound.keeps(value),
            }
        })
        .collect();
    let intended = rate * report.measured.as_secs_f64();
    let why = if report.ok == 0 {
        Some(
            report
                .stalled
                .clone()
                .unwrap_or_else(|| "nothing completed".to_owned()),
        )
    } else if (report.ok as f64) < intended * BEHIND {
        Some(format!(
            "fell behind: {:.0} of {intended:.0} requests answered",
            report.ok
        ))
    } else {
        None
    };
    let verdict = if why.is_none() && bounds.iter().all(|b| b.kept) {
        Verdict::Kept
    } else {
        Verdict::Broke
    };
    Step {
        number,
        rate,
        achieved: report.rps(),
        requests: report.ok,
        errors,
        latency: Summary::of(latency),
        bounds,
        why,
        verdict,
        client_busy: report.client.map(|c| c.busy).filter(|b| *b > SATURATED),
    }
}
