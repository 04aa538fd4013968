//! The wire tap: every byte netdemo sends or receives, on a TCP stream or as a UDP
//! datagram, passes one [`Tap`], which dumps it (`-x`), narrates the recv or send
//! (`--explain`), counts it (`--stats`) and writes it to the capture (`--pcap`). Built once
//! per connection or socket from the printer's settings; with nothing to report it costs
//! one branch per call.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::counters::Counters;
use crate::event::{Direction, Peer};
use crate::explain::{Role, Step};
use crate::hexdump;
use crate::output::Printer;
use crate::output::capture::{Capture, Flow, HERE};
use crate::tls::Stream;

/// What to do with the bytes seen: report them, count them, or neither.
#[derive(Clone)]
pub struct Tap {
    /// Set only when there is something to report: a hex dump, or `--explain`.
    printer: Option<Arc<Printer>>,
    role: Role,
    /// `--stats`: bytes moved are counted here too.
    counters: Option<Arc<Counters>>,
    /// Whether `-x` dumps what passes here (a relay dumps one side only).
    dumps: bool,
    /// The stream is TLS: what passes here is plaintext, which reaches the socket as
    /// records in calls of their own, so `--explain` names no system call for it.
    sealed: bool,
    /// `--pcap`: the file, until a connection or a socket is known.
    capture: Option<Arc<Capture>>,
    /// `--pcap`: the TCP connection as packets.
    flow: Option<Arc<Flow>>,
    /// `--pcap`: a UDP socket's interface and local address.
    datagrams: Option<(u32, std::net::SocketAddr)>,
}

impl Tap {
    /// The tap for `role`'s sockets, as the printer's settings ask.
    pub fn new(printer: &Arc<Printer>, role: Role) -> Tap {
        let reporting = printer.is_dumping() || printer.is_explaining();
        Tap {
            printer: reporting.then(|| printer.clone()),
            role,
            counters: None,
            dumps: true,
            sealed: false,
            capture: printer.pcap(),
            flow: None,
            datagrams: None,
        }
    }

    /// Captures a TCP connection between `local` and `peer` on the capture's interface
    /// `interface` (name, description); `connected` when this end opened it.
    pub fn capturing_stream(
        mut self,
        local: std::net::SocketAddr,
        peer: std::net::SocketAddr,
        connected: bool,
        interface: (&str, &str),
    ) -> Tap {
        if let Some(capture) = self.capture.clone() {
            let interface = capture.interface(interface.0, interface.1);
            let flow = Flow::open(capture, interface, local, peer, connected);
            if let Some(printer) = self.printer.as_ref().filter(|p| p.is_explaining()) {
                let (first, last) = flow.opening;
                printer.explain(
                    self.role,
                    Step::Captured {
                        first,
                        last,
                        opening: true,
                    },
                );
            }
            self.flow = Some(Arc::new(flow));
        }
        self
    }

    /// Captures a Unix-domain connection as TCP between made-up loopback addresses (a
    /// Unix socket has none): the server is 127.0.0.2:49152, each client 127.0.0.3 with a
    /// port of its own, so Wireshark's stream tools apply. The interface names the path.
    fn capturing_unix(self, path: &str, client: Option<u64>) -> Tap {
        use std::sync::atomic::{AtomicU64, Ordering};
        // A client's own connections have no number from a server: they are counted.
        static CLIENTS: AtomicU64 = AtomicU64::new(1);
        let number = client.unwrap_or_else(|| CLIENTS.fetch_add(1, Ordering::Relaxed));
        let server = std::net::SocketAddr::from(([127, 0, 0, 2], 49152));
        let port = 49152 + (number % 16_383) as u16;
        let client = std::net::SocketAddr::from(([127, 0, 0, 3], port));
        let (local, remote, connected) = match self.role {
            Role::UnixClient => (client, server, true),
            _ => (server, client, false),
        };
        let name = format!("unix {path}");
        let description = format!(
            "the Unix socket {path}, written as TCP between made-up addresses: the server \
             is 127.0.0.2:49152, each client 127.0.0.3"
        );
        self.capturing_stream(local, remote, connected, (&name, &description))
    }

    /// Captures a UDP socket's datagrams, sent from or received at `local`.
    pub fn capturing_datagrams(mut self, local: Option<std::net::SocketAddr>) -> Tap {
        if let (Some(capture), Some(local)) = (&self.capture, local) {
            let interface = capture.interface(HERE.0, HERE.1);
            self.datagrams = Some((interface, local));
        }
        self
    }

    /// Narrates and counts, but leaves the hex dump to another tap: a relay dumps each
    /// chunk once, on the client's side, where it names the connection.
    pub fn without_dump(mut self) -> Tap {
        self.dumps = false;
        self
    }

    /// Counts the bytes moved into `counters` as well.
    pub fn counting(mut self, counters: Option<Arc<Counters>>) -> Tap {
        self.counters = counters;
        self
    }

    /// Whether the tap does anything at all.
    pub fn is_on(&self) -> bool {
        self.printer.is_some()
            || self.counters.is_some()
            || self.flow.is_some()
            || self.datagrams.is_some()
    }

    /// Reports `data`, moved in `direction` with `peer`: at `offset` in a stream, or as a
    /// whole datagram (`None`).
    pub fn saw(&self, direction: Direction, peer: Peer, offset: Option<u64>, data: &[u8]) {
        if let Some(counters) = &self.counters {
            match direction {
                Direction::Received => counters.received(data.len()),
                Direction::Sent => counters.sent(data.len()),
            }
        }
        let captured = self.capture(direction, peer, offset, data);
        let Some(printer) = &self.printer else {
            return;
        };
        let bytes = data.len();
        let step = match (direction, self.sealed) {
            (Direction::Received, false) => Step::Recv { peer, bytes },
            (Direction::Sent, false) => Step::Send { peer, bytes },
            (Direction::Received, true) => Step::Opened { peer, bytes },
            (Direction::Sent, true) => Step::Sealed { peer, bytes },
        };
        printer.explain(self.role, step);
        if let Some((first, last)) = captured {
            let opening = false;
            printer.explain(
                self.role,
                Step::Captured {
                    first,
                    last,
                    opening,
                },
            );
        }
        // A stream read of 0 bytes is end-of-stream: narrated, nothing to dump.
        if self.dumps && printer.is_dumping() && (offset.is_none() || !data.is_empty()) {
            printer.hex_dump(&hexdump::format(direction, peer, offset, data));
        }
    }

    /// Writes what passed to the capture: a stream's bytes (a read of none is the peer's
    /// FIN), or a datagram. The packet numbers written, for `--explain`.
    fn capture(
        &self,
        direction: Direction,
        peer: Peer,
        offset: Option<u64>,
        data: &[u8],
    ) -> Option<(u64, u64)> {
        let sent = direction == Direction::Sent;
        if let Some(flow) = &self.flow {
            return match (offset, data.is_empty()) {
                (Some(_), true) if !sent => flow.fin(false).map(|n| (n, n)),
                (Some(_), false) => Some(flow.data(sent, data)),
                _ => None,
            };
        }
        if let (Some(capture), Some((interface, local)), Some(peer)) =
            (&self.capture, self.datagrams, peer.inet())
        {
            let (from, to) = if sent { (local, peer) } else { (peer, local) };
            let number = capture.datagram(interface, from, to, data);
            return Some((number, number));
        }
        None
    }

    /// Reports a half-close (`shutdown(SHUT_WR)`) and what the call returned.
    fn half_closed(&self, peer: Peer, result: &io::Result<()>) {
        if let (Some(flow), Ok(())) = (&self.flow, result) {
            let _ = flow.fin(true);
        }
        if let Some(printer) = &self.printer {
            let error = result.as_ref().err().map(crate::io_error::describe);
            printer.explain(
                self.role,
                Step::HalfClose {
                    peer,
                    error: error.as_deref(),
                },
            );
        }
    }
}

/// A stream whose every read, write and half-close passes a [`Tap`].
pub struct Tapped<S> {
    inner: S,
    peer: Peer,
    tap: Tap,
    sent: u64,
    received: u64,
}

impl<S> Tapped<S> {
    /// Wraps `inner`, the connection with `peer`.
    pub fn new(inner: S, peer: Peer, tap: Tap) -> Tapped<S> {
        Tapped {
            inner,
            peer,
            tap,
            sent: 0,
            received: 0,
        }
    }

    /// The stream underneath.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl Tapped<Stream> {
    /// A connection, tapped: over TLS what passes is plaintext, told as such. With
    /// `--pcap`, a TCP connection's handshake goes to the capture now.
    pub fn connection(stream: Stream, peer: Peer, mut tap: Tap) -> Tapped<Stream> {
        tap.sealed = stream.is_tls();
        // Under TLS the records were recorded below it (`tls::Wire`), not the plaintext.
        let tcp = matches!(tap.role, Role::TcpClient | Role::TcpServer) && !tap.sealed;
        if let (true, Some(_), Some(socket)) = (tcp, &tap.capture, stream.tcp())
            && let (Ok(local), Ok(remote)) = (socket.local_addr(), socket.peer_addr())
        {
            let connected = tap.role == Role::TcpClient;
            tap = tap.capturing_stream(local, remote, connected, HERE);
        }
        if let (Peer::Unix { path, client }, Some(_)) = (peer, &tap.capture) {
            tap = tap.capturing_unix(path, client);
        }
        Tapped::new(stream, peer, tap)
    }
}

impl<S: std::os::fd::AsRawFd> std::os::fd::AsRawFd for Tapped<S> {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.inner.as_raw_fd()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tapped<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let (Poll::Ready(Err(err)), Some(flow)) = (&polled, &self.tap.flow)
            && err.kind() == io::ErrorKind::ConnectionReset
        {
            flow.rst(false);
        }
        if let Poll::Ready(Ok(())) = &polled
            && self.tap.is_on()
        {
            let new = &buf.filled()[before..];
            self.tap
                .saw(Direction::Received, self.peer, Some(self.received), new);
            let moved = new.len() as u64;
            self.received += moved;
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tapped<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &polled
            && *n > 0
            && self.tap.is_on()
        {
            self.tap
                .saw(Direction::Sent, self.peer, Some(self.sent), &buf[..*n]);
            self.sent += *n as u64;
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = ready!(Pin::new(&mut self.inner).poll_shutdown(cx));
        self.tap.half_closed(self.peer, &polled);
        Poll::Ready(match polled {
            // The peer closed first (or reset): there is no side left to close, and
            // nothing was lost by it.
            Err(err) if err.kind() == io::ErrorKind::NotConnected => Ok(()),
            polled => polled,
        })
    }
}
