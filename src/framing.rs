//! Turning a TCP byte stream into messages, and messages back into bytes.
//!
//! TCP delivers a stream of bytes, not messages: one `send` of 10 bytes may arrive as two
//! reads of 5, and two quick `send`s may arrive as one read. A *framing* is the rule that
//! finds where one message ends. This file owns that rule; the code that answers messages
//! (`mode/`) only ever sees whole frames, as in mini-redis's `Connection`.
//!
//! The tutorial's framing is the simplest one: a message is whatever one `recv(1024)`
//! returns (PROTOCOL.md, TCP 4). It works only because each side waits for the other's
//! reply before sending again, so at most one message is in flight.

use std::io;
use std::net::SocketAddr;

use bytes::BytesMut;
use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_util::codec::{Decoder, Encoder, Framed};

/// The tutorial server's `recv(1024)`: the largest message one raw read yields.
pub const RAW_READ_MAX: usize = 1024;

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
        RawCodec { max }
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

impl Encoder<&[u8]> for RawCodec {
    type Error = io::Error;

    fn encode(&mut self, frame: &[u8], dst: &mut BytesMut) -> io::Result<()> {
        dst.extend_from_slice(frame);
        Ok(())
    }
}

/// A TCP connection that reads and writes whole frames.
pub struct FramedStream {
    inner: Framed<TcpStream, RawCodec>,
    peer: SocketAddr,
}

impl FramedStream {
    /// Wraps a connected stream; `max` bounds the size of one received frame.
    pub fn new(stream: TcpStream, peer: SocketAddr, max: usize) -> FramedStream {
        // The read buffer grows on demand; starting at one frame keeps idle connections small.
        let inner = Framed::with_capacity(stream, RawCodec::new(max), max);
        FramedStream { inner, peer }
    }

    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// The next frame, or `None` once the peer closed its side cleanly.
    ///
    /// # Errors
    /// The socket failed, e.g. the peer reset the connection.
    pub async fn read_frame(&mut self) -> io::Result<Option<BytesMut>> {
        self.inner.next().await.transpose()
    }

    /// Sends one frame and flushes it, so the peer sees it before we wait for an answer.
    ///
    /// # Errors
    /// The socket failed, e.g. the peer is gone (broken pipe, reset).
    pub async fn write_frame(&mut self, frame: &[u8]) -> io::Result<()> {
        self.inner.send(frame).await
    }

    /// Half-closes: sends FIN so the peer reads end-of-stream, and keeps reading possible.
    ///
    /// # Errors
    /// The socket failed while flushing or shutting down.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.inner.flush().await?;
        self.inner.get_mut().shutdown().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut codec = RawCodec::new(RAW_READ_MAX);
        let mut buf = BytesMut::new();
        for byte in b"hello" {
            buf.extend_from_slice(&[*byte]);
            let frame = codec.decode(&mut buf).unwrap().unwrap();
            assert_eq!(&frame[..], &[*byte]);
        }
    }

    #[test]
    fn encoding_copies_the_frame_unchanged() {
        let mut codec = RawCodec::new(RAW_READ_MAX);
        let mut dst = BytesMut::new();
        codec.encode(&b"\xffexit\n"[..], &mut dst).unwrap();
        assert_eq!(&dst[..], b"\xffexit\n");
    }
}
