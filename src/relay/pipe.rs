//! One direction of a relayed TCP connection: read a chunk, pass it on, until the sender
//! closes (then half-close the receiver) or a byte limit cuts the connection.
//!
//! Without delaying faults each chunk is copied once, read buffer to socket. With them, a
//! reader stamps each chunk with the time it may leave (arrival + latency + jitter, never
//! before the chunk ahead of it, so TCP's order holds) and a writer releases it then, in
//! slices and at the bandwidth asked for: reading goes on meanwhile, so latency delays the
//! bytes without throttling them.

use std::io;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::faults::{Cut, StreamFaults, delay};
use crate::template::Rng;

/// How much one read moves.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for their release time; beyond this the reader waits, and TCP's flow
/// control slows the sender.
const QUEUED: usize = 64;

/// A direction failed: reading from the sender, or writing to the receiver.
#[derive(Debug)]
pub struct Failed {
    pub writing: bool,
    pub err: io::Error,
}

impl Failed {
    fn read(err: io::Error) -> Failed {
        Failed {
            writing: false,
            err,
        }
    }

    fn write(err: io::Error) -> Failed {
        Failed { writing: true, err }
    }
}

/// How a direction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The sender closed; the receiver was half-closed in turn.
    Eof,
    /// The byte limit was reached.
    Cut(Cut),
}

/// Moves bytes from `from` to `to` until `from` ends or a limit is reached; `seen` is
/// told each chunk as it is passed on.
///
/// # Errors
/// Either side failed (a reset, a broken pipe), and which.
pub async fn pipe<R, W>(
    from: &mut R,
    to: &mut W,
    faults: StreamFaults,
    rng: Rng,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Ended, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let ended = if faults.delays() {
        delayed(from, to, faults, rng, seen).await?
    } else {
        straight(from, to, faults, seen).await?
    };
    if ended == Ended::Eof {
        to.shutdown().await.map_err(Failed::write)?;
    } else {
        to.flush().await.map_err(Failed::write)?;
    }
    Ok(ended)
}

/// How many of `n` new bytes may pass when `moved` already did, and whether they reach
/// the limit.
fn allowance(n: usize, moved: u64, limit: Option<(u64, Cut)>) -> (usize, Option<Cut>) {
    match limit {
        Some((at, cut)) if moved + n as u64 >= at => ((at - moved) as usize, Some(cut)),
        _ => (n, None),
    }
}

async fn straight<R, W>(
    from: &mut R,
    to: &mut W,
    faults: StreamFaults,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Ended, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let limit = faults.limit();
    let mut buf = vec![0u8; CHUNK];
    let mut moved = 0u64;
    loop {
        let n = from.read(&mut buf).await.map_err(Failed::read)?;
        if n == 0 {
            return Ok(Ended::Eof);
        }
        let (take, cut) = allowance(n, moved, limit);
        seen(&buf[..take]);
        to.write_all(&buf[..take]).await.map_err(Failed::write)?;
        moved += take as u64;
        if let Some(cut) = cut {
            return Ok(Ended::Cut(cut));
        }
    }
}

async fn delayed<R, W>(
    from: &mut R,
    to: &mut W,
    faults: StreamFaults,
    mut rng: Rng,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Ended, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (queue, mut due) = mpsc::channel::<(Instant, Bytes)>(QUEUED);
    let to = &mut *to;
    let read = async move {
        let limit = faults.limit();
        let mut buf = vec![0u8; CHUNK];
        let mut moved = 0u64;
        let mut last = Instant::now();
        loop {
            let n = from.read(&mut buf).await.map_err(Failed::read)?;
            if n == 0 {
                return Ok::<Ended, Failed>(Ended::Eof);
            }
            let (take, cut) = allowance(n, moved, limit);
            moved += take as u64;
            let at = (Instant::now() + delay(faults.latency, faults.jitter, &mut rng)).max(last);
            last = at;
            if queue
                .send((at, Bytes::copy_from_slice(&buf[..take])))
                .await
                .is_err()
            {
                // The writer failed; its error is the one reported.
                return Ok(Ended::Eof);
            }
            if let Some(cut) = cut {
                return Ok(Ended::Cut(cut));
            }
        }
    };
    let write = async move {
        let slice = faults.slice.unwrap_or(usize::MAX);
        // Token bucket of one: each piece books the line for len/bandwidth seconds.
        let mut free_at = Instant::now();
        while let Some((at, chunk)) = due.recv().await {
            tokio::time::sleep_until(at).await;
            for piece in chunk.chunks(slice) {
                if let Some(rate) = faults.bandwidth {
                    tokio::time::sleep_until(free_at).await;
                    let start = free_at.max(Instant::now());
                    free_at = start + Duration::from_secs_f64(piece.len() as f64 / rate as f64);
                }
                seen(piece);
                to.write_all(piece).await.map_err(Failed::write)?;
                // Each slice leaves as a segment of its own.
                to.flush().await.map_err(Failed::write)?;
            }
        }
        Ok::<(), Failed>(())
    };
    tokio::pin!(read, write);
    // A receiver that fails ends the direction at once; the sender may be idle and never
    // give the reader a chance to notice.
    tokio::select! {
        ended = &mut read => {
            let ended = ended?;
            write.await?;
            Ok(ended)
        }
        written = &mut write => {
            written?;
            read.await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_lets_through_exactly_what_is_left() {
        assert_eq!(allowance(10, 0, None), (10, None));
        assert_eq!(allowance(10, 0, Some((100, Cut::Reset))), (10, None));
        assert_eq!(
            allowance(10, 95, Some((100, Cut::Reset))),
            (5, Some(Cut::Reset))
        );
        assert_eq!(
            allowance(5, 95, Some((100, Cut::Close))),
            (5, Some(Cut::Close))
        );
    }
}
