//! Every `--json` event but the load report, as one `serde` type ([`EventJson`]): the
//! printer serializes it, and tests (and any program reading netdemo's output)
//! deserialize it. Each event is one object on one line, named by its `event` field;
//! fields appear in the order written here, and those an event did not have are left out.
//! The load report is [`crate::report::schema::ReportJson`], the same way.

use serde::{Deserialize, Serialize};

/// One `--json` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventJson {
    /// A server is ready: the address it took, and its certificate's fingerprint with TLS.
    Listening {
        addr: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tls_fingerprint: Option<String>,
        /// The threads its connections run on (stream servers and relays).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threads: Option<usize>,
    },
    /// A relay's faults in force each way, as the flags that set them say (empty: none):
    /// at start, and after each change (then with the `proxy` changed).
    Faults {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proxy: Option<String>,
        up: String,
        down: String,
    },
    /// `/metrics` is served here (`--metrics`).
    Metrics { addr: String },
    /// A relay's toxiproxy-compatible API is served here (`--api`).
    Api { addr: String, toxiproxy: String },
    /// A relay made, changed or removed through the API: `started`, `stopped` (disabled)
    /// or `deleted`.
    Proxy {
        name: String,
        listen: String,
        upstream: String,
        state: String,
    },
    /// A server accepted a connection; on a Unix socket, the process behind it.
    Accept {
        peer: String,
        #[serde(default, flatten, skip_serializing_if = "Option::is_none")]
        process: Option<ProcessJson>,
    },
    /// A UDP server heard from a new peer.
    Datagram { peer: String },
    /// Bytes this end sent.
    Sent(DataJson),
    /// Bytes a client or sender received: the reply to what it sent.
    Reply(DataJson),
    /// Bytes a server (or a stdio client) received.
    Message(DataJson),
    /// Bytes a relay passed on, with their `direction`.
    Data(DataJson),
    /// A connection ended, and why.
    Close { peer: String, reason: String },
    /// A failure: of one peer's connection, or (without `peer`) the command's last word.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        peer: Option<String>,
        error: String,
    },
    /// A connection opened: a client's (`addr`, `connect_us`) or a relay's (`peer`,
    /// `target`).
    Open {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addr: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        connect_us: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        peer: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    /// A probed port (`-z`) that does not listen, and why.
    Closed { addr: String, reason: String },
    /// A WebSocket pong (`ws connect --mode ping`), and its round trip.
    Pong { peer: String, seq: u64, rtt_us: u64 },
    /// A server stopped taking connections (Ctrl-C, SIGTERM).
    Shutdown {},
    /// A TLS handshake finished.
    Tls {
        peer: String,
        version: String,
        cipher: String,
        alpn: Option<String>,
        sni: Option<String>,
        peer_subject: Option<String>,
        peer_fingerprint: Option<String>,
        handshake_us: u64,
        resumed: bool,
    },
    /// A second of a server's or relay's `--stats`.
    Stats {
        messages_per_s: f64,
        bytes_in_per_s: f64,
        bytes_out_per_s: f64,
        #[serde(default, flatten, skip_serializing_if = "Option::is_none")]
        connections: Option<ConnectionsJson>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dropped: Option<u64>,
    },
    /// A second of a throughput run, or an `--interval` of a load run.
    Interval(IntervalJson),
    /// A whole throughput run.
    Summary(ThroughputJson),
    /// A step of a capacity search (`--find-max-rate`), as it ends.
    Step(StepJson),
    /// A capacity search's answer, with every step.
    Search(SearchJson),
}

/// One step of a capacity search: an open-loop run at `rate_rps`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepJson {
    pub step: usize,
    pub rate_rps: f64,
    pub achieved_rps: f64,
    pub requests: u64,
    pub errors: u64,
    pub latency_us: crate::report::schema::SummaryJson,
    /// Each bound of `--slo` with the step's figure (microseconds, percent or a count).
    pub bounds: Vec<BoundJson>,
    pub kept: bool,
    /// Why it broke the promise besides its bounds (nothing completed, fell behind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// The load generator's CPU share, when it was saturated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cpu: Option<f64>,
}

/// A bound of `--slo` as a step measured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoundJson {
    pub bound: String,
    pub value: f64,
    pub kept: bool,
}

/// A capacity search's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchJson {
    pub slo: String,
    /// The highest rate that kept the promise; absent when none did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rps: Option<f64>,
    /// The lowest rate above it that broke the promise, and what broke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broke_at_rps: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub broke_by: Vec<String>,
    /// Why the search stopped before an answer (the generator saturated, a signal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub steps: Vec<StepJson>,
}

/// The process at the other end of a Unix socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessJson {
    pub pid: Option<i32>,
    pub uid: u32,
}

/// Bytes that went one way: shown in the display encoding, with `data_b64` beside them
/// when they do not decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataJson {
    pub peer: String,
    pub bytes: usize,
    pub data: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_b64: Option<String>,
    /// A relay's: `up` (client to target) or `down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}

/// A TCP server's connections in a `stats` second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConnectionsJson {
    /// Open now.
    pub connections: u64,
    pub accepted_per_s: f64,
}

/// An `interval` event: a throughput run's second, or a load run's `--interval`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntervalJson {
    Throughput(ThroughputJson),
    Load(LoadIntervalJson),
}

/// An `--interval` of a load run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadIntervalJson {
    pub start_s: f64,
    pub end_s: f64,
    pub requests: u64,
    pub rps: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_rps: Option<f64>,
    pub latency_us: crate::report::schema::SummaryJson,
    pub errors: u64,
    pub errors_by_kind: crate::report::schema::ErrorsJson,
}

/// A throughput run's interval or whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThroughputJson {
    /// `send` or `receive`.
    pub direction: String,
    pub streams: usize,
    pub start_s: f64,
    pub end_s: f64,
    pub bytes: u64,
    pub bits_per_s: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtt_us: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retransmits: Option<u64>,
    /// The threads the streams ran on (the summary only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
    /// A one-way UDP run's summary: datagrams sent, and what the receiver reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datagrams: Option<u64>,
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
}
