//! Throughput runs: `tcp connect --mode send` streams bytes to a server as fast as it takes
//! them (a discard server, any sink), `--mode receive` reads as fast as it sends (a source
//! or chargen server, any source), on `-c` connections at once, for `-d` or `-n` bytes in
//! all. Each second says how many bytes moved, with the kernel's round-trip estimate and
//! retransmissions (TCP_INFO); the end says the whole.
//!
//! Each stream has one buffer for the whole run: bytes are written from it or read into it,
//! never allocated per chunk. A byte budget (`-n`) is claimed chunk by chunk from one
//! counter, so the streams together move exactly that many.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use color_eyre::eyre::{Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    pub duration: Option<Duration>,
    /// Bytes in all, over every stream.
    pub bytes: Option<u64>,
    /// Bounds connecting, and a sender's wait for the server to close after the last byte.
    pub timeout: Duration,
    pub tls: Option<Arc<ClientTls>>,
    /// `--html`: the run as a page, too.
    pub html: Option<std::path::PathBuf>,
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
    let moved: Arc<Vec<AtomicU64>> =
        Arc::new((0..cfg.streams).map(|_| AtomicU64::new(0)).collect());
    let budget = Arc::new(Budget(cfg.bytes.map(AtomicU64::new)));
    let stop = CancellationToken::new();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (number, (stream, addr)) in streams.into_iter().enumerate() {
        let (moved, budget, stop) = (moved.clone(), budget.clone(), stop.clone());
        let (sending, timeout) = (cfg.sending, cfg.timeout);
        tasks.spawn(async move {
            let counter = &moved[number];
            let ended = if sending {
                send(stream, counter, &budget, &stop, timeout).await
            } else {
                receive(stream, counter, &budget, &stop, timeout).await
            };
            ended.map_err(|err| (number + 1, addr, err))
        });
    }
    let deadline = cfg.duration.map(|d| started + d);
    let mut tick =
        tokio::time::interval_at(started + Duration::from_secs(1), Duration::from_secs(1));
    let mut last = (Duration::ZERO, 0u64);
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
                let total = total(&moved);
                let (rtt_us, retransmits) = tcp_info(&infos);
                shown.show(printer, Throughput {
                    sending: cfg.sending,
                    streams: cfg.streams,
                    from: last.0,
                    to: now,
                    bytes: total - last.1,
                    rtt_us,
                    retransmits,
                    whole: false,
                    threads: cfg.threads,
                    arrived: None,
                });
                last = (now, total);
            }
            () = sleep_until(deadline), if !stop.is_cancelled() => stop.cancel(),
            signal = &mut interrupt, if interrupted.is_none() => {
                interrupted = Some(signal);
                stop.cancel();
            }
        }
    }
    let (rtt_us, retransmits) = tcp_info(&infos);
    let whole = Throughput {
        sending: cfg.sending,
        streams: cfg.streams,
        from: Duration::ZERO,
        to: started.elapsed(),
        bytes: total(&moved),
        rtt_us,
        retransmits,
        whole: true,
        threads: cfg.threads,
        arrived: None,
    };
    shown.finish(printer, whole)?;
    if let Some(signal) = interrupted {
        return Err(crate::error::Interrupted(signal).into());
    }
    if let Some((number, addr, err)) = failure {
        let moved = match cfg.bytes {
            Some(wanted) => format!("{} of the {wanted} bytes asked for (-n)", whole.bytes),
            None => format!("{} bytes", whole.bytes),
        };
        let verb = if cfg.sending { "sent" } else { "arrived" };
        if err.kind() == io::ErrorKind::TimedOut {
            bail!("stream {number} to {addr} stalled after {moved} {verb}: {err}");
        }
        bail!(
            "stream {number} to {addr} failed after {moved} {verb}: {}",
            crate::io_error::describe(&err)
        );
    }
    if let Some(wanted) = cfg.bytes
        && whole.bytes < wanted
    {
        bail!(
            "the server closed the streams after {} of the {wanted} bytes asked for (-n)",
            whole.bytes
        );
    }
    if whole.bytes == 0 {
        let verb = if cfg.sending { "took" } else { "sent" };
        let serve = match cfg.endpoint {
            Endpoint::Tcp(_) => "tcp serve",
            Endpoint::Unix(_) => "unix serve",
        };
        bail!(
            "no byte moved: the server {verb} nothing (for --mode receive, use a server that sends: {serve} --mode source or chargen)"
        );
    }
    Ok(whole)
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
    match stream.shutdown().await {
        // The server closed first: every byte counted was taken all the same.
        Err(err) if err.kind() == io::ErrorKind::NotConnected => {}
        shut => shut?,
    }
    let mut sink = [0u8; 4096];
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
async fn receive(
    mut stream: Stream,
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
