//! `ws serve`: accepts WebSocket clients on any path and echoes each message, text as
//! text and binary as binary. tungstenite answers pings and returns the client's close;
//! on Ctrl-C or SIGTERM every client is closed with 1001 (going away) and given the grace
//! period to answer.

use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::Result;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::event::{Close, Event, Peer};
use crate::net::announce::announce_listener;
use crate::net::handshake;
use crate::net::listener::Bind;
use crate::output::Printer;
use crate::shutdown;
use crate::tls::{ServerTls, Stream};

/// Settings of `ws serve`.
#[derive(Debug, Clone)]
pub struct WsServeConfig {
    pub bind: Bind,
    pub tls: Option<Arc<ServerTls>>,
    /// The largest message taken from a client.
    pub max_message: usize,
    pub grace: Duration,
}

/// Serves until a signal, then closes every client.
///
/// # Errors
/// No address could be bound.
pub async fn serve(cfg: WsServeConfig, printer: Arc<Printer>) -> Result<()> {
    let stop = shutdown::stop_source(&printer, cfg.grace);
    let mut listener = cfg.bind.listen().await?;
    announce_listener(&listener, &cfg.bind, &printer, cfg.tls.as_deref(), None)?;
    let tracker = TaskTracker::new();
    let stopping = CancellationToken::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            (stream, peer, _) = listener.accept() => {
                let (cfg, printer, stopping) = (cfg.clone(), printer.clone(), stopping.clone());
                tracker.spawn(async move {
                    let close = session(stream, peer, &cfg, &printer, &stopping).await;
                    printer.event(Event::Close { peer, close });
                });
            }
        }
    }
    printer.event(Event::Shutdown);
    stopping.cancel();
    tracker.close();
    shutdown::drain(&tracker, cfg.grace).await;
    Ok(())
}

/// One client, from the TLS and WebSocket handshakes to its close.
async fn session(
    stream: Stream,
    peer: Peer,
    cfg: &WsServeConfig,
    printer: &Printer,
    stopping: &CancellationToken,
) -> Close {
    printer.event(Event::Accept {
        peer,
        process: None,
    });
    let Some(stream) = handshake::server(cfg.tls.as_deref(), stream, peer, printer).await else {
        return Close::Eof;
    };
    let opened = tokio::time::timeout(
        super::HANDSHAKE,
        tokio_tungstenite::accept_async_with_config(stream, Some(super::settings(cfg.max_message))),
    )
    .await;
    let mut ws = match opened {
        Ok(Ok(ws)) => ws,
        Ok(Err(err)) => {
            tracing::warn!(%peer, "not a WebSocket client: {err}");
            return Close::Eof;
        }
        Err(_) => {
            tracing::warn!(%peer, "no WebSocket handshake within {:?}", super::HANDSHAKE);
            return Close::Idle;
        }
    };
    tracing::info!(%peer, "WebSocket open");
    loop {
        let message = tokio::select! {
            message = ws.next() => message,
            () = stopping.cancelled() => {
                let going = CloseFrame {
                    code: CloseCode::Away,
                    reason: "server shutting down".into(),
                };
                let _ = ws.close(Some(going)).await;
                // The client's answering close, or the grace period's end.
                while let Some(Ok(_)) = ws.next().await {}
                return Close::Shutdown;
            }
        };
        let reply = match message {
            Some(Ok(Message::Text(text))) => {
                printer.event(Event::received(peer, text.as_bytes()));
                Message::Text(text)
            }
            Some(Ok(Message::Binary(bytes))) => {
                printer.event(Event::received(peer, &bytes));
                Message::Binary(bytes)
            }
            // Pongs go out by themselves; a frame alone never reaches here.
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
            Some(Ok(Message::Close(frame))) => {
                let said = frame.as_ref().map_or(1005, |f| u16::from(f.code));
                tracing::info!(%peer, "the client closed with {said} ({})", super::close_words(said));
                // tungstenite has queued the answering close; sending it ends the stream.
                while let Some(Ok(_)) = ws.next().await {}
                return Close::Eof;
            }
            Some(Err(err)) => {
                tracing::warn!(%peer, "WebSocket failed: {err}");
                // Said to the client as RFC 6455 names it, where the connection still works.
                let code = match err {
                    WsError::Capacity(_) => Some(CloseCode::Size),
                    WsError::Protocol(_) | WsError::Utf8(_) => Some(CloseCode::Protocol),
                    _ => None,
                };
                if let Some(code) = code {
                    let reason = super::close_words(u16::from(code)).into();
                    let _ = ws.close(Some(CloseFrame { code, reason })).await;
                }
                return Close::Reset;
            }
            None => return Close::Eof,
        };
        if let Err(err) = ws.send(reply).await {
            tracing::warn!(%peer, "cannot echo: {err}");
            return Close::Reset;
        }
    }
}
