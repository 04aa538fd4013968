//! One direction of a relayed TCP connection: read a chunk, pass it on, until the sender
//! closes (then half-close the receiver), a byte limit cuts the connection, or a toxic
//! does (`reset_peer`, `timeout`).
//!
//! While no fault holds bytes back, each chunk is copied once, read buffer to socket (a
//! relay whose faults may change watches for a change meanwhile). Otherwise a reader queues each chunk with its arrival time, and a
//! writer releases it at arrival + latency + jitter as the faults in force *then* say
//! (never before the chunk ahead of it, so TCP's order holds), in slices and at the
//! bandwidth asked for: a change made through the API re-times what is already queued,
//! and reading goes on meanwhile, so latency delays the bytes without throttling them.
//! Queued bytes are bounded per connection ([`QUEUED`] chunks) and across all of them
//! (`--max-buffered`): at either bound the reader waits, and TCP's flow control slows the
//! sender instead of the relay's memory growing.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::time::Instant;

use super::faults::{Cut, StreamFaults};
use super::link::Feed;
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

/// Moves bytes from `from` to `to` until `from` ends, a limit is reached or a toxic cuts
/// the connection; `seen` is told each chunk as it is passed on. Delayed chunks hold a
/// permit per byte of `queued`, the relay's total (`--max-buffered`), until they are
/// written.
///
/// # Errors
/// Either side failed (a reset, a broken pipe), and which.
pub async fn pipe<R, W>(
    from: &mut R,
    to: &mut W,
    mut feed: Feed,
    rng: Rng,
    queued: &Buffered,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Ended, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    // Copied straight while no fault acts on more than the byte count; once one does,
    // through the queue for the rest of the connection.
    let mut faults = feed.stream_faults(0);
    let mut moved = 0;
    let (ended, slow_close) = loop {
        if faults.acts() {
            break managed(from, to, feed, rng, queued, seen, moved).await?;
        }
        let live = feed.is_live();
        match straight(from, to, faults, live.then_some(&mut feed), moved, seen).await? {
            Copied::Ended(ended) => break (ended, Duration::ZERO),
            Copied::Changed { moved: now } => {
                moved = now;
                faults = feed.stream_faults(moved);
            }
        }
    };
    if ended == Ended::Eof {
        // toxiproxy's slow_close: the last byte went, the close waits.
        if !slow_close.is_zero() {
            tokio::time::sleep(slow_close).await;
        }
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
        Some((at, _)) if moved >= at => (0, limit.map(|(_, cut)| cut)),
        Some((at, cut)) if moved + n as u64 >= at => ((at - moved) as usize, Some(cut)),
        _ => (n, None),
    }
}

/// How a straight copy stopped.
enum Copied {
    Ended(Ended),
    /// The faults changed (after `moved` bytes): they are worked out again.
    Changed {
        moved: u64,
    },
}

/// Faults that hold nothing back: each chunk is written as it is read, until the
/// direction ends or `feed` (when the faults may change) says they changed.
async fn straight<R, W>(
    from: &mut R,
    to: &mut W,
    faults: StreamFaults,
    mut feed: Option<&mut Feed>,
    mut moved: u64,
    seen: &(dyn Fn(&[u8]) + Sync),
) -> Result<Copied, Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let limit = faults.limit();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let read = match feed.as_deref_mut() {
            Some(feed) => tokio::select! {
                biased;
                () = feed.changed() => return Ok(Copied::Changed { moved }),
                read = from.read(&mut buf) => read,
            },
            None => from.read(&mut buf).await,
        };
        let n = read.map_err(Failed::read)?;
        if n == 0 {
            return Ok(Copied::Ended(Ended::Eof));
        }
        let (take, cut) = allowance(n, moved, limit);
        seen(&buf[..take]);
        to.write_all(&buf[..take]).await.map_err(Failed::write)?;
        moved += take as u64;
        if let Some(cut) = cut {
            return Ok(Copied::Ended(Ended::Cut(cut)));
        }
    }
}

/// A chunk on its way: when it arrived, its draw of the jitter, the bytes, and their
/// share of `--max-buffered`. Its release time is worked out from the faults in force
/// while it waits, so a change re-times what is queued.
struct Queued {
    arrived: Instant,
    jitter: f64,
    bytes: Bytes,
    _held: Held,
}

/// Faults that delay, or that may change: a reader queues each chunk with its arrival
/// time, a writer releases it when the faults then in force say. Returns how the
/// direction ended and the close delay in force at the end.
async fn managed<R, W>(
    from: &mut R,
    to: &mut W,
    mut feed: Feed,
    mut rng: Rng,
    queued: &Buffered,
    seen: &(dyn Fn(&[u8]) + Sync),
    moved: u64,
) -> Result<(Ended, Duration), Failed>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (queue, mut due) = mpsc::channel::<Queued>(QUEUED);
    let (now_tx, mut now) = watch::channel(feed.stream_faults(moved));
    let mut slicing = Rng::new(rng.unit().to_bits());
    let to = &mut *to;
    let read = async move {
        let mut buf = vec![0u8; CHUNK];
        let mut moved = moved;
        // When `reset_peer` resets the connection, once bytes came while it was in force.
        let mut reset_at: Option<Instant> = None;
        // The sender closed while `reset_peer` waited to act.
        let mut eof = false;
        loop {
            let faults = *now_tx.borrow();
            if faults.reset_peer.is_none() {
                reset_at = None;
                if eof {
                    return Ok((Ended::Eof, false));
                }
            }
            let deadline = match (reset_at, faults.close_at) {
                (Some(reset), Some(close)) if close < reset => Some((close, Cut::Close)),
                (Some(reset), _) => Some((reset, Cut::Reset)),
                (None, close) => close.map(|close| (close, Cut::Close)),
            };
            let n = tokio::select! {
                biased;
                () = feed.changed() => {
                    now_tx.send_replace(feed.stream_faults(moved));
                    continue;
                }
                () = sleep_until_some(deadline.map(|(at, _)| at)) => {
                    // Cut now, whatever is queued: the deadline is the fault.
                    let cut = deadline.map_or(Cut::Reset, |(_, cut)| cut);
                    return Ok::<(Ended, bool), Failed>((Ended::Cut(cut), true));
                }
                read = from.read(&mut buf), if !eof => read.map_err(Failed::read)?,
            };
            if let Some(after) = faults.reset_peer {
                eof = n == 0;
                // toxiproxy's reset_peer: the first chunk (or the end) is dropped, and the
                // reset follows after its timeout.
                reset_at.get_or_insert(Instant::now() + after);
                continue;
            }
            if n == 0 {
                return Ok((Ended::Eof, false));
            }
            if faults.blackhole || rng.chance(faults.drop) {
                // toxiproxy's timeout: what arrives is dropped while it is in force; a
                // dropped chunk is never sent again, so the stream breaks.
                continue;
            }
            if rng.chance(faults.corrupt) {
                let at = (rng.unit() * n as f64) as usize % n;
                buf[at] ^= 0x5a;
            }
            let (take, cut) = allowance(n, moved, faults.limit());
            moved += take as u64;
            if take > 0 {
                // The relay's total reached: this chunk waits in the read buffer (which
                // every connection has anyway) and nothing more is read until others
                // are written.
                let held = queued.hold(take).await;
                let chunk = Queued {
                    arrived: Instant::now(),
                    jitter: rng.unit(),
                    bytes: Bytes::copy_from_slice(&buf[..take]),
                    _held: held,
                };
                if queue.send(chunk).await.is_err() {
                    // The writer failed; its error is the one reported.
                    return Ok((Ended::Eof, false));
                }
            }
            if let Some(cut) = cut {
                return Ok((Ended::Cut(cut), false));
            }
        }
    };
    let mut now_end = now.clone();
    let write = async move {
        let mut last = Instant::now();
        let mut line: Option<Line> = None;
        while let Some(chunk) = due.recv().await {
            // Waits for the chunk's time, worked out again whenever the faults change.
            let faults = loop {
                let faults = *now.borrow_and_update();
                let at = (chunk.arrived + faults.latency + faults.jitter.mul_f64(chunk.jitter))
                    .max(last);
                if at <= Instant::now() {
                    last = at;
                    break faults;
                }
                tokio::select! {
                    () = tokio::time::sleep_until(at) => {
                        last = at;
                        break *now.borrow();
                    }
                    _ = now.changed() => {}
                }
            };
            // At a rate of 0 nothing passes until the rate changes (as in toxiproxy).
            let faults = if faults.bandwidth == Some(0) {
                loop {
                    if now.changed().await.is_err() {
                        return Ok(());
                    }
                    let faults = *now.borrow_and_update();
                    if faults.bandwidth != Some(0) {
                        break faults;
                    }
                }
            } else {
                faults
            };
            // A new rate starts a new line; the same one goes on from where it was.
            let same = matches!((&line, faults.bandwidth), (Some(line), Some(rate)) if line.rate == rate as f64);
            if !same {
                line = faults.bandwidth.map(Line::new);
            }
            if let Some(line) = &mut line {
                line.idle_until(last);
            }
            let mut rest = &chunk.bytes[..];
            let mut first = true;
            while !rest.is_empty() {
                let size = faults.slice.map_or(rest.len(), |slice| {
                    piece_size(slice.average, slice.variation, &mut slicing)
                });
                let (piece, after) = rest.split_at(size.min(rest.len()));
                rest = after;
                if let Some(slice) = faults.slice
                    && !first
                    && !slice.delay.is_zero()
                {
                    tokio::time::sleep(slice.delay).await;
                }
                first = false;
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
                if faults.slice.is_some() {
                    // Each slice leaves as a segment of its own.
                    to.flush().await.map_err(Failed::write)?;
                }
            }
            to.flush().await.map_err(Failed::write)?;
        }
        Ok::<(), Failed>(())
    };
    tokio::pin!(read, write);
    // A receiver that fails ends the direction at once; the sender may be idle and never
    // give the reader a chance to notice.
    let ended = tokio::select! {
        ended = &mut read => {
            let (ended, at_once) = ended?;
            if !at_once {
                write.await?;
            }
            ended
        }
        written = &mut write => {
            written?;
            read.await?.0
        }
    };
    Ok((ended, now_end.borrow_and_update().slow_close))
}

/// Sleeps until `at`; forever when there is no `at`.
async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The size of the next slice: `average` give or take up to `variation`, at least 1.
fn piece_size(average: usize, variation: usize, rng: &mut Rng) -> usize {
    if variation == 0 {
        return average.max(1);
    }
    let spread = (rng.unit() * (2 * variation + 1) as f64) as usize;
    (average + spread).saturating_sub(variation).max(1)
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
