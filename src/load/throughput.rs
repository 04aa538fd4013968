//! Throughput runs: `tcp connect --mode send` streams bytes to a server as fast as it takes
//! them (a discard server, any sink), `--mode receive` reads as fast as it sends (a source
//! or chargen server, any source), on `-c` connections at once, for `-d` or `-n` bytes in
//! all. Each second says how many bytes moved, with the kernel's round-trip estimate and
//! retransmissions (TCP_INFO); the end says the whole.
//!
//! Each stream has one buffer for the whole run: bytes are written from it or read into it,
//! never allocated per chunk. A byte budget (`-n`) is claimed chunk by chunk from one
//! counter, so the streams together move exactly that many.
//!
//! With `--bidir` every stream sends and receives at once (its two halves run side by
//! side), each direction with its own counters and budget, and both are reported.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use color_eyre::eyre::{Result, bail};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::event::Throughput;
use crate::net::dial::{Dialed, Endpoint, dial};
use crate::net::handshake;
use crate::output::Printer;
use crate::tls::{ClientTls, Stream};

/// One stream's buffer: large enough that a write or read moves what the socket buffer
/// holds at once.
const CHUNK: usize = 256 * 1024;

/// Settings of a throughput run.
#[derive(Debug, Clone)]
pub struct ThroughputConfig {
    pub endpoint: Endpoint,
    /// Threads the streams run on (`--threads`).
    pub threads: usize,
    pub streams: usize,
    /// Send (true) or receive.
    pub sending: bool,
    /// `--bidir`: both at once on every stream (`sending` is then the first reported).
    pub bidir: bool,
    pub duration: Option<Duration>,
    /// Bytes in all, over every stream.
    pub bytes: Option<u64>,
    /// Bounds connecting, and a sender's wait for the server to close after the last byte.
    pub timeout: Duration,
    pub tls: Option<Arc<ClientTls>>,
    /// `--html`: the run as a page, too.
    pub html: Option<std::path::PathBuf>,
}

/// A stream that failed: which, to whom, in which direction, and why.
struct Failure {
    number: usize,
    addr: crate::event::Peer,
    sending: bool,
    err: io::Error,
}

/// What is left of `-n`: each stream claims the next chunk from it.
struct Budget(Option<AtomicU64>);

impl Budget {
    /// Up to `want` bytes to move now; 0 once the budget is spent.
    fn claim(&self, want: usize) -> usize {
        let Some(left) = &self.0 else { return want };
        let mut taken = 0;
        let _ = left.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            taken = n.min(want as u64);
            Some(n - taken)
        });
        taken as usize
    }

    /// Gives back what a read claimed and did not fill.
    fn unclaim(&self, bytes: usize) {
        if let Some(left) = &self.0 {
            left.fetch_add(bytes as u64, Ordering::AcqRel);
        }
    }
}

/// Runs the streams and reports as it goes; returns the whole run.
///
/// # Errors
/// A stream could not connect, failed, or (with `-n`) the server closed before every byte
/// moved; or no byte moved at all.
pub async fn run(
    cfg: &ThroughputConfig,
    printer: &Arc<Printer>,
    interrupt: impl std::future::Future<Output = i32>,
) -> Result<Throughput> {
    let mut shown = super::Shown::create(cfg.html.as_deref(), cfg.endpoint.first_peer())?;
    handshake::announce_client(cfg.tls.as_deref(), printer);
    let mut streams = Vec::with_capacity(cfg.streams);
    let mut infos = Vec::with_capacity(cfg.streams);
    for _ in 0..cfg.streams {
        let Dialed {
            stream, peer: addr, ..
        } = dial(&cfg.endpoint, cfg.timeout, None, None).await?;
        // TCP_INFO is TCP's: a Unix socket has no round trip or retransmits to show.
        infos.push(match &stream {
            Stream::Plain(tcp) => tcp.as_fd().try_clone_to_owned().ok(),
            _ => None,
        });
        let stream =
            handshake::client(cfg.tls.as_deref(), stream, addr, cfg.timeout, printer).await?;
        streams.push((stream, addr));
    }
    // The directions reported, in order: one, or with --bidir both.
    let directions: Vec<bool> = if cfg.bidir {
        vec![true, false]
    } else {
        vec![cfg.sending]
    };
    let moved: Arc<Vec<Vec<AtomicU64>>> = Arc::new(
        directions
            .iter()
            .map(|_| (0..cfg.streams).map(|_| AtomicU64::new(0)).collect())
            .collect(),
    );
    let budgets: Arc<Vec<Budget>> = Arc::new(
        directions
            .iter()
            .map(|_| Budget(cfg.bytes.map(AtomicU64::new)))
            .collect(),
    );
    let stop = CancellationToken::new();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (number, (stream, addr)) in streams.into_iter().enumerate() {
        let (moved, budgets, stop) = (moved.clone(), budgets.clone(), stop.clone());
        let (sending, bidir, timeout) = (cfg.sending, cfg.bidir, cfg.timeout);
        tasks.spawn(async move {
            let ended = if bidir {
                let (mut reader, mut writer) = tokio::io::split(stream);
                let (sent, received) = tokio::join!(
                    send_half(&mut writer, &moved[0][number], &budgets[0], &stop, timeout),
                    receive(&mut reader, &moved[1][number], &budgets[1], &stop, timeout),
                );
                // Half-closed only once both ways are done: a server that stops sending at
                // our end of stream (a source) would cut the other direction short. Then
                // what it still sends is read until it closes: a socket closed with bytes
                // unread resets, and the server would lose what we sent last.
                sent.map_err(|err| (true, err))
                    .and(received.map_err(|err| (false, err)))
                    .and(close(&mut writer).await.map_err(|err| (true, err)))
                    .and(
                        wait_closed(&mut reader, timeout)
                            .await
                            .map_err(|err| (true, err)),
                    )
            } else if sending {
                send(stream, &moved[0][number], &budgets[0], &stop, timeout)
                    .await
                    .map_err(|err| (true, err))
            } else {
                receive(stream, &moved[0][number], &budgets[0], &stop, timeout)
                    .await
                    .map_err(|err| (false, err))
            };
            ended.map_err(|(sending, err)| Failure {
                number: number + 1,
                addr,
                sending,
                err,
            })
        });
    }
    let deadline = cfg.duration.map(|d| started + d);
    let mut tick =
        tokio::time::interval_at(started + Duration::from_secs(1), Duration::from_secs(1));
    let mut last = (Duration::ZERO, vec![0u64; directions.len()]);
    let mut failure = None;
    let mut interrupted = None;
    tokio::pin!(interrupt);
    loop {
        tokio::select! {
            joined = tasks.join_next() => match joined {
                None => break,
                Some(Ok(Ok(()))) => {}
                Some(Ok(Err(failed))) => {
                    failure.get_or_insert(failed);
                    stop.cancel();
                }
                Some(Err(err)) => bail!("a stream's task failed: {err}"),
            },
            _ = tick.tick() => {
                let now = started.elapsed();
                let (rtt_us, retransmits) = tcp_info(&infos);
                for (at, &sending) in directions.iter().enumerate() {
                    let total = total(&moved[at]);
                    shown.show(printer, Throughput {
                        sending,
                        streams: cfg.streams,
                        from: last.0,
                        to: now,
                        bytes: total - last.1[at],
                        rtt_us,
                        retransmits,
                        whole: false,
                        threads: cfg.threads,
                        arrived: None,
                        bidir: cfg.bidir,
                    });
                    last.1[at] = total;
                }
                last.0 = now;
            }
            () = sleep_until(deadline), if !stop.is_cancelled() => stop.cancel(),
            signal = &mut interrupt, if interrupted.is_none() => {
                interrupted = Some(signal);
                stop.cancel();
            }
        }
    }
    let (rtt_us, retransmits) = tcp_info(&infos);
    let to = started.elapsed();
    let wholes: Vec<Throughput> = directions
        .iter()
        .enumerate()
        .map(|(at, &sending)| Throughput {
            sending,
            streams: cfg.streams,
            from: Duration::ZERO,
            to,
            bytes: total(&moved[at]),
            rtt_us,
            retransmits,
            whole: true,
            threads: cfg.threads,
            arrived: None,
            bidir: cfg.bidir,
        })
        .collect();
    if let [sent, received] = wholes[..] {
        printer.throughput(&sent);
        shown.finish(printer, received)?;
    } else {
        shown.finish(printer, wholes[0])?;
    }
    if let Some(signal) = interrupted {
        return Err(crate::error::Interrupted(signal).into());
    }
    for whole in &wholes {
        moved_enough(cfg, whole, failure.as_ref())?;
    }
    Ok(wholes[0])
}

/// Whether `whole`, one direction of the run, moved what it should have: every byte of
/// `-n`, at least one byte, and no stream failed that way (`failure`, said with the bytes
/// moved).
///
/// # Errors
/// A stream failed or stalled, the server closed early, or nothing moved.
fn moved_enough(
    cfg: &ThroughputConfig,
    whole: &Throughput,
    failure: Option<&Failure>,
) -> Result<()> {
    let verb = if whole.sending { "sent" } else { "arrived" };
    if let Some(Failure {
        number, addr, err, ..
    }) = failure.filter(|failure| failure.sending == whole.sending)
    {
        let hint = if cfg.bidir && whole.bytes == 0 && !whole.sending {
            " (--bidir needs a server that reads and writes at once: tcp serve --mode source or \
             chargen)"
        } else {
            ""
        };
        let moved = match cfg.bytes {
            Some(wanted) => format!("{} of the {wanted} bytes asked for (-n)", whole.bytes),
            None => format!("{} bytes", whole.bytes),
        };
        if err.kind() == io::ErrorKind::TimedOut {
            bail!("stream {number} to {addr} stalled after {moved} {verb}: {err}{hint}");
        }
        bail!(
            "stream {number} to {addr} failed after {moved} {verb}: {}",
            crate::io_error::describe(err)
        );
    }
    if let Some(wanted) = cfg.bytes
        && whole.bytes < wanted
    {
        bail!(
            "the server closed the streams after {} of the {wanted} bytes asked for (-n) {verb}",
            whole.bytes
        );
    }
    if whole.bytes == 0 {
        let serve = match cfg.endpoint {
            Endpoint::Tcp(_) => "tcp serve",
            Endpoint::Unix(_) => "unix serve",
        };
        if cfg.bidir {
            let took = if whole.sending { "took" } else { "sent" };
            bail!(
                "no byte moved one way: the server {took} nothing (--bidir needs a server that \
                 reads and writes at once: {serve} --mode source or chargen)"
            );
        }
        let took = if whole.sending { "took" } else { "sent" };
        bail!(
            "no byte moved: the server {took} nothing (for --mode receive, use a server that sends: {serve} --mode source or chargen)"
        );
    }
    Ok(())
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

fn total(moved: &[AtomicU64]) -> u64 {
    moved.iter().map(|m| m.load(Ordering::Relaxed)).sum()
}

/// Writes the buffer again and again until the budget or the run ends, then half-closes
/// and waits (at most `timeout`) for the server to close, so the bytes counted arrived.
async fn send(
    mut stream: Stream,
    moved: &AtomicU64,
    budget: &Budget,
    stop: &CancellationToken,
    timeout: Duration,
) -> io::Result<()> {
    send_half(&mut stream, moved, budget, stop, timeout).await?;
    close(&mut stream).await?;
    wait_closed(&mut stream, timeout).await
}

/// Reads, and drops, what the server still sends until it closes, at most `timeout`.
async fn wait_closed<R: AsyncRead + Unpin>(stream: &mut R, timeout: Duration) -> io::Result<()> {
    let mut sink = vec![0u8; 64 * 1024];
    let closed = async {
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    };
    match tokio::time::timeout(timeout, closed).await {
        Ok(closed) => closed,
        Err(_) => {
            tracing::debug!("the server did not close within --timeout after the last byte");
            Ok(())
        }
    }
}

/// The sending half of a stream: writes until the budget or the run ends.
async fn send_half<W: AsyncWrite + Unpin>(
    mut stream: W,
    moved: &AtomicU64,
    budget: &Budget,
    stop: &CancellationToken,
    timeout: Duration,
) -> io::Result<()> {
    // The pattern is chargen's: any sink takes it, and a dump of it reads well.
    let buf: Vec<u8> = (b' '..=b'~').cycle().take(CHUNK).collect();
    loop {
        let want = budget.claim(CHUNK);
        if want == 0 {
            break;
        }
        tokio::select! {
            written = tokio::time::timeout(timeout, stream.write_all(&buf[..want])) => {
                written.map_err(|_| stalled(timeout))??;
            }
            () = stop.cancelled() => break,
        }
        moved.fetch_add(want as u64, Ordering::Relaxed);
    }
    Ok(())
}

/// Half-closes a stream whose sending is done.
async fn close<W: AsyncWrite + Unpin>(stream: &mut W) -> io::Result<()> {
    match stream.shutdown().await {
        // The server closed first: every byte counted was taken all the same.
        Err(err) if err.kind() == io::ErrorKind::NotConnected => Ok(()),
        shut => shut,
    }
}

/// A stream on which nothing moved for `--timeout`: a server that stalls would otherwise
/// hold the run forever.
fn stalled(timeout: Duration) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "nothing moved for {} (--timeout)",
            humantime::format_duration(timeout)
        ),
    )
}

/// Reads into one buffer until the server ends the stream, the budget is spent or the run
/// ends.
async fn receive<R: AsyncRead + Unpin>(
    mut stream: R,
    moved: &AtomicU64,
    budget: &Budget,
    stop: &CancellationToken,
    timeout: Duration,
) -> io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    loop {
        let want = budget.claim(CHUNK);
        if want == 0 {
            return Ok(());
        }
        let n = tokio::select! {
            read = tokio::time::timeout(timeout, stream.read(&mut buf[..want])) => {
                match read {
                    Ok(read) => read?,
                    Err(_) => {
                        budget.unclaim(want);
                        return Err(stalled(timeout));
                    }
                }
            }
            () = stop.cancelled() => {
                budget.unclaim(want);
                return Ok(());
            }
        };
        budget.unclaim(want - n);
        if n == 0 {
            return Ok(());
        }
        moved.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// The streams' smoothed round trip (averaged) and retransmitted segments (summed), from
/// TCP_INFO on Linux; `None` where the kernel does not say.
#[cfg(target_os = "linux")]
fn tcp_info(fds: &[Option<OwnedFd>]) -> (Option<u64>, Option<u64>) {
    let mut rtts = Vec::new();
    let mut retransmits = 0u64;
    for fd in fds.iter().flatten() {
        // SAFETY: tcp_info is plain data; the kernel fills at most `len` bytes of it.
        let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
        let got = unsafe {
            libc::getsockopt(
                fd.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_INFO,
                (&mut info as *mut libc::tcp_info).cast(),
                &mut len,
            )
        };
        if got == 0 {
            rtts.push(u64::from(info.tcpi_rtt));
            retransmits += u64::from(info.tcpi_total_retrans);
        }
    }
    if rtts.is_empty() {
        return (None, None);
    }
    let rtt = rtts.iter().sum::<u64>() / rtts.len() as u64;
    (Some(rtt), Some(retransmits))
}

#[cfg(not(target_os = "linux"))]
fn tcp_info(_fds: &[Option<OwnedFd>]) -> (Option<u64>, Option<u64>) {
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_moved_exactly_once() {
        let budget = Budget(Some(AtomicU64::new(10)));
        assert_eq!(budget.claim(4), 4);
        assert_eq!(budget.claim(8), 6);
        assert_eq!(budget.claim(8), 0);
        budget.unclaim(3);
        assert_eq!(budget.claim(8), 3);
        assert_eq!(Budget(None).claim(8), 8);
    }
}
