//! `--html FILE`: a load run's report (or a merge's) as one self-contained page a person
//! reads at a glance: the latency distribution on HdrHistogram's percentile axis,
//! corrected and uncorrected; latency, rate and errors second by second, stages marked;
//! the report as the terminal shows it; and what ran, where and when. Every figure comes
//! from the report's own histograms and rows, the ones `--json` prints; the page fetches
//! nothing and runs no script.

use std::fmt::Write as _;

use hdrhistogram::Histogram;

use super::report::{schema, text};
use super::svg::{Axis, Chart, Scale, Series, escape};
use crate::event::Throughput;
use crate::report::schema::{ReportJson, SummaryJson};
use crate::report::search::{Step, Verdict};
use crate::report::timeline::Row;
use crate::report::{ErrorKind, Report};
use crate::slo::Slo;

/// Colours of the series, distinct in print as on screen.
const BLUE: &str = "#1f5fbf";
const ORANGE: &str = "#d9730d";
const RED: &str = "#c0392b";
const GREEN: &str = "#2e8b57";
const GREY: &str = "#7f8c8d";
const KIND_COLOURS: [&str; 9] = [
    "#c0392b", "#8e44ad", "#d35400", "#2c3e50", "#16a085", "#7f8c8d", "#27ae60", "#2980b9",
    "#f39c12",
];

/// The page for `report`, run as `command`.
pub fn load_report(report: &Report, command: &str) -> String {
    let json = schema(report);
    let mut body = String::new();
    let title = format!(
        "netdemo load report: {}",
        json.target.as_deref().unwrap_or("")
    );
    let _ = write!(body, "<h1>{}</h1>", escape(&title));
    summary_table(&json, &mut body);
    let _ = write!(
        body,
        r#"<figure><figcaption>Latency by percentile{}</figcaption>{}</figure>"#,
        if json.target_rps.is_some() {
            " (corrected: from each request's due time; uncorrected: from its send)"
        } else {
            ""
        },
        percentiles(report).svg()
    );
    let seconds = report.recorded.seconds.all(Row::second);
    if !seconds.is_empty() {
        let marks = stage_marks(report);
        let _ = write!(
            body,
            "<figure><figcaption>Latency each second</figcaption>{}</figure>",
            latency_over_time(&seconds, &marks).svg()
        );
        let _ = write!(
            body,
            "<figure><figcaption>Requests answered each second{}</figcaption>{}</figure>",
            if json.target_rps.is_some() {
                ", against the schedule's"
            } else {
                ""
            },
            rate_over_time(&seconds, report.measured.as_secs_f64(), &marks).svg()
        );
        match errors_over_time(&seconds, &marks) {
            Some(chart) => {
                let _ = write!(
                    body,
                    "<figure><figcaption>Errors each second, by kind</figcaption>{}</figure>",
                    chart.svg()
                );
            }
            None => body.push_str(r#"<p class="none" id="errors-over-time">No errors.</p>"#),
        }
    }
    let _ = write!(
        body,
        r#"<h2>The report</h2><pre class="report">{}</pre>"#,
        escape(&text(&json))
    );
    provenance_table(&json, command, &mut body);
    page(&title, &body)
}

/// The page for a capacity search (`--find-max-rate`): the promise against each step's
/// rate, the rate achieved against intended, every step, and the answer.
pub fn search_report(search: &SearchPage<'_>, command: &str) -> String {
    let SearchPage {
        slo,
        steps,
        kept,
        broke,
        provenance,
    } = search;
    let mut body = String::new();
    let title = format!("netdemo capacity search: {}", provenance.target);
    let _ = write!(body, "<h1>{}</h1>", escape(&title));
    let answer = match (kept.map(|k| &steps[k]), broke.map(|b| &steps[b])) {
        (Some(kept), Some(broke)) => format!(
            "The highest rate that kept {slo}: {:.0} requests/s; the next step, {:.0}/s, broke \
             it ({}).",
            kept.rate,
            broke.rate,
            broke.broken().join(", ")
        ),
        (Some(kept), None) => format!(
            "The highest rate searched, {:.0} requests/s, kept {slo}: the service may take more.",
            kept.rate
        ),
        (None, _) => format!("No rate kept {slo}."),
    };
    let _ = write!(
        body,
        r#"<p class="answer" data-max-rps="{}">{}</p>"#,
        kept.map(|k| format!("{}", steps[k].rate))
            .unwrap_or_default(),
        escape(&answer)
    );
    let mut by_rate: Vec<&Step> = steps.iter().collect();
    by_rate.sort_by(|a, b| a.rate.total_cmp(&b.rate));
    let top_rate = by_rate.last().map_or(1.0, |s| s.rate);
    let marks: Vec<(f64, String)> = kept
        .map(|k| (steps[k].rate, format!("kept {:.0}/s", steps[k].rate)))
        .into_iter()
        .collect();
    // One line per latency bound, and the bound itself, dashed.
    let mut series = Vec::new();
    let mut top = 0.0_f64;
    for (number, bound) in slo.0.iter().enumerate() {
        let crate::slo::Limit::Latency(limit) = bound.limit else {
            continue;
        };
        let colour = [BLUE, ORANGE, RED, GREEN][number % 4];
        let points: Vec<(f64, f64)> = by_rate
            .iter()
            .filter_map(|step| {
                let figure = step.bounds.get(number)?;
                Some((step.rate, figure.value / 1000.0))
            })
            .collect();
        let limit_ms = limit.as_secs_f64() * 1000.0;
        top = points.iter().map(|p| p.1).fold(top.max(limit_ms), f64::max);
        series.push(Series {
            name: bound.name(),
            color: colour,
            dashed: false,
            points,
        });
        series.push(Series {
            name: bound.to_string(),
            color: colour,
            dashed: true,
            points: vec![(0.0, limit_ms), (top_rate, limit_ms)],
        });
    }
    let rate_axis = || Axis::linear_from_zero("step rate (requests/s)", top_rate, count_label);
    if !series.is_empty() {
        let chart = Chart {
            id: "promise".to_owned(),
            x: rate_axis(),
            // Latency past a few times the promise says no more than "broke": cut there.
            y: Axis::linear_from_zero("latency (ms)", top.min(limit_top(slo) * 4.0), ms_label),
            series,
            marks: marks.clone(),
        };
        let _ = write!(
            body,
            "<figure><figcaption>The promise at each step's rate</figcaption>{}</figure>",
            chart.svg()
        );
    }
    let achieved = Chart {
        id: "achieved".to_owned(),
        x: rate_axis(),
        y: rate_axis(),
        series: vec![
            Series {
                name: "achieved".to_owned(),
                color: GREEN,
                dashed: false,
                points: by_rate.iter().map(|s| (s.rate, s.achieved)).collect(),
            },
            Series {
                name: "intended".to_owned(),
                color: GREY,
                dashed: true,
                points: vec![(0.0, 0.0), (top_rate, top_rate)],
            },
        ],
        marks,
    };
    let _ = write!(
        body,
        "<figure><figcaption>Requests answered per second at each step's rate</figcaption>{}</figure>",
        achieved.svg()
    );
    body.push_str(
        r#"<h2>Steps, in the order they ran</h2><table class="steps"><tr><th>step</th><th>rate</th><th>achieved</th><th>figures</th><th>verdict</th></tr>"#,
    );
    for step in steps.iter() {
        let figures: Vec<String> = step
            .bounds
            .iter()
            .map(|b| format!("{} {}", b.name, b.shown))
            .collect();
        let verdict = match step.verdict {
            Verdict::Kept => "kept".to_owned(),
            Verdict::Broke => format!("broke: {}", step.broken().join(", ")),
        };
        let _ = write!(
            body,
            r#"<tr><td class="n">{}</td><td class="n">{:.0}</td><td class="n">{:.0}</td><td>{}</td><td>{}</td></tr>"#,
            step.number,
            step.rate,
            step.achieved,
            escape(&figures.join(", ")),
            escape(&verdict)
        );
    }
    body.push_str("</table>");
    let json = ReportJson {
        target: Some(provenance.target.clone()),
        mode: Some(provenance.mode.clone()),
        framing: Some(provenance.framing.clone()),
        message_bytes: provenance.message_bytes as u64,
        ..ReportJson::default()
    };
    provenance_table(&json, command, &mut body);
    page(&title, &body)
}

/// The page for a throughput run (`--mode send|receive`, TCP, Unix or one-way UDP): bits
/// per second each second, the round trip where TCP_INFO gave one, the whole run, and
/// what arrived of a one-way UDP run.
pub fn throughput_report(
    target: &str,
    seconds: &[Throughput],
    whole: &Throughput,
    command: &str,
) -> String {
    let mut body = String::new();
    let verb = if whole.sending { "sent" } else { "received" };
    let title = format!("netdemo throughput: {target}");
    let _ = write!(body, "<h1>{}</h1>", escape(&title));
    let mut rows: Vec<(&str, &str, String)> = vec![
        ("bytes", "bytes", whole.bytes.to_string()),
        (
            "bits_per_s",
            "bits/s",
            format!("{:.0}", whole.bits_per_s().round()),
        ),
        ("streams", "streams", whole.streams.to_string()),
        ("threads", "threads", whole.threads.to_string()),
    ];
    if let Some(retransmits) = whole.retransmits {
        rows.push(("retransmits", "retransmits", retransmits.to_string()));
    }
    if let Some(arrived) = whole.arrived {
        rows.push(("datagrams", "datagrams sent", arrived.sent.to_string()));
        if let Some(report) = arrived.report {
            rows.push(("received", "received", report.received.to_string()));
            let lost = arrived.sent.saturating_sub(report.received);
            rows.push(("lost", "lost", lost.to_string()));
            rows.push((
                "jitter_us",
                "jitter (µs)",
                format!("{:.1}", report.jitter_us),
            ));
        }
    }
    body.push_str(r#"<table class="figures">"#);
    for (key, label, value) in rows {
        let _ = write!(
            body,
            r#"<tr><th>{label}</th><td class="n" data-key="{key}">{}</td></tr>"#,
            escape(&value)
        );
    }
    body.push_str("</table>");
    let _ = write!(
        body,
        r#"<p class="whole">{verb} {} in {:.2} s: {}</p>"#,
        escape(&super::throughput::bytes(whole.bytes)),
        whole.to.as_secs_f64(),
        escape(&super::throughput::bits(whole.bits_per_s()))
    );
    let seconds_axis = Axis::linear_from_zero(
        "seconds",
        seconds.last().map_or(1.0, |s| s.to.as_secs_f64()),
        |v| format!("{v:.0}"),
    );
    let middle = |s: &Throughput| (s.from.as_secs_f64() + s.to.as_secs_f64()) / 2.0;
    let rate = Series {
        name: verb.to_owned(),
        color: BLUE,
        dashed: false,
        points: seconds
            .iter()
            .map(|s| (middle(s), s.bits_per_s()))
            .collect(),
    };
    let top = rate.points.iter().map(|p| p.1).fold(1.0, f64::max);
    let chart = Chart {
        id: "throughput".to_owned(),
        x: seconds_axis.clone(),
        y: Axis::linear_from_zero("bits/s", top, count_label),
        series: vec![rate],
        marks: Vec::new(),
    };
    let _ = write!(
        body,
        "<figure><figcaption>Bits per second, each second</figcaption>{}</figure>",
        chart.svg()
    );
    if seconds.iter().any(|s| s.rtt_us.is_some()) {
        let rtt = Series {
            name: "rtt".to_owned(),
            color: ORANGE,
            dashed: false,
            points: seconds
                .iter()
                .filter_map(|s| Some((middle(s), s.rtt_us? as f64 / 1000.0)))
                .collect(),
        };
        let top = rtt.points.iter().map(|p| p.1).fold(0.001, f64::max);
        let chart = Chart {
            id: "rtt".to_owned(),
            x: seconds_axis,
            y: Axis::linear_from_zero("round trip (ms)", top, ms_label),
            series: vec![rtt],
            marks: Vec::new(),
        };
        let _ = write!(
            body,
            "<figure><figcaption>TCP's smoothed round trip, each second</figcaption>{}</figure>",
            chart.svg()
        );
    }
    let json = ReportJson {
        target: Some(target.to_owned()),
        mode: Some(if whole.sending { "send" } else { "receive" }.to_owned()),
        connections: whole.streams as u64,
        threads: Some(whole.threads as u64),
        ..ReportJson::default()
    };
    provenance_table(&json, command, &mut body);
    page(&title, &body)
}

/// What a capacity search page shows.
pub struct SearchPage<'a> {
    pub slo: &'a Slo,
    pub steps: &'a [Step],
    pub kept: Option<usize>,
    pub broke: Option<usize>,
    pub provenance: &'a crate::report::Provenance,
}

/// The loosest latency bound of the promise, in milliseconds.
fn limit_top(slo: &Slo) -> f64 {
    slo.0
        .iter()
        .filter_map(|bound| match bound.limit {
            crate::slo::Limit::Latency(d) => Some(d.as_secs_f64() * 1000.0),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// The page around `body`.
fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="netdemo {version}">
<title>{title}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 900px; }}
h1 {{ font-size: 20px; margin: 0 0 12px; }}
h2 {{ font-size: 16px; margin: 24px 0 8px; }}
figure {{ margin: 18px 0; break-inside: avoid; }}
figcaption {{ font-weight: 600; margin-bottom: 4px; }}
table {{ border-collapse: collapse; margin: 8px 0; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
pre.report {{ background: #f6f6f6; padding: 8px; font-size: 12px; overflow-x: auto; }}
svg text {{ font: 11px system-ui, sans-serif; fill: #333; }}
svg .label {{ font-size: 12px; }}
svg .grid {{ stroke: #e3e3e3; }}
svg .frame {{ fill: none; stroke: #999; }}
svg .mark {{ stroke: #888; stroke-dasharray: 3 3; }}
svg .mark-label {{ font-size: 10px; fill: #555; }}
.none {{ color: #2e7d32; }}
@media print {{ body {{ margin: 0; max-width: none; }} }}
</style>
</head>
<body>
{body}
</body>
</html>
"#,
        version = env!("CARGO_PKG_VERSION"),
        title = escape(title),
    )
}

/// The run's headline figures, each cell named by the JSON field it shows.
fn summary_table(json: &ReportJson, out: &mut String) {
    let latency = json.latency_us.unwrap_or_default();
    let mut rows: Vec<(&str, &str, String)> = vec![
        ("requests", "requests ok", json.requests.to_string()),
        ("errors", "errors", json.errors.to_string()),
        ("rps", "requests/s", format!("{:.1}", json.rps)),
    ];
    if let Some(target) = json.target_rps {
        rows.push(("target_rps", "intended requests/s", format!("{target}")));
    }
    for (key, label, value) in summary_cells(&latency) {
        rows.push((key, label, value));
    }
    out.push_str(r#"<table class="figures">"#);
    for (key, label, value) in rows {
        let _ = write!(
            out,
            r#"<tr><th>{label}</th><td class="n" data-key="{key}">{}</td></tr>"#,
            escape(&value)
        );
    }
    out.push_str("</table>");
}

/// The latency summary's cells: microseconds, as the JSON has them.
fn summary_cells(latency: &SummaryJson) -> [(&'static str, &'static str, String); 6] {
    [
        ("latency_us.p50", "p50 (µs)", latency.p50.to_string()),
        ("latency_us.p90", "p90 (µs)", latency.p90.to_string()),
        ("latency_us.p99", "p99 (µs)", latency.p99.to_string()),
        ("latency_us.p999", "p99.9 (µs)", latency.p999.to_string()),
        ("latency_us.max", "max (µs)", latency.max.to_string()),
        ("latency_us.mean", "mean (µs)", format!("{}", latency.mean)),
    ]
}

/// The percentile distribution, HdrHistogram's way: x is how many nines (0 at the
/// median's left, 1 at p90, 2 at p99...), y the latency.
fn percentiles(report: &Report) -> Chart {
    let recorded = &report.recorded;
    let mut series = vec![Series {
        name: if report.rate.is_some() {
            "corrected".to_owned()
        } else {
            "latency".to_owned()
        },
        color: BLUE,
        dashed: false,
        points: percentile_points(&recorded.latency),
    }];
    if report.rate.is_some() && !recorded.uncorrected.is_empty() {
        series.push(Series {
            name: "uncorrected".to_owned(),
            color: ORANGE,
            dashed: true,
            points: percentile_points(&recorded.uncorrected),
        });
    }
    let nines = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(2.0_f64, f64::max)
        .ceil()
        .min(6.0);
    let top = recorded.latency.max().max(recorded.uncorrected.max()) as f64 / 1000.0;
    let mut ticks = vec![(0.0, "0%".to_owned()), (2f64.log10(), "50%".to_owned())];
    for n in 1..=nines as i32 {
        ticks.push((f64::from(n), nines_label(n)));
    }
    Chart {
        id: "percentiles".to_owned(),
        x: Axis {
            label: "percentile".to_owned(),
            scale: Scale::Linear,
            min: 0.0,
            max: nines,
            ticks,
        },
        y: Axis::linear_from_zero("latency (ms)", top, ms_label),
        series,
        marks: Vec::new(),
    }
}

/// `90%`, `99%`, `99.9%`... for `n` nines.
fn nines_label(n: i32) -> String {
    let percent = 100.0 * (1.0 - 10f64.powi(-n));
    let decimals = (n - 2).max(0) as usize;
    format!("{percent:.decimals$}%")
}

/// The histogram's percentile curve: (nines, ms) up to the last percentile its count can
/// tell apart, then its maximum.
fn percentile_points(histogram: &Histogram<u64>) -> Vec<(f64, f64)> {
    if histogram.is_empty() {
        return Vec::new();
    }
    let limit = (histogram.len() as f64).log10().max(1.0);
    let mut points: Vec<(f64, f64)> = histogram
        .iter_quantiles(4)
        .filter_map(|step| {
            let q = step.quantile_iterated_to();
            let x = if q >= 1.0 { limit } else { -(1.0 - q).log10() };
            (x <= limit).then(|| {
                let value = histogram.highest_equivalent(step.value_iterated_to());
                (x, value.min(histogram.max()) as f64 / 1000.0)
            })
        })
        .collect();
    points.push((limit, histogram.max() as f64 / 1000.0));
    points
}

/// Each stage's start on the measured window's clock, labelled.
fn stage_marks(report: &Report) -> Vec<(f64, String)> {
    let mut at = 0.0;
    report
        .stages
        .iter()
        .enumerate()
        .map(|(number, stage)| {
            let mark = (at, format!("{}: {stage}", number + 1));
            at += stage.duration.as_secs_f64();
            mark
        })
        .collect()
}

fn seconds_axis(rows: usize) -> Axis {
    Axis::linear_from_zero("seconds", rows as f64, |v| format!("{v:.0}"))
}

/// p50, p99 and max of each second, on a log scale so the max does not flatten the rest.
fn latency_over_time(rows: &[Row], marks: &[(f64, String)]) -> Chart {
    let line = |name: &str, color, quantile: Option<f64>| Series {
        name: name.to_owned(),
        color,
        dashed: false,
        points: rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.ok > 0)
            .map(|(t, row)| {
                let us = match quantile {
                    Some(q) => row.latency.value_at_quantile(q),
                    None => row.latency.max(),
                };
                (t as f64 + 0.5, us as f64)
            })
            .collect(),
    };
    let series = vec![
        line("p50", BLUE, Some(0.5)),
        line("p99", ORANGE, Some(0.99)),
        line("max", RED, None),
    ];
    let (low, high) = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold((f64::MAX, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    Chart {
        id: "latency-over-time".to_owned(),
        x: seconds_axis(rows.len()),
        // Microseconds on the axis, read as milliseconds.
        y: Axis::log_decades("latency (ms)", low.min(high), high, |us| {
            ms_label(us / 1000.0)
        }),
        series,
        marks: marks.to_vec(),
    }
}

/// What was answered each second, and what the schedule intended (open loop).
fn rate_over_time(rows: &[Row], measured: f64, marks: &[(f64, String)]) -> Chart {
    // The last second may be cut short: its rate is over the time it had.
    let span = |t: usize| (measured - t as f64).clamp(0.05, 1.0);
    let answered = Series {
        name: "answered".to_owned(),
        color: GREEN,
        dashed: false,
        points: rows
            .iter()
            .enumerate()
            .map(|(t, row)| (t as f64 + 0.5, row.ok as f64 / span(t)))
            .collect(),
    };
    let mut series = vec![answered];
    if rows.iter().any(|row| row.intended.is_some()) {
        series.push(Series {
            name: "intended".to_owned(),
            color: GREY,
            dashed: true,
            points: rows
                .iter()
                .enumerate()
                .map(|(t, row)| {
                    let intended = row.intended.unwrap_or(0) as f64;
                    (t as f64 + 0.5, intended / span(t))
                })
                .collect(),
        });
    }
    let top = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(1.0_f64, f64::max);
    Chart {
        id: "rate-over-time".to_owned(),
        x: seconds_axis(rows.len()),
        y: Axis::linear_from_zero("requests/s", top, count_label),
        series,
        marks: marks.to_vec(),
    }
}

/// Errors each second, a line per kind that had any; `None` when none had.
fn errors_over_time(rows: &[Row], marks: &[(f64, String)]) -> Option<Chart> {
    let series: Vec<Series> = ErrorKind::ALL
        .iter()
        .zip(KIND_COLOURS)
        .filter(|(kind, _)| rows.iter().any(|row| row.errors[**kind as usize] > 0))
        .map(|(kind, color)| Series {
            name: kind.name().to_owned(),
            color,
            dashed: false,
            points: rows
                .iter()
                .enumerate()
                .map(|(t, row)| (t as f64 + 0.5, row.errors[*kind as usize] as f64))
                .collect(),
        })
        .collect();
    if series.is_empty() {
        return None;
    }
    let top = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(1.0_f64, f64::max);
    Some(Chart {
        id: "errors-over-time".to_owned(),
        x: seconds_axis(rows.len()),
        y: Axis::linear_from_zero("errors", top, count_label),
        series,
        marks: marks.to_vec(),
    })
}

/// What ran, where, when, and by which command.
fn provenance_table(json: &ReportJson, command: &str, out: &mut String) {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut rows = vec![
        ("target", text(&json.target)),
        ("mode", text(&json.mode)),
        ("framing", text(&json.framing)),
        ("message bytes", json.message_bytes.to_string()),
        ("connections", json.connections.to_string()),
    ];
    if let Some(threads) = json.threads {
        rows.push(("threads", threads.to_string()));
    }
    if let Some(busy) = json.client_cpu {
        rows.push(("client CPU", format!("{:.0}%", busy * 100.0)));
    }
    if let Some(shape) = &json.shape {
        rows.push(("shape", shape.clone()));
    }
    if let Some(shard) = &json.shard {
        rows.push(("shard", shard.clone()));
    }
    if let Some(merged) = json.merged {
        rows.push(("merged reports", merged.to_string()));
    }
    rows.push(("started", text(&json.started_at)));
    rows.push(("ended", text(&json.ended_at)));
    rows.push(("netdemo", env!("CARGO_PKG_VERSION").to_owned()));
    rows.push(("command", command.to_owned()));
    out.push_str(r#"<h2>What ran</h2><table class="provenance">"#);
    // A search's page knows less than a run's: what it does not know, it leaves out.
    let unknown = |label: &str, value: &str| {
        value.is_empty() || (matches!(label, "connections" | "message bytes") && value == "0")
    };
    for (label, value) in rows.into_iter().filter(|(l, v)| !unknown(l, v)) {
        let _ = write!(out, "<tr><th>{label}</th><td>{}</td></tr>", escape(&value));
    }
    out.push_str("</table>");
}

fn ms_label(ms: f64) -> String {
    if ms >= 100.0 || ms == 0.0 {
        format!("{ms:.0}")
    } else if ms >= 1.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.3}")
    }
}

fn count_label(n: f64) -> String {
    if n >= 1_000_000.0 {
        format!("{:.1}M", n / 1e6)
    } else if n >= 10_000.0 {
        format!("{:.0}k", n / 1e3)
    } else if n >= 1_000.0 {
        format!("{:.1}k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// The command line as typed, quoted where a shell would need it.
pub fn command_line() -> String {
    std::env::args_os()
        .map(|arg| {
            let arg = arg.to_string_lossy().into_owned();
            if !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
            {
                arg
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nines_read_as_percentiles() {
        assert_eq!(nines_label(1), "90%");
        assert_eq!(nines_label(2), "99%");
        assert_eq!(nines_label(3), "99.9%");
        assert_eq!(nines_label(5), "99.999%");
    }

    #[test]
    fn the_percentile_curve_rises_to_the_maximum() {
        let mut histogram = crate::report::stats::new_histogram();
        for us in 1..=10_000 {
            histogram.record(us).unwrap();
        }
        let points = percentile_points(&histogram);
        assert!(
            points
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1)
        );
        let last = points.last().unwrap();
        assert_eq!(last.0, 4.0);
        assert!((last.1 - 10.0).abs() < 0.01, "{last:?}");
    }
}
