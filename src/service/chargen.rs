//! `--mode chargen` (RFC 864): an endless stream of printable ASCII in rotating 72-column
//! lines, each ending in CRLF. What the client sends is read and ignored. The framing
//! option does not apply: the RFC fixes the format.

use std::sync::LazyLock;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use crate::event::Close;
use crate::framing::{FrameError, FramedStream, WriteOrRead};
use crate::io_error::{Cause, cause};

const LINE: usize = 72;
/// The 95 printable ASCII characters, space to tilde.
const PRINTABLE: std::ops::RangeInclusive<u8> = b' '..=b'~';
/// One UDP reply: six whole lines, within RFC 864's "between 0 and 512 characters".
const UDP_LINES: usize = 6;

/// A whole cycle of the pattern: line `i` starts with printable character `i`, so after 95
/// lines it repeats. Built once; a connection writes it round and round.
static CYCLE: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let chars: Vec<u8> = PRINTABLE.collect();
    let mut cycle = Vec::with_capacity(chars.len() * (LINE + 2));
    for start in 0..chars.len() {
        cycle.extend((0..LINE).map(|i| chars[(start + i) % chars.len()]));
        cycle.extend_from_slice(b"\r\n");
    }
    cycle
});

/// Writes the pattern until the client closes, its connection fails, or shutdown.
///
/// # Errors
/// The connection failed other than by the client leaving.
pub async fn tcp_session<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut FramedStream<S>,
    shutdown: &CancellationToken,
) -> Result<Close, FrameError> {
    pour(conn, shutdown, &CYCLE).await
}

/// `--mode source`: the pattern in blocks of 256 KiB, as fast as the client reads. For
/// throughput runs (`tcp connect --mode receive`): one write moves a whole block, where
/// chargen's lines would cost a write each time the socket has room for only part.
pub async fn source_session<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut FramedStream<S>,
    shutdown: &CancellationToken,
) -> Result<Close, FrameError> {
    pour(conn, shutdown, &SOURCE).await
}

/// 256 KiB of the chargen pattern, built once and shared by every source connection.
static SOURCE: LazyLock<Vec<u8>> =
    LazyLock::new(|| CYCLE.iter().copied().cycle().take(256 * 1024).collect());

/// Writes `cycle` round and round until the client closes, fails, or the server stops;
/// what the client sends is read and dropped.
async fn pour<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut FramedStream<S>,
    shutdown: &CancellationToken,
    cycle: &[u8],
) -> Result<Close, FrameError> {
    let mut pos = 0;
    loop {
        let event = tokio::select! {
            event = conn.write_or_read(&cycle[pos..]) => event,
            () = shutdown.cancelled() => return Ok(Close::Shutdown),
        };
        match event {
            WriteOrRead::Wrote(Ok(written)) => pos = (pos + written) % cycle.len(),
            // A client that has had enough usually just closes: the next write fails.
            WriteOrRead::Wrote(Err(err)) if cause(&err) == Cause::Reset => return Ok(Close::Eof),
            WriteOrRead::Wrote(Err(err)) => return Err(err.into()),
            WriteOrRead::Read(Ok(None)) => return Ok(Close::Eof),
            WriteOrRead::Read(Ok(Some(_ignored))) => {}
            WriteOrRead::Read(Err(err)) => return Err(err),
        }
    }
}

/// The reply to any datagram: the first lines of the pattern.
pub fn udp_reply(reply: &mut Vec<u8>) {
    reply.extend_from_slice(&CYCLE[..UDP_LINES * (LINE + 2)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_rotate_through_the_printable_characters() {
        let lines: Vec<&[u8]> = CYCLE.split(|&b| b == b'\n').collect();
        assert_eq!(&lines[0][..5], b" !\"#$");
        assert_eq!(&lines[1][..5], b"!\"#$%");
        assert!(
            lines[..95]
                .iter()
                .all(|l| l.len() == LINE + 1 && l.ends_with(b"\r"))
        );
        assert_eq!(CYCLE.len(), 95 * 74);
    }

    #[test]
    fn udp_reply_fits_the_rfc_limit() {
        let mut reply = Vec::new();
        udp_reply(&mut reply);
        assert!(reply.len() <= 512);
        assert!(reply.ends_with(b"\r\n"));
    }
}
