//! `netdemo merge`: the JSON reports of several load runs (the shards of one run on
//! several machines) added up into one report, as exact as a single run's: histograms are
//! added and the percentiles read from the sum, never averaged; counts and errors are
//! summed by kind; the rate is the requests over the whole window, from the earliest start
//! to the latest end. Reports of different runs (another target, mode, framing, message
//! size, or corrected latency beside uncorrected) are refused, not mixed.
//!
//! The merged report is printed like a run's, histograms included, so merges can be merged.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::Deserializer;
use serde_json::Value;

use super::Recorded;
use super::report::{ErrorKind, KINDS, Provenance, Report, UdpFigures};
use super::stats;

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{name}: {why}")]
    Unreadable { name: String, why: String },
    #[error(
        "{name} is a report of another run: its {what} is {theirs}, the first report's is \
         {ours} (merge only the shards of one run)"
    )]
    Mismatch {
        name: String,
        what: &'static str,
        theirs: String,
        ours: String,
    },
}

/// The reports in `text` (one JSON object per line; other lines, such as events or logs,
/// are skipped), each named `name` for errors.
///
/// # Errors
/// Nothing in `text` is a report.
pub fn reports(name: &str, text: &str) -> Result<Vec<Value>, MergeError> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // Logs mixed in (kubectl logs, a shell's echo) are passed over.
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            tracing::debug!(file = name, line = number + 1, "not JSON: skipped");
            continue;
        };
        if value["event"] == "report" {
            found.push(value);
        }
    }
    if found.is_empty() {
        return Err(MergeError::Unreadable {
            name: name.to_owned(),
            why: "no load report in it (write one with --json on a load run)".to_owned(),
        });
    }
    Ok(found)
}

/// Adds up `reports` (each with its name).
///
/// # Errors
/// A report lacks what merging needs, or belongs to another run than the first.
pub fn merge(reports: &[(String, Value)]) -> Result<Report, MergeError> {
    let first = &reports[0].1;
    let mut merged = Report {
        connections: 0,
        rate: None,
        measured: Duration::ZERO,
        warmup: Duration::ZERO,
        ok: 0,
        errors: [0; KINDS],
        bytes: 0,
        recorded: Recorded::new(),
        udp: None,
        in_flight: 0,
        greetings_pending: 0,
        by_message: Vec::new(),
        first_mismatch: None,
        error_replies: 0,
        stalled: None,
        interrupted: None,
        reconnect: first["connections_per_s"].is_number(),
        provenance: Provenance {
            target: text(first, "target"),
            mode: text(first, "mode"),
            framing: text(first, "framing"),
            message_bytes: number(first, "message_bytes") as usize,
            shard: None,
            started_at: None,
            ended_at: None,
            merged: 0,
        },
    };
    shards_fit(reports)?;
    let corrected = first["target_rps"].is_number();
    let mut jitter_weighted = 0.0;
    for (name, report) in reports {
        for (what, ours, theirs) in [
            (
                "target",
                merged.provenance.target.clone(),
                text(report, "target"),
            ),
            ("mode", merged.provenance.mode.clone(), text(report, "mode")),
            (
                "framing",
                merged.provenance.framing.clone(),
                text(report, "framing"),
            ),
            (
                "message size",
                merged.provenance.message_bytes.to_string(),
                number(report, "message_bytes").to_string(),
            ),
            (
                "latency",
                latency_kind(corrected).to_owned(),
                latency_kind(report["target_rps"].is_number()).to_owned(),
            ),
        ] {
            if ours != theirs {
                return Err(MergeError::Mismatch {
                    name: name.clone(),
                    what,
                    theirs,
                    ours,
                });
            }
        }
        let unreadable = |why: String| MergeError::Unreadable {
            name: name.clone(),
            why,
        };
        let (started, ended) = window(report).ok_or_else(|| {
            unreadable(
                "it has no started_at and ended_at (a report from an older netdemo?)".to_owned(),
            )
        })?;
        let provenance = &mut merged.provenance;
        provenance.started_at = Some(provenance.started_at.map_or(started, |s| s.min(started)));
        provenance.ended_at = Some(provenance.ended_at.map_or(ended, |e| e.max(ended)));
        provenance.merged += number(report, "merged").max(1) as usize;
        merged.connections += number(report, "connections") as usize;
        merged.warmup = merged.warmup.max(seconds(report, "warmup_s"));
        merged.ok += number(report, "requests");
        merged.bytes += number(report, "bytes");
        merged.in_flight += number(report, "in_flight");
        merged.greetings_pending += number(report, "greetings_pending");
        merged.error_replies += number(report, "error_replies");
        for kind in ErrorKind::ALL {
            merged.errors[kind as usize] +=
                report["errors_by_kind"][kind.name()].as_u64().unwrap_or(0);
        }
        if let Some(rate) = report["target_rps"].as_f64() {
            merged.rate = Some(merged.rate.unwrap_or(0.0) + rate);
        }
        for (key, into) in [
            ("histogram_v2_b64", &mut merged.recorded.latency),
            (
                "uncorrected_histogram_b64",
                &mut merged.recorded.uncorrected,
            ),
            ("connect_histogram_b64", &mut merged.recorded.connect),
            (
                "tls_handshake_histogram_b64",
                &mut merged.recorded.tls_handshake,
            ),
        ] {
            if let Some(encoded) = report[key].as_str() {
                let histogram =
                    decode(encoded).map_err(|why| unreadable(format!("{key}: {why}")))?;
                into.add(&histogram)
                    .map_err(|err| unreadable(format!("{key} cannot be added: {err:?}")))?;
            }
        }
        if report["sent"].is_u64() {
            let udp = merged.udp.get_or_insert_with(UdpFigures::default);
            udp.sent += number(report, "sent");
            udp.received += number(report, "received");
            udp.lost += number(report, "lost");
            udp.duplicates += number(report, "duplicates");
            udp.reordered += number(report, "reordered");
            jitter_weighted +=
                report["jitter_us"].as_f64().unwrap_or(0.0) * number(report, "received") as f64;
        }
    }
    if let Some(udp) = &mut merged.udp
        && udp.received > 0
    {
        // Jitter is a running estimate per stream, not a distribution: weighted by the
        // datagrams each stream received, it is an average, and said to be one.
        udp.jitter_us = jitter_weighted / udp.received as f64;
    }
    if let (Some(started), Some(ended)) = (merged.provenance.started_at, merged.provenance.ended_at)
    {
        merged.measured = ended.duration_since(started).unwrap_or_default();
    }
    Ok(merged)
}

/// Shards of one run: each shard once, all of the same N, at the same rate. Reports that
/// are merges already, or not shards, are not checked here.
fn shards_fit(reports: &[(String, Value)]) -> Result<(), MergeError> {
    let mut seen: Vec<(u64, u64, Option<f64>, &str)> = Vec::new();
    for (name, report) in reports {
        let Some((index, of)) = report["shard"]
            .as_str()
            .and_then(|s| s.split_once('/'))
            .and_then(|(i, n)| Some((i.parse::<u64>().ok()?, n.parse::<u64>().ok()?)))
        else {
            continue;
        };
        let rate = report["target_rps"].as_f64();
        for (other_index, other_of, other_rate, other) in &seen {
            let clash = if *other_of != of {
                Some(format!(
                    "shard {index}/{of} beside shard {other_index}/{other_of} of {other}"
                ))
            } else if *other_index == index {
                Some(format!(
                    "shard {index}/{of} a second time (also in {other})"
                ))
            } else if *other_rate != rate {
                Some(format!(
                    "a shard at {} requests/s beside one at {} in {other}",
                    rate.unwrap_or(0.0),
                    other_rate.unwrap_or(0.0)
                ))
            } else {
                None
            };
            if let Some(why) = clash {
                return Err(MergeError::Unreadable {
                    name: name.clone(),
                    why: format!("{why}: merge each shard of one run once"),
                });
            }
        }
        seen.push((index, of, rate, name));
    }
    if let Some((_, of, _, _)) = seen.first()
        && (seen.len() as u64) < *of
    {
        tracing::warn!(
            "{} of {of} shards merged: the totals are those of part of the run",
            seen.len()
        );
    }
    Ok(())
}

/// Whether the windows of `reports` overlap: shards started together should.
pub fn overlap(reports: &[(String, Value)]) -> bool {
    let windows: Vec<_> = reports.iter().filter_map(|(_, r)| window(r)).collect();
    let latest_start = windows.iter().map(|w| w.0).max();
    let earliest_end = windows.iter().map(|w| w.1).min();
    matches!((latest_start, earliest_end), (Some(start), Some(end)) if start < end)
}

fn latency_kind(corrected: bool) -> &'static str {
    if corrected {
        "corrected for coordinated omission (open loop, --rate)"
    } else {
        "uncorrected (closed loop)"
    }
}

fn text(report: &Value, key: &str) -> String {
    report[key].as_str().unwrap_or("(none)").to_owned()
}

fn number(report: &Value, key: &str) -> u64 {
    report[key].as_u64().unwrap_or(0)
}

fn seconds(report: &Value, key: &str) -> Duration {
    Duration::from_secs_f64(report[key].as_f64().unwrap_or(0.0).max(0.0))
}

fn window(report: &Value) -> Option<(SystemTime, SystemTime)> {
    let time = |key: &str| humantime::parse_rfc3339(report[key].as_str()?).ok();
    Some((time("started_at")?, time("ended_at")?))
}

/// A histogram from base64 of either V2 form: compressed (`HISTFAAA...`, what netdemo
/// writes and other HdrHistogram tools exchange) or plain.
fn decode(encoded: &str) -> Result<Histogram<u64>, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|err| format!("not base64 ({err})"))?;
    let histogram: Histogram<u64> = Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|err| format!("not an HdrHistogram ({err:?})"))?;
    // Into netdemo's bounds, so the sums can be added whatever wrote them.
    let mut ours = stats::new_histogram();
    ours.add(&histogram)
        .map_err(|err| format!("values beyond an hour ({err:?})"))?;
    Ok(ours)
}
