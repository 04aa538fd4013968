//! `udp serve`: bind, then answer each datagram. There are no connections in UDP, so one
//! task and one buffer serve every sender.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::UdpSocket;

use super::batch::Batch;
use super::{MAX_DATAGRAM, Socket};
use crate::access::{AccessList, exposure_warning};
use crate::addr::first_ok;
use crate::cli::UdpServeArgs;
use crate::counters;
use crate::encoding::Encoding;
use crate::error::NetError;
use crate::explain::{self, Role, Step};
use crate::mode::stdio::{self, DatagramFraming, StdinChunks};
use crate::mode::{OnEof, Service};
use crate::output::{Event, Printer};

/// Runtime settings of `udp serve`.
#[derive(Debug, Clone)]
pub struct UdpServeConfig {
    pub addrs: Vec<SocketAddr>,
    pub service: Service,
    /// Stdio mode: how stdin becomes datagrams and datagrams are printed.
    pub framing: DatagramFraming,
    /// Stdio mode, `--json`: how datagrams are shown.
    pub encoding: Encoding,
    /// Report datagrams and bytes per second once a second.
    pub stats: bool,
    /// Senders the server answers.
    pub access: AccessList,
}

impl UdpServeConfig {
    /// # Errors
    /// The address does not resolve.
    pub async fn from_args(args: &UdpServeArgs) -> Result<UdpServeConfig, NetError> {
        Ok(UdpServeConfig {
            addrs: args.addr.resolve().await?,
            service: Service::new(args.mode, args.codec.encoding, None, OnEof::default()),
            framing: args.framing,
            encoding: args.codec.encoding,
            stats: args.stats,
            access: args.access.list(),
        })
    }
}

/// Binds the first address that can be bound.
///
/// # Errors
/// Every address failed; the error is the last one.
pub async fn bind(addrs: &[SocketAddr]) -> Result<UdpSocket, NetError> {
    first_ok(addrs, |addr| async move {
        UdpSocket::bind(addr)
            .await
            .map_err(|err| NetError::Bind { addr, err })
    })
    .await
}

/// Answers datagrams on `socket` until `shutdown` resolves or stdout goes away.
///
/// # Errors
/// The socket itself fails. A sender that cannot be answered is logged and skipped.
pub async fn serve(
    socket: UdpSocket,
    cfg: UdpServeConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let local = socket.local_addr()?;
    for step in explain::bind_steps(&cfg.addrs, local) {
        printer.explain(Role::UdpServer, step);
    }
    printer.listening(local);
    if let Some(warning) = exposure_warning(local, "UDP") {
        tracing::warn!("{warning}");
    }
    let socket = Socket::new(socket, &printer, Role::UdpServer);
    if let Service::Stdio(_) = cfg.service {
        return serve_stdio(socket, &cfg, &printer, shutdown).await;
    }
    tokio::pin!(shutdown);
    // Datagrams are taken a batch at a time (recvmmsg) and their replies sent a batch at
    // a time (sendmmsg): see batch.rs and scripts/bench-tcp, section 4.
    let mut batch = Batch::new(MAX_DATAGRAM);
    // Under a flood, one stdout write per datagram cost as much as the datagram itself:
    // lines are batched while datagrams keep coming and flushed as soon as the socket has
    // nothing more, so a reader still sees every line without delay once the flood pauses.
    let _batch_stdout = printer.batch_stdout();
    let (counters, _reporter) = counters::start(cfg.stats, &printer, false);
    loop {
        let count = match socket.try_recv_batch(&mut batch) {
            Ok(count) => count,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                printer.flush_stdout();
                tokio::select! {
                    ready = socket.readable() => { ready?; continue; }
                    () = &mut shutdown => break,
                    () = printer.stdout_gone() => break,
                }
            }
            // An ICMP error for an earlier reply (the sender had already gone) surfaces on a
            // later receive on some systems; it concerns that sender, not the server.
            Err(err) if is_about_a_peer(&err) => {
                tracing::debug!(error = %err, "a previous sender is unreachable");
                continue;
            }
            Err(err) => return Err(err),
        };
        for i in 0..count {
            let Some((data, peer, reply)) = batch.datagram_and_reply(i) else {
                continue;
            };
            if !cfg.access.admit(peer) {
                continue;
            }
            tracing::debug!(%peer, bytes = data.len(), "received");
            if let Some(counters) = &counters {
                counters.message();
                counters.received(data.len());
            }
            printer.event(Event::Datagram { peer });
            if cfg.service.udp_datagram(data, peer, &printer, reply) {
                if let Some(counters) = &counters {
                    counters.sent(reply.len());
                }
                batch.queue_reply(peer);
            }
        }
        socket.send_replies(&mut batch).await;
    }
    printer.explain(Role::UdpServer, Step::Stop { addr: local });
    printer.event(Event::Shutdown);
    Ok(())
}

/// Stdio mode: datagrams go to stdout; stdin goes, a datagram per line (or read), to
/// whoever sent the last datagram.
async fn serve_stdio(
    socket: Socket,
    cfg: &UdpServeConfig,
    printer: &Printer,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let (framing, encoding) = (cfg.framing, cfg.encoding);
    tokio::pin!(shutdown);
    let mut stdin = StdinChunks::new(framing);
    let mut stdin_open = true;
    let mut last_sender = None;
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        tokio::select! {
            received = socket.recv_from(&mut buf) => match received {
                Ok((_, peer)) if !cfg.access.admit(peer) => {}
                Ok((len, peer)) => {
                    printer.event(Event::Datagram { peer });
                    stdio::print_datagram(printer, peer, &buf[..len], framing, encoding);
                    last_sender = Some(peer);
                }
                Err(err) if is_about_a_peer(&err) => {
                    tracing::debug!(error = %err, "a previous sender is unreachable");
                }
                Err(err) => return Err(err),
            },
            chunk = stdin.next(), if stdin_open => match (chunk?, last_sender) {
                (None, _) => {
                    tracing::info!("stdin ended: still printing datagrams");
                    stdin_open = false;
                }
                (Some(data), Some(peer)) => {
                    if let Err(err) = socket.send_to(&data, peer).await {
                        tracing::warn!(%peer, bytes = data.len(), error = %err, "cannot send");
                    }
                }
                (Some(data), None) => {
                    tracing::warn!(bytes = data.len(), "no datagram received yet, so nobody to send stdin to; dropped");
                }
            },
            () = &mut shutdown => break,
            () = printer.stdout_gone() => break,
        }
    }
    printer.event(Event::Shutdown);
    Ok(())
}

fn is_about_a_peer(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}
