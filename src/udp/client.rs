//! `udp send`: the tutorial's UDP client, or an echo client. Each datagram is sent, its
//! reply awaited for a bounded time, and sent again when none comes; a datagram that never
//! gets a reply is reported as lost (PROTOCOL.md, UDP 2). An echo that differs from the
//! datagram fails the command.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{Result, bail};
use tokio::time::{Instant, timeout_at};

use crate::encoding::Encoding;
use crate::event::{Close, Event};
use crate::expect::Expect;
use crate::explain::Role;
use crate::framing::Framing;
use crate::messages::{Check, Messages};
use crate::net::MAX_DATAGRAM;
use crate::net::datagram::{Socket, open};
use crate::net::{self, NetError};
use crate::output::Printer;
use crate::protocol::Wire;
use crate::tap::Tap;

/// Runtime settings of `udp send`, with every datagram already encoded.
#[derive(Debug, Clone)]
pub struct UdpSendConfig {
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address (and port) datagrams leave from.
    pub source: Option<SocketAddr>,
    pub encoding: Encoding,
    pub datagrams: Vec<Vec<u8>>,
    /// `--replay-timing`: when each datagram is due, from when the first was sent; empty
    /// sends each once the last reply is in.
    pub due: Vec<Duration>,
    /// The only data argument was `-`: read datagrams from stdin, one per line.
    pub from_stdin: bool,
    /// How long to wait for each reply before sending again.
    pub timeout: Duration,
    /// How many times to send a datagram again when no reply comes.
    pub retries: u32,
    /// An RFC 862 echo exchange instead of the tutorial's.
    pub echo: bool,
    /// `--mode request`: any reply counts as the answer, checked against this.
    pub request: Option<Expect>,
}

/// Sends every datagram in order and shows each reply.
///
/// # Errors
/// The socket cannot be set up, nothing listens at the address (ICMP port unreachable), or
/// at least one datagram got no reply.
pub async fn send(cfg: &UdpSendConfig, printer: Arc<Printer>) -> Result<()> {
    let mut messages = Messages::new(
        &cfg.datagrams,
        cfg.from_stdin,
        cfg.encoding,
        Check::Datagram,
    )
    .paced(&cfg.due);
    let mut addrs = cfg.addrs.as_slice();
    loop {
        let (socket, addr) = open(addrs, cfg.source, &printer).await?;
        let socket = Socket::new(socket, Tap::new(&printer, Role::UdpClient));
        let ended = exchange(&socket, addr, cfg, &printer, &mut messages).await;
        printer.explain_close(
            Role::UdpClient,
            addr.into(),
            ended.as_ref().map(|()| Close::Done),
        );
        let Err(report) = ended else {
            return Ok(());
        };
        // As TCP tries each address a name resolves to, a first datagram that finds
        // nothing listening goes to the next one (`localhost`: ::1, then 127.0.0.1).
        let later = match addrs.iter().position(|a| *a == addr) {
            Some(at) => &addrs[at + 1..],
            None => &[],
        };
        match report.downcast::<FirstRefused>() {
            Ok(first) if !later.is_empty() => {
                tracing::info!("nothing listens on {addr}: trying {}", later[0]);
                messages.put_back(first.datagram);
                addrs = later;
            }
            Ok(first) => return Err(first.err.into()),
            Err(report) => return Err(report),
        }
    }
}

/// The first datagram found nothing listening at the address: another address may be
/// tried with it.
#[derive(Debug, thiserror::Error)]
#[error("{err}")]
struct FirstRefused {
    err: NetError,
    datagram: Vec<u8>,
}

/// `err` as it ends the exchange: a refusal of the first datagram, before any reply, is a
/// [`FirstRefused`] that [`send`] may take to the next address.
fn ended_by(err: NetError, count: usize, datagram: &[u8]) -> color_eyre::Report {
    match err {
        NetError::Unreachable { .. } if count == 1 => FirstRefused {
            err,
            datagram: datagram.to_vec(),
        }
        .into(),
        err => err.into(),
    }
}

/// Sends the datagrams and takes their replies (or runs stdio mode).
async fn exchange(
    socket: &Socket,
    addr: SocketAddr,
    cfg: &UdpSendConfig,
    printer: &Arc<Printer>,
    messages: &mut Messages,
) -> Result<()> {
    let wire = Wire::new(cfg.encoding);
    // The expected replies of the last few datagrams: a late answer to one that was sent
    // again must not be taken for the answer to the next.
    let mut recent: VecDeque<Vec<u8>> = VecDeque::with_capacity(RECENT + 1);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let (mut count, mut lost) = (0, 0);
    while let Some(datagram) = messages.next(printer).await? {
        count += 1;
        let expected = if cfg.echo {
            datagram.clone()
        } else {
            wire.udp_reply(&datagram)
        };
        let index = count - 1;
        let tries = cfg.retries.saturating_add(1);
        let mut answered = false;
        for attempt in 1..=tries {
            socket.send(&datagram, addr).await.map_err(|err| {
                let err = net::refused_or(addr, err, |addr, err| NetError::Send { addr, err });
                ended_by(err, count, &datagram)
            })?;
            let deadline = Instant::now() + cfg.timeout;
            while let Ok(received) = timeout_at(deadline, socket.recv(&mut buf, addr)).await {
                let len = received.map_err(|err| {
                    let err = net::refused_or(addr, err, |addr, err| NetError::Io {
                        addr: addr.into(),
                        err,
                    });
                    ended_by(err, count, &datagram)
                })?;
                let reply = &buf[..len];
                if let Some(expect) = &cfg.request {
                    // Request mode: whatever comes is the answer; it must meet --expect.
                    printer.event(Event::received(addr.into(), reply));
                    if !expect.accepts(Framing::Raw, index, reply) {
                        let show = |bytes: &[u8]| printer.encoding().show(bytes);
                        bail!(
                            "reply {count} from {addr} was {}, expected {}",
                            show(reply),
                            expect.describe(index, show)
                        );
                    }
                    answered = true;
                    break;
                }
                if reply != expected && recent.iter().any(|earlier| earlier == reply) {
                    tracing::debug!(bytes = len, "duplicate reply to an earlier datagram");
                    continue;
                }
                printer.event(Event::received(addr.into(), reply));
                if reply != expected && cfg.echo {
                    bail!(
                        "{addr} did not echo datagram {count}: sent {} bytes ({}), got {} bytes \
                         back ({}); is it an echo server? (see --mode)",
                        datagram.len(),
                        printer.encoding().show(&datagram),
                        len,
                        printer.encoding().show(reply),
                    );
                }
                if reply != expected {
                    tracing::warn!(
                        bytes = len,
                        "the reply does not follow the protocol (Hello, DATA): is it a \
                         seed-protocol server? for other services see --mode (e.g. echo)"
                    );
                }
                answered = true;
                break;
            }
            if answered {
                break;
            }
            if attempt < tries {
                tracing::info!(datagram = count, attempt, "no reply yet, sending again");
            }
        }
        if !answered {
            lost += 1;
            tracing::warn!(
                "no reply to datagram {count} ({}) after {tries} tries",
                printer.encoding().show(&datagram)
            );
        }
        recent.push_back(expected);
        if recent.len() > RECENT {
            recent.pop_front();
        }
    }
    if lost > 0 {
        bail!(
            "{lost} of {count} datagrams got no reply from {addr} (try a longer --timeout or more --retries)"
        );
    }
    Ok(())
}

/// How many earlier datagrams' replies are recognised as late duplicates.
const RECENT: usize = 16;
