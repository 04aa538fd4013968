//! `udp serve`: bind, then answer each datagram. There are no connections in UDP, so one
//! task and one buffer serve every sender of a socket; with `--threads N`, N sockets share
//! the port (SO_REUSEPORT), a thread each, and the kernel spreads senders over them by
//! address and port, so one sender's datagrams stay on one socket, in order.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

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
use crate::sequence::{self, Arrivals, REPORT_REQUEST, StreamRequest};
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
    /// `--metrics`: where `/metrics` is served.
    pub metrics: Option<std::net::SocketAddr>,
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
    // Up before the server says it listens: a scraper started on that line finds it.
    let (counters, _reporter) = counters::start(cfg.stats, cfg.metrics.is_some(), &printer, false);
    let _metrics = crate::metrics::serve_counters(cfg.metrics, counters.as_ref(), &printer).await?;
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
        // Source mode streams to whoever asks (`udp send --mode receive`).
        let mut streams = matches!(cfg.service, Service::Source).then(Streams::default);
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
                    let due = streams.as_ref().and_then(Streams::next_due);
                    tokio::select! {
                        ready = socket.readable() => { ready?; continue; }
                        () = crate::shutdown::deadline(due), if due.is_some() => {
                            if let Some(streams) = &mut streams {
                                streams.pump(&socket).await;
                            }
                            continue;
                        }
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
                if let Some(streams) = &mut streams {
                    streams.take(peer, data, *amplify);
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
            if let Some(streams) = &mut streams {
                streams.pump(&socket).await;
            }
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

/// The streams a source is sending: numbered, timestamped datagrams to each peer that
/// asked, paced as it asked, then a count of what was sent. At most [`MAX_STREAMS`] at
/// once; to a peer other machines could be, only with `--allow-amplification` (a spoofed
/// request would turn a few bytes into a flood at someone else).
#[derive(Default)]
struct Streams {
    active: Vec<Stream>,
    refused: Throttle,
}

struct Stream {
    peer: SocketAddr,
    request: StreamRequest,
    started: tokio::time::Instant,
    sent: u64,
}

/// Streams sent at once.
const MAX_STREAMS: usize = 64;
/// The most datagrams one stream sends in a row before the socket is read again.
const BURST: u64 = 256;

impl Streams {
    /// Starts the stream `data` asks for, if it is a request this source may answer.
    fn take(&mut self, peer: SocketAddr, data: &[u8], amplify: bool) {
        let Some(request) = StreamRequest::read(data) else {
            return;
        };
        let why = if !amplify && !peer.ip().to_canonical().is_loopback() {
            Some("a source streams to loopback only, unless --allow-amplification")
        } else if self.active.len() >= MAX_STREAMS {
            Some("64 streams are running already")
        } else {
            None
        };
        if let Some(why) = why {
            if let Some(tally) = self.refused.hit() {
                tracing::warn!(%peer, "stream not sent: {why}{}", tally.suffix());
            }
            return;
        }
        // A request repeated (its first datagrams were slow to come) starts nothing new.
        if self.active.iter().all(|s| s.peer != peer) {
            self.active.push(Stream {
                peer,
                request,
                started: tokio::time::Instant::now(),
                sent: 0,
            });
        }
    }

    /// When a stream next has a datagram due.
    fn next_due(&self) -> Option<tokio::time::Instant> {
        self.active
            .iter()
            .map(|s| match s.request.bitrate {
                Some(bits) => {
                    let each = (s.request.size * 8) as f64 / bits;
                    s.started + Duration::from_secs_f64(s.sent as f64 * each)
                }
                None => s.started,
            })
            .min()
    }

    /// Sends every stream's due datagrams (a burst at most each), and ends the streams
    /// whose time is up with the count they sent.
    async fn pump(&mut self, socket: &Socket) {
        let now = tokio::time::Instant::now();
        let mut datagram = Vec::new();
        for stream in &mut self.active {
            let elapsed = now.duration_since(stream.started);
            let size = stream.request.size;
            let due = match stream.request.bitrate {
                Some(bits) => (elapsed.as_secs_f64() / ((size * 8) as f64 / bits)) as u64 + 1,
                None => stream.sent + BURST,
            };
            let due = due.min(stream.sent + BURST);
            datagram.resize(size, 0);
            while stream.sent < due && elapsed < stream.request.duration {
                datagram[..8].copy_from_slice(&stream.sent.to_be_bytes());
                let at = stream.started.elapsed().as_nanos() as u64;
                datagram[8..16].copy_from_slice(&at.to_be_bytes());
                if socket.send_to(&datagram, stream.peer).await.is_err() {
                    // The asker is gone (ICMP unreachable): its stream ends.
                    stream.request.duration = Duration::ZERO;
                    break;
                }
                stream.sent += 1;
            }
        }
        let (done, going): (Vec<Stream>, Vec<Stream>) = std::mem::take(&mut self.active)
            .into_iter()
            .partition(|s| now.duration_since(s.started) >= s.request.duration);
        self.active = going;
        for stream in done {
            let mut end = sequence::STREAMED.to_vec();
            end.extend_from_slice(format!("{}\n", stream.sent).as_bytes());
            // Said a few times: the receiver needs one to know the count.
            for _ in 0..3 {
                let _ = socket.send_to(&end, stream.peer).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_streams_to_others_only_when_amplification_is_allowed() {
        let request = StreamRequest {
            bitrate: Some(1e6),
            size: 100,
            duration: Duration::from_secs(1),
        }
        .datagram();
        let far: SocketAddr = "192.0.2.7:4000".parse().unwrap();
        let near: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let mut streams = Streams::default();
        streams.take(far, &request, false);
        assert!(streams.active.is_empty(), "a spoofed asker gets nothing");
        streams.take(near, &request, false);
        streams.take(near, &request, false);
        assert_eq!(streams.active.len(), 1, "loopback is served, once");
        streams.take(far, &request, true);
        assert_eq!(streams.active.len(), 2);
        streams.take(near, b"not a request", false);
        assert_eq!(streams.active.len(), 2);
    }
}
