//! The load report as JSON: one `serde` type, written by the printer (`--json`) and read
//! back by `netdemo merge`, so the two cannot drift apart. Fields appear in this order;
//! those a run did not have (UDP figures on TCP, TLS without `--tls`...) are left out.
//!
//! `schema_version` says which form a report has. `merge` reads every version up to
//! [`SCHEMA_VERSION`] (a field an older one lacks takes its default) and refuses a newer
//! one, since the shards of one run may come from different builds.

use serde::{Deserialize, Serialize};

use super::stats::Summary;
use super::{ErrorKind, KINDS};

/// The form of the report this build writes. Reports written before the field existed
/// read as version 1; version 2 added the rows of each second and each stage.
pub const SCHEMA_VERSION: u32 = 2;

fn version_one() -> u32 {
    1
}

/// One load report, as `--json` prints it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportJson {
    /// Always `report`.
    pub event: String,
    #[serde(default = "version_one")]
    pub schema_version: u32,
    #[serde(default)]
    pub requests: u64,
    #[serde(default)]
    pub errors: u64,
    #[serde(default)]
    pub errors_by_kind: ErrorsJson,
    #[serde(default)]
    pub connections: u64,
    #[serde(default)]
    pub duration_s: f64,
    #[serde(default)]
    pub warmup_s: f64,
    #[serde(default)]
    pub rps: f64,
    #[serde(default)]
    pub in_flight: u64,
    #[serde(default)]
    pub greetings_pending: u64,
    #[serde(default)]
    pub error_replies: u64,
    #[serde(default)]
    pub bytes_per_s: f64,
    #[serde(default)]
    pub latency_us: Option<SummaryJson>,
    /// The latency histogram, HdrHistogram V2 compressed, base64.
    #[serde(default)]
    pub histogram_v2_b64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_us: Option<SummaryJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_histogram_b64: Option<String>,
    /// Full and resumed TLS handshakes (`--tls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_full: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_resumed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_handshake_us: Option<SummaryJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_handshake_histogram_b64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_resumed_us: Option<SummaryJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_resumed_histogram_b64: Option<String>,
    /// What the run was of: what `merge` checks before adding reports up.
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub framing: Option<String>,
    #[serde(default)]
    pub message_bytes: u64,
    #[serde(default)]
    pub bytes: u64,
    /// `I/N` of `--shard`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The run's window in wall-clock time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    /// How many reports this one adds up (a merge's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<u64>,
    /// Threads the load ran on (added up over merged shards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u64>,
    /// The share of its cores the load generator kept busy, 0 to 1 (the busiest shard's,
    /// merged): above 0.9 its own limit shows in the figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cpu: Option<f64>,
    /// `--reconnect`: connections made, and per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections_made: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections_per_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_message: Vec<MessageJson>,
    /// `--rate`: the schedule, and the latency from each actual send beside the corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_rps: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_uncorrected_us: Option<SummaryJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncorrected_histogram_b64: Option<String>,
    /// Open loop over TCP: how late the generator sent requests that fell due on an idle
    /// connection, its own delay (the server had no part in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_lag_us: Option<SummaryJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_lag_histogram_b64: Option<String>,
    /// UDP runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_pct: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reordered: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_us: Option<f64>,
    /// A shaped rate's stages as `--stages` reads them (`10s@1000,30s@5000..20000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    /// Each stage: the requests due in it, and their figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageJson>,
    /// Each second of the measured window: the replies that came in it, and the errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seconds: Vec<SecondJson>,
}

/// One stage of a shaped rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageJson {
    /// As `--stages` reads it: `30s@5000..20000`.
    pub stage: String,
    pub from_rps: f64,
    pub to_rps: f64,
    pub duration_s: f64,
    #[serde(flatten)]
    pub row: RowJson,
}

/// One second of the measured window (`t_s` 0 is its first).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecondJson {
    pub t_s: u64,
    #[serde(flatten)]
    pub row: RowJson,
}

/// What a second or a stage holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowJson {
    /// Requests the open loop's schedule made due in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended: Option<u64>,
    pub requests: u64,
    pub errors: u64,
    pub errors_by_kind: ErrorsJson,
    pub latency_us: SummaryJson,
    /// HdrHistogram V2 compressed, base64: a second's keeps two significant digits.
    pub histogram_v2_b64: String,
}

/// Errors by kind, every kind named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorsJson {
    #[serde(default)]
    pub refused: u64,
    #[serde(default)]
    pub reset: u64,
    #[serde(default)]
    pub timeout: u64,
    #[serde(default)]
    pub wrong_reply: u64,
    #[serde(default)]
    pub fd_limit: u64,
    #[serde(default)]
    pub no_ports: u64,
    #[serde(default)]
    pub tls: u64,
    #[serde(default)]
    pub other: u64,
    /// Datagrams, or their replies, that never came back (UDP loads).
    #[serde(default)]
    pub lost: u64,
}

impl ErrorsJson {
    /// The count of one kind.
    pub fn of(&self, kind: ErrorKind) -> u64 {
        match kind {
            ErrorKind::Refused => self.refused,
            ErrorKind::Reset => self.reset,
            ErrorKind::Timeout => self.timeout,
            ErrorKind::WrongReply => self.wrong_reply,
            ErrorKind::FdLimit => self.fd_limit,
            ErrorKind::NoPorts => self.no_ports,
            ErrorKind::Tls => self.tls,
            ErrorKind::Other => self.other,
            ErrorKind::Lost => self.lost,
        }
    }
}

impl From<&[u64; KINDS]> for ErrorsJson {
    fn from(counts: &[u64; KINDS]) -> ErrorsJson {
        let of = |kind: ErrorKind| counts[kind as usize];
        ErrorsJson {
            refused: of(ErrorKind::Refused),
            reset: of(ErrorKind::Reset),
            timeout: of(ErrorKind::Timeout),
            wrong_reply: of(ErrorKind::WrongReply),
            fd_limit: of(ErrorKind::FdLimit),
            no_ports: of(ErrorKind::NoPorts),
            tls: of(ErrorKind::Tls),
            other: of(ErrorKind::Other),
            lost: of(ErrorKind::Lost),
        }
    }
}

/// Percentiles of a histogram, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryJson {
    pub min: u64,
    /// Rounded to a tenth.
    pub mean: f64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub p999: u64,
    pub max: u64,
}

impl From<&Summary> for SummaryJson {
    fn from(summary: &Summary) -> SummaryJson {
        SummaryJson {
            min: summary.min,
            mean: (summary.mean * 10.0).round() / 10.0,
            p50: summary.p50,
            p90: summary.p90,
            p99: summary.p99,
            p999: summary.p999,
            max: summary.max,
        }
    }
}

/// One message's figures, when several rotate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageJson {
    pub message: String,
    pub requests: u64,
    pub errors: u64,
    pub latency_us: SummaryJson,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_a_version_is_version_one_and_keeps_its_fields() {
        let old: ReportJson = serde_json::from_str(
            r#"{"event":"report","requests":5,"target":"127.0.0.1:9","rps":2.5}"#,
        )
        .unwrap();
        assert_eq!(old.schema_version, 1);
        assert_eq!(old.requests, 5);
        assert_eq!(old.target.as_deref(), Some("127.0.0.1:9"));
        assert!(old.sent.is_none());
    }

    #[test]
    fn every_error_kind_has_its_field_by_its_name() {
        let mut counts = [0; KINDS];
        for (i, count) in counts.iter_mut().enumerate() {
            *count = i as u64 + 1;
        }
        let errors = ErrorsJson::from(&counts);
        let value = serde_json::to_value(errors).unwrap();
        for kind in ErrorKind::ALL {
            assert_eq!(errors.of(kind), counts[kind as usize]);
            assert_eq!(value[kind.name()], counts[kind as usize], "{}", kind.name());
        }
    }
}
