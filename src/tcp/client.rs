//! `tcp connect`: the tutorial's client. Connect, show the greeting, send each message and
//! show its reply, then send `exit` and close (PROTOCOL.md, TCP 6).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use color_eyre::eyre::{Result, ensure};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};

use crate::addr::first_ok;
use crate::cli::TcpConnectArgs;
use crate::encoding::Encoding;
use crate::error::NetError;
use crate::explain::{Role, Step};
use crate::framing::{FrameSpec, FramedStream, Framing, RAW_READ_MAX};
use crate::hexdump::Tapped;
use crate::messages::{FROM_STDIN, Messages};
use crate::mode::{ClientMode, Close, OnEof, stdio};
use crate::output::{Event, Printer};
use crate::protocol::{self, Wire};

/// The largest reply one read takes. Larger than the server's 1024-byte messages, because a
/// reply wraps a whole message in `Loop_Msg: ...!`.
const REPLY_READ_MAX: usize = 64 * 1024;

/// Runtime settings of `tcp connect`, with every message already encoded.
#[derive(Debug, Clone)]
pub struct TcpConnectConfig {
    pub addrs: Vec<SocketAddr>,
    pub encoding: Encoding,
    pub messages: Vec<Vec<u8>>,
    /// The only message argument was `-`: read messages from stdin instead.
    pub from_stdin: bool,
    pub frames: FrameSpec,
    pub mode: ClientMode,
    pub on_eof: OnEof,
    /// Bounds connecting to each address, and each wait for a reply.
    pub timeout: Duration,
    /// Keep retrying a refused connection for this long.
    pub wait: Option<Duration>,
}

impl TcpConnectConfig {
    /// Encodes the messages first, so a bad one fails before any connection is made.
    ///
    /// # Errors
    /// A message that cannot be encoded or is empty, or an address that does not resolve.
    pub async fn from_args(args: &TcpConnectArgs) -> Result<TcpConnectConfig> {
        let encoding = args.codec.encoding;
        let frames = args.framing.spec();
        ensure!(
            args.mode == ClientMode::Seed || args.messages.is_empty(),
            "--mode stdio sends stdin, not messages: pipe them in instead"
        );
        let from_stdin = args.messages == [FROM_STDIN];
        let messages = if from_stdin {
            Vec::new()
        } else if args.messages.is_empty() {
            vec![encoding.protocol_bytes(protocol::DEFAULT_TCP_MESSAGE)]
        } else {
            let mut encoded = Vec::with_capacity(args.messages.len());
            for text in &args.messages {
                let bytes = encoding.encode(text)?;
                check_fits(&bytes, frames)?;
                encoded.push(bytes);
            }
            encoded
        };
        Ok(TcpConnectConfig {
            addrs: args.addr.resolve().await?,
            encoding,
            messages,
            from_stdin,
            frames,
            mode: args.mode,
            on_eof: args.on_eof,
            timeout: args.timeout,
            wait: args.wait,
        })
    }
}

/// Connects, then runs the chosen mode: the tutorial's conversation or netcat's stdio.
///
/// # Errors
/// No address accepted the connection, a reply did not come in time, or the connection
/// failed or closed before every reply arrived.
pub async fn connect(cfg: &TcpConnectConfig, printer: Arc<Printer>) -> Result<()> {
    let (stream, addr) = open(cfg, &printer).await?;
    let ended = match cfg.mode {
        ClientMode::Seed | ClientMode::Echo => converse(stream, addr, cfg, &printer)
            .await
            .map(|()| Close::Done),
        ClientMode::Stdio => {
            let mut stdin = stdio::StdinReader::spawn();
            let stream = Tapped::new(stream, addr, &printer, Role::TcpClient);
            stdio::tcp_session(stream, addr, &mut stdin, cfg.on_eof, cfg.encoding, &printer)
                .await
                .map_err(|err| NetError::Io { addr, err }.into())
        }
    };
    let ending = ended
        .as_ref()
        .copied()
        .map_err(|err| err as &dyn std::fmt::Display);
    printer.explain_close(Role::TcpClient, addr, ending);
    ended.map(drop)
}

/// Connects to the first address that answers within the timeout.
async fn open(
    cfg: &TcpConnectConfig,
    printer: &Printer,
) -> Result<(TcpStream, SocketAddr), NetError> {
    let deadline = cfg.wait.map(|wait| Instant::now() + wait);
    let mut pause = Duration::from_millis(50);
    let (stream, addr) = loop {
        match connect_any(&cfg.addrs, cfg.timeout, Some(printer)).await {
            Ok((stream, addr, _)) => break (stream, addr),
            // --wait: a server that is starting refuses (or ignores) us until it listens.
            Err(err) if deadline.is_some_and(|d| Instant::now() < d) => {
                tracing::info!(error = %err, retry_ms = pause.as_millis(), "not listening yet");
                let left = deadline.map_or(pause, |d| d - Instant::now());
                tokio::time::sleep(pause.min(left)).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
            Err(err) => return Err(err),
        }
    };
    tracing::info!(peer = %addr, "connected");
    // Each message waits for its reply, so Nagle's algorithm could only add delay.
    if let Err(err) = stream.set_nodelay(true) {
        tracing::debug!(error = %err, "cannot set TCP_NODELAY");
    }
    Ok((stream, addr))
}

/// Connects to the first address that accepts within `timeout`; returns the stream, the
/// address, and how long the successful attempt took. With `explain`, each attempt is
/// narrated (`--explain`).
///
/// # Errors
/// Every address refused, failed or timed out; the error is the last one.
pub(crate) async fn connect_any(
    addrs: &[SocketAddr],
    timeout: Duration,
    explain: Option<&Printer>,
) -> Result<(TcpStream, SocketAddr, Duration), NetError> {
    first_ok(addrs, |addr| async move {
        if let Some(printer) = explain {
            printer.explain(Role::TcpClient, Step::Socket { addr });
        }
        let started = Instant::now();
        let attempt = match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => Ok((stream, addr, started.elapsed())),
            Ok(Err(err)) => Err(NetError::Connect { addr, err }),
            Err(_) => Err(NetError::ConnectTimeout {
                addr,
                after: timeout,
            }),
        };
        if let Some(printer) = explain {
            let error = attempt.as_ref().err().map(ToString::to_string);
            let took = started.elapsed();
            printer.explain(
                Role::TcpClient,
                Step::Connect {
                    addr,
                    took,
                    error: error.as_deref(),
                },
            );
        }
        attempt
    })
    .await
}

/// The tutorial's conversation: greeting, each message and its reply, then `exit`.
async fn converse(
    stream: TcpStream,
    addr: SocketAddr,
    cfg: &TcpConnectConfig,
    printer: &Arc<Printer>,
) -> Result<()> {
    let wire = Wire::new(cfg.encoding);
    let stream = Tapped::new(stream, addr, printer, Role::TcpClient);
    let mut conn = FramedStream::new(stream, addr, cfg.frames.codec(REPLY_READ_MAX));
    let mut messages = Messages::new(&cfg.messages, cfg.from_stdin, cfg.encoding);

    let seed = cfg.mode == ClientMode::Seed;
    if seed {
        let greeting = read_reply(&mut conn, cfg.timeout).await?;
        printer.event(Event::Reply {
            peer: addr,
            data: &greeting,
            encoding: cfg.encoding,
        });
    }
    // An echo server knows nothing of `exit`: the conversation just ends.
    let mut said_exit = !seed;
    while let Some(message) = messages
        .next(printer, |message| check_fits(message, cfg.frames))
        .await?
    {
        conn.write_frame(&message)
            .await
            .map_err(|err| NetError::Frame { addr, err })?;
        if seed && wire.is_exit(&message) {
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
        printer.event(Event::Reply {
            peer: addr,
            data: &reply,
            encoding: cfg.encoding,
        });
    }
    // The conversation is complete; failing to say goodbye is not worth an error.
    if !said_exit && let Err(err) = conn.write_frame(wire.exit()).await {
        tracing::debug!(error = %err, "could not send exit");
    }
    if let Err(err) = conn.shutdown().await {
        tracing::debug!(error = %err, "could not close cleanly");
    }
    Ok(())
}

/// Checks that a message can be sent whole in the chosen framing.
fn check_fits(message: &[u8], frames: FrameSpec) -> Result<()> {
    match frames.framing {
        Framing::Raw => {
            ensure!(
                !message.is_empty(),
                "cannot send an empty message: with --framing raw TCP would put nothing on \
                 the wire (try --framing line)"
            );
            if message.len() > RAW_READ_MAX {
                tracing::warn!(
                    bytes = message.len(),
                    "message is longer than the server's {RAW_READ_MAX}-byte read; it may \
                     arrive as several messages (try --framing line or length)"
                );
            }
        }
        Framing::Line => ensure!(
            !message.contains(&b'\n'),
            "a message contains a newline, which ends a message with --framing line \
             (try --framing length)"
        ),
        Framing::Length => {}
    }
    ensure!(
        frames.framing == Framing::Raw || message.len() <= frames.max_frame,
        "a message of {} bytes is larger than --max-frame ({} bytes)",
        message.len(),
        frames.max_frame
    );
    Ok(())
}

async fn read_reply(
    conn: &mut FramedStream<Tapped<TcpStream>>,
    after: Duration,
) -> Result<Bytes, NetError> {
    let addr = conn.peer();
    match timeout(after, conn.read_frame()).await {
        Err(_) => Err(NetError::ReplyTimeout { addr, after }),
        Ok(Err(err)) => Err(NetError::Frame { addr, err }),
        Ok(Ok(None)) => Err(NetError::ClosedEarly { addr }),
        Ok(Ok(Some(frame))) => Ok(frame),
    }
}
