//! `--mode stdio`, netcat's job: stdin goes to the peer and the peer's bytes go to stdout,
//! unchanged and both ways at once.
//!
//! The one subtle moment is stdin's end. TCP lets a side say "I have nothing more to send"
//! (FIN, `shutdown(SHUT_WR)`) while still receiving, so what happens then is a choice,
//! `--on-eof`, rather than folklore:
//! - `shutdown` (default): send FIN and keep printing until the peer closes. A request/
//!   response peer (an HTTP/1.0 server, `sort` behind socat) answers, then closes.
//! - `keep`: leave the connection fully open until the peer closes.
//! - `close`: close at once; whatever the peer still sends is lost.
//!
//! The session ends when both directions are done. When the peer closes its side first,
//! the rest of a piped stdin is still sent (a peer that half-closed may still be reading,
//! and nothing given to netdemo is dropped silently); an interactive stdin (a terminal)
//! ends the session at once instead of waiting for typing nobody will read.

use std::io::{self, IsTerminal};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use super::{OnEof, StdinReader};
use crate::event::{Close, Event, Peer};
use crate::output::Printer;

/// How much one read from the peer moves.
const CHUNK: usize = 64 * 1024;

/// Copies stdin to `stream` and `stream` to stdout until the peer closes, stdin ends under
/// `--on-eof close`, or nothing moves either way for `idle` (`-w`). Dropping the future
/// ends the session (shutdown, Ctrl-C).
///
/// `stdin` is borrowed, not owned, so a server that serves one client after another
/// (`--keep-open`) hands the same handle on: a read in flight when a client leaves is
/// kept by the handle, and its bytes go to the next client.
///
/// # Errors
/// The connection failed, or stdin could not be read.
pub async fn tcp_session<S: AsyncRead + AsyncWrite>(
    stream: S,
    peer: Peer,
    stdin: &mut StdinReader,
    on_eof: OnEof,
    idle: Option<Duration>,
    printer: &Printer,
) -> io::Result<Close> {
    let (mut from_peer, mut to_peer) = tokio::io::split(stream);
    // When bytes last moved either way, for `-w`. Both halves run in this task, so a Cell
    // is enough.
    let last_moved = std::cell::Cell::new(Instant::now());
    let send = async {
        let copied = stdin
            .copy_to(&mut to_peer, || last_moved.set(Instant::now()))
            .await?;
        match on_eof {
            OnEof::Shutdown => {
                to_peer.shutdown().await?;
                tracing::info!(
                    bytes = copied,
                    "stdin ended: sent FIN, waiting for the peer to close"
                );
            }
            OnEof::Keep => tracing::info!(
                bytes = copied,
                "stdin ended: keeping the connection open until the peer closes"
            ),
            OnEof::Close => tracing::info!(bytes = copied, "stdin ended: closing the connection"),
        }
        io::Result::Ok(())
    };
    let receive = async {
        let mut buf = vec![0; CHUNK];
        loop {
            // Nothing more is read from the peer while stdout's reader lags: the peer is
            // slowed by TCP's own flow control, and nothing piles up here.
            printer.room().await;
            let n = from_peer.read(&mut buf).await?;
            if n == 0 {
                return io::Result::Ok(());
            }
            last_moved.set(Instant::now());
            printer.event(Event::received(peer, &buf[..n]));
        }
    };
    // Wakes when `idle` may have passed; the loop checks whether bytes moved meanwhile.
    let idle_check = async {
        match idle {
            Some(idle) => loop {
                let due = last_moved.get() + idle;
                if Instant::now() >= due {
                    return;
                }
                tokio::time::sleep_until(due).await;
            },
            None => std::future::pending().await,
        }
    };
    tokio::pin!(send, receive, idle_check);
    let (mut sending, mut receiving) = (true, true);
    loop {
        tokio::select! {
            received = &mut receive, if receiving => {
                received?;
                receiving = false;
                if !sending || std::io::stdin().is_terminal() {
                    tracing::info!("the peer closed the connection");
                    return Ok(Close::Eof);
                }
                tracing::info!("the peer closed its side: sending the rest of stdin");
            }
            sent = &mut send, if sending => {
                if let Err(err) = sent {
                    if !receiving {
                        // The peer had closed its side and has now gone entirely.
                        tracing::warn!(error = %err, "the peer left before all of stdin was sent");
                    }
                    return Err(err);
                }
                sending = false;
                if on_eof == OnEof::Close {
                    return Ok(Close::StdinEnded);
                }
                if !receiving {
                    return Ok(Close::Eof);
                }
            }
            () = &mut idle_check => {
                tracing::info!(%peer, "nothing sent or received for the idle timeout: closing");
                return Ok(Close::Idle);
            }
            () = printer.stdout_gone() => return Ok(Close::Shutdown),
        }
    }
}
