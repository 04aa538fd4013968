//! Turning a TCP byte stream into messages, and messages back into bytes.
//!
//! TCP delivers a stream of bytes, not messages: one `send` of 10 bytes may arrive as two
//! reads of 5, and two quick `send`s may arrive as one read. A *framing* is the rule that
//! finds where one message ends. This file owns that rule; the code that answers messages
//! (`service/`, the clients) only ever sees whole frames, as in mini-redis's `Connection`.
//!
//! Three framings are offered (`--framing`):
//! - `raw`, the tutorial's: a message is whatever one `recv(1024)` returns (PROTOCOL.md,
//!   TCP 4). It works only because each side waits for the other's reply before sending
//!   again, so at most one message is in flight.
//! - `line`: a message ends at `\n` (a `\r` before it is dropped too); the delimiter is not
//!   part of the message. What netcat users type.
//! - `length`: a 4-byte big-endian length, then that many bytes. Binary-safe.
//! - `resp`: one complete value of the Redis serialization protocol (`resp.rs`), of any
//!   type, nested aggregates included.
//! - `http`: one complete HTTP/1.1 response (`http.rs`), clients only.
//!
//! Every framing is bounded by `--max-frame`: a peer that exceeds it gets an error
//! (`FrameError::TooLarge`) and its connection closed, never unbounded memory.

use std::io;
use std::pin::Pin;
use std::task::Poll;

use bytes::{Bytes, BytesMut};
use clap::ValueEnum;
use futures_util::{SinkExt, StreamExt};
use thiserror::Error;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::event::Peer;
use tokio_util::codec::{
    AnyDelimiterCodec, AnyDelimiterCodecError, Decoder, Encoder, Framed, LengthDelimitedCodec,
};

pub mod budget;
pub mod http;
pub mod memcached;
pub mod resp;
pub mod websocket;
pub mod wire;

/// The tutorial server's `recv(1024)`: the largest message one raw read yields.
pub const RAW_READ_MAX: usize = 1024;

/// The default `--max-frame`.
pub const DEFAULT_MAX_FRAME: usize = 1024 * 1024;

/// How messages are delimited on a byte stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Framing {
    /// One read is one message, as in the tutorial
    #[default]
    Raw,
    /// Newline-terminated lines; the newline is not part of the message
    Line,
    /// A 4-byte big-endian length prefix, then the message
    Length,
    /// RESP (Redis): a request written as words is sent as an array of bulk strings; a
    /// reply is one complete value of any type
    Resp,
    /// HTTP/1.1 (clients): `GET /path` or `POST /path BODY` becomes a request; a reply is
    /// one complete response
    Http,
    /// memcached's text protocol (clients): a request is a line ending in \r\n, and a
    /// storage command's data block ('set k 0 0 5\r\nhello'); a reply runs to its last
    /// line (STORED, END after VALUE blocks, ...)
    Memcached,
    /// WebSocket (clients): the upgrade to --ws-path first, then each message one frame
    /// (text, or binary when not UTF-8); a reply is one data message
    Ws,
}

impl Framing {
    /// The name `--framing` takes.
    pub fn name(self) -> &'static str {
        match self {
            Framing::Raw => "raw",
            Framing::Line => "line",
            Framing::Length => "length",
            Framing::Resp => "resp",
            Framing::Http => "http",
            Framing::Memcached => "memcached",
            Framing::Ws => "ws",
        }
    }
}

/// What ends a received message in `line` framing instead of a newline (`--delimiter`):
/// up to 32 bytes, kept inline so a [`FrameSpec`] stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter {
    bytes: [u8; 32],
    len: u8,
}

impl Delimiter {
    /// `END\r\n` and the like: `\r`, `\n`, `\t`, `\\` and `\xNN` escapes are understood.
    ///
    /// # Errors
    /// Empty, longer than 32 bytes, or a malformed escape.
    pub fn parse(text: &str) -> Result<Delimiter, String> {
        let out = unescape(text)?;
        if out.is_empty() || out.len() > 32 {
            return Err("a delimiter is 1 to 32 bytes".to_owned());
        }
        let mut bytes = [0; 32];
        bytes[..out.len()].copy_from_slice(&out);
        Ok(Delimiter {
            bytes,
            len: out.len() as u8,
        })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// `\r`, `\n`, `\t`, `\\` and `\xNN` in text a user typed, as bytes: for `--delimiter`
/// and `--expect`, which name bytes a protocol puts on the wire.
///
/// # Errors
/// A lone backslash at the end, an unknown escape, or `\x` without two hex digits.
pub fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some((&e, tail)) = rest.split_first() else {
            return Err(format!(
                "'{text}' ends in a lone backslash (write \\\\ for one)"
            ));
        };
        rest = tail;
        out.push(match e {
            b'r' => b'\r',
            b'n' => b'\n',
            b't' => b'\t',
            b'\\' => b'\\',
            b'x' => {
                let hex = rest.get(..2).ok_or("\\x needs two hex digits")?;
                rest = &rest[2..];
                u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("zz"), 16)
                    .map_err(|_| "\\x needs two hex digits".to_owned())?
            }
            other => return Err(format!("unknown escape \\{} in '{text}'", other as char)),
        });
    }
    Ok(out)
}

/// A framing with its options, as chosen on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameSpec {
    pub framing: Framing,
    /// With `line`: end sent lines with `\r\n` instead of `\n`.
    pub crlf: bool,
    /// The largest frame accepted or sent.
    pub max_frame: usize,
    /// With `line`: received messages end here instead of at a newline.
    pub delimiter: Option<Delimiter>,
}

impl Default for FrameSpec {
    fn default() -> Self {
        FrameSpec {
            framing: Framing::Raw,
            crlf: false,
            max_frame: DEFAULT_MAX_FRAME,
            delimiter: None,
        }
    }
}

impl FrameSpec {
    /// A codec for one connection. `raw_read` is the largest raw read, which differs
    /// between a tutorial server (1024) and a client reading replies.
    pub fn codec(&self, raw_read: usize) -> FrameCodec {
        let kind = match self.framing {
            Framing::Raw => Kind::Raw(RawCodec::new(raw_read.min(self.max_frame))),
            Framing::Line => match self.delimiter {
                Some(delimiter) => Kind::Delimited {
                    delimiter,
                    searched: 0,
                },
                None => Kind::Line(AnyDelimiterCodec::new_with_max_length(
                    b"\n".to_vec(),
                    Vec::new(),
                    // The limit counts the message without its `\r`.
                    self.max_frame + 1,
                )),
            },
            Framing::Length => Kind::Length(
                LengthDelimitedCodec::builder()
                    .big_endian()
                    .length_field_length(4)
                    .max_frame_length(self.max_frame)
                    .new_codec(),
            ),
            Framing::Resp => Kind::Resp,
            Framing::Http => Kind::Http,
            Framing::Memcached => Kind::Memcached,
            Framing::Ws => Kind::Ws {
                parts: BytesMut::new(),
                masks: 0,
            },
        };
        FrameCodec {
            kind,
            spec: *self,
            peer_closes: false,
            share: None,
        }
    }

    /// The bytes that end a line, for `line`.
    fn line_end(&self) -> &'static [u8] {
        if self.crlf { b"\r\n" } else { b"\n" }
    }
}

/// Why a frame could not be read or written.
#[derive(Debug, Error)]
pub enum FrameError {
    #[error("frame larger than --max-frame ({limit} bytes)")]
    TooLarge { limit: usize },
    #[error(
        "partial messages of all connections would exceed --max-buffered ({limit} bytes): \
         closing this one"
    )]
    OverBudget { limit: usize },
    #[error("connection closed in the middle of a frame")]
    Truncated,
    #[error("{0}")]
    Invalid(String),
    #[error("{}", crate::io_error::describe(.0))]
    Io(#[from] io::Error),
}

/// One read of buffered bytes, at most `max` of them, is one message.
///
/// `Framed` reads from the socket into a buffer and asks the codec for frames. Handing out
/// whatever is buffered, in pieces of at most `max`, is exactly what successive `recv(max)`
/// calls return, without making a system call per piece.
#[derive(Debug, Clone, Copy)]
pub struct RawCodec {
    max: usize,
}

impl RawCodec {
    pub fn new(max: usize) -> RawCodec {
        RawCodec { max: max.max(1) }
    }
}

impl Decoder for RawCodec {
    type Item = BytesMut;
    type Error = io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> io::Result<Option<BytesMut>> {
        if src.is_empty() {
            // Not an error: no bytes yet, `Framed` reads more and asks again.
            return Ok(None);
        }
        let len = src.len().min(self.max);
        Ok(Some(src.split_to(len)))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> io::Result<Option<BytesMut>> {
        // Bytes left when the peer closes are still a message: a raw frame is never partial.
        self.decode(src)
    }
}

/// The codec of one connection: one of the three framings.
#[derive(Debug)]
pub struct FrameCodec {
    kind: Kind,
    spec: FrameSpec,
    /// The last frame said the peer closes after it (an HTTP response with `Connection:
    /// close`, or one that ran until the close): reconnect, do not count an error.
    peer_closes: bool,
    /// A server's bound on partial messages across its connections (`--max-buffered`).
    share: Option<budget::Share>,
}

impl FrameCodec {
    /// Counts this connection's partial messages against a server-wide `budget`.
    pub fn with_budget(mut self, budget: &std::sync::Arc<budget::Budget>) -> FrameCodec {
        self.share = Some(budget::Share::new(budget.clone()));
        self
    }

    /// How much free room the read buffer needs before each read: a whole raw message.
    /// Line and length frames are whole whatever the reads, so they need none.
    fn read_room(&self) -> usize {
        match &self.kind {
            Kind::Raw(raw) => raw.max,
            Kind::Line(_)
            | Kind::Delimited { .. }
            | Kind::Length(_)
            | Kind::Resp
            | Kind::Http
            | Kind::Memcached
            | Kind::Ws { .. } => 0,
        }
    }
}

#[derive(Debug)]
enum Kind {
    Raw(RawCodec),
    Line(AnyDelimiterCodec),
    /// `line` with `--delimiter`: how far the buffer was searched already, so a long
    /// message is not searched again from its start on every read.
    Delimited {
        delimiter: Delimiter,
        searched: usize,
    },
    Length(LengthDelimitedCodec),
    Resp,
    Http,
    Memcached,
    /// A reply's fragments so far, and frames masked so far (each gets its own mask).
    Ws {
        parts: BytesMut,
        masks: u32,
    },
}

impl Decoder for FrameCodec {
    type Item = Bytes;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        let frame = self.decode_frame(src)?;
        // What stays in the buffer is a partial message: a whole one is never refused.
        if let Some(share) = &mut self.share
            && !share.cover(src.len())
            && frame.is_none()
        {
            return Err(FrameError::OverBudget {
                limit: share.limit(),
            });
        }
        Ok(frame)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        self.decode_frame_eof(src)
    }
}

impl FrameCodec {
    fn decode_frame(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        let limit = self.spec.max_frame;
        match &mut self.kind {
            Kind::Raw(raw) => Ok(raw.decode(src)?.map(BytesMut::freeze)),
            Kind::Line(line) => line
                .decode(src)
                .map_err(|err| line_error(err, limit))
                .and_then(|f| checked_line(f, limit)),
            Kind::Length(length) => match length.decode(src) {
                Ok(frame) => Ok(frame.map(BytesMut::freeze)),
                Err(err) => Err(length_error(err, limit)),
            },
            Kind::Delimited {
                delimiter,
                searched,
            } => {
                let delimiter = delimiter.as_bytes();
                let from = searched.saturating_sub(delimiter.len() - 1);
                let found = src[from..]
                    .windows(delimiter.len())
                    .position(|w| w == delimiter)
                    .map(|i| from + i);
                match found {
                    Some(at) if at > limit => Err(FrameError::TooLarge { limit }),
                    Some(at) => {
                        *searched = 0;
                        let frame = src.split_to(at).freeze();
                        bytes::Buf::advance(src, delimiter.len());
                        Ok(Some(frame))
                    }
                    None if src.len() > limit + delimiter.len() => {
                        Err(FrameError::TooLarge { limit })
                    }
                    None => {
                        *searched = src.len();
                        Ok(None)
                    }
                }
            }
            Kind::Ws { parts, .. } => websocket::decode(src, parts, limit),
            // The reply without its last \r\n, as a line is shown without its end.
            Kind::Memcached => match memcached::reply_len(src) {
                Ok(Some(len)) if len > limit => Err(FrameError::TooLarge { limit }),
                Ok(Some(len)) => {
                    let reply = src.split_to(len).freeze();
                    let end = if reply.ends_with(b"\r\n") { 2 } else { 1 };
                    Ok(Some(reply.slice(..len - end)))
                }
                Ok(None) if src.len() > limit => Err(FrameError::TooLarge { limit }),
                Ok(None) => Ok(None),
                Err(err) => Err(FrameError::Invalid(err)),
            },
            Kind::Resp => match resp::frame_len(src) {
                Ok(Some(len)) if len > limit => Err(FrameError::TooLarge { limit }),
                Ok(Some(len)) => Ok(Some(src.split_to(len).freeze())),
                // Not all there yet; but never buffer more than a frame may hold.
                Ok(None) if src.len() > limit => Err(FrameError::TooLarge { limit }),
                Ok(None) => Ok(None),
                Err(err) => Err(FrameError::Invalid(err.to_string())),
            },
            Kind::Http => loop {
                // Blank lines before a status line are tolerated, as httparse does (RFC 9112,
                // 2.2), but kept out of the frame, whose first line must be the status.
                let blank = src
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                bytes::Buf::advance(src, blank);
                break match http::response_end(src) {
                    // An interim response (103 Early Hints) is not the reply: it is dropped
                    // and the final one that follows is the frame.
                    Ok(http::End::Interim { len }) => {
                        tracing::debug!(bytes = len, "skipped an interim (1xx) HTTP response");
                        bytes::Buf::advance(src, len);
                        continue;
                    }
                    Ok(http::End::At { len, .. } | http::End::Needs { len }) if len > limit => {
                        // Refused as soon as the head says so, not after a megabyte.
                        Err(FrameError::Invalid(format!(
                            "the server announced a response of {len} bytes, larger than \
                             --max-frame ({limit} bytes; try a larger --max-frame)"
                        )))
                    }
                    Ok(http::End::At { len, close }) => {
                        self.peer_closes = close;
                        Ok(Some(src.split_to(len).freeze()))
                    }
                    Ok(http::End::Incomplete | http::End::AtClose) if src.len() > limit => {
                        Err(FrameError::TooLarge { limit })
                    }
                    Ok(http::End::Incomplete | http::End::Needs { .. } | http::End::AtClose) => {
                        Ok(None)
                    }
                    Err(err) => Err(FrameError::Invalid(err.to_string())),
                };
            },
        }
    }

    fn decode_frame_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        let limit = self.spec.max_frame;
        match &mut self.kind {
            Kind::Raw(raw) => Ok(raw.decode_eof(src)?.map(BytesMut::freeze)),
            // A last message without its delimiter is still a message, as a last line is.
            Kind::Delimited { .. } => match self.decode_frame(src)? {
                Some(frame) => Ok(Some(frame)),
                None if src.is_empty() => Ok(None),
                None => Ok(Some(src.split().freeze())),
            },
            // A last line without its newline is still a line, as for `read_line`.
            Kind::Line(line) => line
                .decode_eof(src)
                .map_err(|err| line_error(err, limit))
                .and_then(|f| checked_line(f, limit)),
            // Half a length-prefixed frame or RESP value is a peer that vanished
            // mid-message.
            // A response without a length ends where the server closes.
            Kind::Http => match self.decode_frame(src)? {
                Some(frame) => Ok(Some(frame)),
                None if src.is_empty() => Ok(None),
                None if http::response_end(src) == Ok(http::End::AtClose) => {
                    self.peer_closes = true;
                    Ok(Some(src.split().freeze()))
                }
                None => Err(FrameError::Truncated),
            },
            Kind::Length(_) | Kind::Resp | Kind::Memcached | Kind::Ws { .. } => {
                match self.decode_frame(src)? {
                    Some(frame) => Ok(Some(frame)),
                    None if src.is_empty() => Ok(None),
                    None => Err(FrameError::Truncated),
                }
            }
        }
    }
}

impl Encoder<&[u8]> for FrameCodec {
    type Error = FrameError;

    fn encode(&mut self, frame: &[u8], dst: &mut BytesMut) -> Result<(), FrameError> {
        let limit = self.spec.max_frame;
        if self.spec.framing != Framing::Raw && frame.len() > limit {
            return Err(FrameError::TooLarge { limit });
        }
        match &mut self.kind {
            Kind::Raw(_) => dst.extend_from_slice(frame),
            Kind::Line(_) | Kind::Delimited { .. } => {
                let end = self.spec.line_end();
                dst.reserve(frame.len() + end.len());
                dst.extend_from_slice(frame);
                dst.extend_from_slice(end);
            }
            Kind::Length(length) => length.encode(frame, dst)?,
            Kind::Ws { masks, .. } => {
                // A mask of its own for every frame (RFC 6455 5.3): any 32 bits that
                // change serve, as they only keep proxies from reading the frames.
                *masks = masks.wrapping_add(0x9E37_79B9);
                websocket::encode(frame, masks.to_be_bytes(), dst)?;
            }
            // memcached's lines end in \r\n, whatever --crlf says.
            Kind::Memcached => {
                dst.reserve(frame.len() + 2);
                dst.extend_from_slice(frame);
                dst.extend_from_slice(b"\r\n");
            }
            // Requests were made RESP or HTTP when they were planned (`resp::command`,
            // `http::request`).
            Kind::Resp | Kind::Http => dst.extend_from_slice(frame),
        }
        Ok(())
    }
}

/// The line without the `\r` of a `\r\n` end, within the limit. The codec's own limit
/// leaves room for that `\r`, so a line of `limit + 1` bytes without one, or such a last
/// line at end-of-stream, is caught here.
fn checked_line(line: Option<Bytes>, limit: usize) -> Result<Option<Bytes>, FrameError> {
    let Some(line) = line else {
        return Ok(None);
    };
    let line = match line.last() {
        Some(b'\r') => line.slice(..line.len() - 1),
        _ => line,
    };
    if line.len() > limit {
        return Err(FrameError::TooLarge { limit });
    }
    Ok(Some(line))
}

fn line_error(err: AnyDelimiterCodecError, limit: usize) -> FrameError {
    match err {
        AnyDelimiterCodecError::MaxChunkLengthExceeded => FrameError::TooLarge { limit },
        AnyDelimiterCodecError::Io(err) => FrameError::Io(err),
    }
}

fn length_error(err: io::Error, limit: usize) -> FrameError {
    // The codec reports an oversized length as InvalidData wrapping its own error type.
    let oversized = err
        .get_ref()
        .is_some_and(|inner| inner.is::<tokio_util::codec::LengthDelimitedCodecError>());
    if oversized {
        FrameError::TooLarge { limit }
    } else {
        FrameError::Io(err)
    }
}

/// What [`FramedStream::write_or_read`] did.
#[derive(Debug)]
pub enum WriteOrRead {
    /// This many bytes were written.
    Wrote(io::Result<usize>),
    /// A frame arrived, or the peer closed (`Ok(None)`).
    Read(Result<Option<Bytes>, FrameError>),
}

/// A connection that reads and writes whole frames.
pub struct FramedStream<S = TcpStream> {
    inner: Framed<S, FrameCodec>,
    peer: Peer,
    /// [`FramedStream::write_or_read`] tries the write first on every other call.
    write_first: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> FramedStream<S> {
    /// Wraps a connected stream with the codec for its framing.
    pub fn new(stream: S, peer: Peer, codec: FrameCodec) -> FramedStream<S> {
        // The read buffer grows on demand; a small start keeps idle connections small.
        let mut inner = Framed::with_capacity(stream, codec, 1024);
        // So does the write buffer: `Framed` starts it at 8 KiB, and the page its
        // allocation touched cost an idle connection 4.25 KiB in all where 4 is the target
        // (scripts/bench-tcp, section 3; 3.26 KiB without it); the first reply sizes it.
        *inner.write_buffer_mut() = bytes::BytesMut::new();
        FramedStream {
            inner,
            peer,
            write_first: false,
        }
    }

    pub fn peer(&self) -> Peer {
        self.peer
    }

    /// The stream underneath.
    pub fn stream(&self) -> &S {
        self.inner.get_ref()
    }

    /// The framing this connection reads and writes.
    pub fn framing(&self) -> Framing {
        self.inner.codec().spec.framing
    }

    /// Bytes read but not yet a whole frame.
    pub fn buffered(&self) -> &[u8] {
        self.inner.read_buffer()
    }

    /// Whether the peer said it closes after the frame just read (HTTP `Connection:
    /// close`, or a response that ran until the close).
    pub fn peer_closes(&self) -> bool {
        self.inner.codec().peer_closes
    }

    /// The next frame, or `None` once the peer closed its side cleanly between frames.
    ///
    /// # Errors
    /// The socket failed, the frame exceeds `--max-frame`, or the peer closed mid-frame.
    pub async fn read_frame(&mut self) -> Result<Option<Bytes>, FrameError> {
        self.make_room();
        self.inner.next().await.transpose()
    }

    /// With raw framing, a read is a message, so each read must have room for a whole one:
    /// `Framed` reads into whatever room is left behind the last frame, which after a 600-byte
    /// message is 424 bytes of a 1024-byte buffer, and the next 600-byte message would come
    /// out as two. Reserving restores the room, in place when the buffer is empty again.
    fn make_room(&mut self) {
        let room = self.inner.codec().read_room();
        let buf = self.inner.read_buffer_mut();
        if buf.capacity() - buf.len() < room {
            buf.reserve(room);
        }
    }

    /// Sends one frame and flushes it, so the peer sees it before we wait for an answer.
    ///
    /// # Errors
    /// The socket failed, e.g. the peer is gone (broken pipe, reset), or the frame is too
    /// large for the framing.
    pub async fn write_frame(&mut self, frame: &[u8]) -> Result<(), FrameError> {
        self.inner.send(frame).await
    }

    /// Adds a frame to the write buffer without writing it: pipelined requests go out
    /// together at the next [`FramedStream::flush`].
    ///
    /// # Errors
    /// The frame is over `--max-frame`.
    pub fn queue_frame(&mut self, frame: &[u8]) -> Result<(), FrameError> {
        // The buffer is moved out and back (no allocation) so the codec can encode into it.
        let mut out = std::mem::take(self.inner.write_buffer_mut());
        let result = self.inner.codec_mut().encode(frame, &mut out);
        *self.inner.write_buffer_mut() = out;
        result
    }

    /// Writes every queued frame.
    ///
    /// # Errors
    /// The socket failed.
    pub async fn flush(&mut self) -> Result<(), FrameError> {
        SinkExt::<&[u8]>::flush(&mut self.inner).await
    }

    /// Writes some of `bytes` or, if the peer sent something first, reads a frame: for a
    /// sender that must also notice the peer leaving (chargen). Bytes go out as they are,
    /// outside the framing. Cancel-safe: nothing is lost if the future is dropped.
    ///
    /// Which is tried first alternates from call to call: a peer sending as fast as it
    /// can (`--bidir`) would otherwise keep the read always ready and starve the writes.
    pub async fn write_or_read(&mut self, bytes: &[u8]) -> WriteOrRead {
        self.make_room();
        self.write_first = !self.write_first;
        let write_first = self.write_first;
        std::future::poll_fn(|cx| {
            if write_first
                && let Poll::Ready(wrote) = Pin::new(self.inner.get_mut()).poll_write(cx, bytes)
            {
                return Poll::Ready(WriteOrRead::Wrote(wrote));
            }
            if let Poll::Ready(frame) = self.inner.poll_next_unpin(cx) {
                return Poll::Ready(WriteOrRead::Read(frame.transpose()));
            }
            Pin::new(self.inner.get_mut())
                .poll_write(cx, bytes)
                .map(WriteOrRead::Wrote)
        })
        .await
    }

    /// Half-closes: sends FIN so the peer reads end-of-stream, and keeps reading possible.
    ///
    /// # Errors
    /// The socket failed while flushing or shutting down.
    pub async fn shutdown(&mut self) -> Result<(), FrameError> {
        SinkExt::<&[u8]>::flush(&mut self.inner).await?;
        Ok(self.inner.get_mut().shutdown().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(framing: Framing) -> FrameSpec {
        FrameSpec {
            framing,
            ..FrameSpec::default()
        }
    }

    /// Feeds `wire` one byte at a time and collects the frames decoded on the way.
    fn decode_bytewise(codec: &mut FrameCodec, wire: &[u8]) -> Vec<Bytes> {
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        for byte in wire {
            buf.extend_from_slice(&[*byte]);
            while let Some(frame) = codec.decode(&mut buf).unwrap() {
                frames.push(frame);
            }
        }
        frames.extend(codec.decode_eof(&mut buf).unwrap());
        frames
    }

    fn encode(codec: &mut FrameCodec, frames: &[&[u8]]) -> BytesMut {
        let mut wire = BytesMut::new();
        for frame in frames {
            codec.encode(frame, &mut wire).unwrap();
        }
        wire
    }

    #[test]
    fn raw_frames_are_what_is_buffered_up_to_the_limit() {
        let mut codec = RawCodec::new(4);
        let mut buf = BytesMut::new();
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
        buf.extend_from_slice(b"abcdefghij");
        assert_eq!(&codec.decode(&mut buf).unwrap().unwrap()[..], b"abcd");
        assert_eq!(&codec.decode(&mut buf).unwrap().unwrap()[..], b"efgh");
        assert_eq!(&codec.decode_eof(&mut buf).unwrap().unwrap()[..], b"ij");
        assert_eq!(codec.decode_eof(&mut buf).unwrap(), None);
    }

    #[test]
    fn raw_frames_fed_one_byte_at_a_time() {
        let mut codec = spec(Framing::Raw).codec(RAW_READ_MAX);
        let frames = decode_bytewise(&mut codec, b"hi");
        assert_eq!(frames, [&b"h"[..], b"i"]);
    }

    #[test]
    fn lines_fed_one_byte_at_a_time() {
        let mut codec = spec(Framing::Line).codec(RAW_READ_MAX);
        let frames = decode_bytewise(&mut codec, b"one\r\ntwo\n\nlast");
        assert_eq!(frames, [&b"one"[..], b"two", b"", b"last"]);
    }

    #[test]
    fn lengths_fed_one_byte_at_a_time() {
        let mut codec = spec(Framing::Length).codec(RAW_READ_MAX);
        let wire = encode(&mut codec, &[b"one", b"", b"\x00\n\xff"]);
        assert_eq!(&wire[..7], b"\0\0\0\x03one");
        let frames = decode_bytewise(&mut codec, &wire);
        assert_eq!(frames, [&b"one"[..], b"", b"\x00\n\xff"]);
    }

    #[test]
    fn lines_are_written_with_the_chosen_ending() {
        let mut lf = spec(Framing::Line).codec(RAW_READ_MAX);
        assert_eq!(&encode(&mut lf, &[b"a", b"b"])[..], b"a\nb\n");
        let mut crlf = FrameSpec {
            crlf: true,
            ..spec(Framing::Line)
        }
        .codec(RAW_READ_MAX);
        assert_eq!(&encode(&mut crlf, &[b"a"])[..], b"a\r\n");
    }

    #[test]
    fn oversized_frames_are_refused_both_ways() {
        for framing in [Framing::Line, Framing::Length] {
            let small = FrameSpec {
                max_frame: 4,
                ..spec(framing)
            };
            let mut codec = small.codec(RAW_READ_MAX);
            let mut wire = BytesMut::from(&b"\0\0\0\x05abcde\n"[..]);
            if framing == Framing::Line {
                wire = BytesMut::from(&b"abcdefgh\n"[..]);
            }
            assert!(
                matches!(
                    codec.decode(&mut wire),
                    Err(FrameError::TooLarge { limit: 4 })
                ),
                "{framing:?}"
            );
            let mut out = BytesMut::new();
            assert!(matches!(
                codec.encode(b"abcde", &mut out),
                Err(FrameError::TooLarge { limit: 4 })
            ));
        }
    }

    #[test]
    fn a_delimiter_ends_multi_line_replies_however_they_are_cut() {
        let spec = FrameSpec {
            delimiter: Some(Delimiter::parse("END\\r\\n").unwrap()),
            ..spec(Framing::Line)
        };
        let wire = b"VALUE k 0 1\r\nv\r\nEND\r\nEND\r\nSTAT pid 1\r\nEN";
        let frames = decode_bytewise(&mut spec.codec(RAW_READ_MAX), wire);
        let frames: Vec<&[u8]> = frames.iter().map(|f| &f[..]).collect();
        assert_eq!(
            frames,
            [&b"VALUE k 0 1\r\nv\r\n"[..], b"", b"STAT pid 1\r\nEN"]
        );
        let small = FrameSpec {
            max_frame: 4,
            ..spec
        };
        let mut wire = BytesMut::from(&b"0123456789"[..]);
        assert!(small.codec(RAW_READ_MAX).decode(&mut wire).is_err());
        assert_eq!(Delimiter::parse("a\\x00").unwrap().as_bytes(), b"a\0");
        assert!(Delimiter::parse("").is_err());
        assert!(Delimiter::parse("\\q").is_err());
    }

    #[test]
    fn a_line_of_exactly_the_limit_fits_even_with_cr() {
        let mut codec = FrameSpec {
            max_frame: 3,
            ..spec(Framing::Line)
        }
        .codec(RAW_READ_MAX);
        let mut wire = BytesMut::from(&b"abc\r\n"[..]);
        assert_eq!(&codec.decode(&mut wire).unwrap().unwrap()[..], b"abc");
    }

    #[test]
    fn half_a_length_frame_at_eof_is_truncated() {
        let mut codec = spec(Framing::Length).codec(RAW_READ_MAX);
        let mut wire = BytesMut::from(&b"\0\0\0\x05ab"[..]);
        assert!(matches!(
            codec.decode_eof(&mut wire),
            Err(FrameError::Truncated)
        ));
    }

    #[test]
    fn interim_http_responses_are_skipped_fed_one_byte_at_a_time() {
        let mut codec = spec(Framing::Http).codec(RAW_READ_MAX);
        let wire = b"HTTP/1.1 100 Continue\r\n\r\n\
            HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n\
            HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi\
            HTTP/1.1 103 Early Hints\r\n\r\n\
            HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        let frames = decode_bytewise(&mut codec, wire);
        assert_eq!(
            frames,
            [
                &b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"[..],
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
            ]
        );
        assert!(!codec.peer_closes);
        // 101 ends the framing: the connection is another protocol's from then on.
        let mut codec = spec(Framing::Http).codec(RAW_READ_MAX);
        let mut buf = BytesMut::new();
        let wire = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        let mut frame = None;
        for byte in wire {
            buf.extend_from_slice(&[*byte]);
            frame = frame.or(codec.decode(&mut buf).unwrap());
        }
        assert_eq!(frame.as_deref(), Some(&wire[..]));
        assert!(codec.peer_closes);
    }

    #[test]
    fn blank_lines_before_an_http_status_line_stay_out_of_the_frame() {
        // Found by the `http` fuzz target: the frame began with the blank lines, and its
        // status could not be read.
        let mut codec = spec(Framing::Http).codec(RAW_READ_MAX);
        let wire = b"\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n\r\n";
        let frames = decode_bytewise(&mut codec, wire);
        assert_eq!(
            frames,
            [&b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"[..]]
        );
        assert_eq!(http::status(&frames[0]), Some(&b"304"[..]));
    }

    #[test]
    fn hostile_http_lengths_are_errors_fed_one_byte_at_a_time() {
        let huge = &b"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551606\r\n\r\nhalf"[..];
        let chunk = &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
            fffffffffffffffe\r\n\r\n0\r\n\r\n"[..];
        let over_limit = &b"HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\nab"[..];
        for wire in [huge, chunk, over_limit] {
            let mut codec = spec(Framing::Http).codec(RAW_READ_MAX);
            let mut buf = BytesMut::new();
            let mut result = Ok(None);
            for byte in wire {
                buf.extend_from_slice(&[*byte]);
                result = codec.decode(&mut buf);
                if !matches!(result, Ok(None)) {
                    break;
                }
            }
            let err = result.expect_err("refused").to_string();
            assert!(
                err.contains("announced") && !err.contains('\n'),
                "{}: {err}",
                String::from_utf8_lossy(wire)
            );
        }
    }

    #[test]
    fn raw_encoding_copies_the_frame_unchanged() {
        let mut codec = spec(Framing::Raw).codec(RAW_READ_MAX);
        assert_eq!(&encode(&mut codec, &[b"\xffexit\n"])[..], b"\xffexit\n");
    }
}
