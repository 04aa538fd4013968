//! `-x/--hex-dump`: every byte sent and received, as offset, hex and ASCII columns; and
//! the byte counts of `--stats`, which need to see the same bytes.
//!
//! The formatting is a pure function; [`Tapped`] wraps a TCP stream so that every read and
//! write is dumped, whatever the mode, and the UDP transports dump each datagram.
//! Offsets count per direction and connection, so a dump shows where in the stream a byte
//! was, like `socat -x`'s `from`/`to`.

use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::counters::Counters;
use crate::explain::{Role, Step};
use crate::output::Printer;

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

const PER_LINE: usize = 16;

/// One dump block: a header naming the direction, peer, size and stream offset (TCP; a
/// datagram has none), then lines of `offset  hex bytes (two groups of eight)  |ascii|`.
///
/// ```text
/// > sent 5 bytes to 127.0.0.1:9999 (offset 0)
/// 00000000  68 65 6c 6c 6f                                    |hello|
/// ```
pub fn format(direction: Direction, peer: SocketAddr, offset: Option<u64>, bytes: &[u8]) -> String {
    let (mark, verb, preposition) = match direction {
        Direction::Sent => ('>', "sent", "to"),
        Direction::Received => ('<', "received", "from"),
    };
    let mut out = String::with_capacity(32 + bytes.len().div_ceil(PER_LINE) * 78);
    let _ = write!(
        out,
        "{mark} {verb} {} byte{} {preposition} {peer}",
        bytes.len(),
        if bytes.len() == 1 { "" } else { "s" }
    );
    match offset {
        Some(offset) => {
            let _ = writeln!(out, " (offset {offset})");
        }
        None => out.push_str(" (datagram)\n"),
    }
    let offset = offset.unwrap_or(0);
    for (i, line) in bytes.chunks(PER_LINE).enumerate() {
        let _ = write!(out, "{:08x} ", offset + (i * PER_LINE) as u64);
        for column in 0..PER_LINE {
            if column == PER_LINE / 2 {
                out.push(' ');
            }
            match line.get(column) {
                Some(byte) => {
                    let _ = write!(out, " {byte:02x}");
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  |");
        out.extend(line.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        out.push_str("|\n");
    }
    out
}

/// A stream that reports every byte it moves to the printer's hex dump, when one is on,
/// and narrates each recv, send and half-close with `--explain`.
pub struct Tapped<S> {
    inner: S,
    peer: SocketAddr,
    /// Set only when there is something to report: a hex dump, or `--explain`.
    printer: Option<Arc<Printer>>,
    role: Role,
    /// `--stats`: bytes moved are counted here too.
    counters: Option<Arc<Counters>>,
    sent: u64,
    received: u64,
}

impl<S> Tapped<S> {
    /// Wraps `inner`, the connection with `peer` as seen by `role`.
    pub fn new(inner: S, peer: SocketAddr, printer: &Arc<Printer>, role: Role) -> Tapped<S> {
        let reporting = printer.is_dumping() || printer.is_explaining();
        Tapped {
            inner,
            peer,
            printer: reporting.then(|| printer.clone()),
            role,
            counters: None,
            sent: 0,
            received: 0,
        }
    }

    /// Counts the bytes moved into `counters` as well.
    pub fn counting(mut self, counters: Option<Arc<Counters>>) -> Tapped<S> {
        self.counters = counters;
        self
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
        if let (Poll::Ready(Ok(())), Some(counters)) = (&polled, &self.counters) {
            counters.received(buf.filled().len() - before);
        }
        if let (Poll::Ready(Ok(())), Some(printer)) = (&polled, &self.printer) {
            let new = &buf.filled()[before..];
            let step = Step::Recv {
                peer: self.peer,
                bytes: new.len(),
            };
            printer.explain(self.role, step);
            if !new.is_empty() && printer.is_dumping() {
                printer.hex_dump(&format(
                    Direction::Received,
                    self.peer,
                    Some(self.received),
                    new,
                ));
                let moved = new.len() as u64;
                self.received += moved;
            }
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
        if let (Poll::Ready(Ok(n)), Some(counters)) = (&polled, &self.counters) {
            counters.sent(*n);
        }
        if let (Poll::Ready(Ok(n)), Some(printer)) = (&polled, &self.printer)
            && *n > 0
        {
            let step = Step::Send {
                peer: self.peer,
                bytes: *n,
            };
            printer.explain(self.role, step);
            if printer.is_dumping() {
                printer.hex_dump(&format(
                    Direction::Sent,
                    self.peer,
                    Some(self.sent),
                    &buf[..*n],
                ));
            }
            self.sent += *n as u64;
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_shutdown(cx);
        if let (Poll::Ready(Ok(())), Some(printer)) = (&polled, &self.printer) {
            printer.explain(self.role, Step::HalfClose { peer: self.peer });
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_dump_of_a_greeting() {
        let peer: SocketAddr = "127.0.0.1:9999".parse().unwrap();
        let dump = format(Direction::Received, peer, Some(0), b"Hello, I am server!");
        assert_eq!(
            dump,
            "< received 19 bytes from 127.0.0.1:9999 (offset 0)\n\
             00000000  48 65 6c 6c 6f 2c 20 49  20 61 6d 20 73 65 72 76  |Hello, I am serv|\n\
             00000010  65 72 21                                          |er!|\n"
        );
    }

    #[test]
    fn offsets_continue_and_controls_show_as_dots() {
        let peer: SocketAddr = "[::1]:7".parse().unwrap();
        let dump = format(Direction::Sent, peer, Some(32), b"\x00\xffa\n");
        assert_eq!(
            dump,
            "> sent 4 bytes to [::1]:7 (offset 32)\n\
             00000020  00 ff 61 0a                                       |..a.|\n"
        );
        assert!(format(Direction::Sent, peer, Some(0), b"x").starts_with("> sent 1 byte to"));
        assert!(
            format(Direction::Sent, peer, None, b"x")
                .starts_with("> sent 1 byte to [::1]:7 (datagram)\n")
        );
    }
}
