//! The vocabulary that the programs, the wire tap, the narration and the renderers share:
//! what happened ([`Event`]), which way bytes went ([`Direction`]), why a connection ended
//! ([`Close`]) and a second of `--stats` ([`Rates`]).
//!
//! Data only: nothing here renders, and nothing here imports from the rest of the crate,
//! so every layer can speak it without depending on another (`tests/layers.rs`).

use std::net::SocketAddr;
use std::time::Duration;

/// Who is at the other end of a connection or datagram: an IP address and port, or a
/// Unix-domain socket.
///
/// `Copy`, as `SocketAddr` is, so events, taps and narration pass it by value. A Unix
/// socket's path is the one a program binds or connects to, fixed for its whole run, so
/// it is held as `&'static str` (made so once, when `--path` is parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Peer {
    Inet(SocketAddr),
    /// A Unix-domain socket, named by its path (`@name` for a Linux abstract name). The
    /// clients a server accepts have no name of their own: they are told apart by their
    /// number on the socket, counted from 1 (`/run/app.sock#3`).
    Unix {
        path: &'static str,
        client: Option<u64>,
    },
}

impl Peer {
    /// The IP address and port, when the peer has them.
    pub fn inet(self) -> Option<SocketAddr> {
        match self {
            Peer::Inet(addr) => Some(addr),
            Peer::Unix { .. } => None,
        }
    }
}

/// The process at the other end of a Unix-domain socket (`SO_PEERCRED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Process {
    pub pid: Option<i32>,
    pub uid: u32,
}

impl From<SocketAddr> for Peer {
    fn from(addr: SocketAddr) -> Peer {
        Peer::Inet(addr)
    }
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Inet(addr) => addr.fmt(f),
            Peer::Unix { path, client: None } => f.write_str(path),
            Peer::Unix {
                path,
                client: Some(n),
            } => write!(f, "{path}#{n}"),
        }
    }
}

/// Which way bytes went, seen from netdemo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

/// Why a connection or a conversation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// The peer closed its side (end-of-stream).
    Eof,
    /// The client sent `exit` (seed mode).
    Exit,
    /// The server is shutting down.
    Shutdown,
    /// Stdin ended and `--on-eof close` asked to close (stdio mode).
    StdinEnded,
    /// The peer sent nothing for `--idle-timeout`.
    Idle,
    /// The peer reset the connection (RST): it left without closing, which is how many
    /// clients leave (`-z` port checks, a killed process).
    Reset,
    /// A client's messages were all sent and answered (`tcp connect`, `udp send`).
    Done,
    /// A UDP relay session saw no datagram either way for its idle timeout.
    Expired,
    /// A relay's `--reset-after` or `--close-after` ended the connection.
    Cut,
}

impl Close {
    /// Why, in a few words, for logs and JSON.
    pub fn reason(self) -> &'static str {
        match self {
            Close::Eof => "client closed the connection",
            Close::Exit => "client sent exit",
            Close::Shutdown => "server shutting down",
            Close::StdinEnded => "stdin ended",
            Close::Idle => "idle for longer than --idle-timeout",
            Close::Reset => "client reset the connection",
            Close::Done => "every message sent and answered",
            Close::Expired => "no datagram either way for --idle-timeout",
            Close::Cut => "--reset-after or --close-after reached",
        }
    }
}

/// Something that happened on the wire. The printer shows it as human text or, with
/// `--json`, as one JSON object per line on stdout; how data looks (the display encoding,
/// a `-->>` tag, raw bytes) is the printer's setting, not the event's.
#[derive(Clone, Copy)]
pub enum Event<'a> {
    /// A client connected. Human: the tutorial's `Accept new connection from ...` status.
    /// A Unix client's process, as the kernel gives it, goes to JSON.
    Accept {
        peer: Peer,
        process: Option<Process>,
    },
    /// A datagram arrived. Human: the tutorial's `Received from ...,` status.
    Datagram { peer: SocketAddr },
    /// Bytes that went to or came from `peer`: a message a server received, a reply a
    /// client received, or a stretch of a netcat stream.
    Data {
        peer: Peer,
        direction: Direction,
        data: &'a [u8],
    },
    /// A connection ended. Human: an info log, a warning when `--idle-timeout` ended it.
    Close { peer: Peer, close: Close },
    /// A connection failed. Human: a warning log.
    Error {
        peer: Peer,
        error: &'a dyn std::fmt::Display,
    },
    /// `tcp connect -z` found a port open.
    Open { addr: &'a str, took: Duration },
    /// `ws connect --mode ping` got a pong. Human: a line on stdout, as ping prints one.
    Pong {
        peer: Peer,
        seq: u64,
        took: Duration,
    },
    /// `tcp connect -z` found a port closed. Human: a status line.
    Closed { addr: &'a str, reason: &'a str },
    /// The server stops. Human: the `shutting down` status.
    Shutdown,
    /// A relay connected `peer` to the target. Human: an info log (`-v`).
    Relay { peer: Peer, target: SocketAddr },
    /// Bytes a relay passed on for `peer`: `up` from the client to the target, or down.
    /// JSON only; people watch a relay with `-x`.
    Relayed {
        peer: Peer,
        up: bool,
        data: &'a [u8],
    },
    /// A TLS handshake with `peer` finished. Human: an info log (`-v`).
    Tls { peer: Peer, info: &'a TlsInfo },
}

impl<'a> Event<'a> {
    /// What a peer sent, received by netdemo.
    pub fn received(peer: Peer, data: &'a [u8]) -> Event<'a> {
        Event::Data {
            peer,
            direction: Direction::Received,
            data,
        }
    }
}

/// What a TLS handshake agreed on, and whom it met.
#[derive(Debug, Clone)]
pub struct TlsInfo {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: &'static str,
    /// The cipher suite's IANA name.
    pub cipher: &'static str,
    /// The application protocol both sides chose (`--alpn`), if any.
    pub alpn: Option<String>,
    /// The server name the client asked for (SNI), if it sent one.
    pub sni: Option<String>,
    /// The peer's certificate: its subject and SHA-256 fingerprint (a client shows none
    /// unless the server asked for one).
    pub peer_subject: Option<String>,
    pub peer_fingerprint: Option<String>,
    /// How long the handshake took, after the TCP connection was made.
    pub took: Duration,
    /// The handshake resumed an earlier session (a short handshake, no certificate sent).
    pub resumed: bool,
}

/// One second of a server's `--stats`.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    /// Open connections (TCP only).
    pub open: Option<u64>,
    pub accepted_per_s: f64,
    pub messages_per_s: f64,
    pub bytes_in_per_s: f64,
    pub bytes_out_per_s: f64,
    /// Datagrams dropped since the start (UDP relay only).
    pub dropped: Option<u64>,
}

/// A second of a throughput run (`tcp connect --mode send|receive`), or the whole run.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    /// Sending (`--mode send`) or receiving.
    pub sending: bool,
    pub streams: usize,
    /// The interval, from the start of the run.
    pub from: Duration,
    pub to: Duration,
    pub bytes: u64,
    /// From the kernel (TCP_INFO, Linux): the smoothed round trip, averaged over the
    /// streams, and retransmitted segments so far, summed.
    pub rtt_us: Option<u64>,
    pub retransmits: Option<u64>,
    /// The whole run rather than one interval.
    pub whole: bool,
    /// The threads the streams ran on.
    pub threads: usize,
    /// One direction of a run that moved both at once (`--bidir`).
    pub bidir: bool,
    /// A one-way UDP run's whole: datagrams sent, and what the receiver says arrived.
    pub arrived: Option<Arrived>,
}

/// What a one-way UDP run sent, and the receiver's report of what arrived, if it gave one.
#[derive(Debug, Clone, Copy)]
pub struct Arrived {
    pub sent: u64,
    pub report: Option<ArrivalReport>,
}

/// What arrived of one sender's numbered datagrams, as `udp serve --mode discard` tells
/// it (the `sequence` module keeps it and puts it in a datagram).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArrivalReport {
    pub received: u64,
    pub bytes: u64,
    pub duplicates: u64,
    pub reordered: u64,
    pub jitter_us: f64,
}

impl Throughput {
    pub fn bits_per_s(&self) -> f64 {
        let seconds = self.to.saturating_sub(self.from).as_secs_f64().max(1e-9);
        self.bytes as f64 * 8.0 / seconds
    }
}
