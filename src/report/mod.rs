//! The outcome of a load run: counters, errors by kind, its histograms (`recorded.rs`)
//! and their statistics (`stats.rs`), its rows by second and by stage (`timeline.rs`),
//! and whether it failed; a capacity search's steps (`search.rs`). Data only, below both the
//! load engines that fill it (`load/`) and the printer that renders it (`output/report.rs`).

mod recorded;
pub mod schema;
pub mod search;
mod shard;
pub mod stats;
pub mod timeline;

pub use recorded::Recorded;
pub use shard::Shard;

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::io_error::{Cause, cause};
use stats::Summary;

/// How many kinds of failure there are.
pub const KINDS: usize = 9;

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Nothing listened (connect refused).
    Refused,
    /// The connection was reset or closed under a request.
    Reset,
    /// Connecting or a reply took longer than `--timeout`.
    Timeout,
    /// A reply arrived but was not the one the protocol requires.
    WrongReply,
    /// The process ran out of file descriptors.
    FdLimit,
    /// No local port was free to connect from (`--reconnect` at a high rate).
    NoPorts,
    /// The TLS handshake failed (`--tls`): an untrusted certificate, a plain server.
    Tls,
    /// Anything else the socket reported.
    Other,
    /// A datagram, or its reply, never came back within `--timeout` (UDP).
    Lost,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; KINDS] = [
        ErrorKind::Refused,
        ErrorKind::Reset,
        ErrorKind::Timeout,
        ErrorKind::WrongReply,
        ErrorKind::FdLimit,
        ErrorKind::NoPorts,
        ErrorKind::Tls,
        ErrorKind::Other,
        ErrorKind::Lost,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Refused => "refused",
            ErrorKind::Reset => "reset",
            ErrorKind::Timeout => "timeout",
            ErrorKind::WrongReply => "wrong_reply",
            ErrorKind::FdLimit => "fd_limit",
            ErrorKind::NoPorts => "no_ports",
            ErrorKind::Tls => "tls",
            ErrorKind::Other => "other",
            ErrorKind::Lost => "lost",
        }
    }

    pub fn of_io(err: &io::Error) -> ErrorKind {
        match cause(err) {
            Cause::Refused => ErrorKind::Refused,
            Cause::Reset => ErrorKind::Reset,
            Cause::Timeout => ErrorKind::Timeout,
            Cause::NoDescriptors => ErrorKind::FdLimit,
            Cause::NoPorts => ErrorKind::NoPorts,
            Cause::Other => ErrorKind::Other,
        }
    }
}

/// Error counters shared by the workers.
#[derive(Debug, Default)]
pub struct Errors([AtomicU64; KINDS]);

impl Errors {
    pub fn add(&self, kind: ErrorKind) {
        self.0[kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    pub fn snapshot(&self) -> [u64; KINDS] {
        std::array::from_fn(|i| self.0[i].load(Ordering::Relaxed))
    }
}

/// UDP-only figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct UdpFigures {
    pub sent: u64,
    pub received: u64,
    pub lost: u64,
    pub duplicates: u64,
    pub reordered: u64,
    pub jitter_us: f64,
}

/// What a load run did.
pub struct Report {
    pub connections: usize,
    /// The open loop's intended rate: `--rate`, or a shape's mean over the measured window.
    pub rate: Option<f64>,
    /// A shaped rate's stages, each with its row in `recorded.stages`.
    pub stages: Vec<crate::shape::Stage>,
    /// The measured window: the run minus its warm-up.
    pub measured: Duration,
    pub warmup: Duration,
    /// Requests answered correctly within the measured window.
    pub ok: u64,
    /// Failures by [`ErrorKind`], warm-up included.
    pub errors: [u64; KINDS],
    /// Bytes sent and received by the measured requests.
    pub bytes: u64,
    pub recorded: Recorded,
    pub udp: Option<UdpFigures>,
    /// Requests sent but not answered when the run ended (`-d`, Ctrl-C).
    pub in_flight: u64,
    /// Connections still waiting for their greeting when the run ended.
    pub greetings_pending: u64,
    /// Each message and its failures, when several rotate; their latencies are in
    /// `recorded.by_message`.
    pub by_message: Vec<(String, u64)>,
    /// The first reply that failed its expectation, beside what was expected.
    pub first_mismatch: Option<String>,
    /// Replies that said their request failed but counted, nothing being expected.
    pub error_replies: u64,
    /// Why no request completed, when none did: what happened and what to try.
    pub stalled: Option<String>,
    /// The signal that stopped the run early (SIGINT, SIGTERM), if one did.
    pub interrupted: Option<i32>,
    /// What was run, by which shard, and when: what `netdemo merge` checks and adds up.
    pub provenance: Provenance,
    /// Each request had a connection of its own (`--reconnect`): the connect histogram
    /// counts the connections.
    pub reconnect: bool,
    /// How busy the load generator itself was, when measured.
    pub client: Option<ClientCpu>,
}

/// How busy the load generator was: the CPU time the process used over the run, against
/// what its threads could use. Above [`SATURATED`], the figures show the generator's
/// limit rather than the server's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClientCpu {
    /// Threads the connections ran on (added up over merged shards).
    pub threads: usize,
    /// The share of its cores the run kept busy, 0 to 1 (the busiest shard's, merged).
    pub busy: f64,
}

/// One `--interval` of a load run: what completed in it, and how fast.
#[derive(Debug, Clone)]
pub struct Interval {
    /// From and to, since the run began.
    pub from: Duration,
    pub to: Duration,
    /// Requests answered correctly in the interval.
    pub requests: u64,
    /// The open loop's schedule, when there is one.
    pub target_rps: Option<f64>,
    /// Their latency (corrected, in open loop).
    pub latency: hdrhistogram::Histogram<u64>,
    /// Failures in the interval, by kind.
    pub errors: [u64; KINDS],
}

impl Interval {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.to.saturating_sub(self.from).as_secs_f64().max(1e-9)
    }
}

/// A load generator busier than this was the bottleneck, or close to it.
pub const SATURATED: f64 = 0.9;

/// What a report is of: reports can only be merged when these agree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// The address loaded, as given.
    pub target: String,
    /// `tcp seed`, `tcp echo`, `tcp request`, `udp seed`, ...
    pub mode: String,
    pub framing: String,
    /// The request's size in bytes (the first message's, when several rotate).
    pub message_bytes: usize,
    /// `--shard I/N`, if the run was one.
    pub shard: Option<Shard>,
    /// The measured window in wall-clock time.
    pub started_at: Option<std::time::SystemTime>,
    pub ended_at: Option<std::time::SystemTime>,
    /// Reports added up into this one (1 for a run).
    pub merged: usize,
}

impl Report {
    /// The warning that the load generator, not the server, set the pace.
    pub fn saturated(&self) -> Option<String> {
        let client = self.client?;
        (client.busy > SATURATED).then(|| {
            format!(
                "the load generator was saturated ({:.0}% of its CPU on {} thread(s)): the \
                 figures show its limit, not the server's; give it more cores (--threads) or \
                 another machine",
                client.busy * 100.0,
                client.threads
            )
        })
    }

    pub fn error_total(&self) -> u64 {
        self.errors.iter().sum()
    }

    pub fn rps(&self) -> f64 {
        self.ok as f64 / self.measured.as_secs_f64().max(1e-9)
    }

    pub fn bytes_per_s(&self) -> f64 {
        self.bytes as f64 / self.measured.as_secs_f64().max(1e-9)
    }

    /// Why the run counts as failed, if it does: a request failed, or the achieved rate
    /// fell more than 5% short of `--rate`.
    pub fn failure(&self) -> Option<String> {
        if self.ok == 0 {
            return Some(
                self.stalled
                    .clone()
                    .unwrap_or_else(|| "no request completed".to_owned()),
            );
        }
        let errors = self.error_total();
        let fd_limit = self.errors[ErrorKind::FdLimit as usize];
        if fd_limit > 0 {
            return Some(format!(
                "{errors} request(s) failed, {fd_limit} for want of file descriptors (raise \
                 the limit with `ulimit -n`, or use fewer -c)"
            ));
        }
        let no_ports = self.errors[ErrorKind::NoPorts as usize];
        if no_ports > 0 {
            return Some(format!(
                "{errors} request(s) failed, {no_ports} for want of a free local port \
                 (EADDRNOTAVAIL: each closed connection holds its port in TIME_WAIT for a \
                 minute; widen net.ipv4.ip_local_port_range, lower the rate, or keep \
                 connections open: leave out --reconnect)"
            ));
        }
        let lost = self.errors[ErrorKind::Lost as usize];
        if lost > 0 && lost == errors {
            let sent = self.udp.map_or(self.ok + lost, |udp| udp.sent);
            return Some(format!("{lost} of {sent} datagrams lost"));
        }
        if errors > 0 {
            return Some(format!("{errors} request(s) failed"));
        }
        match self.rate {
            Some(target) if self.rps() < target * 0.95 => Some(format!(
                "achieved {:.0} requests/s, more than 5% short of --rate {target}",
                self.rps()
            )),
            _ => None,
        }
    }

    /// Little's law: holding `rate` with latency p99 needs about rate × p99 requests in
    /// flight, one per connection. `Some(needed)` when there are fewer connections.
    pub fn too_few_connections(&self) -> Option<f64> {
        let rate = self.rate?;
        let p99 = Summary::of(&self.recorded.latency).p99 as f64 / 1e6;
        let needed = rate * p99;
        (self.udp.is_none() && (self.connections as f64) < needed).then_some(needed)
    }
}

/// The share of datagrams lost, in percent.
pub fn loss_pct(udp: UdpFigures) -> f64 {
    if udp.sent == 0 {
        0.0
    } else {
        udp.lost as f64 * 100.0 / udp.sent as f64
    }
}
