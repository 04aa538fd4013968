//! Throughput runs (`tcp connect --mode send|receive`) for people or programs: a line per
//! second on stderr (an `interval` object on stdout with `--json`), and the whole run on
//! stdout (a `summary` object).

use super::Printer;
use super::report::round3;
use super::schema::{EventJson, IntervalJson, ThroughputJson};
use crate::event::{Arrived, Throughput};

impl Printer {
    /// One interval: on stderr for people (not with `-q`), on stdout as JSON.
    pub fn throughput(&self, t: &Throughput) {
        if self.is_json() {
            let figures = ThroughputJson {
                direction: if t.sending { "send" } else { "receive" }.to_owned(),
                streams: t.streams,
                start_s: round3(t.from.as_secs_f64()),
                end_s: round3(t.to.as_secs_f64()),
                bytes: t.bytes,
                bits_per_s: t.bits_per_s().round(),
                rtt_us: t.rtt_us,
                retransmits: t.retransmits,
                threads: t.whole.then_some(t.threads),
                datagrams: t.arrived.map(|a| a.sent),
                received: t.arrived.and_then(|a| a.report).map(|r| r.received),
                lost: t
                    .arrived
                    .and_then(|a| a.report.map(|r| a.sent.saturating_sub(r.received))),
                loss_pct: t.arrived.and_then(|a| {
                    a.report
                        .map(|r| round3(loss_pct(a.sent.saturating_sub(r.received), a.sent)))
                }),
                duplicates: t.arrived.and_then(|a| a.report).map(|r| r.duplicates),
                reordered: t.arrived.and_then(|a| a.report).map(|r| r.reordered),
                jitter_us: t.arrived.and_then(|a| a.report).map(|r| r.jitter_us),
            };
            self.json_value(&if t.whole {
                EventJson::Summary(figures)
            } else {
                EventJson::Interval(IntervalJson::Throughput(figures))
            });
            return;
        }
        // Both directions at once: each interval line says which it counts.
        let mut line = match (t.bidir, t.sending) {
            (false, _) => String::new(),
            (true, true) => "sent      ".to_owned(),
            (true, false) => "received  ".to_owned(),
        };
        line += &format!(
            "{:6.2}-{:<6.2} s  {:>10}  {:>12}",
            t.from.as_secs_f64(),
            t.to.as_secs_f64(),
            bytes(t.bytes),
            bits(t.bits_per_s())
        );
        if let Some(rtt) = t.rtt_us {
            line.push_str(&format!("  rtt {rtt} µs"));
        }
        if let Some(retransmits) = t.retransmits {
            line.push_str(&format!("  retransmits {retransmits}"));
        }
        if t.whole {
            let verb = if t.sending { "sent" } else { "received" };
            self.text(&format!(
                "{verb} {} in {:.2} s over {} stream(s): {}{}",
                bytes(t.bytes),
                t.to.as_secs_f64(),
                t.streams,
                bits(t.bits_per_s()),
                t.retransmits
                    .map(|r| format!(", {r} retransmits"))
                    .unwrap_or_default()
            ));
            if let Some(arrived) = t.arrived {
                self.text(&arrived_line(arrived));
            }
        } else {
            self.status_line(line);
        }
    }
}

/// What arrived of a one-way UDP run, in one line.
fn arrived_line(arrived: Arrived) -> String {
    let Some(report) = arrived.report else {
        return format!(
            "arrived     unknown: the receiver sent no report of the {} datagrams",
            arrived.sent
        );
    };
    let lost = arrived.sent.saturating_sub(report.received);
    format!(
        "arrived     {} of {} datagrams ({lost} lost, {:.2}%), {} duplicates, {} reordered, \
         jitter {:.3} ms (RFC 3550)",
        report.received,
        arrived.sent,
        loss_pct(lost, arrived.sent),
        report.duplicates,
        report.reordered,
        report.jitter_us / 1000.0
    )
}

fn loss_pct(lost: u64, sent: u64) -> f64 {
    if sent == 0 {
        0.0
    } else {
        lost as f64 * 100.0 / sent as f64
    }
}

/// `1.21 GiB`, `512.0 KiB`, `17 B`.
pub(super) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

/// `10.4 Gbit/s`: decimal units, as network speeds are written.
pub(super) fn bits(per_s: f64) -> String {
    const UNITS: [&str; 4] = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s"];
    let mut value = per_s;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_keep_numbers_short() {
        assert_eq!(bytes(17), "17 B");
        assert_eq!(bytes(3 << 30), "3.00 GiB");
        assert_eq!(bits(10.4e9), "10.40 Gbit/s");
        assert_eq!(bits(999.0), "999.00 bit/s");
    }
}
