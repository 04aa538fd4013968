//! `tcp connect`'s conversation: the tutorial's client, an echo client, or a request
//! client for any service.
//!
//! Seed: connect, show the greeting, send each message and show its reply, then send
//! `exit` and close (PROTOCOL.md, TCP 6). Echo (RFC 862): no greeting; each message must
//! come back byte for byte, and a mismatch fails the command. Request: no greeting, one
//! reply (one frame) per message, checked against `--expect`.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use color_eyre::eyre::{Result, bail};
use tokio::time::timeout;

use crate::encoding::Encoding;
use crate::event::{Close, Event, Peer};
use crate::expect::{self, Expect};
use crate::framing::{FrameError, FrameSpec, FramedStream, Framing, http};
use crate::io_error::{Cause, cause};
use crate::messages::{Check, Messages};
use crate::net::NetError;
use crate::net::dial::{Dialed, Endpoint, dial};
use crate::output::Printer;
use crate::protocol::Wire;
use crate::tap::{Tap, Tapped};
use crate::tls::{ClientTls, Stream};

use crate::net::handshake;

/// The largest reply one read takes. Larger than the server's 1024-byte messages, because a
/// reply wraps a whole message in `Loop_Msg: ...!`.
const REPLY_READ_MAX: usize = 64 * 1024;

/// Runtime settings of `tcp connect`'s and `unix connect`'s conversation, with every
/// message already encoded.
#[derive(Debug, Clone)]
pub struct TcpConnectConfig {
    pub endpoint: Endpoint,
    /// How stdin lines become bytes, and the protocol's own strings.
    pub encoding: Encoding,
    pub messages: Vec<Vec<u8>>,
    /// `--framing ws`: the connection is upgraded to WebSocket first.
    pub upgrade: Option<crate::framing::websocket::Upgrade>,
    /// `--replay-timing`: when each message is due, from when the first was sent; empty
    /// sends each once the last reply is in.
    pub due: Vec<Duration>,
    /// The only message argument was `-`: read messages from stdin instead.
    pub from_stdin: bool,
    pub frames: FrameSpec,
    /// What an HTTP request's Host header names.
    pub host_header: String,
    pub conversation: Conversation,
    /// Bounds connecting to each address, and each wait for a reply.
    pub timeout: Duration,
    /// Keep retrying a refused connection for this long.
    pub wait: Option<Duration>,
    /// `--tls`: the handshake comes first.
    pub tls: Option<Arc<ClientTls>>,
}

/// Which conversation `tcp connect` holds.
#[derive(Debug, Clone)]
pub enum Conversation {
    /// The tutorial's: greeting, replies, `exit`.
    Seed,
    /// RFC 862: each message comes back unchanged.
    Echo,
    /// Any service: one reply per message, as the expectation says.
    Request(Expect),
}

/// Connects, then runs the conversation.
///
/// # Errors
/// No address (or no server on the socket) accepted the connection, a reply did not come
/// in time or (echo) was not the message sent, or the connection failed or closed before
/// every reply arrived.
pub async fn connect(cfg: &TcpConnectConfig, printer: Arc<Printer>) -> Result<()> {
    let role = cfg.endpoint.client_role();
    let tls = cfg.tls.as_deref();
    handshake::announce_client(tls, &printer);
    let (stream, peer) =
        handshake::open(&cfg.endpoint, tls, cfg.timeout, cfg.wait, &printer).await?;
    let ended = converse(stream, peer, cfg, &printer)
        .await
        .map(|()| Close::Done);
    printer.explain_close(role, peer, ended.as_ref().copied());
    ended.map(drop)
}

type Conn = FramedStream<Tapped<Stream>>;

/// The conversation: greeting, each message and its reply, then `exit` (seed); each
/// message and its echo (echo).
async fn converse(
    stream: Stream,
    addr: Peer,
    cfg: &TcpConnectConfig,
    printer: &Arc<Printer>,
) -> Result<()> {
    let wire = Wire::new(cfg.encoding);
    let role = cfg.endpoint.client_role();
    let mut stream = Tapped::connection(stream, addr, Tap::new(printer, role));
    if let Some(asked) = &cfg.upgrade {
        tokio::time::timeout(
            cfg.timeout,
            crate::framing::websocket::upgrade(&mut stream, asked),
        )
        .await
        .map_err(|_| color_eyre::eyre::eyre!("{addr} did not answer the WebSocket upgrade"))?
        .map_err(|err| color_eyre::eyre::eyre!("{addr}: {err}"))?;
        tracing::info!(peer = %addr, "upgraded to WebSocket: ws://{}{}", asked.host, asked.path);
    }
    let mut conn = FramedStream::new(stream, addr, cfg.frames.codec(REPLY_READ_MAX));
    let check = Check::Frame(cfg.frames);
    let mut messages = Messages::new(&cfg.messages, cfg.from_stdin, cfg.encoding, check)
        .framed(cfg.frames.framing, &cfg.host_header)
        .paced(&cfg.due);

    let echo = matches!(cfg.conversation, Conversation::Echo);
    // Whether the last greeting or reply was whole, as the protocol says it should be: a
    // reset after one that was not may have cut it short.
    let mut last_whole = true;
    if let Conversation::Request(expect) = &cfg.conversation {
        return requests(&mut conn, &mut messages, expect, cfg, printer).await;
    }
    if !echo {
        let greeting = read_reply(&mut conn, cfg.timeout)
            .await
            .map_err(|err| match err {
                NetError::ReplyTimeout { addr, after } => NetError::NoGreeting { addr, after },
                other => other,
            })?;
        printer.event(Event::received(addr, &greeting));
        last_whole = greeting[..] == wire.greeting()[..];
        if !last_whole {
            tracing::warn!(
                "{addr} did not greet as the tutorial's server does: is it a seed-protocol \
                 server? for other services see --mode"
            );
        }
    }
    // An echo server knows nothing of `exit`: the conversation just ends.
    let mut said_exit = echo;
    while let Some(message) = messages.next(printer).await? {
        if check.may_split(&message) {
            tracing::warn!(
                bytes = message.len(),
                "message is longer than the tutorial server's 1024-byte read; it may arrive \
                 as several messages (try --framing line or length)"
            );
        }
        conn.write_frame(&message)
            .await
            .map_err(|err| NetError::Frame { addr, err })?;
        if echo {
            let echo = read_echo(&mut conn, &message, cfg.timeout).await?;
            printer.event(Event::received(addr, &echo));
            if echo[..] != message[..] {
                bail!(
                    "{addr} did not echo the message: sent {} bytes ({}), got {} bytes back \
                     ({}); is it an echo server? (see --mode)",
                    message.len(),
                    printer.encoding().show(&message),
                    echo.len(),
                    printer.encoding().show(&echo),
                );
            }
            continue;
        }
        if wire.is_exit(&message) {
            // `exit` gets no reply: the server closes (PROTOCOL.md, TCP 3).
            match messages.remaining() {
                Some(0) => {}
                Some(unsent) => tracing::warn!(
                    "not sending {unsent} message(s) after exit: the server has closed"
                ),
                None => tracing::info!("sent exit: the server has closed"),
            }
            said_exit = true;
            break;
        }
        let reply = read_reply(&mut conn, cfg.timeout).await?;
        printer.event(Event::received(addr, &reply));
        last_whole = reply[..] == wire.tcp_reply(&message)[..];
        if !last_whole {
            tracing::warn!(
                bytes = reply.len(),
                "the reply does not follow the protocol (Loop_Msg: MESSAGE!): is it a \
                 seed-protocol server? for other services see --mode"
            );
        }
    }
    // The conversation is complete; failing to say goodbye is not worth an error, but a
    // reset after a reply that was not whole is: the server cut the reply short. (A server
    // that stops while `exit` is on its way resets too, after whole replies: that is fine.)
    let mut reset = false;
    if !said_exit && let Err(err) = conn.write_frame(wire.exit()).await {
        reset |= is_reset(&err);
        tracing::debug!(error = %err, "could not send exit");
    }
    if let Err(err) = conn.shutdown().await {
        reset |= is_reset(&err);
        tracing::debug!(error = %err, "could not close cleanly");
    }
    if !last_whole && (reset || !closed_cleanly(&mut conn, cfg.timeout.min(CLOSE_WAIT)).await) {
        return Err(NetError::ResetAtEnd { addr }.into());
    }
    Ok(())
}

fn is_reset(err: &FrameError) -> bool {
    matches!(err, FrameError::Io(err) if cause(err) == Cause::Reset)
}

/// How long a finished conversation waits for the server to close: a reset arrives within
/// a round trip; a server that keeps the connection open costs no more than this.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// Waits, at most `after`, for the server's side of the close, and says whether it was a
/// FIN rather than a reset. A server that keeps the connection open past `after` is let
/// be; bytes nobody asked for are skipped.
async fn closed_cleanly(conn: &mut Conn, after: Duration) -> bool {
    let close = async {
        loop {
            match conn.read_frame().await {
                Ok(Some(late)) => {
                    tracing::debug!(bytes = late.len(), "bytes after the conversation")
                }
                Ok(None) => return true,
                Err(err) if is_reset(&err) => return false,
                Err(err) => {
                    tracing::debug!(error = %err, "while waiting for the server to close");
                    return true;
                }
            }
        }
    };
    timeout(after, close).await.unwrap_or(true)
}

/// Request mode: each message, then exactly one reply, shown and checked.
async fn requests(
    conn: &mut Conn,
    messages: &mut Messages,
    expect: &Expect,
    cfg: &TcpConnectConfig,
    printer: &Arc<Printer>,
) -> Result<()> {
    let addr = conn.peer();
    let framing = cfg.frames.framing;
    let mut index = 0;
    while let Some(message) = messages.next(printer).await? {
        // An HTTP server that closed after its last response (HTTP/1.0, `Connection:
        // close`) gets a new connection for the next message, as a browser would open one;
        // none is opened when no message is left.
        if conn.peer_closes() {
            tracing::info!(peer = %addr, "the server closes after each response: connecting again");
            // Our side of the old connection closes first: a one-at-a-time server (openssl
            // s_server -www) waits for it before it accepts the next.
            close(conn, cfg.timeout).await;
            let Dialed { stream, peer, .. } = dial(&cfg.endpoint, cfg.timeout, None, None).await?;
            let stream =
                handshake::client(cfg.tls.as_deref(), stream, peer, cfg.timeout, printer).await?;
            let tap = Tap::new(printer, cfg.endpoint.client_role());
            let stream = Tapped::connection(stream, peer, tap);
            *conn = FramedStream::new(stream, peer, cfg.frames.codec(REPLY_READ_MAX));
        }
        conn.write_frame(&message)
            .await
            .map_err(|err| NetError::Frame { addr, err })?;
        let reply = read_reply(conn, cfg.timeout).await?;
        printer.event(Event::received(addr, &expect::shown(framing, &reply)));
        if !expect.accepts(framing, index, &reply) {
            let show = |bytes: &[u8]| printer.encoding().show(bytes);
            bail!(
                "reply {} from {addr} was {}, expected {}",
                index + 1,
                show(&expect.got(framing, &reply)),
                expect.describe(index, show)
            );
        }
        // Nothing was expected, so a 404 passes; it is still worth a line.
        if matches!(expect, Expect::Any)
            && framing == Framing::Http
            && expect::is_error_reply(framing, &reply)
        {
            let shown = |bytes: &[u8]| crate::encoding::shown_text(&String::from_utf8_lossy(bytes));
            printer.notice(format_args!(
                "{} got {} (add --expect to fail on it)",
                shown(http::request_line(&message)),
                shown(http::status_line(&reply).unwrap_or_default())
            ));
        }
        index += 1;
    }
    close(conn, cfg.timeout).await;
    Ok(())
}

/// Closes our side (FIN, after TLS's close_notify), within `after`; failing to is not
/// worth an error once every reply is in.
async fn close(conn: &mut Conn, after: Duration) {
    match timeout(after, conn.shutdown()).await {
        Ok(Err(err)) => tracing::debug!(error = %err, "could not close cleanly"),
        Err(_) => tracing::debug!("could not close cleanly in time"),
        Ok(Ok(())) => {}
    }
}

async fn read_reply(conn: &mut Conn, after: Duration) -> Result<Bytes, NetError> {
    let addr = conn.peer();
    match timeout(after, conn.read_frame()).await {
        // Bytes came, but not a whole frame: the framing is the likelier culprit.
        Err(_) if !conn.buffered().is_empty() => Err(NetError::PartialReply {
            addr,
            after,
            bytes: conn.buffered().len(),
            framing: conn.framing().name(),
        }),
        Err(_) => Err(NetError::ReplyTimeout { addr, after }),
        Ok(Err(err)) => Err(NetError::Frame { addr, err }),
        Ok(Ok(None)) => Err(NetError::ClosedEarly { addr }),
        Ok(Ok(Some(frame))) => Ok(frame),
    }
}

/// The echo of `sent`: one frame, or in raw framing as many reads as it takes for as
/// many bytes (TCP may split it), stopping early at the first byte that differs.
async fn read_echo(conn: &mut Conn, sent: &[u8], after: Duration) -> Result<BytesMut, NetError> {
    let addr = conn.peer();
    let raw = conn.framing() == Framing::Raw;
    let read = async {
        let mut echo = BytesMut::new();
        loop {
            match conn.read_frame().await {
                Ok(Some(frame)) => echo.extend_from_slice(&frame),
                Ok(None) => return Err(NetError::ClosedEarly { addr }),
                Err(err) => return Err(NetError::Frame { addr, err }),
            }
            if !raw || echo.len() >= sent.len() || !sent.starts_with(&echo) {
                return Ok(echo);
            }
        }
    };
    timeout(after, read)
        .await
        .unwrap_or(Err(NetError::ReplyTimeout { addr, after }))
}
