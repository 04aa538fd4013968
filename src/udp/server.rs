//! `udp serve`: bind, then answer each datagram. There are no connections in UDP, so one
//! task and one buffer serve every sender of a socket; with `--threads N`, N sockets share
//! the port (SO_REUSEPORT), a thread each, and the kernel spreads senders over them by
//! address and port, so one sender's datagrams stay on one socket, in order.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::UdpSocket;
use tokio_util::sync::CancellationToken;

use crate::access::AccessList;
use crate::counters;
use crate::event::Event;
use crate::explain::{Role, Step};
use crate::io_error::is_about_a_peer;
use crate::messages::MAX_UDP_PAYLOAD;
use crate::net::MAX_DATAGRAM;
use crate::net::announce::announce_udp;
use crate::net::batch::Batch;
use crate::net::datagram::Socket;
use crate::net::workers::Workers;
use crate::output::Printer;
use crate::sequence::{self, Arrivals, REPORT_REQUEST};
use crate::service::Service;
use crate::tap::Tap;
use crate::throttle::Throttle;

/// Runtime settings of `udp serve`.
#[derive(Debug, Clone)]
pub struct UdpServeConfig {
    pub addrs: Vec<SocketAddr>,
    pub service: Service,
    /// Report datagrams and bytes per second once a second.
    pub stats: bool,
    /// Senders the server answers.
    pub access: AccessList,
    /// Send replies larger than the datagram they answer even when other machines can
    /// reach the server (`--allow-amplification`).
    pub amplify: bool,
    /// Sockets sharing the port, a thread each (`--threads`).
    pub threads: usize,
}

/// Replies not sent because they were larger than their datagram: said at once, then at
/// most once a second with a count, so a flood of such datagrams cannot flood stderr.
#[derive(Default)]
struct Withheld(Throttle);

impl Withheld {
    fn add(&mut self, peer: SocketAddr, got: usize, reply: usize) {
        if let Some(tally) = self.0.hit() {
            tracing::warn!(
                %peer,
                "not answered: the reply ({reply} bytes) would be larger than the datagram \
                 ({got}) on a server other machines can reach{} (--allow-amplification \
                 answers them)",
                tally.suffix()
            );
        }
    }
}

/// Answers datagrams on `first` and `others` (sockets sharing its port, a thread each)
/// until `shutdown` resolves or stdout goes away.
///
/// # Errors
/// A socket itself fails, or a thread cannot be started. A sender that cannot be answered
/// is logged and skipped.
pub async fn serve(
    (first, others): (UdpSocket, Vec<std::net::UdpSocket>),
    cfg: UdpServeConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let threads = 1 + others.len();
    let local = announce_udp(&first, &cfg.addrs, &printer, Some(threads))?;
    // Loopback is reachable from this machine only: nothing to reflect towards.
    let amplify = cfg.amplify || local.ip().to_canonical().is_loopback();
    if !amplify && matches!(cfg.service, Service::Seed(_) | Service::Chargen) {
        printer.notice(
            "replies larger than the datagram they answer are not sent, so this server \
             cannot be used as a reflection amplifier (--allow-amplification sends them)",
        );
    }
    let cfg = Arc::new(cfg);
    let stop = CancellationToken::new();
    let (counters, _reporter) = counters::start(cfg.stats, &printer, false);
    let answering = Answering {
        cfg: cfg.clone(),
        printer: printer.clone(),
        amplify,
        counters,
        stop: stop.clone(),
    };
    // Each other socket is taken onto its own thread's runtime there, and answered there.
    let mut workers = match others.is_empty() {
        true => None,
        false => Some(Workers::start(others.len())?),
    };
    let mut handles = Vec::new();
    for socket in others {
        let answering = answering.clone();
        let workers = workers.as_mut().expect("started for these sockets");
        handles.push(workers.spawn(async move {
            let socket = UdpSocket::from_std(socket)?;
            answering.answer(socket).await
        }));
    }
    let mut result = {
        let main = answering.clone().answer(first);
        tokio::pin!(main);
        tokio::pin!(shutdown);
        tokio::select! {
            result = &mut main => result,
            () = &mut shutdown => {
                stop.cancel();
                main.await
            }
        }
    };
    stop.cancel();
    for handle in handles {
        let answered = handle
            .await
            .unwrap_or_else(|err| Err(io::Error::other(err)));
        result = result.and(answered);
    }
    drop(workers);
    printer.explain(Role::UdpServer, Step::Stop { addr: local.into() });
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    result
}

/// What every socket of one server answers with.
#[derive(Clone)]
struct Answering {
    cfg: Arc<UdpServeConfig>,
    printer: Arc<Printer>,
    amplify: bool,
    counters: Option<Arc<counters::Counters>>,
    /// Cancelled when the server stops, or when one socket failed.
    stop: CancellationToken,
}

impl Answering {
    /// Answers datagrams on `socket` until the server stops.
    async fn answer(self, socket: UdpSocket) -> io::Result<()> {
        let answered = self.answer_until_stopped(socket).await;
        if answered.is_err() {
            // One socket's failure ends the server: the others stop too.
            self.stop.cancel();
        }
        answered
    }

    async fn answer_until_stopped(&self, socket: UdpSocket) -> io::Result<()> {
        let Answering {
            cfg,
            printer,
            amplify,
            counters,
            stop,
        } = self;
        let mut withheld = Withheld::default();
        // Discard mode keeps what arrived of each sender's numbered datagrams, for a
        // one-way sender (`udp send --mode send`) to ask for when it is done.
        let mut flows = matches!(cfg.service, Service::Discard).then(Flows::default);
        let socket = Socket::new(socket, Tap::new(printer, Role::UdpServer));
        // Datagrams are taken a batch at a time (recvmmsg) and their replies sent a batch
        // at a time (sendmmsg): see batch.rs and scripts/bench-tcp, section 4.
        let mut batch = Batch::new(MAX_DATAGRAM);
        loop {
            // A reader of stdout that stalls holds the socket back: the kernel drops what
            // overflows its buffer, as it would for any slow server.
            if !printer.has_room() {
                tokio::select! {
                    () = printer.room() => {}
                    () = stop.cancelled() => return Ok(()),
                }
            }
            let count = match socket.try_recv_batch(&mut batch) {
                Ok(count) => count,
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                    tokio::select! {
                        ready = socket.readable() => { ready?; continue; }
                        () = stop.cancelled() => return Ok(()),
                    }
                }
                // An ICMP error for an earlier reply (the sender had already gone) surfaces
                // on a later receive on some systems; it concerns that sender, not the
                // server.
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
                socket.received(peer, data);
                tracing::debug!(%peer, bytes = data.len(), "received");
                if let Some(counters) = counters {
                    counters.message();
                    counters.received(data.len());
                }
                printer.event(Event::Datagram { peer });
                if let Some(flows) = &mut flows
                    && flows.take(peer, data, reply)
                {
                    batch.queue_reply(peer);
                    continue;
                }
                if cfg.service.udp_datagram(data, peer, printer, reply) {
                    // `Hello, ` and 65,501 bytes or more make a reply no datagram can carry.
                    if reply.len() > MAX_UDP_PAYLOAD {
                        tracing::warn!(
                            %peer,
                            bytes = data.len(),
                            "no reply: it would be {} bytes, over the UDP maximum of \
                             {MAX_UDP_PAYLOAD}",
                            reply.len()
                        );
                        continue;
                    }
                    if !amplify && reply.len() > data.len() {
                        withheld.add(peer, data.len(), reply.len());
                        continue;
                    }
                    if let Some(counters) = counters {
                        counters.sent(reply.len());
                    }
                    batch.queue_reply(peer);
                }
            }
            socket.send_replies(&mut batch).await;
        }
    }
}

/// What arrived of each sender's numbered datagrams, on one socket (a sender stays on one
/// socket: SO_REUSEPORT hashes by its address and port). At most [`MAX_FLOWS`] senders
/// are followed at once, so spoofed senders cannot grow it without bound.
#[derive(Default)]
struct Flows {
    arrivals: HashMap<SocketAddr, Arrivals>,
    epoch: Option<std::time::Instant>,
    untracked: Throttle,
}

/// Senders followed at once, 8 KiB each.
const MAX_FLOWS: usize = 1024;

impl Flows {
    /// Takes a datagram: counted when numbered; when it asks what arrived, the report is
    /// written into `reply` (and the sender forgotten) and true returned.
    fn take(&mut self, peer: SocketAddr, data: &[u8], reply: &mut Vec<u8>) -> bool {
        if data == REPORT_REQUEST {
            let arrivals = self.arrivals.remove(&peer).unwrap_or_default();
            reply.clear();
            reply.extend_from_slice(&arrivals.report());
            return true;
        }
        let Some((seq, sent)) = sequence::header(data) else {
            return false;
        };
        let epoch = *self.epoch.get_or_insert_with(std::time::Instant::now);
        let arrived = epoch.elapsed().as_nanos() as u64;
        let full = self.arrivals.len() >= MAX_FLOWS;
        match self.arrivals.get_mut(&peer) {
            Some(arrivals) => arrivals.record(seq, data.len(), sent, arrived),
            None if full => {
                if let Some(tally) = self.untracked.hit() {
                    tracing::warn!(
                        %peer,
                        "not counted: {MAX_FLOWS} senders are followed already{}",
                        tally.suffix()
                    );
                }
            }
            None => {
                let mut arrivals = Arrivals::default();
                arrivals.record(seq, data.len(), sent, arrived);
                self.arrivals.insert(peer, arrivals);
            }
        }
        false
    }
}
