//! One direction of a relayed TCP connection: read a chunk, pass it on, until the sender
//! closes (then half-close the receiver) or a byte limit cuts the connection.
//!
//! Without delaying faults each chunk is copied once, read buffer to socket. With them, a
//! reader stamps each chunk with the time it may leave (arrival + latency + jitter, never
//! before the chunk ahead of it, so TCP's order holds) and a writer releases it then, in
//! slices and at the bandwidth asked for: reading goes on meanwhile, so latency delays the
//! bytes without throttling them. Queued bytes are bounded per connection ([`QUEUED`]
//! chunks) and across all of them (`--max-buffered`): at either bound the reader waits,
//! and TCP's flow control slows the sender instead of the relay's memory growing.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
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
/// told each chunk as it is passed on. Delayed chunks hold a permit per byte of `queued`,
/// the relay's total (`--max-buffered`), until they are written.
///
/// # Errors
/// Either side failed (a reset, a broken pipe), and which.
pub async fn pipe<R, W>(
    from: &mut R,
    to: &mut W,
    faults: StreamFaults,
    rng: Rng,
    queued: &Buffered,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Ended, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let ended = if faults.delays() {
        delayed(from, to, faults, rng, queued, seen).await?
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
    queued: &Buffered,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Ended, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (queue, mut due) = mpsc::channel::<(Instant, Bytes, Held)>(QUEUED);
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
            // The relay's total reached: this chunk waits in the read buffer (which every
            // connection has anyway) and nothing more is read until others are written.
            let held = queued.hold(take).await;
            let at = (Instant::now() + delay(faults.latency, faults.jitter, &mut rng)).max(last);
            last = at;
            if queue
                .send((at, Bytes::copy_from_slice(&buf[..take]), held))
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
        let mut line = faults.bandwidth.map(Line::new);
        while let Some((at, chunk, _held)) = due.recv().await {
            tokio::time::sleep_until(at).await;
            if let Some(line) = &mut line {
                line.idle_until(at);
            }
            for piece in chunk.chunks(slice) {
                if let Some(line) = &mut line {
                    // Paid for before it goes: N bytes take N/rate from the first byte.
                    let free = line.charge(piece.len());
                    // Pieces already due go at once, without a timer each: with small
                    // slices many fall within one tick of the 1 ms timer.
                    if free > Instant::now() {
                        tokio::time::sleep_until(free).await;
                    }
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

/// A queued chunk's share of `--max-buffered`, given back when it has been written.
type Held = Option<OwnedSemaphorePermit>;

/// The bytes all of a relay's delay queues may hold (`--max-buffered`), shared by its
/// connections: 100 clients flooding a target that never reads would otherwise hold 64
/// chunks of 64 KiB each per direction, 800 MiB in all.
#[derive(Debug)]
pub struct Buffered {
    permits: Arc<Semaphore>,
    /// The total, in bytes.
    limit: u32,
}

impl Buffered {
    pub fn new(limit: usize) -> Buffered {
        // `--max-buffered` is at most 4G - 1 (parse_size); a larger total is that much.
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        Buffered {
            permits: Arc::new(Semaphore::new(limit as usize)),
            limit,
        }
    }

    /// Takes `bytes` from the total, waiting while it is spent. A chunk larger than the
    /// whole total takes all of it, so a total under one read's size still moves.
    async fn hold(&self, bytes: usize) -> Held {
        let want = u32::try_from(bytes).unwrap_or(u32::MAX).min(self.limit);
        // The semaphore is never closed, so this only fails if it were.
        self.permits.clone().acquire_many_owned(want).await.ok()
    }
}

/// `--bandwidth` as a virtual clock: the time at which every byte charged so far has been
/// paid for at the rate. A piece is charged before it is sent and may leave only once the
/// clock has passed it. The clock moves on by each piece's own time, never from the moment
/// a timer happened to fire, so a timer that wakes late (tokio's fire on 1 ms ticks, later
/// on a busy machine) makes the next pieces leave sooner instead of slowing the rate.
struct Line {
    /// Bytes per second.
    rate: f64,
    /// When the bytes charged so far are paid for.
    paid: Instant,
}

impl Line {
    fn new(rate: u64) -> Line {
        Line {
            rate: rate as f64,
            paid: Instant::now(),
        }
    }

    /// Bytes that arrived at `at` cannot be paid for before then: a line left idle banks
    /// no credit for a later burst.
    fn idle_until(&mut self, at: Instant) {
        self.paid = self.paid.max(at);
    }

    /// Charges `bytes`; returns when they are paid for, the time they may leave.
    fn charge(&mut self, bytes: usize) -> Instant {
        self.paid += Duration::from_secs_f64(bytes as f64 / self.rate);
        self.paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_charges_before_sending_and_banks_no_idle_credit() {
        let start = Instant::now();
        let mut line = Line {
            rate: 1000.0,
            paid: start,
        };
        // The first piece is charged too: 100 bytes at 1000/s leave at 0.1 s.
        assert_eq!(line.charge(100), start + Duration::from_millis(100));
        // A late timer does not move the clock: the next piece is due 0.1 s after the
        // first was, whenever that one really left.
        assert_eq!(line.charge(100), start + Duration::from_millis(200));
        // Idle for a second: the next chunk is charged from its arrival, not before.
        let later = start + Duration::from_secs(2);
        line.idle_until(later);
        assert_eq!(line.charge(10), later + Duration::from_millis(10));
        // A chunk that arrived while the line was still busy waits for it.
        line.idle_until(start);
        assert_eq!(line.charge(10), later + Duration::from_millis(20));
    }

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
