//! `--mode discard` (RFC 863): every message is shown and thrown away; nothing is sent.

use tokio::io::{AsyncRead, AsyncWrite};

use super::{Session, next_frame};
use crate::event::{Close, Event};
use crate::framing::{FrameError, FramedStream};

/// Reads frames until the client leaves or the server shuts down.
///
/// # Errors
/// The connection failed or the framing was broken.
pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin + std::os::fd::AsRawFd>(
    conn: &mut FramedStream<S>,
    session: &Session<'_>,
) -> Result<Close, FrameError> {
    loop {
        match next_frame(conn, session).await? {
            Ok(message) => session
                .printer
                .event(Event::received(conn.peer(), &message)),
            Err(close) => return Ok(close),
        }
    }
}
