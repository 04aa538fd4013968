//! `netdemo merge`: the JSON reports of several load runs (the shards of one run on
//! several machines) added up into one report, as exact as a single run's: histograms are
//! added and the percentiles read from the sum, never averaged; counts and errors are
//! summed by kind; the rate is the requests over the whole window, from the earliest start
//! to the latest end. Reports of different runs (another target, mode, framing, message
//! size, or corrected latency beside uncorrected) are refused, not mixed.
//!
//! The merged report is printed like a run's, histograms included, so merges can be merged.

use std::io::Read as _;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::Deserializer;
use serde_json::Value;

use crate::output::Printer;
use crate::report::Recorded;
use crate::report::schema::{ReportJson, RowJson, SCHEMA_VERSION};
use crate::report::stats;
use crate::report::timeline::Row;
use crate::report::{ClientCpu, ErrorKind, KINDS, Provenance, Report, UdpFigures};

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

/// `netdemo merge`: reads each file (`-` for stdin), adds the reports up, prints the sum.
///
/// # Errors
/// A file cannot be read, holds no report, or its reports cannot be added to the others;
/// or the sum fails as a run would (errors, a missed rate).
pub fn run(
    files: &[std::path::PathBuf],
    html: Option<&std::path::Path>,
    printer: &Printer,
) -> color_eyre::Result<()> {
    use color_eyre::eyre::WrapErr;
    let html = html.map(super::Page::create).transpose()?;
    let mut all = Vec::new();
    for file in files {
        let (name, text) = if file.as_os_str() == "-" {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .wrap_err("cannot read stdin")?;
            ("stdin".to_owned(), text)
        } else {
            let text = std::fs::read_to_string(file)
                .wrap_err_with(|| format!("cannot read {}", crate::encoding::shown_path(file)))?;
            (crate::encoding::shown_path(file), text)
        };
        for report in reports(&name, &text)? {
            all.push((name.clone(), report));
        }
    }
    let merged = merge(&all)?;
    if all.len() > 1 && !overlap(&all) {
        tracing::warn!(
            "the reports' time windows do not overlap: the rate is over the whole span, from \
             the first start to the last end (start shards together with --start-at)"
        );
    }
    printer.load_report(&merged);
    if let Some(page) = html {
        page.write(&crate::output::html::load_report(
            &merged,
            &crate::output::html::command_line(),
        ))?;
    }
    if let Some(warning) = merged.saturated() {
        printer.notice(warning);
    }
    super::verdict(&merged)
}

/// The reports in `text` (one JSON object per line; other lines, such as events or logs,
/// are skipped), each named `name` for errors.
///
/// # Errors
/// Nothing in `text` is a report.
pub fn reports(name: &str, text: &str) -> Result<Vec<ReportJson>, MergeError> {
    let unreadable = |why: String| MergeError::Unreadable {
        name: name.to_owned(),
        why,
    };
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
        if value["event"] != "report" {
            continue;
        }
        let report: ReportJson = serde_json::from_value(value)
            .map_err(|err| unreadable(format!("line {}: not a load report ({err})", number + 1)))?;
        // Shards may come from different builds: an older form reads, a newer one is not
        // guessed at.
        if report.schema_version > SCHEMA_VERSION {
            return Err(unreadable(format!(
                "line {}: a report of schema version {}, newer than this netdemo reads \
                 ({SCHEMA_VERSION}): merge with the netdemo that wrote it",
                number + 1,
                report.schema_version
            )));
        }
        found.push(report);
    }
    if found.is_empty() {
        return Err(unreadable(
            "no load report in it (write one with --json on a load run)".to_owned(),
        ));
    }
    Ok(found)
}

/// Adds up `reports` (each with its name).
///
/// # Errors
/// A report lacks what merging needs, or belongs to another run than the first.
pub fn merge(reports: &[(String, ReportJson)]) -> Result<Report, MergeError> {
    let first = &reports[0].1;
    let shape = first.shape.as_deref().map(crate::shape::parse_stages);
    let stages = match shape {
        Some(Ok(stages)) => stages,
        Some(Err(why)) => {
            return Err(MergeError::Unreadable {
                name: reports[0].0.clone(),
                why: format!("shape: {why}"),
            });
        }
        None => Vec::new(),
    };
    let mut merged = Report {
        connections: 0,
        rate: None,
        stages,
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
        reconnect: first.connections_per_s.is_some(),
        client: None,
        provenance: Provenance {
            target: text(&first.target),
            mode: text(&first.mode),
            framing: text(&first.framing),
            message_bytes: usize::try_from(first.message_bytes).unwrap_or(usize::MAX),
            shard: None,
            started_at: None,
            ended_at: None,
            merged: 0,
        },
    };
    shards_fit(reports)?;
    let corrected = first.target_rps.is_some();
    let mut jitter_weighted = 0.0;
    for (name, report) in reports {
        for (what, ours, theirs) in [
            (
                "target",
                merged.provenance.target.clone(),
                text(&report.target),
            ),
            ("mode", merged.provenance.mode.clone(), text(&report.mode)),
            (
                "framing",
                merged.provenance.framing.clone(),
                text(&report.framing),
            ),
            (
                "message size",
                merged.provenance.message_bytes.to_string(),
                report.message_bytes.to_string(),
            ),
            (
                "latency",
                latency_kind(corrected).to_owned(),
                latency_kind(report.target_rps.is_some()).to_owned(),
            ),
            ("shape", text(&first.shape), text(&report.shape)),
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
        // Every sum is checked: a report that would make one wrap is refused, never
        // shown as a small number.
        let add = |into: &mut u64, key: &str, value: u64| -> Result<(), MergeError> {
            *into = into.checked_add(value).ok_or_else(|| {
                unreadable(format!(
                    "{key} {value} makes the sum overflow 64 bits: is the report real?"
                ))
            })?;
            Ok(())
        };
        let mut count = provenance.merged as u64;
        add(&mut count, "merged", report.merged.unwrap_or(0).max(1))?;
        provenance.merged = count as usize;
        let mut count = merged.connections as u64;
        add(&mut count, "connections", report.connections)?;
        merged.connections = count as usize;
        merged.warmup = merged
            .warmup
            .max(seconds("warmup_s", report.warmup_s).map_err(unreadable)?);
        add(&mut merged.ok, "requests", report.requests)?;
        add(&mut merged.bytes, "bytes", report.bytes)?;
        add(&mut merged.in_flight, "in_flight", report.in_flight)?;
        add(
            &mut merged.greetings_pending,
            "greetings_pending",
            report.greetings_pending,
        )?;
        add(
            &mut merged.error_replies,
            "error_replies",
            report.error_replies,
        )?;
        for kind in ErrorKind::ALL {
            let value = report.errors_by_kind.of(kind);
            add(&mut merged.errors[kind as usize], kind.name(), value)?;
        }
        if let Some(rate) = report.target_rps {
            merged.rate = Some(merged.rate.unwrap_or(0.0) + rate);
        }
        // Threads add up; the busiest shard says whether any figure was the generator's.
        if let (Some(threads), Some(busy)) = (report.threads, report.client_cpu) {
            let client = merged.client.get_or_insert_with(ClientCpu::default);
            client.threads = client.threads.saturating_add(threads as usize);
            client.busy = client.busy.max(busy.clamp(0.0, 1.0));
        }
        let recorded = &mut merged.recorded;
        for (key, encoded, into) in [
            (
                "histogram_v2_b64",
                &report.histogram_v2_b64,
                &mut recorded.latency,
            ),
            (
                "uncorrected_histogram_b64",
                &report.uncorrected_histogram_b64,
                &mut recorded.uncorrected,
            ),
            (
                "connect_histogram_b64",
                &report.connect_histogram_b64,
                &mut recorded.connect,
            ),
            (
                "tls_handshake_histogram_b64",
                &report.tls_handshake_histogram_b64,
                &mut recorded.tls_handshake,
            ),
            (
                "tls_resumed_histogram_b64",
                &report.tls_resumed_histogram_b64,
                &mut recorded.tls_resumed,
            ),
            (
                "schedule_lag_histogram_b64",
                &report.schedule_lag_histogram_b64,
                &mut recorded.lag,
            ),
        ] {
            if let Some(encoded) = encoded {
                let histogram = decode(encoded, stats::new_histogram)
                    .map_err(|why| unreadable(format!("{key}: {why}")))?;
                // The total bounds every bucket, so a total that fits means no count wraps.
                if into.len().checked_add(histogram.len()).is_none() {
                    return Err(unreadable(format!(
                        "{key} holds {} values, which make the sum overflow 64 bits: is the \
                         report real?",
                        histogram.len()
                    )));
                }
                into.add(&histogram)
                    .map_err(|err| unreadable(format!("{key} cannot be added: {err:?}")))?;
            }
        }
        for second in &report.seconds {
            let t = usize::try_from(second.t_s)
                .ok()
                .filter(|t| *t <= MAX_SECONDS)
                .ok_or_else(|| {
                    unreadable(format!("seconds: t_s {} is not in a run", second.t_s))
                })?;
            let row = row(&second.row, Row::second)
                .map_err(|why| unreadable(format!("seconds[{t}]: {why}")))?;
            merged.recorded.seconds.at(t, Row::second).add(&row);
        }
        if report.stages.len() != merged.stages.len() {
            return Err(unreadable(format!(
                "{} stage rows for a shape of {}",
                report.stages.len(),
                merged.stages.len()
            )));
        }
        for (number, stage) in report.stages.iter().enumerate() {
            let row = row(&stage.row, Row::stage)
                .map_err(|why| unreadable(format!("stages[{number}]: {why}")))?;
            merged.recorded.stages.at(number, Row::stage).add(&row);
        }
        if report.sent.is_some() {
            let udp = merged.udp.get_or_insert_with(UdpFigures::default);
            for (key, value, into) in [
                ("sent", report.sent, &mut udp.sent),
                ("received", report.received, &mut udp.received),
                ("lost", report.lost, &mut udp.lost),
                ("duplicates", report.duplicates, &mut udp.duplicates),
                ("reordered", report.reordered, &mut udp.reordered),
            ] {
                add(into, key, value.unwrap_or(0))?;
            }
            jitter_weighted +=
                report.jitter_us.unwrap_or(0.0) * report.received.unwrap_or(0) as f64;
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

/// The longest run whose seconds a report may list: a year.
const MAX_SECONDS: usize = 365 * 86_400;

/// A second's or a stage's row read back, its histogram decoded with `make`'s bounds.
/// Every count must fit what the histogram holds: a row is refused, not believed, when
/// its figures disagree.
fn row(json: &RowJson, make: fn() -> Row) -> Result<Row, String> {
    let mut row = make();
    let blank = row.latency.clone();
    let latency = decode(&json.histogram_v2_b64, move || blank.clone())?;
    if latency.len() != json.requests {
        return Err(format!(
            "{} requests beside a histogram of {}",
            json.requests,
            latency.len()
        ));
    }
    row.ok = json.requests;
    row.latency = latency;
    row.intended = json.intended;
    for kind in ErrorKind::ALL {
        row.errors[kind as usize] = json.errors_by_kind.of(kind);
    }
    Ok(row)
}

/// Shards of one run: each shard once, all of the same N, at the same rate. Reports that
/// are merges already, or not shards, are not checked here.
fn shards_fit(reports: &[(String, ReportJson)]) -> Result<(), MergeError> {
    let mut seen: Vec<(u64, u64, Option<String>, &str)> = Vec::new();
    for (name, report) in reports {
        let Some((index, of)) = report
            .shard
            .as_deref()
            .and_then(|s| s.split_once('/'))
            .and_then(|(i, n)| Some((i.parse::<u64>().ok()?, n.parse::<u64>().ok()?)))
        else {
            continue;
        };
        // A shaped run's shards each have a mean rate of their own: their shape must agree.
        let rate = match &report.shape {
            Some(shape) => Some(format!("the shape {shape}")),
            None => report.target_rps.map(|rate| format!("{rate} requests/s")),
        };
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
                let pace = |rate: &Option<String>| rate.clone().unwrap_or("closed loop".to_owned());
                Some(format!(
                    "a shard at {} beside one at {} in {other}",
                    pace(&rate),
                    pace(other_rate)
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
pub fn overlap(reports: &[(String, ReportJson)]) -> bool {
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

fn text(value: &Option<String>) -> String {
    value.as_deref().unwrap_or("(none)").to_owned()
}

/// A duration in seconds; a value no run could have (negative, over a year, not finite)
/// is refused rather than turned into a panic or a guess.
fn seconds(key: &str, value: f64) -> Result<Duration, String> {
    const YEAR_S: f64 = 365.0 * 86_400.0;
    if !(0.0..=YEAR_S).contains(&value) {
        // 1e300 stays short rather than 301 digits.
        return Err(format!("{key} {value:e} is not the length of a run"));
    }
    Ok(Duration::from_secs_f64(value))
}

fn window(report: &ReportJson) -> Option<(SystemTime, SystemTime)> {
    let time = |at: &Option<String>| humantime::parse_rfc3339(at.as_deref()?).ok();
    Some((time(&report.started_at)?, time(&report.ended_at)?))
}

/// The V2 cookies (HdrHistogram's encoding, version 2, 0x10 for 64-bit counts).
const V2_COOKIE: u32 = 0x1c84_9313;
const V2_COMPRESSED_COOKIE: u32 = 0x1c84_9314;
/// Cookie, payload length, offset, digits, lowest, highest, ratio.
const V2_HEADER: usize = 40;
/// The most significant digits a histogram to merge may keep: netdemo's keep 3. Each
/// digit more multiplies the counts array (and the memory decoding takes) by ten.
const MAX_DIGITS: u32 = 3;

/// The largest V2 payload a netdemo histogram encodes to: every count in its widest form
/// (9 bytes of LEB128), with room for a histogram of a wider range than netdemo's own.
fn max_payload() -> usize {
    // The same for every histogram of every report: worked out once.
    static MAX: std::sync::LazyLock<usize> =
        std::sync::LazyLock::new(|| stats::new_histogram().distinct_values() * 9 * 4);
    *MAX
}

/// A histogram from base64 of either V2 form: compressed (`HISTFAAA...`, what netdemo
/// writes and other HdrHistogram tools exchange) or plain.
///
/// The header's lengths are checked against the bytes there are and against what a
/// netdemo histogram can hold before anything is allocated or inflated: a report of a
/// few hundred bytes could otherwise claim a 4 GiB payload, or carry a zlib bomb.
fn decode(encoded: &str, make: impl FnOnce() -> Histogram<u64>) -> Result<Histogram<u64>, String> {
    let limit = V2_HEADER + max_payload();
    // Base64 takes 4 characters for 3 bytes; anything longer than a compressed form of
    // the largest histogram could be is refused before it is decoded.
    if encoded.len() / 4 * 3 > 8 + limit * 2 {
        return Err(format!(
            "{} characters of base64, more than any histogram netdemo writes",
            encoded.len()
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|err| format!("not base64 ({err})"))?;
    let plain = match be_u32(&bytes, 0) {
        Some(V2_COMPRESSED_COOKIE) => {
            let declared = be_u32(&bytes, 4).unwrap_or(0) as usize;
            let deflated = bytes.get(8..).unwrap_or_default();
            if declared > deflated.len() {
                return Err(format!(
                    "its header claims {declared} compressed bytes and {} follow",
                    deflated.len()
                ));
            }
            let mut plain = Vec::new();
            flate2::read::ZlibDecoder::new(&deflated[..declared])
                .take(limit as u64 + 1)
                .read_to_end(&mut plain)
                .map_err(|err| format!("not an HdrHistogram (its zlib data: {err})"))?;
            if plain.len() > limit {
                return Err(format!(
                    "it inflates to more than {limit} bytes, more than a netdemo histogram \
                     holds"
                ));
            }
            plain
        }
        Some(V2_COOKIE) => bytes,
        _ => return Err("not an HdrHistogram (no V2 cookie)".to_owned()),
    };
    check_header(&plain, limit)?;
    let histogram: Histogram<u64> = Deserializer::new()
        .deserialize(&mut plain.as_slice())
        .map_err(|err| format!("not an HdrHistogram ({err:?})"))?;
    // Into netdemo's bounds, so the sums can be added whatever wrote them.
    let mut ours = make();
    ours.add(&histogram)
        .map_err(|err| format!("values beyond an hour ({err:?})"))?;
    Ok(ours)
}

/// A plain V2 histogram's header: its payload is all there, within `limit`, and its
/// precision one a counts array of bounded size can hold.
fn check_header(plain: &[u8], limit: usize) -> Result<(), String> {
    if be_u32(plain, 0) != Some(V2_COOKIE) || plain.len() < V2_HEADER {
        return Err("not an HdrHistogram (no V2 header)".to_owned());
    }
    let declared = be_u32(plain, 4).unwrap_or(0) as usize;
    let present = plain.len() - V2_HEADER;
    if declared > present || declared > limit {
        return Err(format!(
            "its header claims a {declared}-byte payload and {present} bytes follow"
        ));
    }
    let digits = be_u32(plain, 12).unwrap_or(0);
    if digits > MAX_DIGITS {
        return Err(format!(
            "it keeps {digits} significant digits; netdemo merges histograms of at most \
             {MAX_DIGITS}"
        ));
    }
    Ok(())
}

/// The big-endian `u32` at `at`, if the bytes reach that far.
fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let word = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes(word.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use hdrhistogram::serialization::{Serializer as _, V2DeflateSerializer, V2Serializer};
    use serde_json::json;

    fn decode_full(encoded: &str) -> Result<Histogram<u64>, String> {
        decode(encoded, stats::new_histogram)
    }

    fn plain(histogram: &Histogram<u64>) -> Vec<u8> {
        let mut bytes = Vec::new();
        V2Serializer::new()
            .serialize(histogram, &mut bytes)
            .unwrap();
        bytes
    }

    fn compressed(histogram: &Histogram<u64>) -> Vec<u8> {
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(histogram, &mut bytes)
            .unwrap();
        bytes
    }

    fn one_value(count: u64) -> Histogram<u64> {
        let mut histogram = stats::new_histogram();
        histogram.record_n(250, count).unwrap();
        histogram
    }

    /// A report of `requests` requests with `histogram`, as a run writes it.
    fn report(requests: u64, histogram: &Histogram<u64>) -> Value {
        json!({
            "event": "report", "target": "127.0.0.1:9", "mode": "seed", "framing": "raw",
            "message_bytes": 5, "requests": requests, "warmup_s": 0.0,
            "started_at": "2026-12-04T10:00:00Z", "ended_at": "2026-12-04T10:00:01Z",
            "histogram_v2_b64": STANDARD.encode(compressed(histogram)),
        })
    }

    fn merged(reports: Vec<Value>) -> Result<Report, MergeError> {
        let named: Vec<(String, ReportJson)> = reports
            .into_iter()
            .enumerate()
            .map(|(i, r)| (format!("r{i}.json"), serde_json::from_value(r).unwrap()))
            .collect();
        merge(&named)
    }

    #[test]
    fn both_forms_of_a_real_histogram_decode() {
        let histogram = one_value(7);
        for bytes in [plain(&histogram), compressed(&histogram)] {
            let decoded = decode_full(&STANDARD.encode(bytes)).unwrap();
            assert_eq!(decoded.len(), 7);
            assert_eq!(
                decoded.value_at_quantile(0.5),
                histogram.value_at_quantile(0.5)
            );
        }
    }

    #[test]
    fn a_header_that_claims_more_than_is_there_is_refused_before_any_allocation() {
        let mut bytes = plain(&one_value(7));
        bytes[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        let err = decode_full(&STANDARD.encode(&bytes)).unwrap_err();
        assert!(err.contains("claims a 4294967295-byte payload"), "{err}");

        let mut bytes = compressed(&one_value(7));
        bytes[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        let err = decode_full(&STANDARD.encode(&bytes)).unwrap_err();
        assert!(err.contains("claims 4294967295 compressed bytes"), "{err}");

        // A compressed histogram whose inner header lies the same way.
        let mut inner = plain(&one_value(7));
        inner[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        let err = decode_full(&STANDARD.encode(deflated(&inner))).unwrap_err();
        assert!(err.contains("claims a 4294967295-byte payload"), "{err}");
    }

    /// `inner` compressed as a V2 compressed histogram is.
    fn deflated(inner: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(inner).unwrap();
        let body = zlib.finish().unwrap();
        let mut bytes = V2_COMPRESSED_COOKIE.to_be_bytes().to_vec();
        bytes.extend_from_slice(&(body.len() as u32).to_be_bytes());
        bytes.extend_from_slice(&body);
        bytes
    }

    #[test]
    fn a_zlib_bomb_is_stopped_at_what_a_histogram_can_hold() {
        // A valid header, then far more payload than any netdemo histogram has.
        let mut inner = plain(&one_value(7))[..V2_HEADER].to_vec();
        let payload = 64 << 20;
        inner[4..8].copy_from_slice(&(payload as u32).to_be_bytes());
        inner.resize(V2_HEADER + payload, 0);
        let bomb = deflated(&inner);
        assert!(bomb.len() < 200_000, "{}", bomb.len());
        let err = decode_full(&STANDARD.encode(bomb)).unwrap_err();
        assert!(err.contains("inflates to more than"), "{err}");
    }

    #[test]
    fn too_many_significant_digits_and_junk_are_refused() {
        let wide = Histogram::<u64>::new_with_bounds(1, u64::MAX / 2, 5).unwrap();
        let err = decode_full(&STANDARD.encode(plain(&wide))).unwrap_err();
        assert!(err.contains("5 significant digits"), "{err}");
        for junk in ["", "AAAA", "HISTFAAAAAAA", "!!"] {
            assert!(decode_full(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn sums_that_would_wrap_are_refused() {
        let histogram = one_value(1);
        let err = merged(vec![report(u64::MAX, &histogram), report(101, &histogram)])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("requests 101 makes the sum overflow"), "{err}");
        let huge = one_value(1 << 62);
        let err = merged(vec![report(1, &huge); 5]).err().unwrap().to_string();
        assert!(err.contains("histogram_v2_b64"), "{err}");
    }

    #[test]
    fn a_report_of_a_newer_schema_is_refused_and_an_older_one_read() {
        let mut newer = report(1, &one_value(1));
        newer["schema_version"] = json!(SCHEMA_VERSION + 1);
        let err = reports("new.json", &newer.to_string())
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer than this netdemo reads"), "{err}");
        let older = report(1, &one_value(1));
        assert!(older.get("schema_version").is_none());
        let read = reports("old.json", &older.to_string()).unwrap();
        assert_eq!(read[0].schema_version, 1);
        assert_eq!(read[0].requests, 1);
        let junk = r#"{"event":"report","requests":-5}"#;
        let err = reports("junk.json", junk).unwrap_err().to_string();
        assert!(err.contains("not a load report"), "{err}");
    }

    #[test]
    fn a_warmup_no_run_could_have_is_refused_not_a_panic() {
        for warmup in [1e300, -1.0, f64::MAX] {
            let mut bad = report(1, &one_value(1));
            bad["warmup_s"] = json!(warmup);
            let err = merged(vec![bad]).err().unwrap().to_string();
            assert!(err.contains("is not the length of a run"), "{err}");
        }
    }
}
