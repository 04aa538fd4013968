//! UDP: `udp serve` (server.rs) and `udp send` (client.rs), and the tapped socket both
//! use (and netcat mode's UDP side, in `stdio/`).

mod client;
mod server;

pub(crate) use client::open;
pub use client::{UdpSendConfig, send};
pub use server::{UdpServeConfig, announce, serve};

use crate::batch;
use crate::event::Direction;
use crate::tap::Tap;

pub use crate::net::MAX_DATAGRAM;

/// A UDP socket whose every datagram passes the wire tap (hex dump, `--explain`'s
/// recvfrom and sendto).
pub(crate) struct Socket {
    inner: tokio::net::UdpSocket,
    tap: Tap,
}

impl Socket {
    pub(crate) fn new(inner: tokio::net::UdpSocket, tap: Tap) -> Socket {
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
    pub(crate) fn try_recv_batch(&self, batch: &mut batch::Batch) -> std::io::Result<usize> {
        batch::try_recv_batch(&self.inner, batch)
    }

    /// Reports a datagram a server admitted (hex dump, `--explain`).
    pub(crate) fn received(&self, peer: std::net::SocketAddr, data: &[u8]) {
        self.report_datagram(Direction::Received, peer, data);
    }

    /// As `UdpSocket::recv_from`, without reporting: the caller reports what it admits.
    /// Cancel-safe.
    pub(crate) async fn recv_from(
        &self,
        buf: &mut [u8],
    ) -> std::io::Result<(usize, std::net::SocketAddr)> {
        self.inner.recv_from(buf).await
    }

    /// Sends the batch's queued replies. Each is dumped.
    pub(crate) async fn send_replies(&self, batch: &mut batch::Batch) {
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
    pub(crate) async fn readable(&self) -> std::io::Result<()> {
        self.inner.readable().await
    }

    pub(crate) async fn send_to(
        &self,
        data: &[u8],
        peer: std::net::SocketAddr,
    ) -> std::io::Result<()> {
        self.inner.send_to(data, peer).await?;
        self.report_datagram(Direction::Sent, peer, data);
        Ok(())
    }

    /// On a connected socket: only `peer`'s datagrams arrive. Cancel-safe.
    pub(crate) async fn recv(
        &self,
        buf: &mut [u8],
        peer: std::net::SocketAddr,
    ) -> std::io::Result<usize> {
        let len = self.inner.recv(buf).await?;
        self.report_datagram(Direction::Received, peer, &buf[..len]);
        Ok(len)
    }

    /// On a connected socket, to `peer`.
    pub(crate) async fn send(
        &self,
        data: &[u8],
        peer: std::net::SocketAddr,
    ) -> std::io::Result<()> {
        self.inner.send(data).await?;
        self.report_datagram(Direction::Sent, peer, data);
        Ok(())
    }
}
