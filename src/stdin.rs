//! Stdin, read for netcat mode (`stdio/`) and for messages typed at a prompt
//! (`messages.rs`).

use std::io;

use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt, Stdin};

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

/// How much one read from stdin moves.
const STDIN_CHUNK: usize = 256 * 1024;

/// How many chunks may wait between the stdin thread and the socket: enough to keep both
/// busy, few enough that a slow peer back-pressures stdin instead of filling memory.
const STDIN_QUEUE: usize = 4;

/// How much one raw read of stdin becomes, as a UDP datagram: under the IPv4 payload limit
/// of 65,507 bytes, so each read fits one datagram.
const DATAGRAM_CHUNK: usize = 65_507;

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
    /// `moved` is called after every write, so a caller can tell the connection is alive.
    pub async fn copy_to<W: AsyncWrite + Unpin>(
        &mut self,
        out: &mut W,
        moved: impl Fn(),
    ) -> io::Result<u64> {
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
            moved();
            copied += written as u64;
        }
    }
}

/// Stdin cut into messages: lines or reads. Cancel-safe, so it can sit in a `select!`
/// beside a socket: a partly read line stays buffered for the next call.
pub struct StdinChunks {
    reader: tokio::io::BufReader<Stdin>,
    framing: DatagramFraming,
    line: Vec<u8>,
    /// The longest line taken, its line end aside: an endless line (`< /dev/zero`) is an
    /// error, never unbounded memory.
    max_line: usize,
}

impl StdinChunks {
    /// Stdin as lines of at most `max_line` bytes, or reads of at most a datagram.
    pub fn new(framing: DatagramFraming, max_line: usize) -> StdinChunks {
        StdinChunks {
            reader: tokio::io::BufReader::new(tokio::io::stdin()),
            framing,
            line: Vec::new(),
            max_line,
        }
    }

    /// The next line (without `\n` or `\r\n`) or read, or `None` at the end of stdin.
    /// A last line without a newline still counts.
    ///
    /// # Errors
    /// Stdin could not be read, or a line is longer than the limit.
    pub async fn next(&mut self) -> io::Result<Option<Vec<u8>>> {
        use tokio::io::AsyncBufReadExt;
        match self.framing {
            DatagramFraming::Line => {
                // fill_buf and consume, not read_until: the limit holds before memory grows,
                // and a line read in part stays in `self.line` if this future is dropped.
                loop {
                    let buf = self.reader.fill_buf().await?;
                    if buf.is_empty() {
                        break;
                    }
                    let (take, ended) = match buf.iter().position(|&b| b == b'\n') {
                        Some(at) => (at + 1, true),
                        None => (buf.len(), false),
                    };
                    // Room for the line end, `\r\n`, beyond the limit.
                    if self.line.len() + take > self.max_line + 2 {
                        self.line.clear();
                        self.reader.consume(take);
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("a line of stdin is longer than {} bytes", self.max_line),
                        ));
                    }
                    self.line.extend_from_slice(&buf[..take]);
                    self.reader.consume(take);
                    if ended {
                        break;
                    }
                }
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
                let mut chunk = vec![0; DATAGRAM_CHUNK];
                let n = self.reader.read(&mut chunk).await?;
                chunk.truncate(n);
                Ok((n > 0).then_some(chunk))
            }
        }
    }
}
