//! `udp send`: the tutorial's UDP client. Each datagram is sent, its reply awaited for a
//! bounded time, and sent again when none comes; a datagram that never gets a reply is
//! reported as lost (PROTOCOL.md, UDP 2).

use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{Result, bail, ensure};
use tokio::net::UdpSocket;
use tokio::time::{Instant, timeout_at};

use super::{MAX_DATAGRAM, Socket};
use crate::addr::first_ok;
use crate::cli::UdpSendArgs;
use crate::encoding::Encoding;
use crate::error::NetError;
use crate::explain::{Role, Step};
use crate::messages::{FROM_STDIN, Messages};
use crate::mode::stdio::{self, DatagramFraming, StdinChunks};
use crate::mode::{ClientMode, Close};
use crate::output::{Event, Printer};
use crate::protocol::{self, Wire};

/// Runtime settings of `udp send`, with every datagram already encoded.
#[derive(Debug, Clone)]
pub struct UdpSendConfig {
    pub addrs: Vec<SocketAddr>,
    pub encoding: Encoding,
    pub datagrams: Vec<Vec<u8>>,
    /// The only data argument was `-`: read datagrams from stdin, one per line.
    pub from_stdin: bool,
    /// How long to wait for each reply before sending again.
    pub timeout: Duration,
    /// How many times to send a datagram again when no reply comes.
    pub retries: u32,
    pub mode: ClientMode,
    pub framing: DatagramFraming,
}

impl UdpSendConfig {
    /// # Errors
    /// Data that cannot be encoded, or an address that does not resolve.
    pub async fn from_args(args: &UdpSendArgs) -> Result<UdpSendConfig> {
        let encoding = args.codec.encoding;
        ensure!(
            args.mode == ClientMode::Seed || args.data.is_empty(),
            "--mode stdio sends stdin, not arguments: pipe the data in instead"
        );
        let from_stdin = args.data == [FROM_STDIN];
        let datagrams = if from_stdin {
            Vec::new()
        } else if args.data.is_empty() {
            protocol::DEFAULT_UDP_DATA
                .iter()
                .map(|text| encoding.protocol_bytes(text))
                .collect()
        } else {
            args.data
                .iter()
                .map(|text| {
                    let datagram = encoding.encode(text)?;
                    check_size(&datagram)?;
                    Ok(datagram)
                })
                .collect::<Result<_>>()?
        };
        Ok(UdpSendConfig {
            addrs: args.addr.resolve().await?,
            encoding,
            datagrams,
            from_stdin,
            timeout: args.timeout,
            retries: args.retries,
            mode: args.mode,
            framing: args.framing,
        })
    }
}

/// Sends every datagram in order and shows each reply.
///
/// # Errors
/// The socket cannot be set up, nothing listens at the address (ICMP port unreachable), or
/// at least one datagram got no reply.
pub async fn send(cfg: &UdpSendConfig, printer: Arc<Printer>) -> Result<()> {
    let (socket, addr) = first_ok(&cfg.addrs, open).await?;
    if printer.is_explaining() {
        printer.explain(Role::UdpClient, Step::Socket { addr });
        // `open` bound the unspecified address of the target's family, port 0.
        let bound = socket.local_addr()?;
        let any = match addr {
            SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        };
        let requested = SocketAddr::new(any, 0);
        printer.explain(Role::UdpClient, Step::Bind { requested, bound });
    }
    let socket = Socket::new(socket, &printer, Role::UdpClient);
    let ended = exchange(&socket, addr, cfg, &printer).await;
    let ending = ended.as_ref().map(|()| Close::Done);
    printer.explain_close(
        Role::UdpClient,
        addr,
        ending.map_err(|err| err as &dyn std::fmt::Display),
    );
    ended
}

/// Sends the datagrams and takes their replies (or runs stdio mode).
async fn exchange(
    socket: &Socket,
    addr: SocketAddr,
    cfg: &UdpSendConfig,
    printer: &Arc<Printer>,
) -> Result<()> {
    if cfg.mode == ClientMode::Stdio {
        return Ok(send_stdio(socket, addr, cfg, printer).await?);
    }
    let wire = Wire::new(cfg.encoding);
    let mut messages = Messages::new(&cfg.datagrams, cfg.from_stdin, cfg.encoding);
    // The expected replies of the last few datagrams: a late answer to one that was sent
    // again must not be taken for the answer to the next.
    let mut recent: VecDeque<Vec<u8>> = VecDeque::with_capacity(RECENT + 1);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let (mut count, mut lost) = (0, 0);
    while let Some(datagram) = messages.next(printer, check_size).await? {
        count += 1;
        let expected = match cfg.mode {
            ClientMode::Echo => datagram.clone(),
            _ => wire.udp_reply(&datagram),
        };
        let tries = cfg.retries + 1;
        let mut answered = false;
        for attempt in 1..=tries {
            socket
                .send(&datagram, addr)
                .await
                .map_err(|err| refused_or(addr, err, |addr, err| NetError::Send { addr, err }))?;
            let deadline = Instant::now() + cfg.timeout;
            while let Ok(received) = timeout_at(deadline, socket.recv(&mut buf, addr)).await {
                let len = received
                    .map_err(|err| refused_or(addr, err, |addr, err| NetError::Io { addr, err }))?;
                let reply = &buf[..len];
                if reply != expected && recent.iter().any(|earlier| earlier == reply) {
                    tracing::debug!(bytes = len, "duplicate reply to an earlier datagram");
                    continue;
                }
                if reply != expected {
                    tracing::warn!(bytes = len, "reply does not follow the protocol");
                }
                printer.event(Event::Answer {
                    peer: addr,
                    data: reply,
                    encoding: cfg.encoding,
                });
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
                cfg.encoding.show(&datagram)
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

/// The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers).
const MAX_UDP_PAYLOAD: usize = 65_507;

fn check_size(datagram: &[u8]) -> Result<()> {
    ensure!(
        datagram.len() <= MAX_UDP_PAYLOAD,
        "a datagram of {} bytes is larger than UDP allows ({MAX_UDP_PAYLOAD} bytes)",
        datagram.len()
    );
    Ok(())
}

/// Stdio mode: each line (or read) of stdin is a datagram, every datagram received is
/// printed. After stdin ends, replies are awaited for `--timeout`, then the sender exits.
async fn send_stdio(
    socket: &Socket,
    addr: SocketAddr,
    cfg: &UdpSendConfig,
    printer: &Printer,
) -> Result<(), NetError> {
    let mut stdin = StdinChunks::new(cfg.framing);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut linger = None;
    loop {
        tokio::select! {
            received = socket.recv(&mut buf, addr) => {
                let len = received
                    .map_err(|err| refused_or(addr, err, |addr, err| NetError::Io { addr, err }))?;
                stdio::print_datagram(printer, addr, &buf[..len], cfg.framing, cfg.encoding);
            }
            chunk = stdin.next(), if linger.is_none() => match chunk {
                Ok(Some(data)) => {
                    socket
                        .send(&data, addr)
                        .await
                        .map_err(|err| refused_or(addr, err, |addr, err| NetError::Send { addr, err }))?;
                }
                Ok(None) => {
                    tracing::info!("stdin ended: waiting {} for replies", humantime::format_duration(cfg.timeout));
                    linger = Some(Instant::now() + cfg.timeout);
                }
                Err(err) => return Err(NetError::Stdin(err)),
            },
            () = sleep_until_some(linger) => return Ok(()),
            () = printer.stdout_gone() => return Ok(()),
        }
    }
}

/// Sleeps until `deadline`, or forever when there is none yet.
async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// A socket of the target's family, connected to it, so that only its replies are received
/// and an ICMP "port unreachable" comes back as a `ConnectionRefused` error.
async fn open(addr: SocketAddr) -> Result<(UdpSocket, SocketAddr), NetError> {
    let local = match addr {
        SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
    };
    let socket = UdpSocket::bind(local)
        .await
        .map_err(|err| NetError::Bind { addr: local, err })?;
    socket
        .connect(addr)
        .await
        .map_err(|err| NetError::Connect { addr, err })?;
    Ok((socket, addr))
}

/// A refused datagram means nothing listens there, whichever call reported it; any other
/// failure is described by `other`.
fn refused_or(
    addr: SocketAddr,
    err: io::Error,
    other: fn(SocketAddr, io::Error) -> NetError,
) -> NetError {
    if err.kind() == io::ErrorKind::ConnectionRefused {
        NetError::Unreachable { addr, err }
    } else {
        other(addr, err)
    }
}
