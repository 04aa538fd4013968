//! One-way UDP throughput, as iperf3 -u: numbered, timestamped datagrams paced to
//! `--bitrate`, a line a second, and at the end what arrived, with loss, duplicates,
//! reordering and RFC 3550 jitter.
//!
//! - `udp send --mode send` sends, then asks the receiver what arrived (`udp serve --mode
//!   discard` keeps it: see `crate::sequence`).
//! - `udp send --mode receive` asks `udp serve --mode source` for a stream, counts what
//!   arrives, and learns at the end how many were sent.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{Result, bail};
use tokio::net::UdpSocket;
use tokio::time::Instant;

use crate::event::ArrivalReport;
use crate::event::{Arrived, Throughput};
use crate::net::{self, NetError};
use crate::output::Printer;
use crate::sequence::{self, Arrivals, REPORT_REQUEST};

/// Everything a one-way run needs.
#[derive(Debug, Clone)]
pub struct OneWayConfig {
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address (and port) datagrams leave from.
    pub source: Option<SocketAddr>,
    /// This end sends (`--mode send`), or asks the server to (`--mode receive`).
    pub sending: bool,
    /// Bits per second, headers not counted (as iperf3 -b); `None` sends as fast as the
    /// socket takes them.
    pub bitrate: Option<f64>,
    /// Bytes in each datagram, the sequence number and send time included.
    pub size: usize,
    pub duration: Option<Duration>,
    /// Datagrams to send in all (`-n`).
    pub count: Option<u64>,
    /// How long to wait for the receiver's report.
    pub timeout: Duration,
    /// `--html`: the run as a page, too.
    pub html: Option<std::path::PathBuf>,
}

/// How often due datagrams go out: tokio's timers have millisecond resolution.
const PACE: Duration = Duration::from_millis(1);

/// Sends, then asks the receiver what arrived, and prints both.
///
/// # Errors
/// The socket cannot be opened, nothing listens there (ICMP port unreachable), or a
/// signal stopped the run (its figures are printed first).
pub async fn run(
    cfg: &OneWayConfig,
    printer: &Arc<Printer>,
    interrupt: impl Future<Output = i32>,
) -> Result<()> {
    let (socket, addr) = net::first_ok(&cfg.addrs, |addr| async move {
        Ok((net::open_udp(addr, cfg.source).await?, addr))
    })
    .await?;
    let shown = super::Shown::create(cfg.html.as_deref(), addr.into())?;
    if !cfg.sending {
        return receive(cfg, printer, interrupt, socket, addr, shown).await;
    }
    let mut shown = shown;
    tokio::pin!(interrupt);
    let started = Instant::now();
    let deadline = cfg.duration.map(|d| started + d);
    let mut datagram = vec![0u8; cfg.size];
    let (mut sent, mut last) = (0u64, (Duration::ZERO, 0u64));
    let mut tick =
        tokio::time::interval_at(started + Duration::from_secs(1), Duration::from_secs(1));
    let mut interrupted = None;
    let per_datagram = cfg.bitrate.map(|bits| (cfg.size * 8) as f64 / bits);
    loop {
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) || cfg.count.is_some_and(|n| sent >= n) {
            break;
        }
        // Every datagram due by now goes; without a bit rate, as many as the socket takes.
        let elapsed = now.duration_since(started).as_secs_f64();
        let due = match per_datagram {
            Some(each) => (elapsed / each) as u64 + 1,
            None => sent + 64,
        };
        let due = cfg.count.map_or(due, |n| due.min(n));
        while sent < due {
            datagram[..8].copy_from_slice(&sent.to_be_bytes());
            let at = started.elapsed().as_nanos() as u64;
            datagram[8..16].copy_from_slice(&at.to_be_bytes());
            match socket.try_send(&datagram) {
                Ok(_) => sent += 1,
                Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                    socket.writable().await?;
                }
                Err(err) => {
                    return Err(net::refused_or(addr, err, |addr, err| NetError::Send {
                        addr,
                        err,
                    })
                    .into());
                }
            }
        }
        let pause = async {
            if per_datagram.is_some() {
                tokio::time::sleep(PACE).await;
            } else {
                tokio::task::yield_now().await;
            }
        };
        tokio::select! {
            () = pause => {}
            _ = tick.tick() => {
                let now = started.elapsed();
                let bytes = (sent - last.1) * cfg.size as u64;
                shown.show(printer, figures(last.0, now, bytes, None));
                last = (now, sent);
            }
            signal = &mut interrupt => {
                interrupted = Some(signal);
                break;
            }
        }
    }
    let took = started.elapsed();
    let arrived = ask_what_arrived(&socket, cfg.timeout).await;
    if arrived.is_none() {
        tracing::warn!(
            "{addr} sent no report of what arrived within {}: loss is unknown (run `netdemo \
             udp serve --mode discard` there)",
            humantime::format_duration(cfg.timeout)
        );
    }
    let whole = figures(
        Duration::ZERO,
        took,
        sent * cfg.size as u64,
        Some(Arrived {
            sent,
            report: arrived,
        }),
    );
    shown.finish(printer, whole)?;
    if let Some(signal) = interrupted {
        return Err(crate::error::Interrupted(signal).into());
    }
    if sent == 0 {
        bail!("nothing was sent to {addr}");
    }
    Ok(())
}

fn figures(from: Duration, to: Duration, bytes: u64, arrived: Option<Arrived>) -> Throughput {
    Throughput {
        sending: true,
        streams: 1,
        from,
        to,
        bytes,
        rtt_us: None,
        retransmits: None,
        whole: arrived.is_some(),
        threads: 1,
        arrived,
        bidir: false,
    }
}

/// Asks the receiver what arrived, a few times: the question or its answer may be lost
/// too. Datagrams still in flight arrive before the answer is made, on one socket.
async fn ask_what_arrived(socket: &UdpSocket, timeout: Duration) -> Option<ArrivalReport> {
    let mut buf = vec![0u8; 2048];
    for _ in 0..3 {
        socket.send(REPORT_REQUEST).await.ok()?;
        let wait = tokio::time::timeout(timeout, async {
            loop {
                let got = socket.recv(&mut buf).await.ok()?;
                if let Some(report) = sequence::read_report(&buf[..got]) {
                    return Some(report);
                }
            }
        });
        if let Ok(Some(report)) = wait.await {
            return Some(report);
        }
    }
    None
}

/// `--mode receive`: asks for a stream (again until it starts), counts what arrives, and
/// ends when the source says how many it sent, or `--timeout` after the stream's time.
async fn receive(
    cfg: &OneWayConfig,
    printer: &Arc<Printer>,
    interrupt: impl Future<Output = i32>,
    socket: UdpSocket,
    addr: SocketAddr,
    mut shown: super::Shown,
) -> Result<()> {
    let request = sequence::StreamRequest {
        bitrate: cfg.bitrate,
        size: cfg.size,
        duration: cfg.duration.unwrap_or(Duration::from_secs(10)),
    };
    let ask = request.datagram();
    let send_ask = || async {
        socket
            .send(&ask)
            .await
            .map_err(|err| net::refused_or(addr, err, |addr, err| NetError::Send { addr, err }))
    };
    send_ask().await?;
    tokio::pin!(interrupt);
    let epoch = std::time::Instant::now();
    let mut arrivals = Arrivals::default();
    let mut buf = vec![0u8; 65_536];
    let mut started: Option<Instant> = None;
    let mut streamed = None;
    let mut last = (Duration::ZERO, 0u64);
    let mut interrupted = None;
    let mut asked = 1;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    loop {
        // Until the first datagram, the request is asked again: it or the stream's start
        // may be lost. After it, the stream's time and --timeout bound the wait.
        let give_up = match started {
            None => Instant::now() + cfg.timeout,
            Some(at) => at + request.duration + cfg.timeout,
        };
        tokio::select! {
            got = socket.recv(&mut buf) => {
                let got = got.map_err(|err| {
                    net::refused_or(addr, err, |addr, err| NetError::Send { addr, err })
                })?;
                let datagram = &buf[..got];
                if let Some(count) = sequence::read_streamed(datagram) {
                    streamed = Some(count);
                    break;
                }
                if let Some((seq, sent)) = sequence::header(datagram) {
                    started.get_or_insert_with(Instant::now);
                    arrivals.record(seq, got, sent, epoch.elapsed().as_nanos() as u64);
                }
            }
            () = tokio::time::sleep_until(give_up) => {
                if started.is_some() || asked == 3 {
                    break;
                }
                asked += 1;
                send_ask().await?;
            }
            _ = tick.tick(), if started.is_some() => {
                let now = started.map_or(Duration::ZERO, |at| at.elapsed());
                let bytes = arrivals.bytes - last.1;
                shown.show(printer, receiving(last.0, now, bytes, None));
                last = (now, arrivals.bytes);
            }
            signal = &mut interrupt => {
                interrupted = Some(signal);
                break;
            }
        }
    }
    let Some(at) = started else {
        bail!(
            "{addr} sent no stream within {} of asking {asked} time(s): is it netdemo udp serve \
             --mode source? (it streams to loopback only, unless --allow-amplification)",
            humantime::format_duration(cfg.timeout)
        );
    };
    if streamed.is_none() && interrupted.is_none() {
        tracing::warn!(
            "{addr} never said how many it sent: loss is counted against the highest number \
             that arrived"
        );
    }
    let sent = streamed.unwrap_or_else(|| arrivals.highest().map_or(0, |h| h + 1));
    let report = arrivals.summary();
    let whole = receiving(
        Duration::ZERO,
        at.elapsed(),
        arrivals.bytes,
        Some(Arrived {
            sent,
            report: Some(report),
        }),
    );
    shown.finish(printer, whole)?;
    if let Some(signal) = interrupted {
        return Err(crate::error::Interrupted(signal).into());
    }
    Ok(())
}

fn receiving(from: Duration, to: Duration, bytes: u64, arrived: Option<Arrived>) -> Throughput {
    Throughput {
        sending: false,
        ..figures(from, to, bytes, arrived)
    }
}
