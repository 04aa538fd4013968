//! `udp serve`: bind, then answer each datagram. There are no connections in UDP, so one
//! task and one buffer serve every sender.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::UdpSocket;

use super::MAX_DATAGRAM;
use crate::addr::first_ok;
use crate::cli::UdpServeArgs;
use crate::error::NetError;
use crate::mode::Service;
use crate::output::Printer;
use crate::protocol;

/// Runtime settings of `udp serve`.
#[derive(Debug, Clone)]
pub struct UdpServeConfig {
    pub addrs: Vec<SocketAddr>,
    pub service: Service,
}

impl UdpServeConfig {
    /// # Errors
    /// The address does not resolve.
    pub async fn from_args(args: &UdpServeArgs) -> Result<UdpServeConfig, NetError> {
        Ok(UdpServeConfig {
            addrs: args.addr.resolve().await?,
            service: Service::new(args.mode, args.codec.encoding, None),
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
    printer.listening(socket.local_addr()?);
    tokio::pin!(shutdown);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut reply = Vec::with_capacity(MAX_DATAGRAM);
    loop {
        let received = tokio::select! {
            received = socket.recv_from(&mut buf) => received,
            () = &mut shutdown => break,
            () = printer.stdout_gone() => break,
        };
        let (len, peer) = match received {
            Ok(pair) => pair,
            // An ICMP error for an earlier reply (the sender had already gone) surfaces on a
            // later receive on some systems; it concerns that sender, not the server.
            Err(err) if is_about_a_peer(&err) => {
                tracing::debug!(error = %err, "a previous sender is unreachable");
                continue;
            }
            Err(err) => return Err(err),
        };
        tracing::debug!(%peer, bytes = len, "received");
        printer.status(protocol::received_line(peer));
        if !cfg.service.udp_datagram(&buf[..len], &printer, &mut reply) {
            continue;
        }
        if let Err(err) = socket.send_to(&reply, peer).await {
            tracing::warn!(%peer, bytes = reply.len(), error = %err, "cannot send reply");
        }
    }
    printer.status("shutting down");
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
