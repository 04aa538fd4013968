//! UDP: `udp serve` (server.rs) and `udp send` (client.rs).

mod client;
mod server;

pub use client::{UdpSendConfig, send};
pub use server::{UdpServeConfig, bind, serve};

/// Large enough for any UDP datagram (the IPv4 payload limit is 65,507 bytes, IPv6's
/// 65,527), so nothing is ever truncated, unlike the tutorial's `recvfrom(1024)`.
pub const MAX_DATAGRAM: usize = 65_536;
