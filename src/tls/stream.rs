//! A stream connection, as one type: plain TCP, TLS over TCP, or a Unix-domain socket.
//! Everything above it (the tap, the framings, the services, stdio) reads and writes
//! plaintext and never asks which.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::pcapng::Wiretap;
use tokio::net::{TcpStream, UnixStream};

/// A connection: plain TCP, TLS over it, or a Unix-domain stream.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::TlsStream<Wire>>),
    Unix(UnixStream),
}

/// The TCP connection under TLS, and what records its bytes (`--pcap`): the records as
/// they went over the wire, not the plaintext.
pub struct Wire {
    pub tcp: TcpStream,
    tap: Option<Arc<dyn Wiretap>>,
}

impl Wire {
    pub fn new(tcp: TcpStream, tap: Option<Arc<dyn Wiretap>>) -> Wire {
        Wire { tcp, tap }
    }
}

impl AsyncRead for Wire {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let wire = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut wire.tcp).poll_read(cx, buf);
        if let Some(tap) = &wire.tap {
            match &polled {
                Poll::Ready(Ok(())) if buf.filled().len() == before => tap.fin(false),
                Poll::Ready(Ok(())) => tap.data(false, &buf.filled()[before..]),
                Poll::Ready(Err(err)) if err.kind() == io::ErrorKind::ConnectionReset => {
                    tap.rst(false);
                }
                _ => {}
            }
        }
        polled
    }
}

impl AsyncWrite for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let wire = self.get_mut();
        let polled = Pin::new(&mut wire.tcp).poll_write(cx, buf);
        if let (Poll::Ready(Ok(n)), Some(tap)) = (&polled, &wire.tap) {
            tap.data(true, &buf[..*n]);
        }
        polled
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let wire = self.get_mut();
        let polled = Pin::new(&mut wire.tcp).poll_shutdown(cx);
        if let (Poll::Ready(Ok(())), Some(tap)) = (&polled, &wire.tap) {
            tap.fin(true);
        }
        polled
    }
}

/// An accepted connection on its way to another thread's runtime: std sockets belong to
/// no runtime, so a worker thread can register them with its own.
pub enum StdStream {
    Tcp(std::net::TcpStream),
    Unix(std::os::unix::net::UnixStream),
}

impl std::os::fd::AsRawFd for Stream {
    /// The socket underneath (for TLS, the TCP socket it runs over).
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        match self {
            Stream::Plain(stream) => stream.as_raw_fd(),
            Stream::Tls(tls) => tls.get_ref().0.tcp.as_raw_fd(),
            Stream::Unix(stream) => stream.as_raw_fd(),
        }
    }
}

impl Stream {
    pub fn is_tls(&self) -> bool {
        matches!(self, Stream::Tls(_))
    }

    /// The TCP connection underneath, for its addresses; none for a Unix socket.
    pub fn tcp(&self) -> Option<&TcpStream> {
        match self {
            Stream::Plain(stream) => Some(stream),
            Stream::Tls(tls) => Some(&tls.get_ref().0.tcp),
            Stream::Unix(_) => None,
        }
    }

    /// Takes a plain connection out of this thread's runtime.
    ///
    /// # Errors
    /// The socket cannot be deregistered; a TLS stream cannot move (it is never moved:
    /// servers hand connections over before the handshake).
    pub fn into_std(self) -> io::Result<StdStream> {
        match self {
            Stream::Plain(stream) => stream.into_std().map(StdStream::Tcp),
            Stream::Unix(stream) => stream.into_std().map(StdStream::Unix),
            Stream::Tls(_) => Err(io::Error::other("a TLS stream cannot change threads")),
        }
    }
}

impl StdStream {
    /// Registers the connection with the current thread's runtime.
    ///
    /// # Errors
    /// The socket cannot be registered.
    pub fn into_stream(self) -> io::Result<Stream> {
        match self {
            StdStream::Tcp(stream) => TcpStream::from_std(stream).map(Stream::Plain),
            StdStream::Unix(stream) => UnixStream::from_std(stream).map(Stream::Unix),
        }
    }
}

impl From<UnixStream> for Stream {
    fn from(stream: UnixStream) -> Stream {
        Stream::Unix(stream)
    }
}

impl From<TcpStream> for Stream {
    fn from(stream: TcpStream) -> Stream {
        Stream::Plain(stream)
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Stream::Unix(stream) => Pin::new(stream).poll_read(cx, buf),
            Stream::Tls(stream) => match Pin::new(stream.as_mut()).poll_read(cx, buf) {
                // The peer closed TCP without TLS's close_notify. Many clients leave so
                // (Python's ssl module on close(), killed processes); as netcat-class tools
                // do, it is an end of stream. Framings still catch a message cut short.
                Poll::Ready(Err(err)) if err.kind() == io::ErrorKind::UnexpectedEof => {
                    tracing::debug!("the peer closed without a TLS close_notify");
                    Poll::Ready(Ok(()))
                }
                Poll::Ready(Err(err)) => Poll::Ready(Err(super::explain_io(err))),
                polled => polled,
            },
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Stream::Unix(stream) => Pin::new(stream).poll_write(cx, buf),
            Stream::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
            Stream::Unix(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
            Stream::Tls(stream) => Pin::new(stream.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(stream) => stream.is_write_vectored(),
            Stream::Unix(stream) => stream.is_write_vectored(),
            Stream::Tls(stream) => stream.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Stream::Unix(stream) => Pin::new(stream).poll_flush(cx),
            Stream::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    /// With TLS: close_notify, then FIN; the peer can still send, as with plain TCP.
    ///
    /// tokio (and tokio-rustls above it) take shutdown's ENOTCONN (the peer had closed
    /// first) for success, and `--explain` must tell the call's real result: so the socket
    /// is shut down here directly, after a TLS stream's close_notify is flushed.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let write = std::net::Shutdown::Write;
        Poll::Ready(match self.get_mut() {
            Stream::Plain(stream) => socket2::SockRef::from(&*stream).shutdown(write),
            Stream::Unix(stream) => socket2::SockRef::from(&*stream).shutdown(write),
            Stream::Tls(stream) => {
                // Sent once however often this is polled: rustls remembers it.
                stream.get_mut().1.send_close_notify();
                std::task::ready!(Pin::new(stream.as_mut()).poll_flush(cx))?;
                let wire = stream.get_ref().0;
                let shut = socket2::SockRef::from(&wire.tcp).shutdown(write);
                if let (Ok(()), Some(tap)) = (&shut, &wire.tap) {
                    tap.fin(true);
                }
                shut
            }
        })
    }
}
