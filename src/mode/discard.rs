//! `--mode discard` (RFC 863): every message is shown and thrown away; nothing is sent.

use tokio::io::{AsyncRead, AsyncWrite};

use super::{Close, Session, next_frame};
use crate::encoding::Encoding;
use crate::framing::{FrameError, FramedStream};
use crate::output::Event;

/// Reads frames until the client leaves or the server shuts down.
///
/// # Errors
/// The connection failed or the framing was broken.
pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut FramedStream<S>,
    encoding: Encoding,
    session: &Session<'_>,
) -> Result<Close, FrameError> {
    loop {
        match next_frame(conn, session).await? {
            Ok(message) => session.printer.event(Event::Message {
                peer: conn.peer(),
                data: &message,
                encoding,
            }),
            Err(close) => return Ok(close),
        }
    }
}
