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
use std::net::SocketAddr;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, Stdin};

use super::Close;
use crate::encoding::Encoding;
use crate::output::{Event, Printer};

/// What to do with the connection when stdin ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OnEof {
    /// Send FIN (half-close) and keep printing until the peer closes
    #[default]
    Shutdown,
    /// Keep the connection fully open until the peer closes
    Keep,
    /// Close the connection at once
    Close,
}

/// How much one read from the peer moves.
const CHUNK: usize = 64 * 1024;

/// How much one read from stdin moves.
const STDIN_CHUNK: usize = 256 * 1024;

/// How many chunks may wait between the stdin thread and the socket: enough to keep both
/// busy, few enough that a slow peer back-pressures stdin instead of filling memory.
const STDIN_QUEUE: usize = 4;

/// Stdin, read on a thread of its own with plain blocking reads and handed over in large
/// chunks.
///
/// Why a thread: tokio's `Stdin` hands every read to its blocking pool and back, about four
/// futex calls per read (`strace -c`). Sending 1 GiB from stdin to a socket (a socat
/// server draining it) took 5.4 s through `tokio::io::copy` (8 KiB reads), 1.6 s through
/// a 256 KiB `BufReader`, and 1.0 s through this thread. End to end, scripts/bench-stdio
/// measured netdemo at 1211 MiB/s against socat's 820 and Python's 782 (medians of 3).
///
/// Kept by a server across clients (`--keep-open`): a chunk is only dropped once it has
/// been written, so a client that leaves mid-chunk loses nothing for the next one.
pub struct StdinReader {
    chunks: tokio::sync::mpsc::Receiver<io::Result<bytes::Bytes>>,
    /// The part of the current chunk not yet written.
    pending: bytes::Bytes,
}

impl StdinReader {
    /// Starts the reading thread.
    pub fn spawn() -> StdinReader {
        let (tx, chunks) = tokio::sync::mpsc::channel(STDIN_QUEUE);
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                use std::io::Read;
                let mut stdin = std::io::stdin().lock();
                loop {
                    let mut chunk = vec![0; STDIN_CHUNK];
                    let read = match stdin.read(&mut chunk) {
                        Ok(0) => break,
                        Ok(n) => {
                            chunk.truncate(n);
                            Ok(bytes::Bytes::from(chunk))
                        }
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                        Err(err) => Err(err),
                    };
                    let failed = read.is_err();
                    // The receiver is gone when the command has finished with stdin.
                    if tx.blocking_send(read).is_err() || failed {
                        break;
                    }
                }
            })
            .map(drop)
            .unwrap_or_else(|err| tracing::warn!(error = %err, "cannot start the stdin thread"));
        StdinReader {
            chunks,
            pending: bytes::Bytes::new(),
        }
    }

    /// Copies stdin to `out` until stdin ends; returns the bytes copied. Cancel-safe.
    ///
    /// # Errors
    /// Stdin could not be read or `out` could not be written.
    pub async fn copy_to<W: AsyncWrite + Unpin>(&mut self, out: &mut W) -> io::Result<u64> {
        let mut copied = 0;
        loop {
            if self.pending.is_empty() {
                match self.chunks.recv().await {
                    Some(chunk) => self.pending = chunk?,
                    None => return Ok(copied),
                }
            }
            let written = out.write(&self.pending).await?;
            if written == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            bytes::Buf::advance(&mut self.pending, written);
            copied += written as u64;
        }
    }
}

/// Copies stdin to `stream` and `stream` to stdout until the peer closes or stdin ends under
/// `--on-eof close`. Dropping the future ends the session (shutdown, Ctrl-C).
///
/// `stdin` is borrowed, not owned, so a server that serves one client after another
/// (`--keep-open`) hands the same handle on: a read in flight when a client leaves is
/// kept by the handle, and its bytes go to the next client.
///
/// # Errors
/// The connection failed, or stdin could not be read.
pub async fn tcp_session<S: AsyncRead + AsyncWrite>(
    stream: S,
    peer: SocketAddr,
    stdin: &mut StdinReader,
    on_eof: OnEof,
    encoding: Encoding,
    printer: &Printer,
) -> io::Result<Close> {
    let (mut from_peer, mut to_peer) = tokio::io::split(stream);
    let send = async {
        let copied = stdin.copy_to(&mut to_peer).await?;
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
            let n = from_peer.read(&mut buf).await?;
            if n == 0 {
                return io::Result::Ok(());
            }
            printer.event(Event::Bytes {
                peer,
                data: &buf[..n],
                encoding,
                line: false,
            });
        }
    };
    tokio::pin!(send, receive);
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
            () = printer.stdout_gone() => return Ok(Close::Shutdown),
        }
    }
}

/// How stdin is cut into datagrams in UDP stdio mode (`--framing` on the UDP commands).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DatagramFraming {
    /// Each line of stdin is a datagram, without its line ending; each datagram received
    /// is printed as a line
    #[default]
    Line,
    /// Each read of stdin is a datagram; datagrams received are printed as they are
    Raw,
}

/// Stdin cut into messages: lines or reads. Cancel-safe, so it can sit in a `select!`
/// beside a socket: a partly read line stays buffered for the next call.
pub struct StdinChunks {
    reader: tokio::io::BufReader<Stdin>,
    framing: DatagramFraming,
    line: Vec<u8>,
}

impl StdinChunks {
    pub fn new(framing: DatagramFraming) -> StdinChunks {
        StdinChunks {
            reader: tokio::io::BufReader::new(tokio::io::stdin()),
            framing,
            line: Vec::new(),
        }
    }

    /// The next line (without `\n` or `\r\n`) or read, or `None` at the end of stdin.
    /// A last line without a newline still counts.
    ///
    /// # Errors
    /// Stdin could not be read.
    pub async fn next(&mut self) -> io::Result<Option<Vec<u8>>> {
        use tokio::io::AsyncBufReadExt;
        match self.framing {
            DatagramFraming::Line => {
                self.reader.read_until(b'\n', &mut self.line).await?;
                if self.line.is_empty() {
                    return Ok(None);
                }
                let mut line = std::mem::take(&mut self.line);
                if line.last() == Some(&b'\n') {
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                }
                Ok(Some(line))
            }
            DatagramFraming::Raw => {
                let mut chunk = vec![0; CHUNK];
                let n = self.reader.read(&mut chunk).await?;
                chunk.truncate(n);
                Ok((n > 0).then_some(chunk))
            }
        }
    }
}

/// Prints one received datagram: as a line in `line` framing, byte for byte in `raw`.
pub fn print_datagram(
    printer: &Printer,
    peer: SocketAddr,
    data: &[u8],
    framing: DatagramFraming,
    encoding: Encoding,
) {
    printer.event(Event::Bytes {
        peer,
        data,
        encoding,
        line: framing == DatagramFraming::Line,
    });
}
