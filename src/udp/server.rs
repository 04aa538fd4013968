//! `udp serve`: bind, then answer each datagram. There are no connections in UDP, so one
//! task and one buffer serve every sender.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::UdpSocket;

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
use crate::output::Printer;
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
    let local = announce_udp(&socket, &cfg.addrs, &printer)?;
    // Loopback is reachable from this machine only: nothing to reflect towards.
    let amplify = cfg.amplify || local.ip().to_canonical().is_loopback();
    if !amplify && matches!(cfg.service, Service::Seed(_) | Service::Chargen) {
        printer.notice(
            "replies larger than the datagram they answer are not sent, so this server \
             cannot be used as a reflection amplifier (--allow-amplification sends them)",
        );
    }
    let mut withheld = Withheld::default();
    let socket = Socket::new(socket, Tap::new(&printer, Role::UdpServer));
    tokio::pin!(shutdown);
    // Datagrams are taken a batch at a time (recvmmsg) and their replies sent a batch at
    // a time (sendmmsg): see batch.rs and scripts/bench-tcp, section 4.
    let mut batch = Batch::new(MAX_DATAGRAM);
    let (counters, _reporter) = counters::start(cfg.stats, &printer, false);
    loop {
        // A reader of stdout that stalls holds the socket back: the kernel drops what
        // overflows its buffer, as it would for any slow server.
        if !printer.has_room() {
            tokio::select! {
                () = printer.room() => {}
                () = &mut shutdown => break,
            }
        }
        let count = match socket.try_recv_batch(&mut batch) {
            Ok(count) => count,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                tokio::select! {
                    ready = socket.readable() => { ready?; continue; }
                    () = &mut shutdown => break,
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
            socket.received(peer, data);
            tracing::debug!(%peer, bytes = data.len(), "received");
            if let Some(counters) = &counters {
                counters.message();
                counters.received(data.len());
            }
            printer.event(Event::Datagram { peer });
            if cfg.service.udp_datagram(data, peer, &printer, reply) {
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
                if let Some(counters) = &counters {
                    counters.sent(reply.len());
                }
                batch.queue_reply(peer);
            }
        }
        socket.send_replies(&mut batch).await;
    }
    printer.explain(Role::UdpServer, Step::Stop { addr: local.into() });
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    Ok(())
}
