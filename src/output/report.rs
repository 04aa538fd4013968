//! The load report (`tcp connect -c/-d/-n`, `udp send -n/-d`), for people or programs.

use super::Printer;
use super::schema::{EventJson, IntervalJson, LoadIntervalJson};
use crate::report::schema::{
    ErrorsJson, MessageJson, ReportJson, RowJson, SCHEMA_VERSION, SecondJson, StageJson,
    SummaryJson,
};
use crate::report::stats::{Summary, micros, serialize};
use crate::report::timeline::Row;
use crate::report::{ErrorKind, Interval, Report, SATURATED, loss_pct};

impl Printer {
    /// The report of a load run on stdout: human text, or one JSON object with `--json`.
    pub fn load_report(&self, report: &Report) {
        let report = schema(report);
        if self.is_json() {
            self.json_value(&report);
        } else {
            self.text(&text(&report));
        }
    }
}

impl Printer {
    /// One `--interval` of a load run: a line on stderr (asked for, so `-q` does not hide
    /// it, and terminal or not), or an `interval` event with `--json`.
    pub fn load_interval(&self, interval: &Interval) {
        let latency = SummaryJson::from(&Summary::of(&interval.latency));
        let errors: u64 = interval.errors.iter().sum();
        if self.is_json() {
            self.json_value(&EventJson::Interval(IntervalJson::Load(LoadIntervalJson {
                start_s: round3(interval.from.as_secs_f64()),
                end_s: round3(interval.to.as_secs_f64()),
                requests: interval.requests,
                rps: round3(interval.rps()),
                target_rps: interval.target_rps.map(round3),
                latency_us: latency,
                errors,
                errors_by_kind: ErrorsJson::from(&interval.errors),
            })));
            return;
        }
        let target = interval
            .target_rps
            .map(|rate| format!(" (of {rate:.0})"))
            .unwrap_or_default();
        self.stderr_line(format_args!(
            "{:6.2}-{:<6.2} s  {:.0} requests/s{target}  p50 {}  p99 {}  max {}  {errors} errors",
            interval.from.as_secs_f64(),
            interval.to.as_secs_f64(),
            interval.rps(),
            micros(latency.p50 as f64),
            micros(latency.p99 as f64),
            micros(latency.max as f64),
        ));
    }
}

/// The report in the one form `--json` prints and `merge` reads.
pub(super) fn schema(report: &Report) -> ReportJson {
    let recorded = &report.recorded;
    let summary = |histogram| Some(SummaryJson::from(&Summary::of(histogram)));
    let (full, resumed) = (&recorded.tls_handshake, &recorded.tls_resumed);
    let tls = !full.is_empty() || !resumed.is_empty();
    let tcp = report.udp.is_none();
    let p = &report.provenance;
    let mut json = ReportJson {
        event: "report".to_owned(),
        schema_version: SCHEMA_VERSION,
        requests: report.ok,
        errors: report.error_total(),
        errors_by_kind: ErrorsJson::from(&report.errors),
        connections: report.connections as u64,
        duration_s: round3(report.measured.as_secs_f64()),
        warmup_s: round3(report.warmup.as_secs_f64()),
        rps: round3(report.rps()),
        in_flight: report.in_flight,
        greetings_pending: report.greetings_pending,
        error_replies: report.error_replies,
        bytes_per_s: report.bytes_per_s().round(),
        latency_us: summary(&recorded.latency),
        histogram_v2_b64: Some(serialize(&recorded.latency)),
        // Left out where nothing connected (a UDP request load, a run all refused).
        connect_us: (tcp && !recorded.connect.is_empty())
            .then(|| summary(&recorded.connect))
            .flatten(),
        connect_histogram_b64: tcp.then(|| serialize(&recorded.connect)),
        tls_full: tls.then(|| full.len()),
        tls_resumed: tls.then(|| resumed.len()),
        tls_handshake_us: (!full.is_empty()).then(|| summary(full)).flatten(),
        tls_handshake_histogram_b64: (!full.is_empty()).then(|| serialize(full)),
        tls_resumed_us: (!resumed.is_empty()).then(|| summary(resumed)).flatten(),
        tls_resumed_histogram_b64: (!resumed.is_empty()).then(|| serialize(resumed)),
        target: Some(p.target.clone()),
        mode: Some(p.mode.clone()),
        framing: Some(p.framing.clone()),
        message_bytes: p.message_bytes as u64,
        bytes: report.bytes,
        shard: p.shard.map(|shard| shard.to_string()),
        merged: (p.merged > 1).then_some(p.merged as u64),
        threads: report.client.map(|client| client.threads as u64),
        client_cpu: report.client.map(|client| round3(client.busy)),
        ..ReportJson::default()
    };
    if let (Some(started), Some(ended)) = (p.started_at, p.ended_at) {
        json.started_at = Some(humantime::format_rfc3339_millis(started).to_string());
        json.ended_at = Some(humantime::format_rfc3339_millis(ended).to_string());
    }
    if report.reconnect {
        let connections = recorded.connect.len();
        json.connections_made = Some(connections);
        json.connections_per_s = Some(round3(
            connections as f64 / report.measured.as_secs_f64().max(1e-9),
        ));
    }
    json.by_message = report
        .by_message
        .iter()
        .zip(&recorded.by_message)
        .map(|((label, errors), latency)| {
            let latency = Summary::of(latency);
            MessageJson {
                message: label.clone(),
                requests: latency.count,
                errors: *errors,
                latency_us: SummaryJson::from(&latency),
            }
        })
        .collect();
    if let Some(rate) = report.rate {
        json.target_rps = Some(round3(rate));
        // UDP round trips are timed from each datagram's actual send, carried in it.
        if tcp {
            json.latency_uncorrected_us = summary(&recorded.uncorrected);
            json.uncorrected_histogram_b64 = Some(serialize(&recorded.uncorrected));
            if !recorded.lag.is_empty() {
                json.schedule_lag_us = summary(&recorded.lag);
                json.schedule_lag_histogram_b64 = Some(serialize(&recorded.lag));
            }
        }
    }
    json.seconds = recorded
        .seconds
        .all(Row::second)
        .iter()
        .enumerate()
        .map(|(t, row)| SecondJson {
            t_s: t as u64,
            row: row_json(row),
        })
        .collect();
    if !report.stages.is_empty() {
        json.shape = Some(crate::shape::describe(&report.stages));
        let rows = recorded.stages.all(Row::stage);
        json.stages = report
            .stages
            .iter()
            .enumerate()
            .map(|(number, stage)| StageJson {
                stage: stage.to_string(),
                from_rps: round3(stage.from),
                to_rps: round3(stage.to),
                duration_s: round3(stage.duration.as_secs_f64()),
                row: rows
                    .get(number)
                    .map_or_else(|| row_json(&Row::stage()), row_json),
            })
            .collect();
    }
    if let Some(udp) = report.udp {
        json.sent = Some(udp.sent);
        json.received = Some(udp.received);
        json.lost = Some(udp.lost);
        json.loss_pct = Some(round3(loss_pct(udp)));
        json.duplicates = Some(udp.duplicates);
        json.reordered = Some(udp.reordered);
        json.jitter_us = Some(round3(udp.jitter_us));
    }
    json
}

/// A second's or a stage's figures.
fn row_json(row: &Row) -> RowJson {
    RowJson {
        intended: row.intended,
        requests: row.ok,
        errors: row.error_total(),
        errors_by_kind: ErrorsJson::from(&row.errors),
        latency_us: SummaryJson::from(&Summary::of(&row.latency)),
        histogram_v2_b64: serialize(&row.latency),
    }
}

/// The report as lines of text, read from the same form `--json` prints.
pub(super) fn text(report: &ReportJson) -> String {
    let mut lines = Vec::new();
    what_ran(report, &mut lines);
    counts(report, &mut lines);
    let latency = report.latency_us.unwrap_or_default();
    if report.sent.is_some() {
        lines.push(format!("round trip  {}", summary_line(&latency)));
        return lines.join("\n");
    }
    latencies(report, &latency, &mut lines);
    connections(report, &mut lines);
    by_message(report, &mut lines);
    by_stage(report, &mut lines);
    lines.join("\n")
}

/// The run's shape and window, and what it is part of (a shard, a merge).
fn what_ran(report: &ReportJson, lines: &mut Vec<String>) {
    let udp = report.sent.is_some();
    let shape = match (report.target_rps, &report.shape) {
        (Some(rate), Some(shape)) => {
            format!("open loop in stages {shape} (a mean of {rate:.0} requests/s)")
        }
        (Some(rate), None) => format!("open loop at {rate} requests/s"),
        (None, _) if udp => "one datagram at a time".to_owned(),
        (None, _) => "closed loop".to_owned(),
    };
    lines.push(if udp {
        format!("{:.2} s measured, {shape}", report.duration_s)
    } else {
        format!(
            "{} connection(s), {:.2} s measured, {shape}",
            report.connections, report.duration_s
        )
    });
    if let Some(merged) = report.merged {
        lines.push(format!(
            "merged      {merged} reports, over the window from the first start to the last end"
        ));
    } else if let Some(shard) = &report.shard {
        lines.push(format!(
            "shard       {shard} of one run (netdemo merge adds the shards up)"
        ));
    }
}

/// Requests and errors by kind, what was left in flight, throughput, and a UDP run's
/// datagrams.
fn counts(report: &ReportJson, lines: &mut Vec<String>) {
    let by_kind = &report.errors_by_kind;
    let errors: Vec<String> = ErrorKind::ALL
        .iter()
        .filter(|kind| by_kind.of(**kind) > 0)
        .map(|kind| format!("{} {}", by_kind.of(*kind), kind.name()))
        .collect();
    lines.push(format!(
        "requests    {} ok, {} errors{}",
        report.requests,
        report.errors,
        if errors.is_empty() {
            String::new()
        } else {
            format!(" ({})", errors.join(", "))
        }
    ));
    if report.in_flight > 0 || report.greetings_pending > 0 {
        let mut line = format!(
            "in flight   {} request(s) unanswered when the run ended (not counted)",
            report.in_flight
        );
        if report.greetings_pending > 0 {
            line.push_str(&format!(
                ", {} connection(s) still waiting for the greeting",
                report.greetings_pending
            ));
        }
        lines.push(line);
    }
    lines.push(format!(
        "throughput  {:.1} requests/s, {:.2} MiB/s",
        report.rps,
        report.bytes_per_s / (1024.0 * 1024.0)
    ));
    if let (Some(threads), Some(busy)) = (report.threads, report.client_cpu) {
        lines.push(format!(
            "client      {threads} thread(s), {:.0}% of their CPU busy{}",
            busy * 100.0,
            if busy > SATURATED {
                " (saturated: see the warning)"
            } else {
                ""
            }
        ));
    }
    if let Some(sent) = report.sent {
        lines.push(format!(
            "datagrams   {sent} sent, {} received, {} lost ({:.2}%), {} duplicates, {} reordered",
            report.received.unwrap_or_default(),
            report.lost.unwrap_or_default(),
            report.loss_pct.unwrap_or_default(),
            report.duplicates.unwrap_or_default(),
            report.reordered.unwrap_or_default()
        ));
        lines.push(format!(
            "jitter      {} (RFC 3550)",
            micros(report.jitter_us.unwrap_or_default())
        ));
    }
}

/// Latency, and with `--rate` the uncorrected figure beside the corrected one.
fn latencies(report: &ReportJson, latency: &SummaryJson, lines: &mut Vec<String>) {
    let open_loop = report.target_rps.is_some();
    let label = if open_loop { "latency*" } else { "latency" };
    lines.push(format!("{label:<11} {}", summary_line(latency)));
    if open_loop {
        let uncorrected = report.latency_uncorrected_us.unwrap_or_default();
        lines.push(format!("uncorrected {}", summary_line(&uncorrected)));
        lines.push(
            "            * from each request's due time, so time spent waiting for a free \
             connection counts"
                .to_owned(),
        );
    }
}

/// Connect times, connections made (`--reconnect`), and TLS handshakes full and resumed.
fn connections(report: &ReportJson, lines: &mut Vec<String>) {
    // A UDP request load connects nothing.
    if let Some(connect) = &report.connect_us {
        lines.push(format!("connect     {}", summary_line(connect)));
    }
    if let (Some(made), Some(per_s)) = (report.connections_made, report.connections_per_s) {
        lines.push(format!(
            "connections {made} made, {per_s:.1}/s (one per request, --reconnect)"
        ));
    }
    for (label, count, summary) in [
        ("tls full   ", report.tls_full, &report.tls_handshake_us),
        ("tls resumed", report.tls_resumed, &report.tls_resumed_us),
    ] {
        if let (Some(count @ 1..), Some(summary)) = (count, summary) {
            lines.push(format!(
                "{label} {count} handshakes, {}",
                summary_line(summary)
            ));
        }
    }
}

/// Each message's figures, when several rotate.
fn by_message(report: &ReportJson, lines: &mut Vec<String>) {
    if report.by_message.is_empty() {
        return;
    }
    lines.push("by message".to_owned());
    let labels: Vec<String> = report
        .by_message
        .iter()
        .map(|m| label_of(&m.message))
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (label, message) in labels.iter().zip(&report.by_message) {
        lines.push(format!(
            "  {label:<width$}  {} ok, {} errors, p50 {}, p99 {}",
            message.requests,
            message.errors,
            micros(message.latency_us.p50 as f64),
            micros(message.latency_us.p99 as f64)
        ));
    }
}

/// Each stage of a shaped rate: what was intended and done, and its latency.
fn by_stage(report: &ReportJson, lines: &mut Vec<String>) {
    if report.stages.is_empty() {
        return;
    }
    lines.push("by stage (requests by when they were due)".to_owned());
    let width = report
        .stages
        .iter()
        .map(|s| s.stage.chars().count())
        .max()
        .unwrap_or(0);
    for stage in &report.stages {
        let row = &stage.row;
        lines.push(format!(
            "  {:<width$}  {} of {} ok, {} errors, p50 {}, p99 {}, max {}",
            stage.stage,
            row.requests,
            row.intended.unwrap_or_default(),
            row.errors,
            micros(row.latency_us.p50 as f64),
            micros(row.latency_us.p99 as f64),
            micros(row.latency_us.max as f64),
        ));
    }
}

/// One human line: `min 41 µs  mean 80.3 µs  p50 ...`.
fn summary_line(summary: &SummaryJson) -> String {
    format!(
        "min {}  mean {}  p50 {}  p90 {}  p99 {}  p99.9 {}  max {}",
        micros(summary.min as f64),
        micros(summary.mean),
        micros(summary.p50 as f64),
        micros(summary.p90 as f64),
        micros(summary.p99 as f64),
        micros(summary.p999 as f64),
        micros(summary.max as f64)
    )
}

/// A message as the report names it: quoted, cut short.
fn label_of(label: &str) -> String {
    const MAX: usize = 40;
    match label.char_indices().nth(MAX) {
        Some((cut, _)) => format!("'{}...'", &label[..cut]),
        None => format!("'{label}'"),
    }
}

pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
