//! UDP: `udp serve` (server.rs) and `udp send` (client.rs).

pub(crate) mod batch;
mod client;
mod server;

pub use client::{UdpSendConfig, send};
pub use server::{UdpServeConfig, bind, serve};

use crate::explain::{Role, Step};
use crate::hexdump::Direction;

/// Large enough for any UDP datagram (the IPv4 payload limit is 65,507 bytes, IPv6's
/// 65,527), so nothing is ever truncated, unlike the tutorial's `recvfrom(1024)`.
pub const MAX_DATAGRAM: usize = 65_536;

/// A UDP socket that reports each datagram to the hex dump, when one is on, and narrates
/// each recvfrom and sendto with `--explain`.
pub(crate) struct Socket {
    inner: tokio::net::UdpSocket,
    /// Set only when there is something to report.
    report: Option<std::sync::Arc<crate::output::Printer>>,
    role: Role,
}

impl Socket {
    pub(crate) fn new(
        inner: tokio::net::UdpSocket,
        printer: &std::sync::Arc<crate::output::Printer>,
        role: Role,
    ) -> Socket {
        let reporting = printer.is_dumping() || printer.is_explaining();
        Socket {
            inner,
            report: reporting.then(|| printer.clone()),
            role,
        }
    }

    fn report_datagram(&self, direction: Direction, peer: std::net::SocketAddr, data: &[u8]) {
        let Some(printer) = &self.report else {
            return;
        };
        let bytes = data.len();
        let step = match direction {
            Direction::Received => Step::Recv { peer, bytes },
            Direction::Sent => Step::Send { peer, bytes },
        };
        printer.explain(self.role, step);
        if printer.is_dumping() {
            printer.hex_dump(&crate::hexdump::format(direction, peer, None, data));
        }
    }

    /// The datagrams already waiting, up to a batch, else `WouldBlock`. Each is dumped.
    pub(crate) fn try_recv_batch(&self, batch: &mut batch::Batch) -> std::io::Result<usize> {
        let count = batch::try_recv_batch(&self.inner, batch)?;
        if self.report.is_some() {
            for (data, peer) in (0..count).filter_map(|i| batch.datagram(i)) {
                self.report_datagram(Direction::Received, peer, data);
            }
        }
        Ok(count)
    }

    /// Sends the batch's queued replies. Each is dumped.
    pub(crate) async fn send_replies(&self, batch: &mut batch::Batch) {
        if self.report.is_some() {
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

    /// Cancel-safe, as `UdpSocket::recv_from`.
    pub(crate) async fn recv_from(
        &self,
        buf: &mut [u8],
    ) -> std::io::Result<(usize, std::net::SocketAddr)> {
        let (len, peer) = self.inner.recv_from(buf).await?;
        self.report_datagram(Direction::Received, peer, &buf[..len]);
        Ok((len, peer))
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
