//! The tutorial's protocol, served (PROTOCOL.md, "TCP" 2-5 and "UDP" 1).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use super::{Session, next_frame};
use crate::encoding::Encoding;
use crate::event::{Close, Event};
use crate::framing::{FrameError, FramedStream};
use crate::protocol::Wire;

/// The seed protocol's server side, shared by every connection of one server.
#[derive(Debug, Clone)]
pub struct SeedServer {
    wire: Wire,
    /// Pause before each reply; the tutorial's server sleeps one second (TCP 5).
    delay: Option<Duration>,
}

impl SeedServer {
    pub fn new(encoding: Encoding, delay: Option<Duration>) -> SeedServer {
        SeedServer {
            wire: Wire::new(encoding),
            delay,
        }
    }

    /// Greets the client, then answers each message until `exit`, end-of-stream or shutdown.
    ///
    /// # Errors
    /// The connection failed or the framing was broken.
    pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin + std::os::fd::AsRawFd>(
        &self,
        conn: &mut FramedStream<S>,
        session: &Session<'_>,
    ) -> Result<Close, FrameError> {
        conn.write_frame(self.wire.greeting()).await?;
        // One reply buffer per connection, not one allocation per message.
        let mut reply = Vec::new();
        loop {
            let message = match next_frame(conn, session).await? {
                Ok(message) => message,
                Err(close) => return Ok(close),
            };
            if self.wire.is_exit(&message) {
                return Ok(Close::Exit);
            }
            tracing::debug!(peer = %conn.peer(), bytes = message.len(), "received");
            session
                .printer
                .event(Event::received(conn.peer(), &message));
            if let Some(delay) = self.delay {
                tokio::time::sleep(delay).await;
            }
            self.wire.tcp_reply_into(&message, &mut reply);
            conn.write_frame(&reply).await?;
        }
    }

    /// Writes the reply to a datagram (`Hello, DATA`) into `reply`.
    pub fn udp_reply(&self, data: &[u8], reply: &mut Vec<u8>) {
        self.wire.udp_reply_into(data, reply);
    }
}
