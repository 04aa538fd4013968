//! What a server's peer gets once a transport has accepted it: one file per behaviour.
//!
//! The transports (`tcp/`, `udp/`) bind, accept, frame and shut down; a service only turns
//! received frames or datagrams into replies and events. [`Service`] is chosen once from
//! `--mode` and shared by all connections. netcat's stdio mode is not a service: it has one
//! stdin for all peers, so it runs as a program of its own (`stdio/`).

pub mod chargen;
pub mod discard;
pub mod echo;
pub mod seed;

use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use crate::event::{Close, Event};
use crate::framing::{FrameError, FramedStream};
use crate::output::Printer;

pub use seed::SeedServer;

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
    Echo,
    /// RFC 863: everything received is thrown away.
    Discard,
    /// RFC 864: characters are sent until the client leaves; what it sends is ignored.
    Chargen,
    /// Bytes as fast as the client reads them (`tcp connect --mode receive`).
    Source,
}

impl Service {
    /// The most one raw-framed read takes: the tutorial's 1024 bytes (its server's
    /// `recv(1024)`, which is what a message is in the seed protocol), but 64 KiB for a
    /// discard server, whose reads are throughput (`tcp connect --mode send`): 1 KiB reads
    /// held it to a few hundred Mbit/s. Chargen and source drop what they read, and a
    /// `--bidir` client sends as fast as they write: 1 KiB reads would starve it.
    pub fn raw_read(&self) -> usize {
        match self {
            Service::Discard | Service::Chargen | Service::Source => 64 * 1024,
            _ => crate::framing::RAW_READ_MAX,
        }
    }

    /// Serves one TCP connection until the client leaves or the server shuts down. Shutdown
    /// is noticed between messages, so a message in hand is always answered.
    ///
    /// # Errors
    /// The connection failed, or the client broke the framing (oversized, truncated frame).
    pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin + std::os::fd::AsRawFd>(
        &self,
        conn: &mut FramedStream<S>,
        session: &Session<'_>,
    ) -> Result<Close, FrameError> {
        match self {
            Service::Seed(seed) => seed.tcp_session(conn, session).await,
            Service::Echo => echo::tcp_session(conn, session).await,
            Service::Discard => discard::tcp_session(conn, session).await,
            Service::Chargen => chargen::tcp_session(conn, session.shutdown).await,
            Service::Source => chargen::source_session(conn, session.shutdown).await,
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
        match self {
            Service::Seed(seed) => {
                printer.event(Event::received(peer.into(), data));
                seed.udp_reply(data, reply);
                true
            }
            Service::Echo => {
                printer.event(Event::received(peer.into(), data));
                reply.extend_from_slice(data);
                true
            }
            Service::Discard => {
                printer.event(Event::received(peer.into(), data));
                false
            }
            // `udp serve --mode source` is refused when planned: no datagram says "more".
            Service::Chargen | Service::Source => {
                chargen::udp_reply(reply);
                true
            }
        }
    }
}

/// How often a connection held back by a stalled reader asks whether its client left:
/// the longest a departed client's socket waits to be released.
const HANGUP_CHECK: Duration = Duration::from_millis(100);

/// Waits for the next frame, unless the server shuts down or the client stays silent
/// past `--idle-timeout` first. Silent means no byte at all: a client sending a long line
/// slowly is not idle. `read_frame` is cancel-safe: bytes already read stay in the frame
/// buffer, which is how the bytes of a frame still in progress are seen.
pub(crate) async fn next_frame<S: AsyncRead + AsyncWrite + Unpin + AsRawFd>(
    conn: &mut FramedStream<S>,
    session: &Session<'_>,
) -> Result<Result<bytes::Bytes, Close>, FrameError> {
    // A message is shown as it is read: none is read while stdout's reader lags, which
    // holds back this connection only. A client that has left is not held: its messages
    // are read and shown (queued, or dropped and counted past the writer's bound) and its
    // socket released, so a stalled reader never keeps sockets in CLOSE-WAIT.
    if !session.printer.has_room() {
        let mut check = tokio::time::interval(HANGUP_CHECK);
        loop {
            tokio::select! {
                () = session.printer.room() => break,
                () = session.shutdown.cancelled() => return Ok(Err(Close::Shutdown)),
                _ = check.tick() => {
                    if crate::net::peer_hung_up(conn.stream().as_raw_fd()) {
                        break;
                    }
                }
            }
        }
    }
    let mut seen = conn.buffered().len();
    loop {
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
                return Ok(frame);
            }
            () = session.shutdown.cancelled() => return Ok(Err(Close::Shutdown)),
            () = idle => {
                let now = conn.buffered().len();
                if now == seen {
                    return Ok(Err(Close::Idle));
                }
                seen = now;
            }
        }
    }
}
