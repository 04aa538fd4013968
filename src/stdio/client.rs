//! netcat's connecting side: `tcp connect --mode stdio` and `udp send --mode stdio`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::Result;
use tokio::time::Instant;

use super::{DatagramFraming, OnEof, StdinChunks, StdinReader, session};
use crate::event::{Close, Event};
use crate::explain::Role;
use crate::net::MAX_DATAGRAM;
use crate::net::datagram::{self, Socket};
use crate::net::dial::Endpoint;
use crate::net::handshake;
use crate::net::{self, NetError};
use crate::output::Printer;
use crate::tap::{Tap, Tapped};
use crate::tls::ClientTls;

/// Settings of `tcp connect --mode stdio` and `unix connect --mode stdio`.
#[derive(Debug, Clone)]
pub struct TcpConnectConfig {
    pub endpoint: Endpoint,
    pub on_eof: OnEof,
    /// Bounds connecting to each address or the socket.
    pub timeout: Duration,
    /// Keep retrying a refused connection for this long.
    pub wait: Option<Duration>,
    /// End the session when nothing moves either way for this long (`-w`).
    pub idle_timeout: Option<Duration>,
    /// `--tls`: the handshake comes first.
    pub tls: Option<Arc<ClientTls>>,
}

/// Connects, then copies stdin to the server and the server to stdout.
///
/// # Errors
/// No address (or no server on the socket) accepted the connection, or the connection or
/// stdin failed.
pub async fn tcp_connect(cfg: &TcpConnectConfig, printer: Arc<Printer>) -> Result<()> {
    let role = cfg.endpoint.client_role();
    let tls = cfg.tls.as_deref();
    handshake::announce_client(tls, &printer);
    let (stream, addr) =
        handshake::open(&cfg.endpoint, tls, cfg.timeout, cfg.wait, &printer).await?;
    let mut stdin = StdinReader::spawn();
    let stream = Tapped::connection(stream, addr, Tap::new(&printer, role));
    let ended = session::tcp_session(
        stream,
        addr,
        &mut stdin,
        cfg.on_eof,
        cfg.idle_timeout,
        &printer,
    )
    .await
    .map_err(|err| NetError::Io { addr, err });
    printer.explain_close(role, addr, ended.as_ref().copied());
    ended?;
    Ok(())
}

/// Settings of `udp send --mode stdio`.
#[derive(Debug, Clone)]
pub struct UdpSendConfig {
    pub addrs: Vec<SocketAddr>,
    /// `--source`: the local address (and port) datagrams leave from.
    pub source: Option<SocketAddr>,
    pub framing: DatagramFraming,
    /// How long to wait for replies after stdin ends.
    pub timeout: Duration,
}

/// Each line (or read) of stdin is a datagram, every datagram received is printed. After
/// stdin ends, replies are awaited for `--timeout`, then the sender exits.
///
/// # Errors
/// The socket cannot be set up, nothing listens there, or stdin fails.
pub async fn udp_send(cfg: &UdpSendConfig, printer: Arc<Printer>) -> Result<()> {
    let (socket, addr) = datagram::open(&cfg.addrs, cfg.source, &printer).await?;
    let socket = Socket::new(socket, Tap::new(&printer, Role::UdpClient));
    let ended = exchange(&socket, addr, cfg, &printer).await;
    printer.explain_close(
        Role::UdpClient,
        addr.into(),
        ended.as_ref().map(|()| Close::Done),
    );
    Ok(ended?)
}

async fn exchange(
    socket: &Socket,
    addr: SocketAddr,
    cfg: &UdpSendConfig,
    printer: &Printer,
) -> Result<(), NetError> {
    let mut stdin = StdinChunks::new(cfg.framing, crate::messages::MAX_UDP_PAYLOAD);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut linger = None;
    loop {
        tokio::select! {
            // Nothing more is read while stdout's reader lags.
            () = printer.room(), if !printer.has_room() => {}
            received = socket.recv(&mut buf, addr), if printer.has_room() => {
                let len = received.map_err(|err| net::refused_or(addr, err, |addr, err| NetError::Io { addr: addr.into(), err }))?;
                printer.event(Event::received(addr.into(), &buf[..len]));
            }
            chunk = stdin.next(), if linger.is_none() => match chunk {
                Ok(Some(data)) => {
                    socket
                        .send(&data, addr)
                        .await
                        .map_err(|err| net::refused_or(addr, err, |addr, err| NetError::Send { addr, err }))?;
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
