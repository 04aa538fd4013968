//! The tutorial's protocol, served (PROTOCOL.md, "TCP" 2-5 and "UDP" 1).

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::encoding::Encoding;
use crate::framing::FramedStream;
use crate::output::Printer;
use crate::protocol::{self, Wire};

/// Why a TCP session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// The client closed its side (end-of-stream).
    Eof,
    /// The client sent `exit`.
    Exit,
    /// The server is shutting down.
    Shutdown,
}

impl Close {
    pub fn reason(self) -> &'static str {
        match self {
            Close::Eof => "client closed the connection",
            Close::Exit => "client sent exit",
            Close::Shutdown => "server shutting down",
        }
    }
}

/// The seed protocol's server side, shared by every connection of one server.
#[derive(Debug, Clone)]
pub struct SeedServer {
    wire: Wire,
    encoding: Encoding,
    /// Pause before each reply; the tutorial's server sleeps one second (TCP 5).
    delay: Option<Duration>,
}

impl SeedServer {
    pub fn new(encoding: Encoding, delay: Option<Duration>) -> SeedServer {
        SeedServer {
            wire: Wire::new(encoding),
            encoding,
            delay,
        }
    }

    /// Greets the client, then answers each message until `exit`, end-of-stream or shutdown.
    /// Shutdown is only noticed between messages, so a message in hand is always answered.
    ///
    /// # Errors
    /// The connection failed (reset, broken pipe).
    pub async fn tcp_session(
        &self,
        conn: &mut FramedStream,
        printer: &Printer,
        shutdown: &CancellationToken,
    ) -> io::Result<Close> {
        printer.status(protocol::accept_line(conn.peer()));
        conn.write_frame(self.wire.greeting()).await?;
        loop {
            // `read_frame` is cancel-safe: bytes already read stay in the frame buffer.
            let frame = tokio::select! {
                frame = conn.read_frame() => frame?,
                () = shutdown.cancelled() => return Ok(Close::Shutdown),
            };
            let Some(message) = frame else {
                return Ok(Close::Eof);
            };
            if self.wire.is_exit(&message) {
                return Ok(Close::Exit);
            }
            tracing::debug!(peer = %conn.peer(), bytes = message.len(), "received");
            printer.shown(&self.encoding.show(&message));
            if let Some(delay) = self.delay {
                tokio::time::sleep(delay).await;
            }
            conn.write_frame(&self.wire.tcp_reply(&message)).await?;
        }
    }

    /// Shows one datagram and writes its reply into `reply`.
    pub fn udp_datagram(
        &self,
        data: &[u8],
        peer: SocketAddr,
        printer: &Printer,
        reply: &mut Vec<u8>,
    ) {
        printer.status(protocol::received_line(peer));
        printer.shown(&self.encoding.show(data));
        self.wire.udp_reply_into(data, reply);
    }
}
