//! `--mode discard` (RFC 863): every message is shown and thrown away; nothing is sent.

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use super::{Close, next_frame};
use crate::encoding::Encoding;
use crate::framing::{FrameError, FramedStream};
use crate::output::Printer;

/// Reads frames until the client leaves or the server shuts down.
///
/// # Errors
/// The connection failed or the framing was broken.
pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut FramedStream<S>,
    encoding: Encoding,
    printer: &Printer,
    shutdown: &CancellationToken,
) -> Result<Close, FrameError> {
    loop {
        match next_frame(conn, shutdown).await? {
            Ok(message) => printer.shown(&encoding.show(&message)),
            Err(close) => return Ok(close),
        }
    }
}
