//! UDP load in `--mode request`: any request/reply service over datagrams, one request in
//! flight at a time. A service's replies carry no sequence number, so a reply can only be
//! matched to the one request outstanding: open loop (`--rate`) cannot be, and is refused
//! by `config`.

use std::net::SocketAddr;
use std::time::Duration;

use color_eyre::eyre::Result;
use tokio::time::Instant;

use crate::expect::Expect;
use crate::framing::Framing;
use crate::net::{self, MAX_DATAGRAM, NetError};
use crate::report::Recorded;
use crate::report::{ErrorKind, Errors, Report};
use crate::request::{Request, Scratch};
use crate::template::Rng;

/// Everything a UDP request load run needs.
#[derive(Debug, Clone)]
pub struct UdpRequestLoad {
    pub addrs: Vec<SocketAddr>,
    /// The requests, sent in turn.
    pub messages: Vec<Request>,
    /// The messages as given, for the report.
    pub labels: Vec<String>,
    pub expect: Expect,
    pub count: Option<u64>,
    pub duration: Option<Duration>,
    /// How long to wait for each reply before counting a timeout.
    pub timeout: Duration,
    /// When it starts, and what its report says it is of.
    pub placement: super::Placement,
}

/// Runs the load and returns what happened.
///
/// # Errors
/// The socket cannot be opened, or nothing listens there (ICMP port unreachable).
pub async fn run(
    cfg: UdpRequestLoad,
    progress: indicatif::ProgressBar,
    interrupt: impl Future<Output = i32>,
) -> Result<Report> {
    let (socket, addr) = net::first_ok(&cfg.addrs, |addr| async move {
        Ok((net::open_udp(addr).await?, addr))
    })
    .await?;
    let start = Instant::now();
    let deadline = cfg.duration.map(|d| start + d);
    let errors = Errors::default();
    let mut recorded = Recorded::with_messages(cfg.messages.len());
    let mut errors_by_message = vec![0u64; cfg.messages.len()];
    let (mut ok, mut bytes, mut in_flight) = (0u64, 0u64, 0u64);
    let mut first_mismatch = None;
    let mut rng = Rng::new(start.elapsed().as_nanos() as u64);
    let mut scratch = Scratch::default();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut seq = 0u64;
    let requests = async {
        while cfg.count.is_none_or(|count| seq < count)
            && deadline.is_none_or(|deadline| Instant::now() < deadline)
        {
            let which = (seq % cfg.messages.len() as u64) as usize;
            let request = cfg.messages[which].bytes(seq, 0, &mut rng, &mut scratch);
            let sent = Instant::now();
            if let Err(err) = socket.send(request).await {
                return Err(
                    net::refused_or(addr, err, |addr, err| NetError::Send { addr, err }).into(),
                );
            }
            let len = request.len();
            seq += 1;
            // The reply, within --timeout, and never past the run's deadline.
            let wait_until = match deadline {
                Some(deadline) => (sent + cfg.timeout).min(deadline),
                None => sent + cfg.timeout,
            };
            let failed = match tokio::time::timeout_at(wait_until, socket.recv(&mut buf)).await {
                Ok(Ok(got)) => {
                    let reply = &buf[..got];
                    if cfg.expect.accepts(Framing::Raw, which, reply) {
                        let took = sent.elapsed();
                        recorded.latency.saturating_record(took.as_micros() as u64);
                        if let Some(histogram) = recorded.by_message.get_mut(which) {
                            histogram.saturating_record(took.as_micros() as u64);
                        }
                        ok += 1;
                        bytes += (len + got) as u64;
                        None
                    } else {
                        first_mismatch.get_or_insert_with(|| (which, reply.to_vec()));
                        Some(ErrorKind::WrongReply)
                    }
                }
                Ok(Err(err)) => {
                    return Err(net::refused_or(addr, err, |addr, err| NetError::Send {
                        addr,
                        err,
                    })
                    .into());
                }
                Err(_) if deadline.is_some_and(|d| Instant::now() >= d) => {
                    in_flight += 1;
                    None
                }
                Err(_) => Some(ErrorKind::Timeout),
            };
            if let Some(kind) = failed {
                errors.add(kind);
                errors_by_message[which] += 1;
            }
            if seq.is_multiple_of(256) {
                progress.set_message(format!("{ok} requests, {} errors", errors.total()));
            }
        }
        Ok::<(), color_eyre::Report>(())
    };
    // Ctrl-C or SIGTERM (`timeout` sends it): stop, and report what was measured; the
    // request waiting for its reply is in flight.
    let interrupted = tokio::select! {
        outcome = requests => {
            outcome?;
            None
        }
        number = interrupt => Some(number),
    };
    if interrupted.is_some() {
        in_flight += 1;
    }
    progress.finish_and_clear();
    let measured = start.elapsed();
    let by_message = if cfg.messages.len() > 1 {
        cfg.labels.iter().cloned().zip(errors_by_message).collect()
    } else {
        Vec::new()
    };
    let show = |bytes: &[u8]| super::show(bytes);
    let first_mismatch = first_mismatch.map(|(which, got): (usize, Vec<u8>)| {
        format!(
            "first wrong reply to '{}': {}, expected {}",
            cfg.labels.get(which).map_or("", String::as_str),
            show(&got),
            cfg.expect.describe(which, show)
        )
    });
    Ok(Report {
        connections: 1,
        rate: None,
        measured,
        warmup: Duration::ZERO,
        ok,
        errors: errors.snapshot(),
        bytes,
        recorded,
        udp: None,
        in_flight,
        by_message,
        first_mismatch,
        error_replies: 0,
        greetings_pending: 0,
        interrupted,
        provenance: Default::default(),
        reconnect: false,
        client: None,
        stalled: (ok == 0).then(|| {
            format!(
                "no reply from {addr} met the expectation within {}: is it a UDP service of \
                 this protocol? (see --expect, or a longer --timeout)",
                humantime::format_duration(cfg.timeout)
            )
        }),
    })
}
