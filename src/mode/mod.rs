//! What a peer gets once a transport has accepted it: one file per behaviour.
//!
//! The transports (`tcp/`, `udp/`) bind, accept, frame and shut down; a mode only turns
//! received frames or datagrams into replies and output lines. [`Service`] is the server
//! side of every mode, chosen once from `--mode` and shared by all connections.

pub mod chargen;
pub mod discard;
pub mod echo;
pub mod seed;
pub mod stdio;

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use crate::encoding::Encoding;
use crate::framing::{FrameError, FramedStream};
use crate::output::{Event, Printer};

pub use seed::SeedServer;
pub use stdio::OnEof;

/// Why a TCP session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// The client closed its side (end-of-stream).
    Eof,
    /// The client sent `exit` (seed mode).
    Exit,
    /// The server is shutting down.
    Shutdown,
    /// Stdin ended and `--on-eof close` asked to close (stdio mode).
    StdinEnded,
    /// The client sent nothing for `--idle-timeout`.
    Idle,
    /// A client's messages were all sent and answered (`tcp connect`, `udp send`).
    Done,
}

impl Close {
    pub fn reason(self) -> &'static str {
        match self {
            Close::Eof => "client closed the connection",
            Close::Exit => "client sent exit",
            Close::Shutdown => "server shutting down",
            Close::StdinEnded => "stdin ended",
            Close::Idle => "idle for longer than --idle-timeout",
            Close::Done => "every message sent and answered",
        }
    }
}

/// The behaviours a server can have (`--mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ServerMode {
    /// The tutorial's protocol: greeting, `Loop_Msg: MESSAGE!` / `Hello, DATA` replies
    #[default]
    Seed,
    /// RFC 862: send back every message as received
    Echo,
    /// RFC 863: show and drop every message, reply nothing
    Discard,
    /// RFC 864: send rotating lines of printable characters until the client leaves
    Chargen,
    /// netcat: stdin to the peer, the peer to stdout, one client at a time
    Stdio,
}

/// The behaviours a client can have (`--mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientMode {
    /// The tutorial's client: send each message, show each reply
    #[default]
    Seed,
    /// An RFC 862 client: send each message, expect it back unchanged (no greeting)
    Echo,
    /// netcat: stdin to the server, the server to stdout
    Stdio,
}

/// What every TCP session of a server shares besides its service.
#[derive(Clone, Copy)]
pub struct Session<'a> {
    pub printer: &'a Printer,
    /// Cancelled when the server shuts down; checked between messages.
    pub shutdown: &'a CancellationToken,
    /// Close a client that sends nothing for this long.
    pub idle_timeout: Option<Duration>,
    /// `--stats`: messages are counted here.
    pub counters: Option<&'a crate::counters::Counters>,
}

/// A server's behaviour, shared by all of its connections and datagrams.
#[derive(Debug, Clone)]
pub enum Service {
    /// The tutorial's protocol.
    Seed(SeedServer),
    /// RFC 862: everything received is sent back.
    Echo(Encoding),
    /// RFC 863: everything received is thrown away.
    Discard(Encoding),
    /// RFC 864: characters are sent until the client leaves; what it sends is ignored.
    Chargen,
    /// netcat. Served by the transports one peer at a time, since there is one stdin.
    Stdio(OnEof),
}

impl Service {
    /// The service for `mode`. `delay` applies to the seed protocol's replies, `on_eof`
    /// to stdio mode.
    pub fn new(
        mode: ServerMode,
        encoding: Encoding,
        delay: Option<Duration>,
        on_eof: OnEof,
    ) -> Service {
        match mode {
            ServerMode::Stdio => Service::Stdio(on_eof),
            ServerMode::Seed => Service::Seed(SeedServer::new(encoding, delay)),
            ServerMode::Echo => Service::Echo(encoding),
            ServerMode::Discard => Service::Discard(encoding),
            ServerMode::Chargen => Service::Chargen,
        }
    }

    /// Serves one TCP connection until the client leaves or the server shuts down. Shutdown
    /// is noticed between messages, so a message in hand is always answered.
    ///
    /// # Errors
    /// The connection failed, or the client broke the framing (oversized, truncated frame).
    pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        conn: &mut FramedStream<S>,
        session: &Session<'_>,
    ) -> Result<Close, FrameError> {
        match self {
            Service::Seed(seed) => seed.tcp_session(conn, session).await,
            Service::Echo(encoding) => echo::tcp_session(conn, *encoding, session).await,
            Service::Discard(encoding) => discard::tcp_session(conn, *encoding, session).await,
            Service::Chargen => chargen::tcp_session(conn, session.shutdown).await,
            // `tcp::serve` runs stdio mode itself, one client at a time, with the one stdin.
            Service::Stdio(_) => Err(FrameError::Io(io::Error::other(
                "stdio mode serves one client at a time",
            ))),
        }
    }

    /// Handles one datagram: shows it and writes the reply, if any, into `reply`.
    /// Returns whether a reply is to be sent.
    pub fn udp_datagram(
        &self,
        data: &[u8],
        peer: SocketAddr,
        printer: &Printer,
        reply: &mut Vec<u8>,
    ) -> bool {
        reply.clear();
        let show = |encoding: Encoding| {
            printer.event(Event::Message {
                peer,
                data,
                encoding,
            })
        };
        match self {
            Service::Seed(seed) => {
                show(seed.encoding());
                seed.udp_reply(data, reply);
                true
            }
            Service::Echo(encoding) => {
                show(*encoding);
                reply.extend_from_slice(data);
                true
            }
            Service::Discard(encoding) => {
                show(*encoding);
                false
            }
            Service::Chargen => {
                chargen::udp_reply(reply);
                true
            }
            // Stdio mode answers with what stdin says, not per datagram: `udp::serve` runs it.
            Service::Stdio(_) => false,
        }
    }
}

/// Waits for the next frame, unless the server shuts down or the client stays silent
/// past `--idle-timeout` first. `read_frame` is cancel-safe: bytes already read stay in
/// the frame buffer.
pub(crate) async fn next_frame<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut FramedStream<S>,
    session: &Session<'_>,
) -> Result<Result<bytes::Bytes, Close>, FrameError> {
    let idle = async {
        match session.idle_timeout {
            Some(limit) => tokio::time::sleep(limit).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        frame = conn.read_frame() => {
            let frame = frame?.ok_or(Close::Eof);
            if let (Ok(_), Some(counters)) = (&frame, session.counters) {
                counters.message();
            }
            Ok(frame)
        }
        () = session.shutdown.cancelled() => Ok(Err(Close::Shutdown)),
        () = idle => Ok(Err(Close::Idle)),
    }
}
