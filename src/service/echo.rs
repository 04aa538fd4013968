//! `--mode echo` (RFC 862): every message comes back as it was, in the same framing.

use tokio::io::{AsyncRead, AsyncWrite};

use super::{Session, next_frame};
use crate::event::{Close, Event};
use crate::framing::{FrameError, FramedStream};

/// Echoes each frame until the client leaves or the server shuts down.
///
/// # Errors
/// The connection failed or the framing was broken.
pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin + std::os::fd::AsRawFd>(
    conn: &mut FramedStream<S>,
    session: &Session<'_>,
) -> Result<Close, FrameError> {
    loop {
        let message = match next_frame(conn, session).await? {
            Ok(message) => message,
            Err(close) => return Ok(close),
        };
        session
            .printer
            .event(Event::received(conn.peer(), &message));
        conn.write_frame(&message).await?;
    }
}
