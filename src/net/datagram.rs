//! A UDP socket as every program uses it: opened towards a server (bound, then connected,
//! each step narrated with `--explain`), and wrapped so that every datagram passes the
//! wire tap (hex dump, `--explain`'s calls), one at a time or in batches.

use std::net::SocketAddr;

use tokio::net::UdpSocket;

use super::batch;
use super::{NetError, first_ok, open_udp, unspecified};
use crate::event::Direction;
use crate::explain::{Role, Step};
use crate::output::Printer;
use crate::tap::Tap;

/// A socket connected to the first address that takes one, narrated with `--explain`.
///
/// # Errors
/// No address could be opened.
pub async fn open(
    addrs: &[SocketAddr],
    source: Option<SocketAddr>,
    printer: &Printer,
) -> Result<(UdpSocket, SocketAddr), NetError> {
    let (socket, addr) = first_ok(addrs, |addr| async move {
        Ok((open_udp(addr, source).await?, addr))
    })
    .await?;
    if printer.is_explaining() {
        printer.explain(Role::UdpClient, Step::Socket { addr: addr.into() });
        // `open_udp` bound `--source`, or the unspecified address of the target's family,
        // port 0, then connected: the port is bind's, the local address connect's.
        if let Ok(local) = socket.local_addr() {
            let requested = source.unwrap_or_else(|| unspecified(addr));
            let bound = SocketAddr::new(requested.ip(), local.port());
            printer.explain(
                Role::UdpClient,
                Step::Bind {
                    requested: requested.into(),
                    bound: bound.into(),
                },
            );
        }
        printer.explain(
            Role::UdpClient,
            Step::Connect {
                addr: addr.into(),
                took: std::time::Duration::ZERO,
                error: None,
            },
        );
    }
    Ok((socket, addr))
}

/// A UDP socket whose every datagram passes the wire tap (hex dump, `--explain`'s
/// recvfrom and sendto).
pub struct Socket {
    inner: tokio::net::UdpSocket,
    tap: Tap,
}

impl Socket {
    pub fn new(inner: tokio::net::UdpSocket, tap: Tap) -> Socket {
        let tap = tap.capturing_datagrams(inner.local_addr().ok());
        Socket { inner, tap }
    }

    fn report_datagram(&self, direction: Direction, peer: std::net::SocketAddr, data: &[u8]) {
        if self.tap.is_on() {
            self.tap.saw(direction, peer.into(), None, data);
        }
    }

    /// The datagrams already waiting, up to a batch, else `WouldBlock`. None is dumped
    /// yet: a server reports those it admits ([`Socket::received`]), so a refused sender
    /// is neither dumped nor narrated.
    pub fn try_recv_batch(&self, batch: &mut batch::Batch) -> std::io::Result<usize> {
        batch::try_recv_batch(&self.inner, batch)
    }

    /// Reports a datagram a server admitted (hex dump, `--explain`).
    pub fn received(&self, peer: std::net::SocketAddr, data: &[u8]) {
        self.report_datagram(Direction::Received, peer, data);
    }

    /// As `UdpSocket::recv_from`, without reporting: the caller reports what it admits.
    /// Cancel-safe.
    pub async fn recv_from(
        &self,
        buf: &mut [u8],
    ) -> std::io::Result<(usize, std::net::SocketAddr)> {
        self.inner.recv_from(buf).await
    }

    /// Sends the batch's queued replies. Each is dumped.
    pub async fn send_replies(&self, batch: &mut batch::Batch) {
        if self.tap.is_on() {
            for (reply, peer) in batch.replies() {
                self.report_datagram(Direction::Sent, peer, reply);
            }
        }
        batch::send_replies(&self.inner, batch, |peer, bytes, err| {
            tracing::warn!(%peer, bytes, error = %err, "cannot send reply");
        })
        .await;
    }

    /// Waits until a datagram can be received. Cancel-safe.
    pub async fn readable(&self) -> std::io::Result<()> {
        self.inner.readable().await
    }

    pub async fn send_to(&self, data: &[u8], peer: std::net::SocketAddr) -> std::io::Result<()> {
        self.inner.send_to(data, peer).await?;
        self.report_datagram(Direction::Sent, peer, data);
        Ok(())
    }

    /// On a connected socket: only `peer`'s datagrams arrive. Cancel-safe.
    pub async fn recv(&self, buf: &mut [u8], peer: std::net::SocketAddr) -> std::io::Result<usize> {
        let len = self.inner.recv(buf).await?;
        self.report_datagram(Direction::Received, peer, &buf[..len]);
        Ok(len)
    }

    /// On a connected socket, to `peer`.
    pub async fn send(&self, data: &[u8], peer: std::net::SocketAddr) -> std::io::Result<()> {
        self.inner.send(data).await?;
        self.report_datagram(Direction::Sent, peer, data);
        Ok(())
    }
}
