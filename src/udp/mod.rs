//! UDP: `udp serve` (server.rs) and `udp send` (client.rs), on the tapped socket of
//! `net::datagram` (which netcat mode's UDP side, in `stdio/`, uses too).

mod client;
mod server;

pub use client::{UdpSendConfig, send};
pub use server::{UdpServeConfig, serve};
