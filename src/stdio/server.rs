//! netcat's listening side: `tcp serve --mode stdio` and `udp serve --mode stdio`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::UdpSocket;

use super::{DatagramFraming, OnEof, StdinChunks, StdinReader, session};
use crate::access::AccessList;
use crate::event::Event;
use crate::explain::{Role, Step};
use crate::io_error::is_about_a_peer;
use crate::net::MAX_DATAGRAM;
use crate::net::announce::{announce_listener, announce_udp};
use crate::net::datagram::Socket;
use crate::net::handshake;
use crate::net::listener::{Bind, Listener};
use crate::output::Printer;
use crate::tap::{Tap, Tapped};
use crate::tls::ServerTls;

/// Settings of `tcp serve --mode stdio` and `unix serve --mode stdio`.
#[derive(Debug, Clone)]
pub struct TcpServeConfig {
    /// Where to listen.
    pub bind: Bind,
    pub on_eof: OnEof,
    /// Serve one client after another instead of only the first (`-k`).
    pub keep_open: bool,
    /// Close a client when nothing moves either way for this long (`-w`).
    pub idle_timeout: Option<std::time::Duration>,
    pub access: AccessList,
    /// `--tls`: each client's handshake comes first.
    pub tls: Option<Arc<ServerTls>>,
}

/// One client at a time, since there is one stdin. The first client is served and the
/// server exits, or with `--keep-open` the next client is accepted after it.
///
/// # Errors
/// The listener's own address cannot be read.
pub async fn tcp_serve(
    mut listener: Listener,
    cfg: TcpServeConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let local = announce_listener(&listener, &cfg.bind, &printer, cfg.tls.as_deref(), None)?;
    let role = listener.role();
    let mut stdin = StdinReader::spawn();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer, process) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        if let Some(addr) = peer.inet()
            && !cfg.access.admit(addr)
        {
            continue;
        }
        printer.event(Event::Accept { peer, process });
        printer.explain(role, Step::Accept { peer });
        if let crate::tls::Stream::Plain(tcp) = &stream {
            crate::net::keep_alive(tcp);
        }
        // One client at a time: a handshake that stalls holds up the next, for at most
        // tls::SERVER_HANDSHAKE_TIMEOUT; a signal still stops the server meanwhile.
        let shake = handshake::server(cfg.tls.as_deref(), stream, peer, &printer);
        let stream = tokio::select! {
            shaken = shake => match shaken {
                Some(stream) => stream,
                None => continue,
            },
            () = &mut shutdown => break,
        };
        let stream = Tapped::connection(stream, peer, Tap::new(&printer, role));
        let session = session::tcp_session(
            stream,
            peer,
            &mut stdin,
            cfg.on_eof,
            cfg.idle_timeout,
            &printer,
        );
        let ended = tokio::select! {
            ended = session => ended,
            () = &mut shutdown => {
                if printer.is_stdout_gone() {
                    break;
                }
                // A transfer cut short must not pass for a complete one.
                printer.explain(role, Step::Stop { addr: local });
                return Err(io::Error::new(
                    io::ErrorKind::Interrupted,
                    format!(
                        "stopped by a signal in the middle of the transfer with {peer}: \
                         what either side had not yet sent is lost"
                    ),
                ));
            }
        };
        printer.explain_close(role, peer, ended.as_ref().copied());
        match ended {
            Ok(close) => printer.event(Event::Close { peer, close }),
            Err(err) => printer.event(Event::Error { peer, error: &err }),
        }
        if !cfg.keep_open || printer.is_stdout_gone() {
            return Ok(());
        }
    }
    printer.explain(role, Step::Stop { addr: local });
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    Ok(())
}

/// Settings of `udp serve --mode stdio`.
#[derive(Debug, Clone)]
pub struct UdpServeConfig {
    pub addrs: Vec<SocketAddr>,
    /// How stdin becomes datagrams and datagrams are printed.
    pub framing: DatagramFraming,
    pub access: AccessList,
}

/// Datagrams go to stdout; stdin goes, a datagram per line (or read), to whoever sent the
/// last datagram.
///
/// # Errors
/// The socket itself fails.
pub async fn udp_serve(
    socket: UdpSocket,
    cfg: UdpServeConfig,
    printer: Arc<Printer>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let local = announce_udp(&socket, &cfg.addrs, &printer, None)?;
    let socket = Socket::new(socket, Tap::new(&printer, Role::UdpServer));
    tokio::pin!(shutdown);
    let mut stdin = StdinChunks::new(cfg.framing, crate::messages::MAX_UDP_PAYLOAD);
    let mut stdin_open = true;
    let mut last_sender = None;
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        tokio::select! {
            // Nothing more is read while stdout's reader lags.
            () = printer.room(), if !printer.has_room() => {}
            received = socket.recv_from(&mut buf), if printer.has_room() => match received {
                Ok((_, peer)) if !cfg.access.admit(peer) => {}
                Ok((len, peer)) => {
                    socket.received(peer, &buf[..len]);
                    printer.event(Event::Datagram { peer });
                    printer.event(Event::received(peer.into(), &buf[..len]));
                    // stdin follows whoever spoke last; a change of peer is said, never silent.
                    if let Some(previous) = last_sender.filter(|p| *p != peer) {
                        tracing::warn!(%peer, "stdin now goes to {peer} (it went to {previous})");
                    }
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
        }
    }
    printer.explain(Role::UdpServer, Step::Stop { addr: local.into() });
    printer.event(Event::Shutdown);
    cfg.access.log_pending();
    Ok(())
}
