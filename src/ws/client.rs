//! `ws connect`: opens a WebSocket (over TLS for wss://, through `--proxy` too), then
//! sends each message and checks each reply (echo, request), times pings, or joins stdin
//! and stdout; and closes with the code asked for, saying the server's.

use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{Result, bail, eyre};
use futures_util::{SinkExt, StreamExt};
use tokio::time::{Instant, timeout};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::event::{Event, Peer};
use crate::expect::Expect;
use crate::framing::Framing;
use crate::net::dial::Endpoint;
use crate::net::handshake;
use crate::output::Printer;
use crate::stdin::{DatagramFraming, StdinChunks};
use crate::tls::{ClientTls, Stream};

type Ws = WebSocketStream<Stream>;

/// What the client does once the WebSocket is open.
#[derive(Debug, Clone)]
pub enum WsClientMode {
    /// Each message must come back unchanged.
    Echo,
    /// One reply per message, checked against this.
    Request(Expect),
    /// This many pings, each pong timed.
    Ping(u64),
    /// Stdin's lines out, the server's messages to stdout.
    Stdio,
}

/// Settings of `ws connect`.
#[derive(Debug, Clone)]
pub struct WsConnectConfig {
    pub endpoint: Endpoint,
    /// The URL asked for in the upgrade: `ws://HOST:PORT/PATH` (or wss://).
    pub url: String,
    pub tls: Option<Arc<ClientTls>>,
    pub messages: Vec<Vec<u8>>,
    /// Send binary messages, not text.
    pub binary: bool,
    pub mode: WsClientMode,
    /// The code of our close.
    pub close_code: u16,
    pub timeout: Duration,
    /// The largest message taken from the server.
    pub max_message: usize,
}

/// Runs one client program to its close.
///
/// # Errors
/// The connection or upgrade failed, a reply was wrong or late, or the server closed
/// early.
pub async fn connect(cfg: &WsConnectConfig, printer: Arc<Printer>) -> Result<()> {
    let (stream, peer) = handshake::open(
        &cfg.endpoint,
        cfg.tls.as_deref(),
        cfg.timeout,
        None,
        &printer,
    )
    .await?;
    let opening = tokio_tungstenite::client_async_with_config(
        cfg.url.as_str(),
        stream,
        Some(super::settings(cfg.max_message)),
    );
    let (mut ws, response) = timeout(cfg.timeout, opening)
        .await
        .map_err(|_| {
            eyre!(
                "{peer} did not answer the WebSocket upgrade within {}",
                humantime::format_duration(cfg.timeout)
            )
        })?
        .map_err(|err| {
            eyre!(
                "{peer} did not open a WebSocket for {}: {}",
                cfg.url,
                refusal(&err)
            )
        })?;
    tracing::info!(%peer, status = %response.status(), "WebSocket open: {}", cfg.url);
    match &cfg.mode {
        WsClientMode::Echo | WsClientMode::Request(_) => {
            exchange(&mut ws, peer, cfg, &printer).await?;
            close(&mut ws, peer, cfg).await
        }
        WsClientMode::Ping(count) => {
            ping(&mut ws, peer, *count, cfg, &printer).await?;
            close(&mut ws, peer, cfg).await
        }
        WsClientMode::Stdio => stdio(ws, peer, cfg, &printer).await,
    }
}

/// Why an upgrade failed, in words: the server's HTTP answer when it gave one.
fn refusal(err: &WsError) -> String {
    match err {
        WsError::Http(response) => format!(
            "it answered HTTP {} instead of 101 Switching Protocols (is the path right? see \
             --path)",
            response.status()
        ),
        WsError::Protocol(_) => format!("{err}: is it a WebSocket server?"),
        other => other.to_string(),
    }
}

/// A message as it is sent: text unless `--binary`, or unless it is not UTF-8.
fn outgoing(message: &[u8], binary: bool) -> Message {
    match std::str::from_utf8(message) {
        Ok(text) if !binary => Message::text(text),
        _ => Message::binary(message.to_vec()),
    }
}

/// Echo and request modes: each message, then the one reply it gets.
async fn exchange(ws: &mut Ws, peer: Peer, cfg: &WsConnectConfig, printer: &Printer) -> Result<()> {
    for (index, message) in cfg.messages.iter().enumerate() {
        ws.send(outgoing(message, cfg.binary)).await?;
        let reply = next_data(ws, peer, cfg.timeout).await?;
        printer.event(Event::received(peer, &reply));
        let show = |bytes: &[u8]| printer.encoding().show(bytes);
        match &cfg.mode {
            WsClientMode::Echo if reply != *message => bail!(
                "{peer} did not echo message {}: sent {}, got {} (is it an echo server? see --mode \
                 request)",
                index + 1,
                show(message),
                show(&reply)
            ),
            WsClientMode::Request(expect) if !expect.accepts(Framing::Raw, index, &reply) => bail!(
                "reply {} from {peer} was {}, expected {}",
                index + 1,
                show(&reply),
                expect.describe(index, show)
            ),
            _ => {}
        }
    }
    Ok(())
}

/// The next text or binary message, within `after`; pings and pongs are let by.
async fn next_data(ws: &mut Ws, peer: Peer, after: Duration) -> Result<Vec<u8>> {
    loop {
        let message = timeout(after, ws.next()).await.map_err(|_| {
            eyre!(
                "no message from {peer} within {}",
                humantime::format_duration(after)
            )
        })?;
        match message {
            Some(Ok(Message::Text(text))) => return Ok(text.as_bytes().to_vec()),
            Some(Ok(Message::Binary(bytes))) => return Ok(bytes.to_vec()),
            Some(Ok(Message::Close(frame))) => bail!(
                "{peer} closed the WebSocket before replying{}",
                said(frame.as_ref())
            ),
            Some(Ok(_)) => {}
            Some(Err(err)) => bail!("the WebSocket to {peer} failed: {err}"),
            None => bail!("{peer} closed the connection before replying"),
        }
    }
}

/// `: 1001 (going away), "server shutting down"`, or nothing without a close frame.
fn said(frame: Option<&CloseFrame>) -> String {
    match frame {
        Some(frame) => {
            let code = u16::from(frame.code);
            let reason = if frame.reason.is_empty() {
                String::new()
            } else {
                format!(", \"{}\"", crate::encoding::shown_text(&frame.reason))
            };
            format!(": {code} ({}){reason}", super::close_words(code))
        }
        None => String::new(),
    }
}

/// Ping mode: `count` pings, one at a time, each pong timed and printed.
async fn ping(
    ws: &mut Ws,
    peer: Peer,
    count: u64,
    cfg: &WsConnectConfig,
    printer: &Printer,
) -> Result<()> {
    let mut times = Vec::with_capacity(count as usize);
    for seq in 1..=count {
        let payload = seq.to_be_bytes().to_vec();
        let sent = Instant::now();
        ws.send(Message::Ping(payload.clone().into())).await?;
        loop {
            let message = timeout(cfg.timeout, ws.next()).await.map_err(|_| {
                eyre!(
                    "no pong from {peer} for ping {seq} within {}",
                    humantime::format_duration(cfg.timeout)
                )
            })?;
            match message {
                Some(Ok(Message::Pong(got))) if got[..] == payload[..] => break,
                Some(Ok(Message::Close(frame))) => {
                    bail!("{peer} closed the WebSocket{}", said(frame.as_ref()))
                }
                Some(Ok(_)) => {}
                Some(Err(err)) => bail!("the WebSocket to {peer} failed: {err}"),
                None => bail!("{peer} closed the connection"),
            }
        }
        let took = sent.elapsed();
        times.push(took);
        printer.event(Event::Pong { peer, seq, took });
    }
    if !printer.is_json() && !times.is_empty() {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let min = times.iter().min().copied().unwrap_or_default();
        let max = times.iter().max().copied().unwrap_or_default();
        let avg = times.iter().sum::<Duration>() / times.len() as u32;
        printer.raw(
            format!(
                "{count} pings, {count} pongs: min {:.3} ms, avg {:.3} ms, max {:.3} ms\n",
                ms(min),
                ms(avg),
                ms(max)
            )
            .as_bytes(),
        );
    }
    Ok(())
}

/// Closes with our code and waits, within `--timeout`, for the server's close, said at
/// `-v`.
async fn close(ws: &mut Ws, peer: Peer, cfg: &WsConnectConfig) -> Result<()> {
    let ours = CloseFrame {
        code: cfg.close_code.into(),
        reason: "".into(),
    };
    ws.close(Some(ours)).await?;
    let answer = async {
        while let Some(message) = ws.next().await {
            if let Ok(Message::Close(frame)) = message {
                return Some(frame);
            }
        }
        None
    };
    match timeout(cfg.timeout, answer).await {
        Ok(Some(frame)) => {
            tracing::info!(%peer, "the server closed too{}", said(frame.as_ref()));
        }
        Ok(None) => tracing::debug!(%peer, "the connection ended without the server's close"),
        Err(_) => tracing::debug!(%peer, "no close from the server within --timeout"),
    }
    Ok(())
}

/// How long the server must be quiet after stdin's end before we close: WebSocket has no
/// half-close, and a server stops answering once it has our close, so the replies still
/// on their way are waited for first (as `nc -q 1` waits).
const QUIET: Duration = Duration::from_secs(1);

/// Where a stdio session is.
#[derive(Clone, Copy)]
enum Phase {
    /// Stdin is read.
    Open,
    /// Stdin ended: closing once the server is quiet until then.
    Draining(Instant),
    /// Our close went out: the server's is awaited until then.
    Closing(Instant),
}

/// Stdio mode: each line of stdin is a message to the server, each of its messages a line
/// on stdout; stdin's end closes with our code once the server is quiet, and the server's
/// close ends the program.
async fn stdio(ws: Ws, peer: Peer, cfg: &WsConnectConfig, printer: &Printer) -> Result<()> {
    let (mut sink, mut stream) = ws.split();
    let mut stdin = StdinChunks::new(DatagramFraming::Line, cfg.max_message);
    let mut phase = Phase::Open;
    loop {
        let deadline = match phase {
            Phase::Open => None,
            Phase::Draining(at) | Phase::Closing(at) => Some(at),
        };
        tokio::select! {
            line = stdin.next(), if matches!(phase, Phase::Open) => match line? {
                Some(line) => sink.send(outgoing(&line, cfg.binary)).await?,
                None => phase = Phase::Draining(Instant::now() + QUIET),
            },
            () = crate::shutdown::deadline(deadline), if deadline.is_some() => match phase {
                Phase::Draining(_) => {
                    let ours = CloseFrame { code: cfg.close_code.into(), reason: "".into() };
                    sink.send(Message::Close(Some(ours))).await?;
                    phase = Phase::Closing(Instant::now() + cfg.timeout);
                }
                _ => {
                    tracing::debug!(%peer, "no close from the server within --timeout");
                    return Ok(());
                }
            },
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    printer.raw(text.as_bytes());
                    printer.raw(b"\n");
                    if let Phase::Draining(_) = phase {
                        phase = Phase::Draining(Instant::now() + QUIET);
                    }
                }
                Some(Ok(Message::Binary(bytes))) => {
                    printer.raw(&bytes);
                    if let Phase::Draining(_) = phase {
                        phase = Phase::Draining(Instant::now() + QUIET);
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    tracing::info!(%peer, "the server closed{}", said(frame.as_ref()));
                    // Flushes the answering close that tungstenite queued.
                    let _ = sink.flush().await;
                    return Ok(());
                }
                Some(Ok(_)) => {}
                Some(Err(WsError::ConnectionClosed)) | None => return Ok(()),
                Some(Err(err)) => bail!("the WebSocket to {peer} failed: {err}"),
            },
        }
    }
}
